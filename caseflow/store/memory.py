"""An event store in memory, for tests that need no SQL: the same contract as PostgreSQL
(tests/store_contract.py), including the hash chain, so verify and audit work on it too."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from caseflow.store.chain import (
    GENESIS_HASH,
    canonical_json,
    content_digest,
    link_hash,
    verify_chain,
)
from caseflow.store.contract import Schemas, category, check_append, same_append_or_raise
from caseflow.store.errors import ConcurrencyError, MalformedEventError, StreamNotFoundError
from caseflow.store.records import NewEvent, RecordedEvent, VerifyReport
from domain.notifications import NotifyItem


class InMemoryEventStore:
    """`read_models`: the stream categories whose rows it keeps (by stream id, as sent)."""

    def __init__(self, schemas: Schemas, read_models: Sequence[str] = ()) -> None:
        self._schemas = schemas
        self._kept = frozenset(read_models)
        self._events: list[RecordedEvent] = []
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._by_id: dict[UUID, RecordedEvent] = {}
        self._lock = asyncio.Lock()
        self.rows: dict[str, dict[str, Any]] = {}
        """Each stream's read-model row."""
        self.outbox: dict[UUID, NotifyItem] = {}

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        read_model: Mapping[str, Any] | None = None,
        notifications: Sequence[NotifyItem] = (),
    ) -> list[RecordedEvent]:
        check_append(stream_id, events, self._schemas)
        if read_model is not None and category(stream_id) not in self._kept:
            raise MalformedEventError(f"no read model is kept for streams like {stream_id!r}")
        async with self._lock:
            known = [self._by_id[e.event_id] for e in events if e.event_id in self._by_id]
            if known:
                return same_append_or_raise(stream_id, events, known)
            stream = self._streams.get(stream_id, [])
            if len(stream) != expected_version:
                raise ConcurrencyError(stream_id, expected_version, len(stream))
            recorded = self._chained(stream_id, stream, events)
            self._streams[stream_id] = [*stream, *recorded]
            self._events += recorded
            self._by_id.update((e.event_id, e) for e in recorded)
            if read_model is not None:
                self.rows[stream_id] = dict(read_model)
            self._queue(notifications)
            return recorded

    def _chained(self, stream_id: str, stream: list[RecordedEvent],
                 events: Sequence[NewEvent]) -> list[RecordedEvent]:
        recorded_at = datetime.now(UTC)
        prev_hash = stream[-1].hash if stream else GENESIS_HASH
        recorded = []
        for offset, event in enumerate(events, start=1):
            version = len(stream) + offset
            digest = content_digest(
                stream_id=stream_id, version=version, event_id=event.event_id, type=event.type,
                schema_version=event.schema_version, data_json=canonical_json(event.data),
                occurred_at=event.occurred_at, recorded_at=recorded_at, actor=event.actor)
            hash_ = link_hash(prev_hash, digest)
            recorded.append(RecordedEvent(
                stream_id=stream_id, version=version,
                global_position=len(self._events) + offset, event_id=event.event_id,
                type=event.type, schema_version=event.schema_version, data=event.data,
                occurred_at=event.occurred_at, recorded_at=recorded_at, actor=event.actor,
                prev_hash=prev_hash, hash=hash_))
            prev_hash = hash_
        return recorded

    def _queue(self, items: Sequence[NotifyItem]) -> None:
        for item in items:
            self.outbox.setdefault(item.notification_id, item)

    async def queue_notifications(self, items: Sequence[NotifyItem]) -> None:
        self._queue(items)

    async def stream_version(self, stream_id: str) -> int:
        return len(self._streams.get(stream_id, []))

    async def read_stream(self, stream_id: str, *, up_to_version: int | None = None,
                          as_of: datetime | None = None) -> list[RecordedEvent]:
        stream = self._streams.get(stream_id)
        if not stream:
            raise StreamNotFoundError(stream_id)
        return [e for e in stream
                if (up_to_version is None or e.version <= up_to_version)
                and (as_of is None or e.occurred_at <= as_of)]

    async def read_all(self, after_position: int = 0, limit: int = 1000
                       ) -> list[RecordedEvent]:
        return self._events[max(after_position, 0):][:limit]

    async def stream_ids(self, prefix: str = "") -> list[str]:
        return sorted(s for s in self._streams if s.startswith(prefix))

    async def verify_stream(self, stream_id: str) -> VerifyReport:
        return verify_chain(stream_id, await self.read_stream(stream_id))
