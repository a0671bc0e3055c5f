"""The event-store contract: what every store caseflow runs on promises, and the checks they
share. `tests/store_contract.py` is one test suite run against every implementation (as the
eventsourcing library runs one abstract suite against every recorder)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from caseflow.store.errors import IdempotencyConflictError, MalformedEventError
from caseflow.store.records import NewEvent, RecordedEvent, VerifyReport
from domain.notifications import NotifyItem

Schemas = Mapping[tuple[str, int], type[BaseModel]]
"""Every event type a store accepts, by (type, schema version). Always given: a store never
writes an event it cannot validate."""


class EventStore(Protocol):
    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        read_model: Mapping[str, Any] | None = None,
        notifications: Sequence[NotifyItem] = (),
    ) -> list[RecordedEvent]:
        """Append after `expected_version` (0: a new stream), atomically with the stream's
        read-model row (for its category: the stream id before the first '-') and the
        notifications the step sends. The same append again returns the stored records and
        writes nothing; an event id reused for other content is an IdempotencyConflictError;
        another writer at that version, a ConcurrencyError."""
        ...

    async def queue_notifications(self, items: Sequence[NotifyItem]) -> None:
        """Notifications without events (histories of the older design): each stored once."""
        ...

    async def stream_version(self, stream_id: str) -> int: ...

    async def read_stream(self, stream_id: str, *, up_to_version: int | None = None,
                          as_of: datetime | None = None) -> list[RecordedEvent]:
        """In version order; a StreamNotFoundError for a stream with no events."""
        ...

    async def read_all(self, after_position: int = 0, limit: int = 1000
                       ) -> list[RecordedEvent]: ...

    async def stream_ids(self, prefix: str = "") -> list[str]: ...

    async def verify_stream(self, stream_id: str) -> VerifyReport: ...


def check_append(stream_id: str, events: Sequence[NewEvent], schemas: Schemas) -> None:
    """What every store refuses before writing anything."""
    if not stream_id:
        raise MalformedEventError("stream id must not be empty")
    if not events:
        raise MalformedEventError("append needs at least one event")
    if len({e.event_id for e in events}) != len(events):
        raise MalformedEventError("the same event id appears twice in one append")
    for event in events:
        schema = schemas.get((event.type, event.schema_version))
        if schema is None:
            raise MalformedEventError(
                f"unknown event type {event.type!r} at schema version {event.schema_version}")
        try:
            schema.model_validate(event.data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'data'}: {err['msg']}"
                for err in exc.errors())
            raise MalformedEventError(
                f"event {event.event_id} of type {event.type!r} does not match its schema: "
                f"{problems}") from exc


def same_append_or_raise(
    stream_id: str, events: Sequence[NewEvent], existing: Sequence[RecordedEvent]
) -> list[RecordedEvent]:
    """Events whose ids are already stored: this same append again (its stored records), or a
    conflict."""
    stored = {r.event_id: r for r in existing}
    if len(stored) != len(events):
        raise IdempotencyConflictError(
            f"{len(stored)} of the {len(events)} event ids are already stored: "
            "an append must be retried whole, never in part")
    for event in events:
        previous = stored[event.event_id]
        if (previous.stream_id, previous.type, previous.data) != (
            stream_id, event.type, event.data,
        ):
            raise IdempotencyConflictError(
                f"event id {event.event_id} is already stored with other content "
                f"(stream {previous.stream_id!r}, type {previous.type!r})")
    return sorted(stored.values(), key=lambda e: e.version)


def category(stream_id: str) -> str:
    return stream_id.split("-", 1)[0]
