"""A complaint tells its client's relationship workflow: churn risk rises while it is open, and
an SLA breach makes a care contact due at once."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import asyncpg
from temporalio.testing import WorkflowEnvironment

from caseflow.bootstrap import event_store
from domain.client import ClientPolicy
from domain.client import commands as cc
from domain.client.model import Assessment
from domain.complaint import commands as c
from domain.tier import ClientTier
from tests.complaint_fixtures import register
from tests.complaint_stack import complaint_stack
from tests.payload_keys import CONVERTER
from workflows.client import ClientWorkflow
from workflows.client_messages import ClientInput, ClientView, client_workflow_id


async def test_complaint_raises_churn_risk_and_breach_schedules_care(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    store = event_store(pool)
    async with complaint_stack(temporal_env, pool) as stack:
        client_id = f"K-{uuid.uuid4().hex[:8]}"
        now = await stack.now()
        client = await temporal_env.client.start_workflow(
            ClientWorkflow.run,
            ClientInput(identify=cc.Identify(
                actor="lobby-1", at=now, client_id=client_id,
                assessment=Assessment(deposits_10k=Decimal(250), loans_10k=Decimal(0),
                                      intermediary_products=0, family=0, occupation=0,
                                      social_standing=0)), policy=ClientPolicy()),
            id=client_workflow_id(client_id), task_queue=stack.task_queue)
        before: ClientView = await client.query("view", result_type=ClientView)
        assert before.churn_risk == 62  # one product (the deposit)

        case_id = f"L-{uuid.uuid4().hex[:8]}"
        await stack.register(register(
            at=now, received_at=now, case_id=case_id, client_id=client_id,
            client_tier=ClientTier.CORE_PREMIUM, relationship_manager="rm-1"))
        await stack.execute(case_id, c.AssignHandler(actor="lobby-1", at=now,
                                                             handler="officer-1"))
        opened: ClientView = await client.query("view", result_type=ClientView)
        assert opened.state.open_complaints == frozenset({case_id})
        assert opened.churn_risk == 72

        deadline = (await stack.view(case_id)).state.deadline
        assert deadline is not None
        await temporal_env.sleep(deadline.due_at - await stack.now() + timedelta(minutes=5))
        breached: ClientView = await client.query("view", result_type=ClientView)
        assert breached.churn_risk == 92
        client_events = await store.read_stream(client.id)
        care = [e for e in client_events if e.type == "contact_due"][-1]
        assert deadline.due_at <= care.occurred_at < deadline.due_at + timedelta(minutes=5)
        assert care.data["alerted"] == ["outlet-head"]  # no sale yet: no named manager

        await stack.execute(case_id, c.Withdraw(actor="lobby-1", at=await stack.now(),
                                                        reason="resolved with the client"))
        await stack.env.client.get_workflow_handle(f"complaint-{case_id}").result()
        closed: ClientView = await client.query("view", result_type=ClientView)
        assert closed.state.open_complaints == frozenset() and closed.churn_risk == 62
        await client.terminate(reason="test done")


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
