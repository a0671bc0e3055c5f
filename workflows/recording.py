"""How a workflow records: append its decided events to its stream (with the read-model row),
and send notifications. Shared by every workflow; runs in the sandbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.eventstore import AppendRequest, AppendResult
    from activities.notify import NotifyItem, NotifyRequest
    from domain.notifications import Notification
    from eventstore.records import NewEvent

# Appends and outbox writes are short, idempotent database writes made on the workflow's behalf:
# local activities (run by this worker, recorded as markers) spare a server round trip per step.
# A local activity re-run after a crash finds its event ids stored and succeeds without a copy.
ACTIVITY_TIMEOUT = timedelta(seconds=30)
ACTIVITY_RETRY = RetryPolicy(
    maximum_interval=timedelta(minutes=1),
    non_retryable_error_types=["ConcurrencyError", "IdempotencyConflictError",
                               "MalformedEventError"],
)


class DomainEvent(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


async def append(
    stream_id: str,
    expected_version: int,
    events: Sequence[DomainEvent],
    read_model: dict[str, Any] | None = None,
) -> None:
    request = AppendRequest(
        stream_id=stream_id,
        expected_version=expected_version,
        read_model=read_model,
        events=[
            NewEvent(event_id=workflow.uuid4(), type=e.type, schema_version=e.schema_version,
                     data=e.model_dump(mode="json"), occurred_at=e.at, actor=e.actor)
            for e in events
        ],
    )
    await workflow.execute_local_activity(
        "append_events", request, result_type=AppendResult,
        start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=ACTIVITY_RETRY,
    )


async def notify(notifications: Sequence[Notification]) -> None:
    if not notifications:
        return
    items = [NotifyItem(notification_id=workflow.uuid4(), notification=n) for n in notifications]
    await workflow.execute_local_activity(
        "notify", NotifyRequest(items=items),
        start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=ACTIVITY_RETRY,
    )
