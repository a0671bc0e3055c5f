"""The event store on PostgreSQL through asyncpg."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

import asyncpg
from pydantic import BaseModel, ValidationError

from eventstore.chain import GENESIS_HASH, canonical_json, content_digest, link_hash
from eventstore.errors import (
    ConcurrencyError,
    DatabaseUnavailableError,
    IdempotencyConflictError,
    MalformedEventError,
    StreamNotFoundError,
)
from eventstore.migrate import migrate
from eventstore.records import BrokenLink, NewEvent, RecordedEvent, VerifyReport

_APPEND_SQL = "SELECT * FROM caseflow_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"

Projector = Callable[[asyncpg.Connection, Sequence[RecordedEvent]], Awaitable[None]]
"""Runs inside the append transaction: read models change if and only if the events are stored."""

_COLUMNS = (
    "stream_id, version, global_position, event_id, type, schema_version, data, "
    "occurred_at, recorded_at, actor, prev_hash, hash"
)


MAX_VERSION = 2**31 - 1


def _record(row: asyncpg.Record) -> RecordedEvent:
    # Rows come from our own table with its constraints: no need to validate them again.
    return RecordedEvent.model_construct(**dict(row))


def redact_dsn(dsn: str) -> str:
    parts = urlsplit(dsn)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return dsn


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Skip asyncpg's reset query on release (a round trip per use): the store leaves no session
    state behind (no LISTEN, no session locks or settings; its advisory lock is per transaction)."""


async def connect_pool(dsn: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    """Open a pool and bring the schema up to date, or raise DatabaseUnavailableError."""
    try:
        pool = await asyncpg.create_pool(
            dsn, min_size=min_size, max_size=max_size, init=_init_connection,
            reset=_keep_session, timeout=10,
        )
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise DatabaseUnavailableError(
            f"cannot reach PostgreSQL at {redact_dsn(dsn)}: {type(exc).__name__}: {exc}"
        ) from exc
    async with pool.acquire() as conn:
        await migrate(conn)
    return pool


def _as_recorded(
    stream_id: str,
    events: Sequence[NewEvent],
    recorded_at: datetime,
    rows: Sequence[asyncpg.Record],
) -> list[RecordedEvent]:
    """What was just written: our inputs and what the database added (version, position, hash)."""
    by_id = {r["event_id"]: r for r in rows}
    return [
        RecordedEvent.model_construct(
            stream_id=stream_id, version=by_id[e.event_id]["version"],
            global_position=by_id[e.event_id]["global_position"], event_id=e.event_id,
            type=e.type, schema_version=e.schema_version, data=e.data,
            occurred_at=e.occurred_at, recorded_at=recorded_at, actor=e.actor,
            prev_hash=by_id[e.event_id]["prev_hash"], hash=by_id[e.event_id]["hash"],
        )
        for e in events
    ]


class PostgresEventStore:
    """Append-only streams with optimistic concurrency, idempotent appends and a hash chain."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        schemas: Mapping[tuple[str, int], type[BaseModel]] | None = None,
    ) -> None:
        self._pool = pool
        self._schemas = schemas

    @property
    def pool(self) -> asyncpg.Pool:
        return self._pool

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
        recorded_at = datetime.now(UTC)
        data_json = [canonical_json(e.data) for e in events]
        digests = [
            content_digest(
                stream_id=stream_id, version=expected_version + offset, event_id=e.event_id,
                type=e.type, schema_version=e.schema_version, data_json=data,
                occurred_at=e.occurred_at, recorded_at=recorded_at, actor=e.actor,
            )
            for offset, (e, data) in enumerate(zip(events, data_json, strict=True), start=1)
        ]
        args = (
            stream_id, expected_version, [e.event_id for e in events], [e.type for e in events],
            [e.schema_version for e in events], data_json, [e.occurred_at for e in events],
            recorded_at, [e.actor for e in events], digests,
        )
        recorded: list[RecordedEvent] | None = None  # None: the ids were already stored
        async with self._pool.acquire() as conn:
            try:
                if projector is None:  # a single statement is its own transaction
                    rows = await conn.fetch(_APPEND_SQL, *args)
                    if not rows[0]["existed"]:
                        recorded = _as_recorded(stream_id, events, recorded_at, rows)
                else:
                    async with conn.transaction():
                        rows = await conn.fetch(_APPEND_SQL, *args)
                        if not rows[0]["existed"]:
                            recorded = _as_recorded(stream_id, events, recorded_at, rows)
                            await projector(conn, recorded)
            except asyncpg.PostgresError as exc:
                if exc.sqlstate == "CF409":
                    actual = int(getattr(exc, "detail", None) or -1)
                    raise ConcurrencyError(stream_id, expected_version, actual) from exc
                raise
            if recorded is None:
                stored = await conn.fetch(
                    f"SELECT {_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[])",
                    [r["event_id"] for r in rows],
                )
                return self._same_append_or_raise(stream_id, events, [_record(r) for r in stored])
        return recorded

    @staticmethod
    def _same_append_or_raise(
        stream_id: str, events: Sequence[NewEvent], existing: Sequence[RecordedEvent]
    ) -> list[RecordedEvent]:
        stored = {r.event_id: r for r in existing}
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
        if up_to_version is not None:  # versions are PostgreSQL integers: beyond is "all"
            up_to_version = min(up_to_version, MAX_VERSION)
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
    digest = content_digest(
        stream_id=event.stream_id, version=event.version, event_id=event.event_id,
        type=event.type, schema_version=event.schema_version,
        data_json=canonical_json(event.data), occurred_at=event.occurred_at,
        recorded_at=event.recorded_at, actor=event.actor,
    )
    if link_hash(event.prev_hash, digest) != event.hash:
        return "content does not match its hash (the row was altered)"
    return None
