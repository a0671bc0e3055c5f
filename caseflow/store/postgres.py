"""The event store on PostgreSQL through asyncpg."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from caseflow.store.chain import canonical_json, content_digest, verify_chain
from caseflow.store.contract import Schemas, category, check_append, same_append_or_raise
from caseflow.store.errors import (
    ConcurrencyError,
    DatabaseUnavailableError,
    MalformedEventError,
    StreamNotFoundError,
)
from caseflow.store.migrate import migrate
from caseflow.store.outbox import queue_notifications
from caseflow.store.records import NewEvent, RecordedEvent, VerifyReport
from domain.notifications import NotifyItem

_APPEND_SQL = "SELECT * FROM caseflow_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"

Projector = Callable[[asyncpg.Connection, Sequence[RecordedEvent]], Awaitable[None]]
"""Runs inside the append transaction: read models change if and only if the events are stored."""
ReadModelWriter = Callable[
    [asyncpg.Connection, Sequence[RecordedEvent], dict[str, Any]], Awaitable[None]]
"""Writes a stream's read-model row (sent with the append) inside the append transaction."""

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
        schemas: Schemas,
        read_models: Mapping[str, ReadModelWriter] | None = None,
    ) -> None:
        """`read_models`: the writer of each stream category's row, run in the append
        transaction."""
        self._pool = pool
        self._schemas = schemas
        self._read_models = dict(read_models or {})

    @property
    def pool(self) -> asyncpg.Pool:
        return self._pool

    # -- writing ---------------------------------------------------------------------------------

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *,
        read_model: Mapping[str, Any] | None = None,
        notifications: Sequence[NotifyItem] = (),
    ) -> list[RecordedEvent]:
        """See EventStore.append. One round trip without a read model or notifications; with
        them, one transaction."""
        check_append(stream_id, events, self._schemas)
        writer = None
        if read_model is not None:
            writer = self._read_models.get(category(stream_id))
            if writer is None:
                raise MalformedEventError(
                    f"no read model is kept for streams like {stream_id!r}")
        projector: Projector | None = None
        if writer is not None or notifications:
            async def projector(conn: asyncpg.Connection,
                                recorded: Sequence[RecordedEvent]) -> None:
                if writer is not None and read_model is not None:
                    await writer(conn, recorded, dict(read_model))
                await queue_notifications(conn, notifications)
        try:
            return await self._append_once(stream_id, expected_version, events, projector)
        except asyncpg.UniqueViolationError:
            # Someone committed at this version meanwhile. The second pass tells which case it is:
            # our own events (a concurrent retry: success) or another writer's (ConcurrencyError).
            return await self._append_once(stream_id, expected_version, events, projector)

    async def queue_notifications(self, items: Sequence[NotifyItem]) -> None:
        async with self._pool.acquire() as conn:
            await queue_notifications(conn, items)

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
                return same_append_or_raise(stream_id, events, [_record(r) for r in stored])
        return recorded

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
