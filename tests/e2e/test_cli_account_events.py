"""`caseflow account-events import` (a CSV file, as the core banking exports it) and
`caseflow client agenda` as real subprocesses against a worker: an admin's file is applied once
per event id and its bad rows reported by line; the manager's day, empty before, then lists the
contact the large transaction asked for."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import asyncpg

from caseflow.bootstrap import event_store
from tests.complaint_stack import parts_for
from tests.e2e.conftest import Cli
from tests.e2e.test_cli_complaints import add_user


def account_events_csv(path: Path, client: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ["event_id", "client_id", "event", "amount", "account"])
        writer.writeheader()
        writer.writerows([
            {"event_id": f"E1-{client}", "client_id": client, "event": "large_transaction",
             "amount": "250000.00"},                                          # line 2: applied
            {"event_id": f"E2-{client}", "client_id": "K-nobody", "event": "large_outflow",
             "amount": "300000"},                                             # 3: unknown client
            {"event_id": f"E3-{client}", "client_id": client, "event": "windfall",
             "amount": "1"},                                                  # 4: malformed
            {"event_id": f"E1-{client}", "client_id": client, "event": "large_transaction",
             "amount": "250000.00"},                                          # 5: a duplicate
        ])
    return path


async def test_an_admin_imports_a_csv_once_and_the_manager_sees_the_contact_it_asks_for(
    cli: Cli, pool: asyncpg.Pool, tmp_path: Path,
) -> None:
    run_id = uuid.uuid4().hex[:8]
    client, outlet = f"K-{run_id}", f"o-{run_id}"
    officer, admin = f"rm-{run_id}", f"it-{run_id}"
    tokens = {officer: await add_user(cli.env, cli.calendar, officer, "case_officer", outlet),
              admin: await add_user(cli.env, cli.calendar, admin, "admin", None)}

    async def run(who: str, *args: str) -> tuple[int, str, str]:
        return await cli(*args, "--token", tokens[who])

    events = account_events_csv(tmp_path / "events.csv", client)
    async with parts_for(cli.env.client, pool, task_queue=cli.task_queue).worker():
        code, out, err = await run(officer, "client", "identify", "--client", client,
                                   "--outlet", outlet, "--deposits", "600", "--products", "2",
                                   "--family", "3", "--occupation", "4", "--standing", "3",
                                   "--manager", officer)
        assert code == 0, err
        code, out, err = await run(officer, "client", "agenda")
        assert code == 0 and client not in out, out  # nothing due today before the import
        code, out, err = await run(officer, "account-events", "import", str(events))
        assert code == 1 and "admin" in err, err  # an officer sends no account events
        code, out, err = await run(admin, "account-events", "import", str(events))
        assert code == 1, err  # rows not applied: the exit says so
        lines = out.splitlines()
        assert lines[0] == "4 rows: 1 applied, 1 already applied, 2 not applied", out
        assert lines[1].startswith("  line 3: unknown_client: ")
        assert lines[2].startswith("  line 4: malformed: event: ")
        again = await run(admin, "account-events", "import", str(events))
        assert again[1].splitlines()[0] == "4 rows: 0 applied, 2 already applied, 2 not applied"

        code, out, err = await run(officer, "client", "agenda")
        assert code == 0, err
        [head, *items] = out.splitlines()
        assert head.startswith(f"{officer}, ") and "contacts 0/" in head
        [contact] = [line for line in items if client in line]  # the large transaction's
        assert contact.split()[0] == head.split(", ")[1].split(":")[0]  # due today
        assert "core_premium" in contact and contact.endswith("planned")
        code, _, err = await run(officer, "client", "agenda", "--manager", "someone-else")
        assert code == 1 and "refused" in err, err
    recorded = [e for e in await event_store(pool).read_stream(f"client-{client}")
                if e.type == "account_event_recorded"]
    assert [e.data["event_id"] for e in recorded] == [f"E1-{client}"]
    assert {e.actor for e in recorded} == {"caseflow-core-banking"}
