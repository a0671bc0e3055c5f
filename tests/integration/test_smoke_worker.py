"""A worker on the time-skipping test server runs a trivial workflow that appends to a store (the
in-memory one: the test needs no SQL)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from pydantic import BaseModel
from temporalio import workflow
from temporalio.testing import WorkflowEnvironment

# The sandbox re-imports this module for each run: infrastructure imports must pass through.
with workflow.unsafe.imports_passed_through():
    from caseflow.store import InMemoryEventStore, NewEvent
    from tests.complaint_stack import parts_for
    from workflows import names
    from workflows.ports import AppendRequest, AppendResult


@workflow.defn
class PingWorkflow:
    @workflow.run
    async def run(self, stream_id: str) -> AppendResult:
        await workflow.sleep(timedelta(days=3))  # skipped by the test server, not waited
        event = NewEvent(
            event_id=workflow.uuid4(), type="pinged", schema_version=1, data={"ok": True},
            occurred_at=workflow.now(), actor="system",
        )
        result: AppendResult = await workflow.execute_activity(
            names.APPEND_EVENTS,
            AppendRequest(stream_id=stream_id, expected_version=0, events=[event]),
            result_type=AppendResult, start_to_close_timeout=timedelta(seconds=30),
        )
        return result


class Pinged(BaseModel):
    ok: bool


async def test_worker_runs_a_workflow_end_to_end(
    temporal_env: WorkflowEnvironment, task_queue: str
) -> None:
    stream_id = f"ping-{uuid.uuid4()}"
    store = InMemoryEventStore({("pinged", 1): Pinged})
    parts = parts_for(temporal_env.client, None, store=store, task_queue=task_queue)
    async with parts.worker(workflows=[PingWorkflow]):
        result = await temporal_env.client.execute_workflow(
            PingWorkflow.run, stream_id, id=stream_id, task_queue=task_queue
        )
    assert result.stream_version == 1
    [stored] = await store.read_stream(stream_id)
    assert stored.type == "pinged" and stored.actor == "system"
    assert (await store.verify_stream(stream_id)).ok
