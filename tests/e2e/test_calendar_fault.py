"""A calendar change's fan-out with its worker SIGKILLed half-way (after a batch's updates were
taken by the cases, before the batch's result reached Temporal), on a Temporal dev server with
visibility (the production finder, by search attributes): a fresh worker finishes it; every
case it touches records its recomputed deadline exactly once, none is missed."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import asyncpg

from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.identity.users import add_user
from caseflow.policy.calendar import official_calendar
from caseflow.runtime.processes import CaseflowProcess, TemporalDevServer
from caseflow.store import connect_pool
from domain.access import Principal, Role
from domain.calendar import CalendarProposal, Holiday, YearSchedule
from domain.complaint import commands as c
from tests.complaint_stack import SHANGHAI
from tests.conftest import fresh_database
from tests.payload_keys import CONVERTER, PAYLOAD_KEYS
from tests.waiting import until
from workflows.complaint_messages import workflow_id
from workflows.ports import CalendarChangeProgress, calendar_change_workflow_id

OUTLET = "outlet-calendar"
OFFICER = Principal(name="officer-c", role=Role.CASE_OFFICER, outlet=OUTLET)
CASES = 9
BATCH = 3


def with_one_more_day_off(day_off: date) -> CalendarProposal:
    """The calendar of `year` in force, with `day_off` declared a holiday: an amendment (or,
    for a year the official data does not cover yet, its schedule)."""
    official, year = official_calendar(), day_off.year
    kept = sorted(d for d in official.holidays if d.year == year)
    holidays = [Holiday(name="公休", first=d, last=d) for d in kept]
    holidays.append(Holiday(name="调整", first=day_off, last=day_off))
    schedule = YearSchedule(year=year, holidays=tuple(sorted(holidays, key=lambda h: h.first)),
                            makeup_workdays=tuple(sorted(
                                d for d in official.makeup_workdays if d.year == year)))
    if year in official.years:
        return CalendarProposal(kind="amendment", schedule=schedule, reason="test: one more day")
    return CalendarProposal(kind="schedule", schedule=schedule)


async def test_a_fan_out_worker_killed_half_way_loses_and_doubles_nothing(
    dev_server: TemporalDevServer, database_url: str, tmp_path: Path
) -> None:
    url = await fresh_database(database_url, "caseflow_calendar_fault")
    pool = await connect_pool(url)
    client = await dev_server.connect(CONVERTER)
    queue = f"calendar-{uuid.uuid4()}"
    parts = bootstrap(Settings(calendar_batch_size=BATCH), client, pool,
                      calendar=official_calendar(), task_queue=queue)
    env = {"TEMPORAL_ADDRESS": dev_server.address, "DATABASE_URL": url,
           "CASEFLOW_TASK_QUEUE": queue, "CASEFLOW_PAYLOAD_KEYS": PAYLOAD_KEYS,
           "CASEFLOW_LOG_FORMAT": "console", "CASEFLOW_LOG_LEVEL": "INFO"}
    workers: list[CaseflowProcess] = []

    def worker(kill_at: str = "") -> CaseflowProcess:
        process = CaseflowProcess(["-m", "tests.fault_worker"],
                                  {**env, "CASEFLOW_KILL_AT": kill_at},
                                  tmp_path / f"worker-{len(workers)}.log")
        workers.append(process)
        return process.start()

    try:
        dying = worker("after:recompute_deadlines:2")
        now = datetime.now(UTC)
        case_ids = [f"CF-{uuid.uuid4().hex[:8]}" for _ in range(CASES)]
        for case_id in case_ids:
            await parts.complaints.register(c.RegisterComplaint(
                actor=OFFICER.name, at=now, case_id=case_id, client_id="K-c",
                client_tier="ordinary", channel="phone", category="bank_cards", cause="fees",
                description="charged twice", outlet=OUTLET, received_at=now), by=OFFICER)
        first_due = (await parts.complaints.view(case_ids[0], OFFICER)).state.deadline
        assert first_due is not None
        # The next working day after receipt becomes a day off: inside every case's window.
        calendar = parts.calendar_book.official
        day_off = calendar.first_working_day_or_assumed(
            now.astimezone(SHANGHAI).date() + timedelta(days=1))[0]
        proposal = with_one_more_day_off(day_off)
        start_of_day_off = datetime.combine(day_off, time(0, 0), SHANGHAI).isoformat()
        finder_query = f"CaseStatus = 'registered' AND CaseDeadline > '{start_of_day_off}'"

        async def all_cases_visible() -> bool:
            return (await client.count_workflows(finder_query)).count >= CASES

        await until(all_cases_visible, timeout=60)
        service = parts.calendar
        assert service is not None
        entered = await service.propose(proposal, Principal(name="admin-a", role=Role.ADMIN))
        version, _ = await service.confirm(entered.number, Principal(name="admin-b",
                                                                     role=Role.ADMIN))
        assert version.revision == 1
        assert await dying.died() == -9  # killed after its second batch
        worker()  # a fresh worker takes over
        handle = client.get_workflow_handle(calendar_change_workflow_id(1),
                                            result_type=CalendarChangeProgress)
        progress: CalendarChangeProgress = await handle.result()
        assert progress.done and progress.found == CASES and progress.recomputed == CASES
        for case_id in case_ids:
            events = await parts.store.read_stream(workflow_id(case_id))
            recomputed = [e.data for e in events if e.type == "deadline_recomputed"]
            assert len(recomputed) == 1, case_id
            assert recomputed[0]["previous"]["due_at"] != recomputed[0]["deadline"]["due_at"]
        await the_cli_shows_it(env, pool, case_count=CASES, year=day_off.year)
    finally:
        for process in workers:
            process.kill()
        await pool.close()
        for log in sorted(tmp_path.glob("*.log")):  # shown by pytest when the test failed
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")


async def the_cli_shows_it(env: dict[str, str], pool: asyncpg.Pool, *, case_count: int,
                           year: int) -> None:
    """`caseflow calendar` and `caseflow sla what-if` as an admin and an auditor run them."""
    tokens = {p.name: await add_user(pool, p, created_by="test") for p in (
        Principal(name="cli-admin", role=Role.ADMIN), Principal(name="cli-auditor",
                                                                role=Role.AUDITOR))}

    async def caseflow(user: str, *args: str) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "caseflow", *args, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, **env, "CASEFLOW_TOKEN": tokens[user]})
        out, err = await process.communicate()
        assert process.returncode is not None
        return process.returncode, out.decode(), err.decode()

    code, out, err = await caseflow("cli-admin", "calendar", "list", "--year", str(year))
    assert code == 0, err
    assert "confirmed by admin-b (revision 1)" in out
    code, out, err = await caseflow("cli-admin", "calendar", "progress", "1")
    assert code == 0, err
    assert f"done; {case_count} cases reached" in out and f"{case_count} recomputed" in out
    code, out, err = await caseflow("cli-admin", "calendar", "propose", "--year", "2035",
                                    "--holiday", "元旦:2035-01-01", "--makeup", "2035-01-03")
    assert code == 1 and "must be weekend days: 2035-01-03" in err
    code, out, err = await caseflow("cli-admin", "calendar", "propose", "--year", "2035",
                                    "--holiday", "元旦:2035-01-01..2035-01-02")
    assert code == 0, err
    assert "2035 schedule, proposed, entered by cli-admin" in out
    number = out.split(":")[0].removeprefix("version ")
    code, out, err = await caseflow("cli-admin", "calendar", "confirm", number)
    assert code == 1 and "four eyes" in err
    code, out, err = await caseflow("cli-auditor", "calendar", "withdraw", number)
    assert code == 1 and "kept by an admin" in err
    code, out, err = await caseflow("cli-admin", "calendar", "withdraw", number)
    assert code == 0 and "withdrawn" in out
    # A schedule from a file: one that the notice cannot say is refused with its reason and
    # leaves nothing; a good one is entered.
    folder = Path(tempfile.mkdtemp(prefix="caseflow-calendar-"))
    for name, holidays, refusal in (
            ("overlap", [["元旦", "2036-01-01", "2036-01-03"],
                         ["春节", "2036-01-03", "2036-01-05"]], "春节 overlaps 元旦 on 2036-01-03"),
            ("outside", [["元旦", "2035-12-31", "2036-01-01"]],
             "dates outside 2036: 2035-12-31")):
        bad = folder / f"{name}.json"
        bad.write_text(json.dumps({"year": 2036, "holidays": [
            {"name": n, "first": f, "last": last} for n, f, last in holidays]}), "utf-8")
        code, out, err = await caseflow("cli-admin", "calendar", "propose", "--file", str(bad))
        assert code == 1 and refusal in err, err
    code, out, err = await caseflow("cli-admin", "calendar", "list", "--year", "2036")
    assert code == 0 and out.strip() == "", out
    good = folder / "good.json"
    good.write_text(json.dumps({"year": 2036, "holidays": [
        {"name": "元旦", "first": "2036-01-01", "last": "2036-01-01"}],
        "makeup_workdays": []}, ensure_ascii=False), "utf-8")
    code, out, err = await caseflow("cli-admin", "calendar", "propose", "--file", str(good))
    assert code == 0 and "2036 schedule, proposed, entered by cli-admin" in out, err
    today = datetime.now(SHANGHAI).date().isoformat()
    code, out, err = await caseflow("cli-auditor", "sla", "what-if", "--from", today,
                                    "--to", today, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["cases"] == case_count and report["breached_proposed"] == 0
    # A proposed policy and a proposed schedule for a year not covered yet, from files.
    policy = folder / "policy.json"
    policy.write_text(json.dumps({"version": "sla-proposal-1", "reply_working_days": 1}), "utf-8")
    code, out, err = await caseflow("cli-auditor", "sla", "what-if", "--from", today,
                                    "--to", today, "--policy", str(policy),
                                    "--calendar", str(good), "--json")
    assert code == 0, err
    proposed = json.loads(out)
    assert proposed["policy_version"] == "sla-proposal-1"
    assert proposed["calendar_version"].endswith("+proposed")
    assert proposed["cases"] == case_count
    policy.write_text(json.dumps({"reply_working_days": 0}), "utf-8")
    code, out, err = await caseflow("cli-auditor", "sla", "what-if", "--from", today,
                                    "--to", today, "--policy", str(policy))
    assert code == 1 and "reply_working_days" in err, err
