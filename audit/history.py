"""What a workflow's Temporal history says it decided: the event ids of each append."""

from __future__ import annotations

import json
from uuid import UUID

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from activities.eventstore import AppendResult

APPEND_ACTIVITY = "append_events"


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
