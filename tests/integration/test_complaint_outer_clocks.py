"""Issue 15's clocks on Temporal's time-skipping server with the real event store: the
regulator's calendar-day clock beside the working-day SLA (each warns and breaches on its own),
a corrective action's overdue alarm after the case closed, and the satisfaction follow-up."""

from __future__ import annotations

from datetime import date, timedelta

import asyncpg
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from caseflow.store.read_models.complaints import list_cases
from domain.calendar import BusinessCalendar
from domain.complaint import ComplaintState
from domain.complaint import commands as c
from domain.complaint.model import Status
from tests.complaint_fixtures import FAULT
from tests.complaint_stack import SHANGHAI, ComplaintStack, calendar_around, complaint_stack
from tests.integration.test_complaint_workflow import (
    TOLERANCE,
    cmd,
    handle_to_reply,
    start_case,
    types_in_store,
)
from workflows.complaint_messages import workflow_id


def with_a_long_holiday(today: date) -> BusinessCalendar:
    """The test calendar (every day a working day) with ten days off from tomorrow: seven
    working days then end after the regulator's fifteen calendar days."""
    base = calendar_around(today)
    off = frozenset(today + timedelta(days=n) for n in range(1, 11))
    return base.model_copy(update={"holidays": base.holidays | off,
                                   "makeup_workdays": base.makeup_workdays - off})


async def outbox(pool: asyncpg.Pool, case_id: str) -> list[tuple[str, list[str]]]:
    rows = await pool.fetch("SELECT kind, recipients FROM outbox WHERE stream_id = $1"
                            " ORDER BY position", workflow_id(case_id))
    return [(r["kind"], list(r["recipients"])) for r in rows]


async def test_the_regulators_clock_breaches_while_the_working_day_clock_is_met(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    today = (await temporal_env.get_current_time()).astimezone(SHANGHAI).date()
    async with complaint_stack(temporal_env, pool,
                               calendar=with_a_long_holiday(today)) as stack:
        case_id = await start_case(stack)
        now = await stack.now()
        await stack.execute(case_id, cmd(c.AssignHandler, now, handler="officer-1"))
        await stack.execute(case_id, cmd(c.RequestExtension, now, reason="records"))
        view = await stack.execute(case_id, cmd(c.DecideExtension, now, approve=True,
                                                actor="supervisor-1"))
        sla, regulatory = view.state.deadline, view.state.regulatory
        assert sla is not None and regulatory is not None
        assert sla.due_date == today + timedelta(days=17)  # 7 working days after the holiday
        assert regulatory.due_at.astimezone(SHANGHAI).date() == today + timedelta(days=16)
        [row] = [r for r in await list_cases(pool, limit=10_000) if r.case_id == case_id]
        assert (row.binding_clock, row.binding_due_at) == ("regulatory", regulatory.due_at)
        assert view.next_alarm == "RaiseRegulatoryWarning"

        await stack.env.sleep(regulatory.warning_at - await stack.now() - timedelta(minutes=1))
        assert "regulatory_warning_raised" not in await types_in_store(stack, case_id)
        await stack.env.sleep(timedelta(minutes=2))
        events = {e.type: e for e in await stack.store.read_stream(workflow_id(case_id))}
        warning = events["regulatory_warning_raised"]
        assert regulatory.warning_at <= warning.occurred_at < regulatory.warning_at + TOLERANCE
        assert warning.actor == "caseflow-sla-clock"

        await stack.env.sleep(regulatory.due_at - await stack.now() + timedelta(minutes=1))
        events = {e.type: e for e in await stack.store.read_stream(workflow_id(case_id))}
        breach = events["regulatory_deadline_breached"]
        assert regulatory.due_at <= breach.occurred_at < regulatory.due_at + TOLERANCE
        assert "deadline_breached" not in events  # the working-day clock has a day left
        replied = await stack.execute(case_id, cmd(c.RecordFindings, await stack.now(),
                                                   summary="s", bank_at_fault=False))
        replied = await stack.execute(case_id, cmd(c.ReplyToClient, await stack.now(),
                                                   method="in_person", content="explained"))
        assert replied.state.reply is not None and replied.state.reply.within_deadline
        assert replied.state.regulatory_breached and not replied.state.ever_breached
        assert [kind for kind, _ in await outbox(pool, case_id)] == [
            "acknowledgement", "extension_requested", "new_expected_time", "regulatory_warning",
            "regulatory_breach"]
        assert (await outbox(pool, case_id))[-1][1] == [
            "officer-1", "supervisor@outlet-9", "service_management_department@outlet-9"]
        await stack.execute(case_id, cmd(c.Withdraw, await stack.now(), reason="test done"))


async def test_the_working_day_clock_breaches_while_the_regulators_is_met(
    stack: ComplaintStack,
) -> None:
    case_id = await start_case(stack)
    now = await stack.now()
    view = await stack.execute(case_id, cmd(c.AssignHandler, now, handler="officer-1"))
    sla, regulatory = view.state.deadline, view.state.regulatory
    assert sla is not None and regulatory is not None
    await stack.env.sleep(sla.due_at - now + timedelta(hours=1))
    await handle_to_reply(stack, case_id, assign=False)
    state = (await stack.view(case_id)).state
    assert state.ever_breached and state.reply is not None and not state.reply.within_deadline
    assert not state.regulatory_running and not state.regulatory_breached
    await stack.env.sleep(regulatory.due_at - await stack.now() + timedelta(days=1))
    types = await types_in_store(stack, case_id)
    assert "deadline_breached" in types
    assert not {"regulatory_warning_raised", "regulatory_deadline_breached"} & set(types)
    assert "case_closed" in types  # meanwhile closed for no response


async def test_a_corrective_action_rings_when_overdue_after_the_close_and_the_follow_up(
    stack: ComplaintStack, pool: asyncpg.Pool
) -> None:
    """The case closes on the client's satisfaction; its follow-up falls due on the policy's
    working day and is recorded; the corrective action keeps its own clock, rings at the end
    of its day, and the workflow ends only when it is done."""
    case_id = await start_case(stack)
    now = await stack.now()
    await stack.execute(case_id, cmd(c.AssignHandler, now, handler="officer-1"))
    due_day = stack.today + timedelta(days=12)
    await stack.execute(case_id, cmd(c.RecordFindings, now, summary="charged twice",
                                     bank_at_fault=True,
                                     **{**FAULT, "corrective_action_due": due_day}))
    await stack.execute(case_id, cmd(c.ReplyToClient, now, method="in_person",
                                     content="refunded"))
    closed = await stack.execute(case_id, cmd(c.RecordFeedback, now, satisfied=True,
                                              opinion="ok"))
    assert closed.state.status == Status.CLOSED and closed.next_alarm == "RaiseFollowUpDue"
    follow_up_at = closed.next_alarm_at
    assert follow_up_at is not None
    [row] = [r for r in await list_cases(pool, corrective_open=True, outlets=["outlet-9"],
                                         limit=10_000) if r.case_id == case_id]
    assert row.corrective_action_owner == FAULT["corrective_action_owner"]

    await stack.env.sleep(follow_up_at - await stack.now() + timedelta(minutes=1))
    events = {e.type: e for e in await stack.store.read_stream(workflow_id(case_id))}
    due = events["satisfaction_follow_up_due"]
    assert follow_up_at <= due.occurred_at < follow_up_at + TOLERANCE
    assert due.data["assigned_to"] == ["officer-1"]
    listed = await list_cases(pool, follow_up_pending=True, outlets=["outlet-9"], limit=10_000)
    assert case_id in {r.case_id for r in listed}
    after = await stack.execute(case_id, cmd(c.RecordFollowUp, await stack.now(),
                                             outcome="satisfied", opinion="fine"))
    [action] = after.state.corrective_actions
    assert after.next_alarm == "MarkCorrectiveActionOverdue"
    assert after.next_alarm_at == action.due_at

    await stack.env.sleep(action.due_at - await stack.now() - timedelta(minutes=1))
    assert "corrective_action_overdue" not in await types_in_store(stack, case_id)
    await stack.env.sleep(timedelta(minutes=2))
    events = {e.type: e for e in await stack.store.read_stream(workflow_id(case_id))}
    overdue = events["corrective_action_overdue"]
    assert action.due_at <= overdue.occurred_at < action.due_at + TOLERANCE
    assert overdue.data["alerted"] == [FAULT["corrective_action_owner"], "supervisor@outlet-9"]
    assert (await outbox(pool, case_id))[-1][0] == "corrective_action_overdue"
    await stack.execute(case_id, cmd(c.CompleteCorrectiveAction, await stack.now(), number=1,
                                     outcome="rule fixed", actor="head-9"))
    handle: WorkflowHandle[object, ComplaintState] = stack.env.client.get_workflow_handle(
        workflow_id(case_id), result_type=ComplaintState)
    final = await handle.result()
    assert final.status == Status.CLOSED and not final.open_corrective_actions
    assert [e.type for e in await stack.store.read_stream(workflow_id(case_id))][-4:] == [
        "satisfaction_follow_up_due", "follow_up_recorded", "corrective_action_overdue",
        "corrective_action_completed"]
