"""The event store on PostgreSQL through asyncpg."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from pydantic import BaseModel, ValidationError

from eventstore.chain import GENESIS_HASH, event_hash
from eventstore.errors import (
    ConcurrencyError,
    DatabaseUnavailableError,
    IdempotencyConflictError,
    MalformedEventError,
    StreamNotFoundError,
)
from eventstore.migrate import migrate
from eventstore.records import BrokenLink, NewEvent, RecordedEvent, VerifyReport

# Held to commit by every append so that global positions become visible in order: a reader that
# saw position N never later sees a new event below N (projections and auditors rely on this).
_APPEND_LOCK = 7_403_118

Projector = Callable[[asyncpg.Connection, Sequence[RecordedEvent]], Awaitable[None]]
"""Runs inside the append transaction: read models change if and only if the events are stored."""

_COLUMNS = (
    "stream_id, version, global_position, event_id, type, schema_version, data, "
    "occurred_at, recorded_at, actor, prev_hash, hash"
)


def _record(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent.model_validate(dict(row))


def redact_dsn(dsn: str) -> str:
    parts = urlsplit(dsn)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return dsn


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def connect_pool(dsn: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    """Open a pool and bring the schema up to date, or raise DatabaseUnavailableError."""
    try:
        pool = await asyncpg.create_pool(
            dsn, min_size=min_size, max_size=max_size, init=_init_connection, timeout=10
        )
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise DatabaseUnavailableError(
            f"cannot reach PostgreSQL at {redact_dsn(dsn)}: {type(exc).__name__}: {exc}"
        ) from exc
    async with pool.acquire() as conn:
        await migrate(conn)
    return pool


class PostgresEventStore:
    """Append-only streams with optimistic concurrency, idempotent appends and a hash chain."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        schemas: Mapping[tuple[str, int], type[BaseModel]] | None = None,
    ) -> None:
        self._pool = pool
        self._schemas = schemas

    # -- writing ---------------------------------------------------------------------------------

    def _validate(self, events: Sequence[NewEvent]) -> None:
        if self._schemas is None:
            return
        for event in events:
            schema = self._schemas.get((event.type, event.schema_version))
            if schema is None:
                raise MalformedEventError(
                    f"unknown event type {event.type!r} at schema version {event.schema_version}"
                )
            try:
                schema.model_validate(event.data)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in err['loc']) or 'data'}: {err['msg']}"
                    for err in exc.errors()
                )
                raise MalformedEventError(
                    f"event {event.event_id} of type {event.type!r} does not match its schema: "
                    f"{problems}"
                ) from exc

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        projector: Projector | None = None,
    ) -> list[RecordedEvent]:
        """Append events after `expected_version` (0 for a new stream); return them as recorded.

        Re-appending events that are already stored, as this same append, returns the stored
        records without writing: an activity retried after a lost reply never duplicates.
        """
        if not stream_id:
            raise MalformedEventError("stream id must not be empty")
        if not events:
            raise MalformedEventError("append needs at least one event")
        if len({e.event_id for e in events}) != len(events):
            raise MalformedEventError("the same event id appears twice in one append")
        self._validate(events)
        try:
            return await self._append_once(stream_id, expected_version, events, projector)
        except asyncpg.UniqueViolationError:
            # Someone committed at this version meanwhile. The second pass tells which case it is:
            # our own events (a concurrent retry: success) or another writer's (ConcurrencyError).
            return await self._append_once(stream_id, expected_version, events, projector)

    async def _append_once(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        projector: Projector | None,
    ) -> list[RecordedEvent]:
        ids = [e.event_id for e in events]
        async with self._pool.acquire() as conn, conn.transaction():
            existing = await conn.fetch(
                f"SELECT {_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY version",
                ids,
            )
            if existing:
                return self._same_append_or_raise(stream_id, events, existing)
            head = await conn.fetchrow(
                "SELECT version, hash FROM events WHERE stream_id = $1 "
                "ORDER BY version DESC LIMIT 1",
                stream_id,
            )
            current, prev_hash = (head["version"], head["hash"]) if head else (0, GENESIS_HASH)
            if current != expected_version:
                raise ConcurrencyError(stream_id, expected_version, current)
            recorded_at = datetime.now(UTC)
            rows: list[tuple[Any, ...]] = []
            for offset, event in enumerate(events, start=1):
                version = expected_version + offset
                digest = event_hash(
                    stream_id=stream_id, version=version, event_id=event.event_id,
                    type=event.type, schema_version=event.schema_version, data=event.data,
                    occurred_at=event.occurred_at, recorded_at=recorded_at, actor=event.actor,
                    prev_hash=prev_hash,
                )
                rows.append((stream_id, version, event.event_id, event.type,
                             event.schema_version, json.dumps(event.data), event.occurred_at,
                             recorded_at, event.actor, prev_hash, digest))
                prev_hash = digest
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _APPEND_LOCK)
            stored = await conn.fetch(
                f"""
                INSERT INTO events (stream_id, version, event_id, type, schema_version, data,
                                    occurred_at, recorded_at, actor, prev_hash, hash)
                SELECT s, v, i, t, sv, d::jsonb, o, r, a, p, h
                FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::int[], $6::text[],
                            $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[],
                            $11::text[]) AS u(s, v, i, t, sv, d, o, r, a, p, h)
                RETURNING {_COLUMNS}
                """,
                *(list(column) for column in zip(*rows, strict=True)),
            )
            recorded = sorted((_record(r) for r in stored), key=lambda e: e.version)
            if projector is not None:
                await projector(conn, recorded)
            return recorded

    @staticmethod
    def _same_append_or_raise(
        stream_id: str, events: Sequence[NewEvent], existing: Sequence[asyncpg.Record]
    ) -> list[RecordedEvent]:
        stored = {r["event_id"]: _record(r) for r in existing}
        if len(stored) != len(events):
            raise IdempotencyConflictError(
                f"{len(stored)} of the {len(events)} event ids are already stored: "
                "an append must be retried whole, never in part"
            )
        for event in events:
            previous = stored[event.event_id]
            if (previous.stream_id, previous.type, previous.data) != (
                stream_id, event.type, event.data,
            ):
                raise IdempotencyConflictError(
                    f"event id {event.event_id} is already stored with other content "
                    f"(stream {previous.stream_id!r}, type {previous.type!r})"
                )
        return sorted(stored.values(), key=lambda e: e.version)

    # -- reading ---------------------------------------------------------------------------------

    async def stream_version(self, stream_id: str) -> int:
        async with self._pool.acquire() as conn:
            version = await conn.fetchval(
                "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1", stream_id
            )
        return int(version)

    async def read_stream(
        self,
        stream_id: str,
        *,
        up_to_version: int | None = None,
        as_of: datetime | None = None,
    ) -> list[RecordedEvent]:
        """A stream in version order, optionally only up to a version or an occurrence time."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1"
                " AND ($2::int IS NULL OR version <= $2)"
                " AND ($3::timestamptz IS NULL OR occurred_at <= $3)"
                " ORDER BY version",
                stream_id, up_to_version, as_of,
            )
            if not rows and not await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM events WHERE stream_id = $1)", stream_id
            ):
                raise StreamNotFoundError(stream_id)
        return [_record(r) for r in rows]

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Events of every stream after a global position, in global order."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT {_COLUMNS} FROM events WHERE global_position > $1"
                " ORDER BY global_position LIMIT $2",
                after_position, limit,
            )
        return [_record(r) for r in rows]

    async def stream_ids(self, prefix: str = "") -> list[str]:
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE $1 || '%' ORDER BY 1",
                prefix,
            )
        return [r["stream_id"] for r in rows]

    # -- verifying -------------------------------------------------------------------------------

    async def verify_stream(self, stream_id: str) -> VerifyReport:
        """Walk a stream's chain; name the first broken link (gap, reorder, edit, bad link)."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY version", stream_id
            )
        if not rows:
            raise StreamNotFoundError(stream_id)
        return verify_chain(stream_id, [_record(r) for r in rows])


def verify_chain(stream_id: str, events: Sequence[RecordedEvent]) -> VerifyReport:
    prev_hash = GENESIS_HASH
    for expected_version, event in enumerate(events, start=1):
        problem = _link_problem(event, expected_version, prev_hash)
        if problem is not None:
            link = BrokenLink(stream_id=stream_id, version=event.version,
                              global_position=event.global_position, problem=problem)
            return VerifyReport(stream_id=stream_id, events_checked=expected_version, broken=link)
        prev_hash = event.hash
    return VerifyReport(stream_id=stream_id, events_checked=len(events))


def _link_problem(event: RecordedEvent, expected_version: int, prev_hash: str) -> str | None:
    if event.version != expected_version:
        return f"version {expected_version} is missing (found {event.version})"
    if event.prev_hash != prev_hash:
        return "prev_hash does not match the hash of the previous event"
    recomputed = event_hash(
        stream_id=event.stream_id, version=event.version, event_id=event.event_id,
        type=event.type, schema_version=event.schema_version, data=event.data,
        occurred_at=event.occurred_at, recorded_at=event.recorded_at, actor=event.actor,
        prev_hash=event.prev_hash,
    )
    if recomputed != event.hash:
        return "content does not match its hash (the row was altered)"
    return None
