"""A complaint tells its client's relationship workflow: churn risk rises while it is open, and
an SLA breach makes a care contact due at once. The client's history, whose link updates are sent
by caseflow's own principal (`caseflow-complaints`), is a committed golden: it must keep
replaying (a renamed system principal would no longer decode). Record it anew after a
deliberate change: CASEFLOW_RECORD_HISTORIES=1 ./dev.sh test -k link"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from caseflow.bootstrap import event_store
from domain.client import ClientPolicy
from domain.client import commands as cc
from domain.client.model import Assessment
from domain.complaint import commands as c
from domain.tier import ClientTier
from tests.complaint_fixtures import register
from tests.complaint_stack import ComplaintStack, complaint_stack
from tests.payload_keys import CONVERTER
from workflows import names
from workflows.client import ClientWorkflow
from workflows.client_messages import ClientInput, ClientView, client_workflow_id
from workflows.recording import DURABLE_APPEND
from workflows.registry import SANDBOX_RUNNER, WORKFLOWS

LINKED = Path(__file__).parents[1] / "histories" / f"client_linked_by_system@{DURABLE_APPEND}.json"


async def premium_client(env: WorkflowEnvironment, stack: ComplaintStack, client_id: str
                         ) -> WorkflowHandle[Any, Any]:
    """A core-premium client's relationship workflow (one product: the deposit)."""
    return await env.client.start_workflow(
        ClientWorkflow.run,
        ClientInput(identify=cc.Identify(
            actor="lobby-1", at=await stack.now(), client_id=client_id,
            assessment=Assessment(deposits_10k=Decimal(250), loans_10k=Decimal(0),
                                  intermediary_products=0, family=0, occupation=0,
                                  social_standing=0)), policy=ClientPolicy()),
        id=client_workflow_id(client_id), task_queue=stack.task_queue)


async def test_complaint_raises_churn_risk_and_breach_schedules_care(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    store = event_store(pool)
    async with complaint_stack(temporal_env, pool) as stack:
        client_id = f"K-{uuid.uuid4().hex[:8]}"
        now = await stack.now()
        client = await premium_client(temporal_env, stack, client_id)
        before: ClientView = await client.query(names.VIEW, result_type=ClientView)
        assert before.churn_risk == 62  # one product (the deposit)

        case_id = f"L-{uuid.uuid4().hex[:8]}"
        await stack.register(register(
            at=now, received_at=now, case_id=case_id, client_id=client_id,
            client_tier=ClientTier.CORE_PREMIUM, relationship_manager="rm-1"))
        await stack.execute(case_id, c.AssignHandler(actor="lobby-1", at=now,
                                                             handler="officer-1"))
        opened: ClientView = await client.query(names.VIEW, result_type=ClientView)
        assert opened.state.open_complaints == frozenset({case_id})
        assert opened.churn_risk == 72

        deadline = (await stack.view(case_id)).state.deadline
        assert deadline is not None
        await temporal_env.sleep(deadline.due_at - await stack.now() + timedelta(minutes=5))
        breached: ClientView = await client.query(names.VIEW, result_type=ClientView)
        assert breached.churn_risk == 92
        client_events = await store.read_stream(client.id)
        care = [e for e in client_events if e.type == "contact_due"][-1]
        assert deadline.due_at <= care.occurred_at < deadline.due_at + timedelta(minutes=5)
        # No sale yet, so no named manager: the outlet head (of an unknown outlet: none given).
        assert care.data["alerted"] == ["outlet_head@unknown-unit"]

        await stack.execute(case_id, c.Withdraw(actor="lobby-1", at=await stack.now(),
                                                        reason="resolved with the client"))
        await stack.env.client.get_workflow_handle(f"complaint-{case_id}").result()
        closed: ClientView = await client.query(names.VIEW, result_type=ClientView)
        assert closed.state.open_complaints == frozenset() and closed.churn_risk == 62
        await client.terminate(reason="test done")
        history = await client.fetch_history()
    assert await replays(history)
    if os.environ.get("CASEFLOW_RECORD_HISTORIES") == "1":
        LINKED.write_text(history.to_json(), encoding="utf-8")


async def test_the_committed_history_of_a_linked_client_replays() -> None:
    assert LINKED.exists(), f"golden {LINKED.name} missing: see this module's docstring"
    history = WorkflowHistory.from_json(LINKED.stem, LINKED.read_text(encoding="utf-8"))
    assert await replays(history)


async def replays(history: WorkflowHistory) -> bool:
    replayer = Replayer(workflows=WORKFLOWS, data_converter=CONVERTER,
                        workflow_runner=SANDBOX_RUNNER)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
    return True


async def test_a_client_without_a_relationship_workflow_is_not_called(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    """Most complainants are not followed: their case makes no call to a client workflow."""
    from temporalio.api.enums.v1 import EventType

    async with complaint_stack(temporal_env, pool) as stack:
        now = await stack.now()
        case_id = f"N-{uuid.uuid4().hex[:8]}"
        await stack.register(register(at=now, received_at=now, case_id=case_id,
                                              client_id=f"K-nobody-{case_id}"))
        await stack.execute(case_id, c.ResolveOnSpot(actor="lobby-1", at=now,
                                                             resolution="explained"))
        handle = temporal_env.client.get_workflow_handle(f"complaint-{case_id}")
        await handle.result()
        history = await handle.fetch_history()
    scheduled = {e.activity_task_scheduled_event_attributes.activity_type.name
                 for e in history.events
                 if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED}
    assert scheduled == {"append_events"}  # no link activity, regular or local
    markers = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    assert CONVERTER.payload_codec is not None
    opened = [payload.data for e in markers
              for details in e.marker_recorded_event_attributes.details.values()
              for payload in await CONVERTER.payload_codec.decode(list(details.payloads))]
    assert opened and not any(b"link" in data for data in opened)  # no link patch either


async def test_a_case_reopened_after_its_close_is_open_again_for_the_client(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    """The satisfaction follow-up finds the client dissatisfied and reopens a closed case: the
    client's workflow hears it is open again (churn risk up again)."""
    async with complaint_stack(temporal_env, pool) as stack:
        client_id = f"K-{uuid.uuid4().hex[:8]}"
        now = await stack.now()
        client = await premium_client(temporal_env, stack, client_id)
        case_id = f"L-{uuid.uuid4().hex[:8]}"
        await stack.register(register(at=now, received_at=now, case_id=case_id,
                                      client_id=client_id))
        for step in (c.AssignHandler(actor="lobby-1", at=now, handler="officer-1"),
                     c.RecordFindings(actor="officer-1", at=now, summary="s",
                                      bank_at_fault=False),
                     c.ReplyToClient(actor="officer-1", at=now, method="in_person",
                                     content="explained"),
                     c.RecordFeedback(actor="officer-1", at=now, satisfied=True, opinion="ok")):
            await stack.execute(case_id, step)
        closed: ClientView = await client.query(names.VIEW, result_type=ClientView)
        assert closed.state.open_complaints == frozenset()
        await temporal_env.sleep(timedelta(days=9))  # the follow-up falls due
        await stack.execute(case_id, c.RecordFollowUp(
            actor="officer-1", at=await stack.now(), outcome="not_satisfied",
            opinion="the fee came back", follow_up="reopen"))
        reopened: ClientView = await client.query(names.VIEW, result_type=ClientView)
        assert reopened.state.open_complaints == frozenset({case_id})
        assert reopened.churn_risk == closed.churn_risk + 10
        await client.terminate(reason="test done")
