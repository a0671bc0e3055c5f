"""ClientWorkflow on the time-skipping server, with the real event store."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer, Worker

from caseflow.audit.verify import verify_streams
from caseflow.policy.client import client_policy
from caseflow.store import EventStore
from domain.access import Principal, Role
from domain.client import commands as c
from domain.client.model import Assessment, Stage
from tests.complaint_stack import OUTLET, acting_as, parts_for
from tests.payload_keys import CONVERTER
from tests.waiting import until
from workflows import names
from workflows.client import ClientWorkflow
from workflows.client_messages import (
    ClientCommandRequest,
    ClientInput,
    ClientView,
    client_workflow_id,
)
from workflows.registry import SANDBOX_RUNNER

TOLERANCE = timedelta(seconds=2)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def worker(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> AsyncIterator[tuple[Worker, EventStore]]:
    parts = parts_for(temporal_env.client, pool)
    async with parts.worker() as w:
        yield w, parts.store


async def start(
    env: WorkflowEnvironment, worker: Worker, deposits: int, max_history: int = 10_000,
    birthday: str | None = None, **kw: Any
) -> WorkflowHandle[Any, Any]:
    """A client identified now, under the shipped policy (festival dates around the server's
    date: its clock may be years ahead after other tests skipped time)."""
    client_id = f"K-{uuid.uuid4().hex[:8]}"
    now = await env.get_current_time()
    assessment = Assessment(deposits_10k=Decimal(deposits), loans_10k=Decimal(0),
                            intermediary_products=0, family=0, occupation=0, social_standing=0,
                            **kw)
    identify = c.Identify(actor="lobby-1", at=now, client_id=client_id, assessment=assessment,
                          birthday=birthday)
    policy = client_policy(today=now.date())
    return await env.client.start_workflow(
        ClientWorkflow.run,
        ClientInput(identify=identify, policy=policy, max_history_events=max_history),
        id=client_workflow_id(client_id), task_queue=worker.task_queue)


async def step(env: WorkflowEnvironment, handle: WorkflowHandle[Any, Any], command: Any,
               by: Principal | None = None) -> ClientView:
    at = await env.get_current_time()
    view: ClientView = await handle.execute_update(
        names.COMMAND, ClientCommandRequest(command=command.model_copy(update={"at": at}),
                                            by=by or acting_as(command, OUTLET)),
        result_type=ClientView)
    return view


async def view(handle: WorkflowHandle[Any, Any]) -> ClientView:
    result: ClientView = await handle.query(names.VIEW, result_type=ClientView)
    return result


def attempt(outcome: str = "no_answer") -> c.RecordContactAttempt:
    return c.RecordContactAttempt(actor="rm-1", at=datetime.now().astimezone(), channel="phone",
                                  outcome=outcome, next_step="try again")


def log_contact() -> c.LogContact:
    return c.LogContact(actor="rm-1", at=datetime.now().astimezone(), channel="phone",
                        summary="monthly call")


async def replays(env: WorkflowEnvironment, workflow_id: str, *run_ids: str | None) -> None:
    """Each run's history replays against the current code."""
    replayer = Replayer(workflows=[ClientWorkflow], data_converter=CONVERTER,
                        workflow_runner=SANDBOX_RUNNER)
    for run_id in run_ids:
        history = await env.client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, run_id


async def test_three_unanswered_follow_ups_abandon_the_plan_on_time(
    temporal_env: WorkflowEnvironment, worker: tuple[Worker, EventStore]
) -> None:
    w, store = worker
    handle = await start(temporal_env, w, deposits=50)  # potential

    async def first_reminder_stored() -> bool:
        return (await view(handle)).state.reminded_for is not None

    await until(first_reminder_stored)
    first = await view(handle)
    assessed = first.state.assessed_at
    assert first.state.stage == Stage.CONTACT and assessed is not None
    assert first.state.reminded_for == assessed  # the first attempt is due at identification
    due_dates = [assessed + timedelta(days=7 * k) for k in range(3)]
    for k, due in enumerate(due_dates):
        if k:
            await temporal_env.sleep(due - await temporal_env.get_current_time()
                                     + timedelta(hours=1))
        reminders = [e for e in await store.read_stream(handle.id) if e.type == "contact_due"]
        assert len(reminders) == k + 1
        assert due <= reminders[-1].occurred_at < due + TOLERANCE
        result = await step(temporal_env, handle, attempt())
    assert result.state.stage == Stage.NORMAL_CHANNELS and result.state.follow_up_abandoned
    events = await store.read_stream(handle.id)
    abandoned = next(e for e in events if e.type == "follow_up_abandoned")
    assert due_dates[2] < abandoned.occurred_at < due_dates[2] + timedelta(hours=2)
    assert result.next_alarm == "ReassessmentDue"  # no more contacts planned


async def test_two_years_of_premium_maintenance_across_continue_as_new(
    temporal_env: WorkflowEnvironment, worker: tuple[Worker, EventStore]
) -> None:
    w, store = worker
    birthday = (await temporal_env.get_current_time()).astimezone(SHANGHAI) + timedelta(days=60)
    handle = await start(temporal_env, w, deposits=250, max_history=120,  # core premium
                         birthday=f"{birthday:%m-%d}")
    first_run = (await handle.describe()).run_id
    await step(temporal_env, handle, c.RecordSale(actor="rm-1", at=datetime.now().astimezone(),
                                                  product="wealth product"))
    for month in range(1, 25):
        await temporal_env.sleep(timedelta(days=30, hours=1))
        if month == 5:  # the manager misses a contact: the supervisor hears of it a week later
            await temporal_env.sleep(timedelta(days=7))
        await step(temporal_env, handle, log_contact())
        if month == 6:
            await step(temporal_env, handle, c.Reassess(
                actor="rm-1", at=datetime.now().astimezone(), assessment=Assessment(
                    deposits_10k=Decimal(260), loans_10k=Decimal(0), intermediary_products=1,
                    family=1, occupation=1, social_standing=1)))
    handle = temporal_env.client.get_workflow_handle(handle.id)  # the latest run
    assert (await handle.describe()).run_id != first_run, "expected a continue-as-new"
    events = await store.read_stream(handle.id)
    assert [e.version for e in events] == list(range(1, len(events) + 1))
    assert (await store.verify_stream(handle.id)).ok
    kinds = [e.type for e in events]
    assert kinds.count("contact_due") >= 24
    overdue = [e for e in events if e.type == "contact_overdue"]
    # The client was identified without an outlet: its supervisors' unit is unknown (recorded
    # as such, and reported undeliverable when the alert is sent).
    assert len(overdue) == 1 and overdue[0].data["alerted"] == ["rm-1", "supervisor@unknown-unit"]
    assert kinds.count("review_due") >= 7  # every 90 days over two years
    assert "reassessment_due" in kinds and "tier_reassessed" in kinds
    care = [e for e in events if e.type == "care_due"]
    occasions = [e.data["occasion"] for e in care]
    # Two years: two birthdays, and each festival once or twice (lunar dates move).
    assert occasions.count("birthday") == 2
    assert 1 <= occasions.count("spring_festival") <= 2
    assert 1 <= occasions.count("mid_autumn") <= 2
    first_birthday = next(e for e in care if e.data["occasion"] == "birthday")
    assert first_birthday.data["day"] == f"{birthday:%Y-%m-%d}"
    for e in care:  # the day before, at 09:00 in Shanghai, on time
        due = datetime.fromisoformat(e.data["due_at"])
        assert due <= e.occurred_at < due + TOLERANCE
        assert (due.astimezone(SHANGHAI).hour, due.astimezone(SHANGHAI).date()) == (
            9, date.fromisoformat(e.data["day"]) - timedelta(days=1))
    final = await view(handle)
    assert final.state.version == len(events) and final.state.manager == "rm-1"
    # The audit compares the store with every run's history (continue-as-new): all decided.
    report = await verify_streams(store, [handle.id], temporal_env.client)
    assert report.problems == [] and report.not_checked == []
    await handle.terminate(reason="test done")
    await replays(temporal_env, handle.id, first_run, (await handle.describe()).run_id)


async def test_closure_request_retention_and_outcome(
    temporal_env: WorkflowEnvironment, worker: tuple[Worker, EventStore]
) -> None:
    w, store = worker
    handle = await start(temporal_env, w, deposits=250)
    now = datetime.now().astimezone()
    await step(temporal_env, handle, c.RecordSale(actor="rm-1", at=now, product="fund"))
    closing = await step(temporal_env, handle, c.RequestAccountClosure(
        actor="teller-1", at=now, account="A-9"))
    assert closing.state.retention_by == "rm-1"
    tried = await step(temporal_env, handle, c.RecordRetention(
        actor="rm-1", at=now, retained=False, note="rates elsewhere"))
    assert tried.state.retention_by == "outlet_head"
    kept = await step(temporal_env, handle, c.RecordRetention(
        actor="head-1", at=now, retained=True, note="matched the rate"),
        by=Principal(name="head-1", role=Role.OUTLET_HEAD, outlet=OUTLET))
    assert kept.state.closing_account is None and kept.state.stage == Stage.MAINTAIN
    kinds = [e.type for e in await store.read_stream(handle.id)]
    assert kinds[-3:] == ["closure_requested", "retention_attempted", "retention_attempted"]
    await handle.terminate(reason="test done")
    await replays(temporal_env, handle.id, None)


def next_tuesday_at_ten(now: datetime) -> datetime:
    local = now.astimezone(SHANGHAI)
    days = (1 - local.weekday()) % 7 or 7
    return datetime.combine(local.date() + timedelta(days=days), datetime.min.time(),
                            tzinfo=SHANGHAI).replace(hour=10)


async def test_a_meeting_agreed_for_next_tuesday_reminds_on_monday_and_alerts_when_missed(
    temporal_env: WorkflowEnvironment, worker: tuple[Worker, EventStore], pool: asyncpg.Pool
) -> None:
    """Issue 16: an agreed meeting has a date and a place; the manager is reminded the day
    before; not recorded by the end of its day, the manager and the supervisor are alerted and
    the next attempt is due the next day (the client never drops off the lists)."""
    w, store = worker
    handle = await start(temporal_env, w, deposits=50)  # potential: a follow-up plan
    meeting_at = next_tuesday_at_ten(await temporal_env.get_current_time())
    agreed = await step(temporal_env, handle, attempt("meeting_agreed").model_copy(update={
        "meeting_at": meeting_at, "meeting_place": "陆家嘴支行贵宾室"}))
    assert agreed.state.meeting_at == meeting_at and agreed.next_alarm == "MeetingReminder"
    monday = meeting_at - timedelta(days=1)
    assert monday.weekday() == 0 and agreed.next_alarm_at == monday
    await temporal_env.sleep(monday - await temporal_env.get_current_time() - timedelta(minutes=1))
    assert "meeting_reminder" not in [e.type for e in await store.read_stream(handle.id)]
    await temporal_env.sleep(timedelta(minutes=2))
    events = {e.type: e for e in await store.read_stream(handle.id)}
    reminder = events["meeting_reminder"]
    assert monday <= reminder.occurred_at < monday + TOLERANCE
    assert reminder.data["place"] == "陆家嘴支行贵宾室"

    end_of_tuesday = datetime.combine(meeting_at.date() + timedelta(days=1),
                                      datetime.min.time(), tzinfo=SHANGHAI)
    await temporal_env.sleep(end_of_tuesday - await temporal_env.get_current_time()
                             + timedelta(minutes=1))
    events = {e.type: e for e in await store.read_stream(handle.id)}
    missed = events["meeting_missed"]
    assert end_of_tuesday <= missed.occurred_at < end_of_tuesday + TOLERANCE
    assert missed.data["alerted"] == ["outlet_head@unknown-unit", "supervisor@unknown-unit"]
    after = await view(handle)
    assert after.state.stage == Stage.CONTACT and not after.state.meeting_agreed
    assert after.next_alarm in ("ContactDue", "ContactOverdue")  # the next attempt is due
    kinds = [r["kind"] for r in await pool.fetch(
        "SELECT kind FROM outbox WHERE stream_id = $1 ORDER BY position", handle.id)]
    assert [k for k in kinds if k.startswith("meeting_")] == ["meeting_reminder",
                                                              "meeting_missed"]


async def test_a_client_sold_to_and_reassessed_premium_is_maintained_for_a_year(
    temporal_env: WorkflowEnvironment, worker: tuple[Worker, EventStore]
) -> None:
    """Issue 16: a potential client identified, sold to (serve, with after-sale care), then
    re-assessed premium is moved to maintain: a year of contacts at the tier's cadence,
    reviews every 90 days and the care events, each at its instant."""
    w, store = worker
    birthday = (await temporal_env.get_current_time()).astimezone(SHANGHAI) + timedelta(days=100)
    handle = await start(temporal_env, w, deposits=50, birthday=f"{birthday:%m-%d}")
    sold = await step(temporal_env, handle, c.RecordSale(
        actor="rm-1", at=datetime.now().astimezone(), product="term deposit"))
    assert sold.state.stage == Stage.SERVE and sold.state.manager == "rm-1"
    assert sold.next_alarm_at is not None  # after-sale care (90 days), not a dead end
    maintained = await step(temporal_env, handle, c.Reassess(
        actor="rm-1", at=datetime.now().astimezone(), assessment=Assessment(
            deposits_10k=Decimal(260), loans_10k=Decimal(0), intermediary_products=1,
            family=1, occupation=1, social_standing=1)))
    assert maintained.state.stage == Stage.MAINTAIN
    for _ in range(12):
        await temporal_env.sleep(timedelta(days=30, hours=1))
        await step(temporal_env, handle, log_contact())
    events = await store.read_stream(handle.id)
    kinds = [e.type for e in events]
    assert kinds.count("contact_due") >= 12
    assert "contact_overdue" not in kinds  # every contact logged within its week
    assert kinds.count("review_due") >= 4
    assert [e.data["occasion"] for e in events if e.type == "care_due"].count("birthday") == 1
    for due in (e for e in events if e.type in ("contact_due", "review_due", "care_due")):
        at = datetime.fromisoformat(due.data["due_at"])
        assert at <= due.occurred_at < at + TOLERANCE, due.type
    assert (await store.verify_stream(handle.id)).ok
