"""The OpenAPI document is the truth: `schemathesis run` (its CLI, as an integrator runs it)
against the API over real HTTP, with every default check (no 5xx; status codes, content types,
response bodies and headers as documented; schema-violating requests refused and valid ones
accepted; missing credentials refused; Allow headers on 405) and every phase (examples,
coverage, fuzzing, and the stateful phase along the document's links from a registration to its
steps), once with each role's token: zero failures.

CASEFLOW_CONTRACT_EXAMPLES sets the examples per operation (default 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.access import Role
from tests.api_server import ApiServer

EXAMPLES = os.environ.get("CASEFLOW_CONTRACT_EXAMPLES", "10")
ROLES = sorted(set(Role) - {Role.SYSTEM}, key=lambda r: r.value)


@pytest.fixture(scope="module")
def api_server(database_url: str) -> Iterator[ApiServer]:
    server = ApiServer(database_url)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_the_api_keeps_its_openapi_contract(role: Role, api_server: ApiServer,
                                            tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text('[auth.openapi.HTTPBearer]\nbearer = "${CASEFLOW_CONTRACT_TOKEN}"\n',
                      encoding="utf-8")
    run = subprocess.run(
        [str(Path(sys.executable).parent / "st"), "--config-file", str(config), "run",
         f"{api_server.url}/openapi.json", "--max-examples", EXAMPLES,
         "--request-timeout", "30", "--no-color"],
        env={**os.environ, "CASEFLOW_CONTRACT_TOKEN": api_server.tokens[role],
             "SCHEMATHESIS_HOOKS": "tests.contract_hooks"},
        capture_output=True, text=True, timeout=900, cwd=Path(__file__).parents[2])
    report = run.stdout[-20000:]
    assert run.returncode == 0, report + run.stderr[-3000:]
    for phase in ("Coverage", "Fuzzing", "Stateful"):  # each ran, and passed
        assert f"✅ {phase}" in report, report
