"""`caseflow org` and `caseflow inbox` as real subprocesses: an admin loads the organisation from
a file (all or nothing) and lists it; each user reads and marks only their own messages."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import asyncpg

from caseflow.delivery import records
from caseflow.identity.organisation import list_units
from tests.e2e.conftest import Cli


def organisation_file(folder: Path, run: str, *, staff_unit: str | None = None) -> Path:
    """A sub-branch with one outlet, its supervisor and an officer (`staff_unit`: the officer's
    unit instead of the outlet)."""
    path = folder / f"organisation-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps({
        "units": [
            {"unit_id": f"sub-{run}", "kind": "sub_branch", "name_zh": "测试支行",
             "name_en": "Test Sub-branch"},
            {"unit_id": f"outlet-{run}", "kind": "outlet", "parent": f"sub-{run}",
             "name_zh": "测试网点", "name_en": "Test Outlet"},
        ],
        "staff": [
            {"name": f"supervisor-{run}", "role": "supervisor", "unit": f"outlet-{run}",
             "email": f"supervisor-{run}@bank.example"},
            {"name": f"officer-{run}", "role": "case_officer",
             "unit": staff_unit or f"outlet-{run}", "language": "en"},
        ],
    }, ensure_ascii=False), encoding="utf-8")
    return path


async def test_an_admin_loads_the_organisation_all_or_nothing_and_lists_it(
    cli: Cli, pool: asyncpg.Pool, tmp_path: Path,
) -> None:
    run = uuid.uuid4().hex[:8]

    async def org(*args: str) -> tuple[int, str, str]:
        return await cli("org", *args)

    # A member at a unit that does not exist: refused, and nothing of the file is kept.
    code, _, err = await org("load", str(organisation_file(tmp_path, run,
                                                             staff_unit=f"nowhere-{run}")))
    assert code == 1 and f"unit nowhere-{run} does not exist" in err, err
    assert not [u for u in await list_units(pool) if run in u.unit_id]
    assert await pool.fetchval("SELECT count(*) FROM users WHERE name LIKE $1", f"%{run}") == 0
    # A file that is not the organisation's shape names what is wrong.
    broken = tmp_path / "broken.json"
    broken.write_text('{"units": [{"unit_id": "x", "kind": "castle"}]}', encoding="utf-8")
    code, _, err = await org("load", str(broken))
    assert code == 1 and "kind" in err, err

    code, out, err = await org("load", str(organisation_file(tmp_path, run)))
    assert code == 0, err
    assert "2 units and 2 staff loaded" in out
    code, out, err = await org("units")
    assert code == 0, err
    [line] = [row for row in out.splitlines() if row.startswith(f"outlet-{run}")]
    assert line.split()[1:4] == ["outlet", f"sub-{run}", "测试网点"]
    rows = await pool.fetch("SELECT name, role, outlet, language FROM users WHERE name LIKE $1"
                            " ORDER BY name", f"%{run}")
    assert [tuple(r) for r in rows] == [
        (f"officer-{run}", "case_officer", f"outlet-{run}", "en"),
        (f"supervisor-{run}", "supervisor", f"outlet-{run}", "zh")]
    # Loading the same file again changes nothing and removes nobody.
    code, out, err = await org("load", str(organisation_file(tmp_path, run)))
    assert code == 0, err
    assert await pool.fetchval("SELECT count(*) FROM users WHERE name LIKE $1", f"%{run}") == 2


async def test_each_user_reads_and_marks_only_their_own_messages(
    cli: Cli, pool: asyncpg.Pool, tmp_path: Path,
) -> None:
    run = uuid.uuid4().hex[:8]
    code, _, err = await cli("org", "load", str(organisation_file(tmp_path, run)))
    assert code == 0, err
    supervisor, officer = f"supervisor-{run}", f"officer-{run}"
    tokens = {}
    for name in (supervisor, officer):
        code, out, err = await cli("user", "token", name)
        assert code == 0, err
        tokens[name] = out.strip()
    alert, other = uuid.uuid4(), uuid.uuid4()
    async with pool.acquire() as conn:
        await records.put_in_inbox(conn, alert, supervisor, "sla_breach", f"complaint-C-{run}",
                                   f"投诉 C-{run} 已超过答复期限", "请立即处理。")
        await records.put_in_inbox(conn, other, officer, "case_assigned", f"complaint-D-{run}",
                                   f"Case D-{run} assigned to you", "Please take it.")

    async def inbox(who: str, *args: str) -> tuple[int, str, str]:
        return await cli("inbox", *args, "--token", tokens[who])

    code, out, err = await inbox(supervisor, "list")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "1 unread"
    assert len(lines) == 2 and lines[1].startswith("* ") and str(alert) in lines[1]
    assert f"投诉 C-{run} 已超过答复期限" in lines[1] and str(other) not in out
    # Another user's message is not there for them: not shown, not marked.
    for command in ("show", "read"):
        code, _, err = await inbox(officer, command, str(alert))
        assert code == 1 and f"no message {alert} in your inbox" in err, err
    assert (await records.inbox_message(pool, supervisor, alert)) is not None
    assert await records.unread_count(pool, supervisor) == 1
    # The owner reads it in full, which marks it read.
    code, out, err = await inbox(supervisor, "show", str(alert))
    assert code == 0, err
    assert out.splitlines()[0] == f"投诉 C-{run} 已超过答复期限" and "请立即处理。" in out
    code, out, _ = await inbox(supervisor, "list", "--unread")
    assert out.splitlines() == ["0 unread"]
    code, out, _ = await inbox(officer, "read", str(other))
    assert code == 0 and out.strip() == "marked read"
    assert await records.unread_count(pool, officer) == 0
    code, _, err = await cli("inbox", "list", "--token", "not-a-token")
    assert code == 1 and "unknown or revoked token" in err, err
