"""Calendar changes on the time-skipping server: a complaint whose deadline reaches into a year
without calendar data registers with a provisional deadline; the year's schedule is entered by
one admin and confirmed by another; the fan-out brings it to exactly the open cases it touches,
each recording its old and new deadline with both calendar versions; the breach fires at the
new instant. Refused entries change nothing.

Its own database and its own time-skipping server: the calendar in force and the server's
clock (moved to late December 2026) would change what every other test sees."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from caseflow.calendar.finders import VisibilityFinder, WorklistFinder
from caseflow.calendar.versions import calendar_in_force, list_versions
from caseflow.config import Settings
from caseflow.policy.calendar import official_calendar
from caseflow.services.calendar import CalendarService
from caseflow.services.calls import CaseError
from caseflow.store import connect_pool
from domain.access import AccessDeniedError, Principal, Role
from domain.calendar import CalendarProposal, Holiday, YearSchedule
from domain.complaint import commands as c
from domain.complaint.events import DeadlineBreached, DeadlineRecomputed
from domain.complaint.model import Status
from domain.sla import SlaPolicy
from tests.complaint_fixtures import register
from tests.complaint_stack import SHANGHAI, ComplaintStack, complaint_stack
from tests.conftest import fresh_database
from tests.payload_keys import CONVERTER
from workflows.complaint_messages import workflow_id
from workflows.ports import CalendarChangeProgress, calendar_change_workflow_id
from workflows.registry import SANDBOX_RUNNER, WORKFLOWS

ADMIN_1 = Principal(name="admin-1", role=Role.ADMIN)
ADMIN_2 = Principal(name="admin-2", role=Role.ADMIN)
OFFICIAL = official_calendar()
NEW_YEAR = Holiday(name="元旦", first=date(2027, 1, 1), last=date(2027, 1, 3))
SPRING = Holiday(name="春节", first=date(2027, 2, 6), last=date(2027, 2, 13))
SCHEDULE_2027 = YearSchedule(year=2027, holidays=(NEW_YEAR, SPRING),
                             makeup_workdays=(date(2027, 2, 20),))
"""A test schedule shaped like the State Council's (the real one is not published yet)."""
GOLDEN = Path(__file__).parents[1] / "histories"
HISTORIES = {"complaint_calendar_recomputed": workflow_id("CAL-1230"),
             "calendar_change_fan_out": calendar_change_workflow_id(1)}
"""Golden histories: record again with CASEFLOW_RECORD_HISTORIES=1 ./dev.sh test -k calendar"""
REPLAYER = Replayer(workflows=WORKFLOWS, data_converter=CONVERTER,
                    workflow_runner=SANDBOX_RUNNER)


@pytest.fixture(scope="module")
async def calendar_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await connect_pool(await fresh_database(database_url, "caseflow_calendar_change"))
    yield pool
    await pool.close()


@pytest.fixture
async def stack(temporal_env: WorkflowEnvironment, calendar_pool: asyncpg.Pool
                ) -> AsyncIterator[ComplaintStack]:
    async with complaint_stack(temporal_env, calendar_pool, calendar=OFFICIAL,
                               settings=Settings(case_finder="worklist",
                                                 calendar_batch_size=2)) as found:
        yield found


def local(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


async def move_clock_to(stack: ComplaintStack, moment: datetime) -> None:
    now = await stack.now()
    if moment > now:
        await stack.env.sleep(moment - now)


async def register_now(stack: ComplaintStack, case_id: str) -> None:
    now = await stack.now()
    await stack.register(register(case_id=case_id, at=now, received_at=now))
    await stack.execute(case_id, c.AssignHandler(actor="lobby-1", at=now, handler="officer-1"))


def calendar_service(stack: ComplaintStack) -> CalendarService:
    assert stack.parts.calendar is not None
    return stack.parts.calendar


async def confirm_and_wait(stack: ComplaintStack, number: int, by: Principal
                           ) -> CalendarChangeProgress:
    """Confirm, then wait for the fan-out to finish (the time-skipping server runs it)."""
    version, _ = await calendar_service(stack).confirm(number, by)
    assert version.revision is not None and version.confirmed_by == by.name
    handle = stack.env.client.get_workflow_handle(
        calendar_change_workflow_id(version.revision), result_type=CalendarChangeProgress)
    progress: CalendarChangeProgress = await handle.result()
    return progress


async def recomputations(stack: ComplaintStack, case_id: str) -> list[DeadlineRecomputed]:
    from domain.complaint import EVENT_ADAPTER

    events = [EVENT_ADAPTER.validate_python(e.data)
              for e in await stack.store.read_stream(workflow_id(case_id))]
    return [e for e in events if isinstance(e, DeadlineRecomputed)]


async def officer_pages(stack: ComplaintStack, *case_ids: str) -> dict[str, str]:
    """The web worklist and the cases' pages as an officer of their outlet sees them."""
    import httpx

    from caseflow.http.app import create_app
    from caseflow.identity.passwords import set_password
    from caseflow.identity.users import add_user
    from tests.web_stack import PASSWORD, sign_in

    name = f"web-officer-{uuid.uuid4().hex[:6]}"
    await add_user(stack.parts.pool, Principal(name=name, role=Role.CASE_OFFICER,
                                               outlet="outlet-9"), created_by="test")
    await set_password(stack.parts.pool, name, PASSWORD, set_by="test-admin")
    transport = httpx.ASGITransport(app=create_app(stack.parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://cf") as web:
        assert (await sign_in(web, name)).status_code == 303
        pages = {"worklist": (await web.get("/web/")).text}
        for case_id in case_ids:
            page = await web.get(f"/web/complaints/{case_id}")
            assert page.status_code == 200, page.text
            pages[case_id] = page.text
    return pages


def worklist_row(html: str, case_id: str) -> str:
    rows = [row for row in html.split("<tr") if f">{case_id}<" in row]
    assert len(rows) == 1, f"{case_id} not once in the worklist"
    return rows[0]


async def test_provisional_deadlines_then_the_schedule_then_an_amendment(
    stack: ComplaintStack, calendar_pool: asyncpg.Pool
) -> None:
    service = calendar_service(stack)
    # 24 December: due on the 29th, wholly in 2026 (never touched by 2027's calendar).
    await move_clock_to(stack, local(date(2026, 12, 24)))
    await register_now(stack, "CAL-1224")
    # 28 December: due Thursday the 31st, definitive; 29th: due Friday 1 January 2027, counted
    # on weekends alone; 30th: due Monday 4 January (two days of it in 2027).
    await move_clock_to(stack, local(date(2026, 12, 28)))
    await register_now(stack, "CAL-1228")
    await move_clock_to(stack, local(date(2026, 12, 29)))
    await register_now(stack, "CAL-1229")
    await move_clock_to(stack, local(date(2026, 12, 30)))
    await register_now(stack, "CAL-1230")

    views = {case: (await stack.view(case)).state for case in
             ("CAL-1224", "CAL-1228", "CAL-1229", "CAL-1230")}
    due = {case: (s.deadline.due_date, s.deadline.provisional_years)
           for case, s in views.items() if s.deadline}
    assert due == {"CAL-1224": (date(2026, 12, 29), ()), "CAL-1228": (date(2026, 12, 31), ()),
                   "CAL-1229": (date(2027, 1, 1), (2027,)),
                   "CAL-1230": (date(2027, 1, 4), (2027,))}
    rows = {r["case_id"]: r["deadline_provisional"] for r in await calendar_pool.fetch(
        "SELECT case_id, deadline_provisional FROM complaint_cases")}
    assert rows == {"CAL-1224": False, "CAL-1228": False, "CAL-1229": True, "CAL-1230": True}
    acknowledged = await calendar_pool.fetchval(
        "SELECT facts FROM outbox WHERE stream_id = $1 AND kind = 'acknowledgement'",
        workflow_id("CAL-1229"))
    assert json.loads(acknowledged)["provisional_years"] == "2027"
    pages = await officer_pages(stack, "CAL-1229", "CAL-1228")
    assert "暂定" in worklist_row(pages["worklist"], "CAL-1229")
    assert "暂定" not in worklist_row(pages["worklist"], "CAL-1228")
    assert "该年官方日历尚未发布" in pages["CAL-1229"]
    assert "该年官方日历尚未发布" not in pages["CAL-1228"]

    # The 2027 schedule: entered by one admin; not in force until another confirms it.
    proposal = CalendarProposal(kind="schedule", schedule=SCHEDULE_2027)
    entered = await service.propose(proposal, ADMIN_1)
    with pytest.raises(CaseError, match="four eyes") as same_admin:
        await service.confirm(entered.number, ADMIN_1)
    assert same_admin.value.rule == "four_eyes"
    with pytest.raises(CaseError, match="awaits confirmation"):
        await service.propose(proposal, ADMIN_2)
    with pytest.raises(AccessDeniedError):
        await service.propose(proposal, Principal(name="officer-1", role=Role.CASE_OFFICER,
                                                  outlet="outlet-9"))
    unconfirmed = await calendar_in_force(calendar_pool, OFFICIAL)
    assert 2027 not in unconfirmed.years and unconfirmed.version == OFFICIAL.version
    await register_now(stack, "CAL-1230b")  # registered meanwhile: still provisional
    assert (await stack.view("CAL-1230b")).state.deadline.provisional  # type: ignore[union-attr]

    progress = await confirm_and_wait(stack, entered.number, ADMIN_2)
    assert progress.done and progress.batches >= 2  # pages of two
    assert (progress.recomputed, progress.unchanged, progress.skipped) == (3, 0, 0)
    in_force = await calendar_in_force(calendar_pool, OFFICIAL)
    assert 2027 in in_force.years and in_force.revision == 1

    [moved] = await recomputations(stack, "CAL-1229")
    assert (moved.previous.due_date, moved.deadline.due_date) == (date(2027, 1, 1),
                                                                 date(2027, 1, 4))
    assert moved.previous.provisional and not moved.deadline.provisional
    assert moved.previous.calendar_version == OFFICIAL.version
    assert moved.deadline.calendar_version == in_force.version
    assert [r.deadline.due_date for r in await recomputations(stack, "CAL-1230")] == [
        date(2027, 1, 5)]
    for untouched in ("CAL-1224", "CAL-1228"):
        assert await recomputations(stack, untouched) == []
    pages = await officer_pages(stack, "CAL-1229")
    assert "暂定" not in worklist_row(pages["worklist"], "CAL-1229")
    assert "该年官方日历尚未发布" not in pages["CAL-1229"]
    told = await calendar_pool.fetch(
        "SELECT stream_id, facts FROM outbox WHERE kind = 'expected_time_moved' "
        "ORDER BY stream_id")
    assert [(r["stream_id"], datetime.fromisoformat(json.loads(r["facts"])["reply_by"]))
            for r in told] == [(workflow_id("CAL-1229"), local(date(2027, 1, 5), 0)),
                               (workflow_id("CAL-1230"), local(date(2027, 1, 6), 0)),
                               (workflow_id("CAL-1230b"), local(date(2027, 1, 6), 0))]

    # An amendment (as in 2020, days before the holiday ended): 5 January off as well. It
    # touches the cases whose counting window holds the 5th, and no other.
    amended = SCHEDULE_2027.model_copy(update={"holidays": (
        NEW_YEAR, Holiday(name="元旦补假", first=date(2027, 1, 5), last=date(2027, 1, 5)),
        SPRING)})
    with pytest.raises(CaseError, match="already covered"):
        await service.propose(CalendarProposal(kind="schedule", schedule=amended), ADMIN_2)
    with pytest.raises(CaseError, match="changes no day"):
        await service.propose(CalendarProposal(kind="amendment", schedule=SCHEDULE_2027,
                                               reason="same again"), ADMIN_2)
    amendment = await service.propose(CalendarProposal(
        kind="amendment", schedule=amended, reason="国办发明电：1月5日调整为休息日"), ADMIN_2)
    assert amendment.changed_days == (date(2027, 1, 5),)
    progress = await confirm_and_wait(stack, amendment.number, ADMIN_1)
    assert (progress.recomputed, progress.unchanged) == (2, 0)  # 1230 and 1230b
    assert len(await recomputations(stack, "CAL-1229")) == 1  # due the 4th: not touched
    [_, again] = await recomputations(stack, "CAL-1230")
    assert again.previous.due_date == date(2027, 1, 5) and again.deadline.due_date == date(
        2027, 1, 6)
    assert again.previous.calendar_version == in_force.version
    assert again.deadline.calendar_version.endswith("+bank-r2")
    # The confirmation sent again (a lost answer) starts nothing new and records nothing.
    _, fan_out = await service.confirm(amendment.number, ADMIN_1)
    assert fan_out.progress.done and len(await recomputations(stack, "CAL-1230")) == 2

    # The breach of CAL-1229 fires at its new instant (the end of 4 January), not at the end
    # of 1 January as first computed.
    await move_clock_to(stack, local(date(2027, 1, 5), 1))
    events = [e for e in await stack.store.read_stream(workflow_id("CAL-1229"))]
    breaches = [e.data for e in events if e.type == "deadline_breached"]
    assert len(breaches) == 1
    breach = DeadlineBreached.model_validate(breaches[0])
    assert breach.due_at == local(date(2027, 1, 5), 0)
    assert timedelta(0) <= breach.at - breach.due_at < timedelta(minutes=1)

    # The histories this made (a case taking two calendar changes, the fan-out) replay.
    histories = {name: await stack.env.client.get_workflow_handle(wid).fetch_history()
                 for name, wid in HISTORIES.items()}
    for name, history in histories.items():
        replayed = await REPLAYER.replay_workflow(history, raise_on_replay_failure=False)
        assert replayed.replay_failure is None, f"{name}: {replayed.replay_failure}"
    if os.environ.get("CASEFLOW_RECORD_HISTORIES") == "1":
        for name, history in histories.items():
            (GOLDEN / f"{name}.json").write_text(history.to_json(), encoding="utf-8")


async def test_committed_calendar_histories_replay() -> None:
    for name in HISTORIES:
        path = GOLDEN / f"{name}.json"
        history = WorkflowHistory.from_json(name, path.read_text(encoding="utf-8"))
        replayed = await REPLAYER.replay_workflow(history, raise_on_replay_failure=False)
        assert replayed.replay_failure is None, f"{name}: {replayed.replay_failure}"


async def test_bad_entries_are_refused_and_change_nothing(
    stack: ComplaintStack, calendar_pool: asyncpg.Pool
) -> None:
    service = calendar_service(stack)
    before = await list_versions(calendar_pool)
    with pytest.raises(CaseError, match="not covered yet"):
        await service.propose(CalendarProposal(
            kind="amendment", schedule=YearSchedule(year=2031, holidays=(Holiday(
                name="元旦", first=date(2031, 1, 1), last=date(2031, 1, 1)),)),
            reason="x"), ADMIN_1)
    with pytest.raises(CaseError, match="no calendar version 9999"):
        await service.confirm(9999, ADMIN_2)
    proposal = await service.propose(CalendarProposal(kind="schedule", schedule=YearSchedule(
        year=2030, holidays=(Holiday(name="元旦", first=date(2030, 1, 1),
                                     last=date(2030, 1, 1)),))), ADMIN_1)
    withdrawn = await service.withdraw(proposal.number, ADMIN_2)
    assert withdrawn.state == "withdrawn"
    with pytest.raises(CaseError, match="withdrawn by admin-2"):
        await service.confirm(proposal.number, ADMIN_2)
    after = await list_versions(calendar_pool)
    assert [v.number for v in after] == [*(v.number for v in before), proposal.number]
    assert 2030 not in (await calendar_in_force(calendar_pool, OFFICIAL)).years


async def test_both_finders_find_the_same_cases(
    stack: ComplaintStack, calendar_pool: asyncpg.Pool
) -> None:
    """The contract both finders keep, on what the worklist holds; the visibility finder's
    query is the same filter in Temporal's visibility language (run on the dev server by
    tests/e2e/test_calendar_fault.py)."""
    worklist = WorklistFinder(calendar_pool, SHANGHAI)
    found: list[str] = []
    page: str | None = None
    while True:
        result = await worklist.page(date(2027, 1, 1), page, 1)
        found += result.workflow_ids
        if (page := result.next_page) is None:
            break
    open_rows = await calendar_pool.fetch(
        "SELECT case_id FROM complaint_cases WHERE status = ANY($1) AND due_at > $2",
        [Status.REGISTERED.value, Status.ASSIGNED.value, Status.INVESTIGATED.value],
        local(date(2027, 1, 1), 0))
    assert sorted(found) == sorted(workflow_id(r["case_id"]) for r in open_rows)
    query = VisibilityFinder(stack.env.client, SHANGHAI).query(date(2027, 1, 1))
    assert "CaseDeadline > '2027-01-01T00:00:00+08:00'" in query
    assert "CaseStatus IN ('registered', 'assigned', 'investigated')" in query


async def test_the_api_keeps_the_same_rules(stack: ComplaintStack,
                                            calendar_pool: asyncpg.Pool) -> None:
    import httpx

    from caseflow.http.app import create_app
    from caseflow.identity.users import add_user

    tokens = {p.name: await add_user(calendar_pool, p, created_by="test") for p in (
        Principal(name="api-admin-1", role=Role.ADMIN), Principal(name="api-admin-2",
                                                                  role=Role.ADMIN),
        Principal(name="api-officer", role=Role.CASE_OFFICER, outlet="outlet-9"))}

    def auth(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}"}

    transport = httpx.ASGITransport(app=create_app(stack.parts))
    holidays = [{"name": "元旦", "first": "2029-01-01", "last": "2029-01-01"}]
    body: dict[str, Any] = {"kind": "schedule", "schedule": {
        "year": 2029, "holidays": holidays, "makeup_workdays": []}}
    async with httpx.AsyncClient(transport=transport, base_url="http://cf") as api:
        before = len((await api.get("/calendar/versions", headers=auth("api-admin-1"))).json())
        weekday = {"kind": "schedule", "schedule": {
            "year": 2029, "holidays": holidays, "makeup_workdays": ["2029-01-03"]}}
        refused = await api.post("/calendar/versions", json=weekday, headers=auth("api-admin-1"))
        assert refused.status_code == 409 and "weekend days" in refused.text
        assert refused.json()["rule"] == "fields_disagree"
        assert (await api.post("/calendar/versions", json=body,
                               headers=auth("api-officer"))).status_code == 403
        entered = await api.post("/calendar/versions", json=body, headers=auth("api-admin-1"))
        assert entered.status_code == 201, entered.text
        number = entered.json()["number"]
        same = await api.post(f"/calendar/versions/{number}/confirm",
                              headers=auth("api-admin-1"))
        assert same.status_code == 409 and same.json()["rule"] == "four_eyes"
        listed = (await api.get("/calendar/versions", headers=auth("api-admin-2"))).json()
        assert len(listed) == before + 1 and listed[-1]["state"] == "proposed"
        confirmed = await api.post(f"/calendar/versions/{number}/confirm",
                                   headers=auth("api-admin-2"))
        assert confirmed.status_code == 200, confirmed.text
        revision = confirmed.json()["version"]["revision"]
        await stack.env.client.get_workflow_handle(calendar_change_workflow_id(revision)).result()
        progress = await api.get(f"/calendar/revisions/{revision}/fan-out",
                                 headers=auth("api-admin-2"))
        assert progress.status_code == 200 and progress.json()["progress"]["done"] is True
        assert (await api.get("/calendar/revisions/9999/fan-out",
                              headers=auth("api-admin-2"))).status_code == 404


async def test_what_if_recomputes_the_recorded_cases_read_only(
    stack: ComplaintStack, calendar_pool: asyncpg.Pool
) -> None:
    """Over the cases the first test registered in late December (replied to or not), seen
    from where that test left its clock: a shorter policy breaches more of them, a longer one
    fewer; nothing is written."""
    import httpx

    from caseflow.http.app import create_app
    from caseflow.identity.users import add_user

    await move_clock_to(stack, local(date(2027, 1, 5), 1))
    auditor = Principal(name="auditor-w", role=Role.AUDITOR)
    now = await stack.now()
    first, last = date(2026, 12, 24), date(2026, 12, 31)
    same = await stack.parts.what_if.report(auditor, first, last, now)
    assert same.cases == 5 and same.breached_recorded == same.breached_proposed
    one_day = await stack.parts.what_if.report(auditor, first, last, now,
                                               policy=SlaPolicy(reply_working_days=1))
    ten_days = await stack.parts.what_if.report(auditor, first, last, now,
                                                policy=SlaPolicy(reply_working_days=10))
    assert one_day.breached_proposed >= same.breached_recorded >= ten_days.breached_proposed
    assert ten_days.breached_proposed < one_day.breached_proposed
    other = Principal(name="sup-x", role=Role.SUPERVISOR, outlet="outlet-x")
    assert (await stack.parts.what_if.report(other, first, last, now)).cases == 0
    with pytest.raises(AccessDeniedError):
        await stack.parts.what_if.report(
            Principal(name="officer-w", role=Role.CASE_OFFICER, outlet="outlet-9"), first,
            last, now)
    rows_before = await calendar_pool.fetch("SELECT * FROM complaint_cases ORDER BY case_id")

    token = await add_user(calendar_pool, auditor, created_by="test")
    transport = httpx.ASGITransport(app=create_app(stack.parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://cf") as api:
        answer = await api.post("/sla/what-if", headers={"Authorization": f"Bearer {token}"},
                                json={"received_from": "2026-12-24",
                                      "received_to": "2026-12-31",
                                      "policy": {"reply_working_days": 1}})
        assert answer.status_code == 200, answer.text
        assert answer.json()["breached_proposed"] == one_day.breached_proposed
        backwards = await api.post("/sla/what-if", headers={"Authorization": f"Bearer {token}"},
                                   json={"received_from": "2026-12-31",
                                         "received_to": "2026-12-24"})
        assert backwards.status_code == 409 and backwards.json()["rule"] == "bad_period"
    assert await calendar_pool.fetch("SELECT * FROM complaint_cases ORDER BY case_id") == \
        rows_before
