"""The event-store contract, against a real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from pydantic import BaseModel, ValidationError

from eventstore import (
    ConcurrencyError,
    DatabaseUnavailableError,
    IdempotencyConflictError,
    MalformedEventError,
    NewEvent,
    PostgresEventStore,
    StreamNotFoundError,
    connect_pool,
)
from eventstore.migrate import migrate

T0 = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)


def new_event(n: int = 0, type: str = "note_added", **data: object) -> NewEvent:
    return NewEvent(
        event_id=uuid.uuid4(), type=type, schema_version=1,
        data={"n": n, **data}, occurred_at=T0 + timedelta(minutes=n), actor="officer-1",
    )


def stream() -> str:
    return f"test-{uuid.uuid4()}"


async def test_append_assigns_versions_and_chains_hashes(store: PostgresEventStore) -> None:
    sid = stream()
    first = await store.append(sid, 0, [new_event(1)])
    rest = await store.append(sid, 1, [new_event(2), new_event(3)])
    events = await store.read_stream(sid)
    assert [e.version for e in events] == [1, 2, 3]
    assert [e.data["n"] for e in events] == [1, 2, 3]
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == first[0].hash
    assert events[2].prev_hash == rest[0].hash
    assert events[0].global_position < events[1].global_position < events[2].global_position
    assert (await store.verify_stream(sid)).ok


async def test_version_clash_is_a_concurrency_error(store: PostgresEventStore) -> None:
    sid = stream()
    await store.append(sid, 0, [new_event(1)])
    with pytest.raises(ConcurrencyError) as caught:
        await store.append(sid, 0, [new_event(2)])
    assert (caught.value.expected_version, caught.value.actual_version) == (0, 1)
    assert await store.stream_version(sid) == 1


async def test_concurrent_appends_at_same_version_one_wins(store: PostgresEventStore) -> None:
    sid = stream()
    await store.append(sid, 0, [new_event(0)])
    results = await asyncio.gather(
        *(store.append(sid, 1, [new_event(i)]) for i in range(1, 6)), return_exceptions=True
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1
    assert all(isinstance(r, ConcurrencyError) for r in losers)
    assert await store.stream_version(sid) == 2
    assert (await store.verify_stream(sid)).ok


async def test_retrying_the_same_append_is_a_no_op_success(store: PostgresEventStore) -> None:
    sid = stream()
    batch = [new_event(1), new_event(2)]
    first = await store.append(sid, 0, batch)
    again = await store.append(sid, 0, batch)
    assert again == first
    assert len(await store.read_stream(sid)) == 2


async def test_concurrent_retries_store_once(store: PostgresEventStore) -> None:
    """Retries racing each other all succeed and store once (20 rounds: the window is narrow)."""
    for _ in range(20):
        sid = stream()
        batch = [new_event(1)]
        results = await asyncio.gather(*(store.append(sid, 0, batch) for _ in range(4)))
        assert all(r == results[0] for r in results)
        assert len(await store.read_stream(sid)) == 1


async def test_reused_event_id_with_other_content_is_refused(store: PostgresEventStore) -> None:
    sid = stream()
    event = new_event(1)
    await store.append(sid, 0, [event])
    altered = event.model_copy(update={"data": {"n": 99}})
    with pytest.raises(IdempotencyConflictError, match="other content"):
        await store.append(sid, 1, [altered])
    with pytest.raises(IdempotencyConflictError, match="retried whole"):
        await store.append(sid, 1, [event, new_event(2)])
    assert len(await store.read_stream(sid)) == 1


async def test_read_up_to_version_and_as_of_time(store: PostgresEventStore) -> None:
    sid = stream()
    await store.append(sid, 0, [new_event(n) for n in (1, 2, 3, 4)])
    assert [e.version for e in await store.read_stream(sid, up_to_version=2)] == [1, 2]
    as_of = await store.read_stream(sid, as_of=T0 + timedelta(minutes=3))
    assert [e.data["n"] for e in as_of] == [1, 2, 3]
    assert await store.read_stream(sid, as_of=T0 - timedelta(days=1)) == []


async def test_read_all_after_position_in_global_order(store: PostgresEventStore) -> None:
    a, b = stream(), stream()
    start = (await store.append(a, 0, [new_event(1)]))[0].global_position - 1
    await store.append(b, 0, [new_event(2)])
    await store.append(a, 1, [new_event(3)])
    after = [e for e in await store.read_all(start, limit=10_000) if e.stream_id in (a, b)]
    assert [(e.stream_id, e.data["n"]) for e in after] == [(a, 1), (b, 2), (a, 3)]
    positions = [e.global_position for e in after]
    assert positions == sorted(positions)
    assert [e.data["n"] for e in await store.read_all(after[1].global_position, limit=1)] == [3]


async def test_unknown_stream_is_named(store: PostgresEventStore) -> None:
    with pytest.raises(StreamNotFoundError, match="no-such-stream"):
        await store.read_stream("no-such-stream")
    with pytest.raises(StreamNotFoundError):
        await store.verify_stream("no-such-stream")


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
    store: PostgresEventStore, pool: asyncpg.Pool, column: str, sql: str, problem: str
) -> None:
    sid = stream()
    await store.append(sid, 0, [new_event(n) for n in (1, 2, 3)])
    async with pool.acquire() as conn:
        await conn.execute(sql, sid)
    report = await store.verify_stream(sid)
    assert report.broken is not None
    assert report.broken.version in (2, 3)  # the altered row, or the row after a deleted one
    assert problem in report.broken.problem
    if column != "delete":
        assert report.broken.version == 2


async def test_verify_detects_two_rows_swapped(
    store: PostgresEventStore, pool: asyncpg.Pool
) -> None:
    sid = stream()
    await store.append(sid, 0, [new_event(n) for n in (1, 2, 3)])
    # Swap versions 1 and 2 through a free slot (the table forbids versions below 1).
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("UPDATE events SET version = 100 WHERE stream_id=$1 AND version=1", sid)
        await conn.execute("UPDATE events SET version = 1 WHERE stream_id=$1 AND version=2", sid)
        await conn.execute("UPDATE events SET version = 2 WHERE stream_id=$1 AND version=100", sid)
    report = await store.verify_stream(sid)
    assert report.broken is not None and report.broken.version == 1


class NoteAdded(BaseModel):
    n: int
    text: str


async def test_malformed_event_names_the_field_and_writes_nothing(pool: asyncpg.Pool) -> None:
    strict = PostgresEventStore(pool, schemas={("note_added", 1): NoteAdded})
    sid = stream()
    with pytest.raises(MalformedEventError, match="text: Field required"):
        await strict.append(sid, 0, [new_event(1, text="ok"), new_event(2)])
    with pytest.raises(MalformedEventError, match="unknown event type 'nope'"):
        await strict.append(sid, 0, [new_event(1, type="nope")])
    with pytest.raises(StreamNotFoundError):
        await strict.read_stream(sid)


def test_new_event_rejects_bad_shapes() -> None:
    with pytest.raises(ValidationError, match="float"):
        new_event(1, amount=1.5)
    with pytest.raises(ValidationError, match="timezone"):
        NewEvent(event_id=uuid.uuid4(), type="x", schema_version=1, data={},
                 occurred_at=datetime(2026, 1, 1), actor="a")
    with pytest.raises(ValidationError, match="actor"):
        NewEvent(event_id=uuid.uuid4(), type="x", schema_version=1, data={},
                 occurred_at=T0, actor="")


async def test_unreachable_database_is_named_without_password() -> None:
    with pytest.raises(DatabaseUnavailableError, match=r"127\.0\.0\.1:1/caseflow") as caught:
        await connect_pool("postgresql://bank:s3cret@127.0.0.1:1/caseflow")
    assert "s3cret" not in str(caught.value)


async def test_migrations_are_idempotent(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        assert await migrate(conn) == []
        names = [r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")]
    assert "0001_events.sql" in names


def test_canonical_form_is_plain_sorted_json() -> None:
    """The fast canonical writer must equal the documented rule: json.dumps, sorted, compact."""
    import hashlib
    import json

    from eventstore.chain import canonical_bytes, canonical_json, content_digest, link_hash

    event = new_event(7, text="投诉 \"quoted\"", nested={"b": [1, "二"], "a": None})
    fields: dict[str, Any] = dict(
        stream_id="complaint-Ä1", version=3, event_id=event.event_id, type=event.type,
        schema_version=2, occurred_at=event.occurred_at, recorded_at=T0, actor="张三",
    )
    document = {**fields, "data": event.data, "event_id": str(event.event_id),
                "occurred_at": "2026-09-30T02:07:00.000000+00:00",
                "recorded_at": "2026-09-30T02:00:00.000000+00:00"}
    expected = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    made = canonical_bytes(**fields, data_json=canonical_json(event.data))
    assert made == expected.encode("utf-8")
    digest = content_digest(**fields, data_json=canonical_json(event.data))
    assert link_hash("0" * 64, digest) == hashlib.sha256(
        ("0" * 64 + hashlib.sha256(expected.encode()).hexdigest()).encode()).hexdigest()


async def test_reading_up_to_a_version_beyond_any_reads_everything(
    store: PostgresEventStore,
) -> None:
    """Found by the API fuzzer: a version past PostgreSQL's integer range was a server error."""
    stream = f"s-{uuid.uuid4()}"
    await store.append(stream, 0, [new_event()])
    assert len(await store.read_stream(stream, up_to_version=10**20)) == 1
