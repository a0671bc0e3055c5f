"""The append activity: the only way a workflow writes its stream. The events, the stream's
read-model row and the notifications the step calls for are written in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities.notify import NotifyItem, queue_notifications
from activities.outage import DependencyWatch
from eventstore import (
    DatabaseUnavailableError,
    EventStoreError,
    NewEvent,
    PostgresEventStore,
    RecordedEvent,
)

ReadModelWriter = Callable[
    [asyncpg.Connection, Sequence[RecordedEvent], dict[str, Any]], Awaitable[None]
]
"""Writes a read model sent with the append, inside the append transaction."""

CONNECTION_LOST = (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError,
                   asyncpg.CannotConnectNowError, DatabaseUnavailableError, TimeoutError)


class AppendRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    expected_version: int
    events: list[NewEvent]
    read_model: dict[str, Any] | None = None
    """The stream's read-model row after these events, for its category's writer."""
    notifications: list[NotifyItem] = []
    """Queued in the outbox with the events, so that they exist if and only if the step does."""


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
        self._database = DependencyWatch("PostgreSQL")

    @activity.defn(name="append_events")
    async def append_events(self, request: AppendRequest) -> AppendResult:
        category = request.stream_id.split("-", 1)[0]
        writer = self._writers.get(category)
        read_model = request.read_model
        notifications = request.notifications

        async def project(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
            if writer is not None and read_model is not None:
                await writer(conn, recorded, read_model)
            await queue_notifications(conn, notifications)

        needs_projection = (writer is not None and read_model is not None) or bool(notifications)
        try:
            recorded = await self._store.append(
                request.stream_id, request.expected_version, request.events,
                projector=project if needs_projection else None)
        except CONNECTION_LOST as exc:
            # Retried by Temporal until the database is back; said once, not per attempt.
            self._database.lost(exc)
            raise ApplicationError(f"PostgreSQL unavailable: {type(exc).__name__}",
                                   type="DatabaseUnavailable",
                                   category=ApplicationErrorCategory.BENIGN) from exc
        except EventStoreError as exc:
            # A refusal (conflict, malformed event): never expected of a workflow that is its
            # stream's single writer; retried (and logged) until IT resolves it, never failed.
            raise ApplicationError(str(exc), type=type(exc).__name__) from exc
        self._database.reached()
        return AppendResult(
            stream_version=recorded[-1].version,
            global_positions=[e.global_position for e in recorded],
            event_ids=[e.event_id for e in recorded],
        )
