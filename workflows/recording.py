"""How a workflow decides and records a step: the commands decided in turn on its aggregate's
Decider (a refusal fails the update with its rule), then the decided events, the read-model row
and the notifications they call for, in one append. Shared by every workflow; runs in the
sandbox.

The append is a regular activity, scheduled by the workflow task that decided the step. Its
input (events with their ids and times, the row, the notifications) is therefore in the
workflow's history before anything is written, and a retry after any crash (of the worker, of
Temporal, of PostgreSQL) writes exactly that again, which the store recognises as already done.
Before "append-as-activity-v1" steps were appended by a local activity inside the deciding task:
a worker that died after the append committed and before that task completed left events in the
store that the next attempt decided again with another clock reading (issue 10). Histories from
then keep their local activities on replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from caseflow.store.records import NewEvent
    from domain.decider import Decider
    from domain.errors import DomainError
    from domain.notifications import Notification, NotifyItem
    from workflows import names
    from workflows.ports import AppendRequest, AppendResult, NotifyRequest
    from workflows.requests import rejection

DURABLE_APPEND = "append-as-activity-v1"

E = TypeVar("E")
S = TypeVar("S")
X = TypeVar("X")


def decide_all(decider: Decider[Any, E, S, X], state: S, commands: Sequence[Any], context: X
               ) -> tuple[S, list[E]]:
    """Decide each command on the state the previous one leaves: the state after all of them
    and every event, in order. A refused command fails the update with the rule it breaks."""
    events: list[E] = []
    try:
        for command in commands:
            decided = decider.decide(state, command, context)
            state = decider.fold(decided, state)
            events += decided
    except DomainError as error:
        raise rejection(error) from None
    return state, events

APPEND_TIMEOUT = timedelta(seconds=10)
"""An append is one statement; a slower attempt is retried (harmless: appends are idempotent)."""
APPEND_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=1))
"""Every failure is retried, for as long as it takes: a workflow never fails on its own append.
An outage waits it out; a refusal that cannot heal (a conflict: someone wrote into the stream
behind the workflow's back) keeps the case waiting, logged at each attempt, for IT to resolve."""

LOCAL_TIMEOUT = timedelta(seconds=30)
LOCAL_RETRY = RetryPolicy(
    maximum_interval=timedelta(minutes=1),
    non_retryable_error_types=["ConcurrencyError", "IdempotencyConflictError",
                               "MalformedEventError"],
)
"""Only for histories from before DURABLE_APPEND, which must replay as they ran."""


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


async def record(
    stream_id: str,
    expected_version: int,
    events: Sequence[DomainEvent],
    read_model: dict[str, Any] | None,
    notifications: Sequence[Notification],
) -> None:
    """Store a decided step: its events after `expected_version`, with its read-model row and
    its notifications, all or nothing."""
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
    if not workflow.patched(DURABLE_APPEND):
        await _record_in_task(request, notifications)
        return
    items = [NotifyItem(notification_id=workflow.uuid4(), notification=n) for n in notifications]
    await workflow.execute_activity(
        names.APPEND_EVENTS, request.model_copy(update={"notifications": items}),
        result_type=AppendResult, start_to_close_timeout=APPEND_TIMEOUT,
        retry_policy=APPEND_RETRY,
    )


async def report_stopped(stream_id: str, outlet: str | None, failure: Exception) -> None:
    """Alert the supervisors of the outlet that a workflow is failing (its reason, no personal
    data), through the outbox; the workflow fails right after."""
    alert = Notification(
        kind="process_stopped", stream_id=stream_id,
        recipients=(f"supervisor@{outlet or 'unknown-outlet'}",),
        subject=f"{stream_id}: its process stopped and takes no more steps",
        body=f"{type(failure).__name__}: {failure}. It needs IT before it can go on.")
    await workflow.execute_activity(
        names.NOTIFY,
        NotifyRequest(items=[NotifyItem(notification_id=workflow.uuid4(), notification=alert)]),
        start_to_close_timeout=APPEND_TIMEOUT, retry_policy=APPEND_RETRY)


async def _record_in_task(request: AppendRequest, notifications: Sequence[Notification]) -> None:
    """The recording of histories from before DURABLE_APPEND: two local activities."""
    await workflow.execute_local_activity(
        names.APPEND_EVENTS, request, result_type=AppendResult,
        start_to_close_timeout=LOCAL_TIMEOUT, retry_policy=LOCAL_RETRY,
    )
    if not notifications:
        return
    items = [NotifyItem(notification_id=workflow.uuid4(), notification=n) for n in notifications]
    await workflow.execute_local_activity(
        names.NOTIFY, NotifyRequest(items=items),
        start_to_close_timeout=LOCAL_TIMEOUT, retry_policy=LOCAL_RETRY,
    )
