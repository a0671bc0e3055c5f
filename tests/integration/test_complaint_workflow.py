"""ComplaintWorkflow on Temporal's time-skipping server, with the real PostgreSQL event store."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from caseflow.bootstrap import event_store
from caseflow.services.complaints import CaseError, CaseNotFoundError, DuplicateCaseError
from caseflow.store import StreamNotFoundError
from caseflow.store.read_models.complaints import list_cases
from domain.complaint import ComplaintState
from domain.complaint import commands as c
from domain.complaint.model import CloseReason, Status
from tests.complaint_fixtures import FAULT, register
from tests.complaint_stack import SHANGHAI, ComplaintStack, complaint_stack
from workflows.complaint_messages import workflow_id

TOLERANCE = timedelta(seconds=1)


_counter = iter(range(1_000_000))


async def start_case(stack: ComplaintStack, **overrides: Any) -> str:
    now = await stack.now()
    case_id = f"W{next(_counter)}-{now.timestamp():.0f}"
    await stack.register(register(at=now, received_at=now, case_id=case_id, **overrides))
    return case_id


def cmd(kind: type[Any], stack_now: datetime, **fields: Any) -> Any:
    actor = fields.pop("actor", "officer-1")
    return kind(actor=actor, at=stack_now, **fields)


async def types_in_store(stack: ComplaintStack, case_id: str) -> list[str]:
    return [e.type for e in await stack.store.read_stream(workflow_id(case_id))]


async def result(stack: ComplaintStack, case_id: str) -> ComplaintState:
    handle = stack.env.client.get_workflow_handle(workflow_id(case_id), result_type=ComplaintState)
    final: ComplaintState = await handle.result()
    return final


async def handle_to_reply(stack: ComplaintStack, case_id: str, *, assign: bool = True) -> None:
    now = await stack.now()
    if assign:
        await stack.execute(case_id, cmd(c.AssignHandler, now, handler="officer-1",
                                                 actor="lobby-1"))
    await stack.execute(case_id, cmd(c.RecordFindings, now, summary="fee charged twice",
                                             bank_at_fault=True, **{
                                                 **FAULT, "corrective_action_due":
                                                 stack.today + timedelta(days=30)}))
    await stack.execute(case_id, cmd(c.ReplyToClient, now, method="in_person",
                                             content="refunded, apologised"))


async def test_resolved_on_the_spot(stack: ComplaintStack) -> None:
    case_id = await start_case(stack)
    view = await stack.execute(case_id, cmd(c.ResolveOnSpot, await stack.now(),
                                                    resolution="explained the fee"))
    assert view.state.status == Status.CLOSED
    final = await result(stack, case_id)
    assert final.close_reason == CloseReason.RESOLVED_ON_SPOT
    assert await types_in_store(stack, case_id) == [
        "complaint_registered", "deadline_set", "regulatory_deadline_set", "client_acknowledged",
        "resolved_on_spot", "case_closed"]
    assert (await stack.store.verify_stream(workflow_id(case_id))).ok
    [row] = [r for r in await list_cases(stack.parts.pool) if r.case_id == case_id]
    assert row.status == "closed" and row.close_reason == "resolved_on_spot"


async def test_answered_on_day_two_no_alert(stack: ComplaintStack, pool: asyncpg.Pool) -> None:
    case_id = await start_case(stack)
    await stack.env.sleep(timedelta(days=2))
    await handle_to_reply(stack, case_id)
    view = await stack.execute(case_id, cmd(c.RecordFeedback, await stack.now(),
                                                    satisfied=True, opinion="thank you"))
    assert view.state.status == Status.CLOSED
    assert view.state.reply is not None and view.state.reply.within_deadline
    types = await types_in_store(stack, case_id)
    assert not {"deadline_warning_raised", "deadline_breached"} & set(types)
    assert types[-2:] == ["feedback_recorded", "case_closed"]
    async with pool.acquire() as conn:
        kinds = [r["kind"] for r in await conn.fetch(
            "SELECT kind FROM outbox WHERE stream_id = $1 ORDER BY position", workflow_id(case_id))]
    assert kinds == ["acknowledgement"]


async def test_no_reply_warning_then_breach_and_escalation_at_the_right_instants(
    stack: ComplaintStack, pool: asyncpg.Pool
) -> None:
    case_id = await start_case(stack)
    now = await stack.now()
    await stack.execute(case_id, cmd(c.AssignHandler, now, handler="officer-7"))
    deadline = (await stack.view(case_id)).state.deadline
    assert deadline is not None
    # Counting from today (day 0), skipping tomorrow's holiday: the end of the 4th day after.
    assert deadline.due_date == stack.today + timedelta(days=4)
    assert deadline.calendar_version == "test-calendar-1"

    await stack.env.sleep(deadline.warning_at - now - timedelta(minutes=1))
    assert "deadline_warning_raised" not in await types_in_store(stack, case_id)
    await stack.env.sleep(timedelta(minutes=2))
    view = await stack.view(case_id)
    assert view.state.warned_for == deadline.due_at and not view.state.breached

    await stack.env.sleep(deadline.due_at - await stack.now() + timedelta(days=1, hours=1))
    events = {e.type: e for e in await stack.store.read_stream(workflow_id(case_id))}
    warning, breach = events["deadline_warning_raised"], events["deadline_breached"]
    escalation = events["overdue_escalated"]
    assert deadline.warning_at <= warning.occurred_at < deadline.warning_at + TOLERANCE
    assert deadline.due_at <= breach.occurred_at < deadline.due_at + TOLERANCE
    assert breach.data["alerted"] == ["officer-7", "supervisor@outlet-9"]
    assert breach.data["escalated_to"] == "outlet_head"
    next_rung = deadline.due_at + timedelta(days=1)  # the end of the next working day
    assert next_rung <= escalation.occurred_at < next_rung + TOLERANCE
    assert escalation.data["escalated_to"] == "service_management_department"
    assert warning.actor == breach.actor == "caseflow-sla-clock"

    [row] = await list_cases(pool, breached=True, handler="officer-7")
    assert row.case_id == case_id and row.escalation_level == 2
    async with pool.acquire() as conn:
        sent = await conn.fetch("SELECT kind, recipients FROM outbox WHERE stream_id = $1"
                                " ORDER BY position", workflow_id(case_id))
    assert [r["kind"] for r in sent] == ["acknowledgement", "sla_warning", "sla_breach",
                                         "sla_escalation"]
    assert "outlet_head@outlet-9" in sent[2]["recipients"]
    await stack.execute(case_id, cmd(c.Withdraw, await stack.now(), reason="test done"))
    assert (await result(stack, case_id)).status == Status.CLOSED


async def test_no_feedback_after_the_reply_reminds_then_closes_as_no_response(
    stack: ComplaintStack, pool: asyncpg.Pool
) -> None:
    """Issue 15: the client's opinion on the reply does not come. On the policy's 2nd working
    day after the reply the handler is reminded; at the end of the 5th the case closes as "no
    response" (its workflow goes on to the satisfaction follow-up and the corrective action)."""
    from domain.sla import deadline_after

    case_id = await start_case(stack)
    await handle_to_reply(stack, case_id)
    replied = (await stack.view(case_id)).state
    assert replied.status == Status.REPLIED and replied.reply is not None
    rules = await stack.service.rules_on(stack.today)
    policy = rules.policy
    assert policy.feedback_reminder_working_days and policy.no_response_close_working_days
    remind_at = deadline_after(replied.reply.at, policy.feedback_reminder_working_days,
                               rules.calendar, policy).warning_at
    close_at = deadline_after(replied.reply.at, policy.no_response_close_working_days,
                              rules.calendar, policy).due_at

    await stack.env.sleep(remind_at - await stack.now() - timedelta(minutes=1))
    assert "feedback_reminder_raised" not in await types_in_store(stack, case_id)
    await stack.env.sleep(timedelta(minutes=2))
    events = {e.type: e for e in await stack.store.read_stream(workflow_id(case_id))}
    reminder = events["feedback_reminder_raised"]
    assert remind_at <= reminder.occurred_at < remind_at + TOLERANCE
    assert reminder.data["alerted"] == ["officer-1"] and reminder.actor == "caseflow-sla-clock"

    await stack.env.sleep(close_at - await stack.now() + timedelta(minutes=5))
    view = await stack.view(case_id)  # closed; the workflow goes on to the follow-up
    assert view.state.close_reason == CloseReason.NO_RESPONSE
    assert view.next_alarm == "RaiseFollowUpDue"
    closed = (await stack.store.read_stream(workflow_id(case_id)))[-1]
    assert closed.type == "case_closed" and closed.data["reason"] == "no_response"
    assert close_at <= closed.occurred_at < close_at + TOLERANCE
    async with pool.acquire() as conn:
        kinds = [r["kind"] for r in await conn.fetch(
            "SELECT kind FROM outbox WHERE stream_id = $1 ORDER BY position", workflow_id(case_id))]
    assert kinds == ["acknowledgement", "feedback_reminder"]
    [row] = [r for r in await list_cases(pool) if r.case_id == case_id]
    assert row.status == "closed" and row.close_reason == "no_response"


async def test_extension_moves_the_breach_to_the_seventh_working_day(
    stack: ComplaintStack,
) -> None:
    case_id = await start_case(stack)
    now = await stack.now()
    await stack.execute(case_id, cmd(c.AssignHandler, now, handler="officer-1"))
    await stack.execute(case_id, cmd(c.RequestExtension, now, reason="head office"))
    view = await stack.execute(case_id, cmd(c.DecideExtension, now, approve=True,
                                                    actor="supervisor-1"))
    extended = view.state.deadline
    assert extended is not None and extended.working_days == 7
    assert extended.due_date == stack.today + timedelta(days=8)  # 7 working days + the holiday
    assert view.next_alarm == "RaiseWarning" and view.next_alarm_at == extended.warning_at

    original_due = extended.due_at - timedelta(days=4)
    await stack.env.sleep(original_due - now + timedelta(hours=1))
    assert "deadline_breached" not in await types_in_store(stack, case_id)
    await stack.env.sleep(extended.due_at - await stack.now() + timedelta(minutes=1))
    breach = [e for e in await stack.store.read_stream(workflow_id(case_id))
              if e.type == "deadline_breached"]
    assert len(breach) == 1
    assert extended.due_at <= breach[0].occurred_at < extended.due_at + TOLERANCE
    await stack.execute(case_id, cmd(c.Withdraw, await stack.now(), reason="done"))


async def test_self_approval_is_rejected_and_leaves_no_trace(stack: ComplaintStack) -> None:
    case_id = await start_case(stack)
    now = await stack.now()
    await stack.execute(case_id, cmd(c.AssignHandler, now, handler="officer-1"))
    await stack.execute(case_id, cmd(c.RequestExtension, now, reason="complex"))
    before = await types_in_store(stack, case_id)
    with pytest.raises(CaseError, match="four eyes") as caught:
        await stack.execute(case_id, cmd(c.DecideExtension, now, approve=True,
                                                 actor="officer-1"))
    assert caught.value.rule == "four_eyes"
    assert await types_in_store(stack, case_id) == before
    history = await stack.env.client.get_workflow_handle(workflow_id(case_id)).fetch_history()
    accepted = [e for e in history.events
                if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED]
    assert len(accepted) == 2  # assign and request: the rejected approval never entered history
    await stack.execute(case_id, cmd(c.Withdraw, now, reason="done"))


async def test_dissatisfied_client_reopens_the_case(stack: ComplaintStack) -> None:
    case_id = await start_case(stack)
    await handle_to_reply(stack, case_id)
    await stack.env.sleep(timedelta(days=1))
    now = await stack.now()
    view = await stack.execute(case_id, cmd(c.RecordFeedback, now, satisfied=False,
                                                    opinion="not enough", follow_up="reopen"))
    assert view.state.status == Status.ASSIGNED and view.state.reopened == 1
    assert view.state.deadline is not None
    reopened_on = now.astimezone(SHANGHAI).date()
    assert view.state.deadline.counted_from == reopened_on  # day 0, working day or not
    assert view.next_alarm == "RaiseWarning"
    await handle_to_reply(stack, case_id, assign=False)  # the same handler carries on
    await stack.execute(case_id, cmd(c.RecordFeedback, await stack.now(),
                                             satisfied=True, opinion="fine now"))
    types = await types_in_store(stack, case_id)
    assert types.count("client_replied") == 2 and types[-1] == "case_closed"


async def test_worker_restart_mid_case_loses_nothing(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    store = event_store(pool)
    async with complaint_stack(temporal_env, pool, with_worker=False) as stack:
        async with stack.worker(cached=False):
            case_id = await start_case(stack)
            now = await stack.now()
            await stack.execute(case_id, cmd(c.AssignHandler, now, handler="officer-1"))
            await stack.execute(case_id, cmd(c.RecordFindings, now, summary="s",
                                                     bank_at_fault=False))
        # The first worker is gone. Time passes (the warning falls due with no worker); a new
        # worker replays the history from scratch and carries on.
        await temporal_env.sleep(timedelta(days=1))
        async with stack.worker(cached=False):
            await stack.execute(case_id, cmd(c.ReplyToClient, await stack.now(),
                                                     method="in_person", content="explained"))
            await stack.execute(case_id, cmd(c.RecordFeedback, await stack.now(),
                                                     satisfied=True, opinion="ok"))
            # The case is closed; days later its follow-up falls due, is recorded, and only
            # then does the workflow complete.
            await temporal_env.sleep(timedelta(days=10))
            await stack.execute(case_id, cmd(c.RecordFollowUp, await stack.now(),
                                                     outcome="satisfied", opinion="still ok"))
            final = await result(stack, case_id)
    assert final.status == Status.CLOSED and final.follow_up_outcome == "satisfied"
    events = await store.read_stream(workflow_id(case_id))
    assert [e.version for e in events] == list(range(1, len(events) + 1))
    assert len({e.event_id for e in events}) == len(events)
    assert [e.type for e in events] == [
        "complaint_registered", "deadline_set", "regulatory_deadline_set", "client_acknowledged",
        "handler_assigned", "findings_recorded", "client_replied", "feedback_recorded",
        "case_closed", "satisfaction_follow_up_due", "follow_up_recorded"]
    assert final.version == len(events)
    assert (await store.verify_stream(workflow_id(case_id))).ok


async def test_service_refuses_bad_registrations_before_starting(stack: ComplaintStack) -> None:
    case_id = await start_case(stack)
    now = await stack.now()
    with pytest.raises(DuplicateCaseError):
        await stack.register(register(at=now, received_at=now, case_id=case_id))
    with pytest.raises(CaseNotFoundError):
        await stack.execute("no-such-case", cmd(c.AddNote, now, text="x"))
    with pytest.raises(CaseNotFoundError):
        await stack.view("no-such-case")
    later = now + timedelta(hours=1)
    with pytest.raises(CaseError, match="later than the registration") as refused:
        await stack.register(register(at=now, received_at=later, case_id="received-later"))
    assert refused.value.rule == "rule_violation"
    with pytest.raises(StreamNotFoundError):
        await stack.store.read_stream(workflow_id("received-later"))
    with pytest.raises(CaseError, match="registered by starting it"):
        await stack.execute(case_id, register(at=now, received_at=now, case_id=case_id))
    await stack.execute(case_id, cmd(c.Withdraw, now, reason="done"))
    await result(stack, case_id)
    with pytest.raises(CaseError, match="is closed") as caught:
        await stack.execute(case_id, cmd(c.AddNote, now, text="late note"))
    assert caught.value.rule == "case_closed"


async def test_a_case_whose_workflow_fails_alerts_its_supervisors_and_is_never_called_closed(
    stack: ComplaintStack, pool: asyncpg.Pool
) -> None:
    """A registration refused inside the workflow (the service's check bypassed: received
    after it was registered) fails the workflow; before it fails, the outlet's
    supervisors are alerted; officers are then told the case stopped, not that it closed."""
    from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError

    from caseflow.services.calls import StoppedError
    from workflows.complaint import ComplaintWorkflow
    from workflows.complaint_messages import ComplaintInput

    now = await stack.now()
    case_id = f"S-{now.timestamp():.0f}"
    rules = await stack.service.rules_for(register(at=now, received_at=now))
    handle = await stack.env.client.start_workflow(
        ComplaintWorkflow.run,
        ComplaintInput(registration=register(at=now, received_at=now + timedelta(hours=1),
                                             case_id=case_id, outlet="outlet-s"),
                       calendar=rules.calendar, policy=rules.policy, client_followed=False),
        id=workflow_id(case_id), task_queue=stack.task_queue)
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    assert (await handle.describe()).status == WorkflowExecutionStatus.FAILED
    async with pool.acquire() as conn:
        alerts = await conn.fetch("SELECT kind, recipients FROM outbox WHERE stream_id = $1",
                                  workflow_id(case_id))
    assert [(a["kind"], a["recipients"]) for a in alerts] == [
        ("process_stopped", ["supervisor@outlet-s"])]
    with pytest.raises(StoppedError) as refused:
        await stack.execute(case_id, cmd(c.AddNote, now, text="still there?"))
    assert refused.value.rule == "process_stopped" and "failed" in str(refused.value)


async def test_a_terminated_case_is_reported_stopped_not_closed(stack: ComplaintStack) -> None:
    from caseflow.services.calls import StoppedError

    case_id = await start_case(stack)
    await stack.execute(case_id, cmd(c.AddNote, await stack.now(), text="stored"))
    await stack.env.client.get_workflow_handle(workflow_id(case_id)).terminate(reason="ops")
    with pytest.raises(StoppedError, match="terminated"):
        await stack.execute(case_id, cmd(c.AddNote, await stack.now(), text="again"))
