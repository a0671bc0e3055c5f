"""What a workflow's Temporal history says it decided: the event ids of each append."""

from __future__ import annotations

import json
from uuid import UUID

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode

from activities.eventstore import AppendResult

APPEND_ACTIVITY = "append_events"


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


def decided_event_ids(history: WorkflowHistory) -> list[UUID] | None:
    """Event ids of every completed append, in order (from the local-activity markers); None
    when an append's result predates recorded event ids, so the history cannot tell."""
    decided: list[UUID] = []
    converter = pydantic_data_converter.payload_converter
    for event in history.events:
        if event.event_type != EventType.EVENT_TYPE_MARKER_RECORDED:
            continue
        details = event.marker_recorded_event_attributes.details
        if "data" not in details or "result" not in details:
            continue  # a failed attempt, or another kind of marker
        marker = json.loads(details["data"].payloads[0].data)
        if marker.get("activity_type") != APPEND_ACTIVITY:
            continue
        result = converter.from_payload(details["result"].payloads[0], AppendResult)
        if not result.event_ids:
            return None
        decided += result.event_ids
    return decided
