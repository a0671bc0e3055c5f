"""Fault tests with real processes: a worker SIGKILLed at the worst moments of a step, then
started again; the Temporal dev server killed and restarted on its file; PostgreSQL stopped and
started again; two workers with one killed. After each: every accepted step is in the store
once, every refused step is absent, the workflow's state is the fold of its stream, `audit
verify` is clean, and the case runs to its end."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client

from caseflow.audit.verify import verify_streams
from caseflow.bootstrap import Parts, bootstrap
from caseflow.config import Settings
from caseflow.runtime.processes import CaseflowProcess, StoppablePostgres, TemporalDevServer
from caseflow.services.calls import CaseError
from domain.access import Principal, Role
from domain.complaint import EVENT_ADAPTER, fold
from domain.complaint import commands as c
from domain.complaint.model import Status
from tests.complaint_stack import SHANGHAI, calendar_around
from tests.payload_keys import CONVERTER, PAYLOAD_KEYS
from tests.waiting import until
from workflows.complaint_messages import workflow_id
from workflows.recording import DURABLE_APPEND

OUTLET = "outlet-faults"
OFFICER = Principal(name="officer-f", role=Role.CASE_OFFICER, outlet=OUTLET)
SUPERVISOR = Principal(name="supervisor-f", role=Role.SUPERVISOR, outlet=OUTLET)
AUDITOR = Principal(name="auditor-faults", role=Role.AUDITOR)
WALKED = ["complaint_registered", "deadline_set", "regulatory_deadline_set",
          "client_acknowledged", "handler_assigned",
          "note_added", "findings_recorded", "client_replied", "feedback_recorded", "case_closed"]
"""The events of the walk below, once each, in order."""


@dataclass
class Faults:
    server: TemporalDevServer
    client: Client
    database_url: str
    parts: Parts
    logs: Path
    workers: list[CaseflowProcess]

    def worker(self, kill_at: str | None = None) -> CaseflowProcess:
        """The production worker in its own process (tests/fault_worker.py); `kill_at` (e.g.
        "after:append_events:2") makes it SIGKILL itself at that point of its 2nd append."""
        env = {"TEMPORAL_ADDRESS": self.server.address, "DATABASE_URL": self.database_url,
               "CASEFLOW_TASK_QUEUE": self.parts.task_queue, "CASEFLOW_PAYLOAD_KEYS": PAYLOAD_KEYS,
               "CASEFLOW_LOG_FORMAT": "console", "CASEFLOW_LOG_LEVEL": "INFO",
               "CASEFLOW_KILL_AT": kill_at or ""}
        process = CaseflowProcess(["-m", "tests.fault_worker"], env,
                                  self.logs / f"worker-{len(self.workers)}.log")
        self.workers.append(process)
        return process.start()


@pytest.fixture
async def faults(
    dev_server: TemporalDevServer, database_url: str, pool: asyncpg.Pool, tmp_path: Path
) -> AsyncIterator[Faults]:
    async with faults_on(dev_server, database_url, pool, tmp_path) as found:
        yield found


@asynccontextmanager
async def faults_on(
    dev_server: TemporalDevServer, database_url: str, pool: asyncpg.Pool, tmp_path: Path
) -> AsyncIterator[Faults]:
    client = await dev_server.connect(CONVERTER)
    task_queue = f"faults-{uuid.uuid4()}"
    today = (await _now()).astimezone(SHANGHAI).date()
    parts = bootstrap(Settings(), client, pool, calendar=calendar_around(today),
                      task_queue=task_queue)
    found = Faults(dev_server, client, database_url, parts, tmp_path, [])
    try:
        yield found
    finally:
        for process in found.workers:
            process.kill()
        for log in sorted(tmp_path.glob("*.log")):  # shown by pytest when the test failed
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")


async def _now() -> Any:
    from datetime import UTC, datetime
    return datetime.now(UTC)


async def walk(
    faults: Faults, case_id: str, *, retry: bool = False,
    after_step: dict[int, Callable[[], Any]] | None = None,
) -> list[str]:
    """Register and walk a case to closed as an officer would, with one refused step in the
    middle; the rules each refused step named. `retry`: on a lost connection, send the same
    request again (with its request id), as the API's callers do."""
    service = faults.parts.complaints
    now = await _now()
    refused: list[str] = []
    taken = 0

    async def step(command: c.OfficerCommand, by: Principal = OFFICER) -> None:
        nonlocal taken
        request_id = str(uuid.uuid4())
        while True:
            try:
                await service.execute(case_id, command, by=by, request_id=request_id)
                break
            except CaseError as error:
                refused.append(error.rule)
                break
            except Exception:
                if not retry:
                    raise
                await asyncio.sleep(0.5)
        taken += 1
        if after_step and taken in after_step:
            after_step[taken]()

    await service.register(c.RegisterComplaint(
        actor=OFFICER.name, at=now, case_id=case_id, client_id="K-faults",
        client_tier="ordinary", channel="phone", category="bank_cards", cause="fees",
        description="charged twice",
        outlet=OUTLET, received_at=now), by=OFFICER)
    at = await _now()
    await step(c.AssignHandler(actor=OFFICER.name, at=at, handler=OFFICER.name))
    await step(c.AddNote(actor=OFFICER.name, at=at, text="called the client back"))
    await step(c.DecideExtension(actor=SUPERVISOR.name, at=at, approve=True), SUPERVISOR)
    await step(c.RecordFindings(actor=OFFICER.name, at=at, summary="duplicate fee",
                                bank_at_fault=False))
    await step(c.ReplyToClient(actor=OFFICER.name, at=at, method="in_person",
                               content="explained the fee"))
    await step(c.RecordFeedback(actor=OFFICER.name, at=at, satisfied=True, opinion="ok"))
    return refused


async def assert_whole(faults: Faults, case_id: str) -> None:
    """Each accepted step once, the refused one absent, state = fold(stream), verify clean."""
    stream = workflow_id(case_id)
    service = faults.parts.complaints

    async def closed() -> bool:
        return (await service.view(case_id, by=AUDITOR)).state.status == Status.CLOSED

    # The case closes; its workflow goes on to the satisfaction follow-up days later.
    await until(closed, timeout=120)
    final = (await service.view(case_id, by=AUDITOR)).state
    events = await faults.parts.store.read_stream(stream)
    # What became of the acknowledgement is recorded when its delivery ends, at any point of
    # the walk (or not at all if the case closed first): at most once, whatever was killed.
    kinds = [e.type for e in events]
    assert kinds.count("client_notice_recorded") <= 1
    assert [k for k in kinds if k != "client_notice_recorded"] == WALKED
    assert fold([EVENT_ADAPTER.validate_python(e.data) for e in events]) == final
    async with faults.parts.pool.acquire() as conn:
        doubled = await conn.fetch(
            "SELECT kind, count(*) FROM outbox WHERE stream_id = $1"
            " GROUP BY kind, subject, body, facts::text, recipients HAVING count(*) > 1", stream)
    assert doubled == []
    report = await verify_streams(faults.parts.store, [stream], faults.client)
    assert report.problems == [] and report.not_checked == []


KILL_POINTS = [
    pytest.param("after:append_events:1", id="registration-committed-task-not-completed"),
    pytest.param("after:append_events:2", id="step-committed-task-not-completed"),
    pytest.param("before:append_events:3", id="step-decided-not-appended"),
]


@pytest.mark.parametrize("kill_at", KILL_POINTS)
async def test_a_worker_killed_at_a_step_loses_and_doubles_nothing(
    faults: Faults, kill_at: str
) -> None:
    case_id = f"F-{uuid.uuid4().hex[:8]}"
    dying = faults.worker(kill_at)
    walking = asyncio.create_task(walk(faults, case_id))
    assert await dying.died() == -9  # it really was killed, at that point
    faults.worker()  # a fresh worker takes over
    assert await asyncio.wait_for(walking, timeout=180) == ["illegal_step"]
    await assert_whole(faults, case_id)
    if os.environ.get("CASEFLOW_RECORD_HISTORIES") == "1":  # a golden with a crashed attempt
        history = await faults.client.get_workflow_handle(workflow_id(case_id)).fetch_history()
        name = f"complaint_crash_{kill_at.replace(':', '_')}@{DURABLE_APPEND}.json"
        (Path(__file__).parents[1] / "histories" / name).write_text(history.to_json(), "utf-8")


async def test_two_workers_with_one_killed_lose_and_double_nothing(faults: Faults) -> None:
    case_id = f"F-{uuid.uuid4().hex[:8]}"
    first, _ = faults.worker(), faults.worker()
    refused = await asyncio.wait_for(
        walk(faults, case_id, after_step={2: first.kill}), timeout=180)
    assert refused == ["illegal_step"]
    await assert_whole(faults, case_id)


async def test_postgresql_stopped_mid_stream_then_started_loses_and_doubles_nothing(
    dev_server: TemporalDevServer, tmp_path: Path
) -> None:
    """While PostgreSQL is down, the step waits (its append is retried) and the API answers 503
    with Retry-After; once it is back, both recover by themselves. The worker says once that it
    lost the database, not once per retry."""
    import httpx

    from caseflow.http.app import create_app
    from caseflow.identity.users import add_user
    from caseflow.store import connect_pool

    postgres = StoppablePostgres(tmp_path / "pg")
    url = postgres.start()
    own_pool = await connect_pool(url)
    try:
        async with faults_on(dev_server, url, own_pool, tmp_path) as faults:
            worker = faults.worker()
            token = await add_user(own_pool, OFFICER, created_by="test")
            auth = {"Authorization": f"Bearer {token}"}
            transport = httpx.ASGITransport(app=create_app(faults.parts))
            async with httpx.AsyncClient(transport=transport, base_url="http://cf") as api:
                assert (await api.get("/complaints", headers=auth)).status_code == 200
                outage: dict[str, httpx.Response] = {}

                def stop_database() -> None:
                    postgres.stop()

                async def during_outage() -> None:
                    outage["answer"] = await api.get("/complaints", headers=auth)
                    postgres.restart()

                case_id = f"F-{uuid.uuid4().hex[:8]}"
                walking = asyncio.create_task(walk(faults, case_id, after_step={
                    1: stop_database}))
                async def worker_saw_the_outage() -> bool:
                    return worker.said("dependency unavailable")

                await until(worker_saw_the_outage, timeout=60)
                await during_outage()
                assert outage["answer"].status_code == 503
                assert outage["answer"].headers["Retry-After"].isdigit()
                assert await asyncio.wait_for(walking, timeout=180) == ["illegal_step"]
                await assert_whole(faults, case_id)
                assert (await api.get("/complaints", headers=auth)).status_code == 200
            log = worker.log_file.read_text(errors="replace")
            assert log.count("dependency unavailable") == 1, log
            assert log.count("dependency available again") == 1, log
            assert "Traceback" not in log, log
    finally:
        await own_pool.close()
        postgres.stop()


async def test_temporal_killed_mid_stream_and_restarted_on_its_file_loses_and_doubles_nothing(
    dev_server: TemporalDevServer, faults: Faults
) -> None:
    """The Temporal server SIGKILLed between two steps and started again on its SQLite file:
    the worker reconnects by itself, the caller sends its request again with the same request
    id, and every step is recorded once."""
    faults.worker()

    def crash_and_restart_temporal() -> None:
        dev_server.kill()
        dev_server.start()

    case_id = f"F-{uuid.uuid4().hex[:8]}"
    refused = await asyncio.wait_for(
        walk(faults, case_id, retry=True, after_step={2: crash_and_restart_temporal}),
        timeout=240)
    assert refused == ["illegal_step"]
    await assert_whole(faults, case_id)
