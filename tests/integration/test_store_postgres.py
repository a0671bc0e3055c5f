"""The event-store contract against PostgreSQL, and what only PostgreSQL can be asked: rows
altered behind the store's back, an unreachable server, migrations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from caseflow.store import DatabaseUnavailableError, PostgresEventStore, RecordedEvent, connect_pool
from caseflow.store.migrate import migrate
from tests.store_contract import KEPT, SCHEMAS, EventStoreContract, new_event, stream


async def keep_row(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent],
                   row: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO contract_rows (stream_id, row) VALUES ($1, $2) ON CONFLICT (stream_id) "
        "DO UPDATE SET row = EXCLUDED.row", recorded[0].stream_id, json.dumps(row))


@pytest.fixture(scope="module")
async def contract_pool(pool: asyncpg.Pool) -> asyncpg.Pool:
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS contract_rows "
                           "(stream_id text PRIMARY KEY, row jsonb NOT NULL)")
    return pool


class TestPostgresEventStore(EventStoreContract):
    @pytest.fixture
    def store(self, contract_pool: asyncpg.Pool) -> PostgresEventStore:
        return PostgresEventStore(contract_pool, SCHEMAS, read_models={KEPT: keep_row})

    async def row(self, store: Any, stream_id: str) -> dict[str, Any] | None:
        async with store.pool.acquire() as conn:
            found = await conn.fetchval("SELECT row FROM contract_rows WHERE stream_id = $1",
                                        stream_id)
        return None if found is None else dict(json.loads(found))

    async def queued(self, store: Any, ids: Sequence[UUID]) -> list[UUID]:
        async with store.pool.acquire() as conn:
            rows = await conn.fetch("SELECT notification_id FROM outbox "
                                    "WHERE notification_id = ANY($1::uuid[])", list(ids))
        return sorted((r["notification_id"] for r in rows), key=list(ids).index)


@pytest.mark.parametrize(
    ("column", "sql", "problem"),
    [
        ("data", "UPDATE events SET data = '{\"n\": 666}' WHERE stream_id=$1 AND version=2",
         "altered"),
        ("actor", "UPDATE events SET actor = 'mallory' WHERE stream_id=$1 AND version=2",
         "altered"),
        ("delete", "DELETE FROM events WHERE stream_id=$1 AND version=2", "missing"),
    ],
)
async def test_verify_names_the_first_tampered_row(
    contract_pool: asyncpg.Pool, column: str, sql: str, problem: str
) -> None:
    store = PostgresEventStore(contract_pool, SCHEMAS)
    sid = stream()
    await store.append(sid, 0, [new_event(n) for n in (1, 2, 3)])
    async with contract_pool.acquire() as conn:
        await conn.execute(sql, sid)
    report = await store.verify_stream(sid)
    assert report.broken is not None
    assert report.broken.version in (2, 3)  # the altered row, or the row after a deleted one
    assert problem in report.broken.problem
    if column != "delete":
        assert report.broken.version == 2


async def test_verify_detects_two_rows_swapped(
    contract_pool: asyncpg.Pool
) -> None:
    store = PostgresEventStore(contract_pool, SCHEMAS)
    sid = stream()
    await store.append(sid, 0, [new_event(n) for n in (1, 2, 3)])
    # Swap versions 1 and 2 through a free slot (the table forbids versions below 1).
    async with contract_pool.acquire() as conn, conn.transaction():
        await conn.execute("UPDATE events SET version = 100 WHERE stream_id=$1 AND version=1", sid)
        await conn.execute("UPDATE events SET version = 1 WHERE stream_id=$1 AND version=2", sid)
        await conn.execute("UPDATE events SET version = 2 WHERE stream_id=$1 AND version=100", sid)
    report = await store.verify_stream(sid)
    assert report.broken is not None and report.broken.version == 1


async def test_unreachable_database_is_named_without_password() -> None:
    with pytest.raises(DatabaseUnavailableError, match=r"127\.0\.0\.1:1/caseflow") as caught:
        await connect_pool("postgresql://bank:s3cret@127.0.0.1:1/caseflow")
    assert "s3cret" not in str(caught.value)


async def test_migrations_are_idempotent(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        assert await migrate(conn) == []
        names = [r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")]
    assert "0001_events.sql" in names

