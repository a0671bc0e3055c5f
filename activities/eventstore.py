"""The append activity: the only way a workflow writes its stream."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError

from eventstore import (
    ConcurrencyError,
    IdempotencyConflictError,
    MalformedEventError,
    NewEvent,
    PostgresEventStore,
    RecordedEvent,
)

ReadModelWriter = Callable[
    [asyncpg.Connection, Sequence[RecordedEvent], dict[str, Any]], Awaitable[None]
]
"""Writes a read model sent with the append, inside the append transaction."""


class AppendRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    expected_version: int
    events: list[NewEvent]
    read_model: dict[str, Any] | None = None
    """The stream's read-model row after these events, for its category's writer."""


class AppendResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_version: int
    global_positions: list[int]
    event_ids: list[UUID] = []
    """Recorded in the workflow's history: what an auditor compares the store against. Empty
    in histories recorded before the field existed: they must still decode (replay)."""


class EventStoreActivities:
    """Bound to one store; `writers` keep read models in the append transaction, by stream
    category (the part of the stream id before the first '-')."""

    def __init__(
        self, store: PostgresEventStore, writers: Mapping[str, ReadModelWriter] | None = None
    ) -> None:
        self._store = store
        self._writers = dict(writers or {})

    @activity.defn(name="append_events")
    async def append_events(self, request: AppendRequest) -> AppendResult:
        category = request.stream_id.split("-", 1)[0]
        writer = self._writers.get(category)
        read_model = request.read_model

        async def project(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
            if writer is not None and read_model is not None:
                await writer(conn, recorded, read_model)

        try:
            recorded = await self._store.append(
                request.stream_id,
                request.expected_version,
                request.events,
                projector=project if writer is not None and read_model is not None else None,
            )
        except (ConcurrencyError, IdempotencyConflictError, MalformedEventError) as exc:
            raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc
        return AppendResult(
            stream_version=recorded[-1].version,
            global_positions=[e.global_position for e in recorded],
            event_ids=[e.event_id for e in recorded],
        )
