"""The layout holds: rooms import only the rooms below them (import-linter's contracts in
pyproject.toml), no two first-party modules import each other even indirectly, nothing imports
the worker entry point, and the event store is constructed in one place."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).parents[2]
FIRST_PARTY = ("caseflow", "domain", "workflows", "activities")


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_import_cycle_between_first_party_modules() -> None:
    graph = grimp.build_graph(*FIRST_PARTY, cache_dir=None)
    cycles = [sorted(group) for group in _strongly_connected(graph) if len(group) > 1]
    assert cycles == []


def test_nothing_below_the_entry_points_imports_the_worker() -> None:
    importers = []
    for package in FIRST_PARTY:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if "worker" in names:
                    importers.append(str(path.relative_to(ROOT)))
    assert importers == []


def test_the_event_store_is_constructed_in_one_place() -> None:
    sites = [f"{path.relative_to(ROOT)}:{n}"
             for package in (*FIRST_PARTY, "bench")
             for path in (ROOT / package).rglob("*.py")
             for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
             if "PostgresEventStore(" in line and not line.lstrip().startswith("class ")]
    assert [site.split(":")[0] for site in sites] == ["caseflow/bootstrap.py"], sites


def _strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Tarjan's algorithm over the module graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    counter = 0
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(module: str) -> None:
        nonlocal counter
        index[module] = low[module] = counter
        counter += 1
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            groups.append(group)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups
