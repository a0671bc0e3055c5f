"""The append activity: the only way a workflow writes its stream."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError

from eventstore import (
    ConcurrencyError,
    IdempotencyConflictError,
    MalformedEventError,
    NewEvent,
    PostgresEventStore,
    Projector,
)


class AppendRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    expected_version: int
    events: list[NewEvent]


class AppendResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_version: int
    global_positions: list[int]


class EventStoreActivities:
    """Bound to one store; `projectors` keep read models in the append transaction, by stream
    category (the part of the stream id before the first '-')."""

    def __init__(
        self, store: PostgresEventStore, projectors: Mapping[str, Projector] | None = None
    ) -> None:
        self._store = store
        self._projectors = dict(projectors or {})

    @activity.defn(name="append_events")
    async def append_events(self, request: AppendRequest) -> AppendResult:
        category = request.stream_id.split("-", 1)[0]
        try:
            recorded = await self._store.append(
                request.stream_id,
                request.expected_version,
                request.events,
                projector=self._projectors.get(category),
            )
        except (ConcurrencyError, IdempotencyConflictError, MalformedEventError) as exc:
            raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc
        return AppendResult(
            stream_version=recorded[-1].version,
            global_positions=[e.global_position for e in recorded],
        )
