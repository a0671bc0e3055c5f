"""What a workflow's Temporal history says it decided: the event ids of each append."""

from __future__ import annotations

import json
from collections.abc import Sequence
from uuid import UUID

from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter
from temporalio.service import RPCError, RPCStatusCode

from workflows import names
from workflows.ports import AppendResult

APPEND_ACTIVITY = names.APPEND_EVENTS


async def run_histories(client: Client, workflow_id: str) -> tuple[list[WorkflowHistory], bool]:
    """The histories of every run of a workflow, oldest first, following continue-as-new back
    from the latest run; and whether the chain is complete (False when an older run's history
    is gone, e.g. past retention). Raises RPCError NOT_FOUND when even the latest is gone."""
    histories = [await client.get_workflow_handle(workflow_id).fetch_history()]
    while True:
        started = histories[0].events[0].workflow_execution_started_event_attributes
        previous = started.continued_execution_run_id
        if not previous:
            return histories, True
        try:
            histories.insert(0, await client.get_workflow_handle(
                workflow_id, run_id=previous).fetch_history())
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            return histories, False


async def decided_event_ids(
    history: WorkflowHistory, converter: DataConverter = pydantic_data_converter
) -> list[UUID] | None:
    """Event ids of every completed append, in order: from the append activities' results
    (and, in histories from before appends were regular activities, from the local-activity
    markers); None when an append's result predates recorded event ids, so the history cannot
    tell. The converter opens payloads sealed by the payload codec (caseflow/codec.py)."""
    decided: list[UUID] = []
    appends: set[int] = set()  # ids of the ActivityTaskScheduled events of appends
    for event in history.events:
        result_payloads: Sequence[Payload] = ()
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled = event.activity_task_scheduled_event_attributes
            if scheduled.activity_type.name == APPEND_ACTIVITY:
                appends.add(event.event_id)
            continue
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            completed = event.activity_task_completed_event_attributes
            if completed.scheduled_event_id not in appends:
                continue
            result_payloads = completed.result.payloads[:1]
        elif event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            details = event.marker_recorded_event_attributes.details
            if "data" not in details or "result" not in details:
                continue  # a failed attempt, or another kind of marker
            [data] = await _opened(converter, details["data"].payloads[:1])
            if json.loads(data.data).get("activity_type") != APPEND_ACTIVITY:
                continue
            result_payloads = details["result"].payloads[:1]
        else:
            continue
        [result] = await converter.decode(result_payloads, [AppendResult])
        if not result.event_ids:
            return None
        decided += result.event_ids
    return decided


async def _opened(converter: DataConverter, payloads: Sequence[Payload]) -> list[Payload]:
    if converter.payload_codec is None:
        return list(payloads)
    return await converter.payload_codec.decode(payloads)
