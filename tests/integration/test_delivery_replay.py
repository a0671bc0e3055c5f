"""Replay of deliveries: DeliveryWorkflow histories (a notice delivered and recorded on its
case; a notice that could not be delivered, which alerts the supervisors) and the case that
records what became of its notice, made in this run and committed under tests/histories/.
After a deliberate change, record them again: CASEFLOW_RECORD_HISTORIES=1 ./dev.sh test -k
delivery_replay"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import asyncpg
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from domain.complaint import commands as c
from domain.notifications import ClientContact
from tests.complaint_fixtures import register
from tests.complaint_stack import ComplaintStack, complaint_stack
from tests.payload_keys import CONVERTER
from tests.waiting import until
from workflows.complaint import ComplaintWorkflow
from workflows.complaint_messages import workflow_id
from workflows.delivery import DeliveryWorkflow
from workflows.ports import delivery_workflow_id
from workflows.registry import SANDBOX_RUNNER

GOLDEN = Path(__file__).parents[1] / "histories"
NAMES = ("delivery_notice_delivered", "delivery_notice_failed", "complaint_client_notice")


def replayer() -> Replayer:
    return Replayer(workflows=[ComplaintWorkflow, DeliveryWorkflow], data_converter=CONVERTER,
                    workflow_runner=SANDBOX_RUNNER)


async def _case(stack: ComplaintStack, pool: asyncpg.Pool, contact: ClientContact | None
                ) -> tuple[str, str]:
    """A case whose acknowledgement was delivered (or not): its workflow id and the id of the
    acknowledgement's DeliveryWorkflow, once the case has recorded the outcome."""
    now = await stack.now()
    case_id = f"replay-notice-{uuid.uuid4().hex[:8]}"
    await stack.register(register(at=now, received_at=now, case_id=case_id, contact=contact))

    async def recorded() -> bool:
        return bool((await stack.view(case_id)).state.client_notices)

    await until(recorded)
    async with pool.acquire() as conn:
        notification = await conn.fetchval(
            "SELECT notification_id FROM outbox WHERE stream_id = $1 AND kind = $2",
            workflow_id(case_id), "acknowledgement")
    await stack.execute(case_id, c.Withdraw(actor="officer-1", at=await stack.now(),
                                            reason="replay scenario done"))
    await stack.env.client.get_workflow_handle(workflow_id(case_id)).result()
    delivery = stack.env.client.get_workflow_handle(delivery_workflow_id(notification))
    await delivery.result()
    return workflow_id(case_id), delivery.id


async def test_deliveries_replay_against_current_code(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    async with complaint_stack(temporal_env, pool, deliver=True) as stack:
        told_case, told = await _case(stack, pool, ClientContact(mobile="13900000001"))
        _, untold = await _case(stack, pool, None)
        ids = dict(zip(NAMES, (told, untold, told_case), strict=True))
        histories = {name: await temporal_env.client.get_workflow_handle(wid).fetch_history()
                     for name, wid in ids.items()}
    for name, history in histories.items():
        result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
    if os.environ.get("CASEFLOW_RECORD_HISTORIES") == "1":
        for name, history in histories.items():
            (GOLDEN / f"{name}.json").write_text(history.to_json(), encoding="utf-8")


async def test_committed_delivery_histories_replay() -> None:
    for name in NAMES:
        path = GOLDEN / f"{name}.json"
        history = WorkflowHistory.from_json(name, path.read_text(encoding="utf-8"))
        result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
