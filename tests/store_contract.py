"""The event-store contract as one test suite, run against every store (tests/unit for the
in-memory one, tests/integration for PostgreSQL), as the eventsourcing library runs one abstract
suite against every recorder. A subclass provides the store and a way to look at what it wrote
besides events (the read-model rows and the outbox)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from pydantic import BaseModel, ConfigDict

from caseflow.store import (
    ConcurrencyError,
    EventStore,
    IdempotencyConflictError,
    MalformedEventError,
    NewEvent,
    StreamNotFoundError,
)
from domain.notifications import Notification, NotifyItem

T0 = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)


class Note(BaseModel):
    model_config = ConfigDict(extra="allow")

    n: int


SCHEMAS = {("note_added", 1): Note}
"""The contract's only event type: a number and anything else."""
KEPT = "kept"
"""The stream category whose read-model rows the stores under test keep."""


def new_event(n: int = 0, type: str = "note_added", **data: object) -> NewEvent:
    return NewEvent(event_id=uuid.uuid4(), type=type, schema_version=1, data={"n": n, **data},
                    occurred_at=T0 + timedelta(minutes=n), actor="officer-1")


def stream(category: str = "test") -> str:
    return f"{category}-{uuid.uuid4()}"


def notice(stream_id: str) -> NotifyItem:
    return NotifyItem(notification_id=uuid.uuid4(), notification=Notification(
        kind="note", stream_id=stream_id, recipients=("supervisor@outlet-9",), subject="s",
        body="b"))


class EventStoreContract:
    """Not collected itself (no `Test` prefix): each store's `Test…` subclass runs it."""

    @pytest.fixture
    def store(self) -> EventStore:
        raise NotImplementedError

    async def row(self, store: EventStore, stream_id: str) -> dict[str, Any] | None:
        """The read-model row the store keeps for a stream of the KEPT category."""
        raise NotImplementedError

    async def queued(self, store: EventStore, ids: Sequence[UUID]) -> list[UUID]:
        """Which of these notifications the store's outbox holds (each once)."""
        raise NotImplementedError

    async def test_append_assigns_versions_and_chains_hashes(self, store: EventStore) -> None:
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
        assert await store.stream_version(sid) == 3
        assert (await store.verify_stream(sid)).ok

    async def test_version_clash_is_a_concurrency_error(self, store: EventStore) -> None:
        sid = stream()
        await store.append(sid, 0, [new_event(1)])
        with pytest.raises(ConcurrencyError) as caught:
            await store.append(sid, 0, [new_event(2)])
        assert (caught.value.expected_version, caught.value.actual_version) == (0, 1)
        assert await store.stream_version(sid) == 1

    async def test_concurrent_appends_at_same_version_one_wins(self, store: EventStore) -> None:
        sid = stream()
        await store.append(sid, 0, [new_event(0)])
        results = await asyncio.gather(
            *(store.append(sid, 1, [new_event(i)]) for i in range(1, 6)), return_exceptions=True)
        winners = [r for r in results if not isinstance(r, BaseException)]
        losers = [r for r in results if isinstance(r, BaseException)]
        assert len(winners) == 1
        assert all(isinstance(r, ConcurrencyError) for r in losers)
        assert await store.stream_version(sid) == 2
        assert (await store.verify_stream(sid)).ok

    async def test_retrying_the_same_append_is_a_no_op_success(self, store: EventStore) -> None:
        sid = stream()
        batch = [new_event(1), new_event(2)]
        first = await store.append(sid, 0, batch)
        again = await store.append(sid, 0, batch)
        assert again == first
        assert len(await store.read_stream(sid)) == 2

    async def test_concurrent_retries_store_once(self, store: EventStore) -> None:
        """Retries racing each other all succeed and store once (20 rounds: the window is
        narrow)."""
        for _ in range(20):
            sid = stream()
            batch = [new_event(1)]
            results = await asyncio.gather(*(store.append(sid, 0, batch) for _ in range(4)))
            assert all(r == results[0] for r in results)
            assert len(await store.read_stream(sid)) == 1

    async def test_reused_event_id_with_other_content_is_refused(self, store: EventStore
                                                                  ) -> None:
        sid = stream()
        event = new_event(1)
        await store.append(sid, 0, [event])
        altered = event.model_copy(update={"data": {"n": 99}})
        with pytest.raises(IdempotencyConflictError, match="other content"):
            await store.append(sid, 1, [altered])
        with pytest.raises(IdempotencyConflictError, match="retried whole"):
            await store.append(sid, 1, [event, new_event(2)])
        assert len(await store.read_stream(sid)) == 1

    async def test_read_up_to_version_and_as_of_time(self, store: EventStore) -> None:
        sid = stream()
        await store.append(sid, 0, [new_event(n) for n in (1, 2, 3, 4)])
        assert [e.version for e in await store.read_stream(sid, up_to_version=2)] == [1, 2]
        as_of = await store.read_stream(sid, as_of=T0 + timedelta(minutes=3))
        assert [e.data["n"] for e in as_of] == [1, 2, 3]
        assert await store.read_stream(sid, as_of=T0 - timedelta(days=1)) == []
        assert len(await store.read_stream(sid, up_to_version=10**20)) == 4

    async def test_read_all_after_position_in_global_order(self, store: EventStore) -> None:
        a, b = stream(), stream()
        start = (await store.append(a, 0, [new_event(1)]))[0].global_position - 1
        await store.append(b, 0, [new_event(2)])
        await store.append(a, 1, [new_event(3)])
        after = [e for e in await store.read_all(start, limit=10_000) if e.stream_id in (a, b)]
        assert [(e.stream_id, e.data["n"]) for e in after] == [(a, 1), (b, 2), (a, 3)]
        positions = [e.global_position for e in after]
        assert positions == sorted(positions)
        assert [e.data["n"] for e in await store.read_all(after[1].global_position, limit=1)
                ] == [3]

    async def test_stream_ids_by_prefix(self, store: EventStore) -> None:
        prefix = f"ids{uuid.uuid4().hex[:8]}"
        made = sorted([f"{prefix}-{n}" for n in range(3)])
        for sid in made:
            await store.append(sid, 0, [new_event(1)])
        assert await store.stream_ids(prefix) == made

    async def test_unknown_stream_is_named(self, store: EventStore) -> None:
        with pytest.raises(StreamNotFoundError, match="no-such-stream"):
            await store.read_stream("no-such-stream")
        with pytest.raises(StreamNotFoundError):
            await store.verify_stream("no-such-stream")
        assert await store.stream_version("no-such-stream") == 0

    async def test_malformed_events_name_the_problem_and_write_nothing(self, store: EventStore
                                                                       ) -> None:
        sid = stream()
        with pytest.raises(MalformedEventError, match="n: Field required"):
            await store.append(sid, 0, [new_event(1), new_event(2).model_copy(
                update={"data": {"text": "no number"}})])
        with pytest.raises(MalformedEventError, match="unknown event type 'nope'"):
            await store.append(sid, 0, [new_event(1, type="nope")])
        with pytest.raises(MalformedEventError, match="twice"):
            event = new_event(1)
            await store.append(sid, 0, [event, event])
        with pytest.raises(MalformedEventError, match="at least one"):
            await store.append(sid, 0, [])
        with pytest.raises(MalformedEventError, match="empty"):
            await store.append("", 0, [new_event(1)])
        with pytest.raises(MalformedEventError, match="no read model"):
            await store.append(sid, 0, [new_event(1)], read_model={"n": 1})
        with pytest.raises(StreamNotFoundError):
            await store.read_stream(sid)

    async def test_read_model_and_notifications_are_written_with_the_events_or_not_at_all(
        self, store: EventStore
    ) -> None:
        sid = stream(KEPT)
        first = notice(sid)
        batch = [new_event(1)]
        await store.append(sid, 0, batch, read_model={"n": 1}, notifications=[first])
        assert await self.row(store, sid) == {"n": 1}
        lost = notice(sid)
        with pytest.raises(ConcurrencyError):
            await store.append(sid, 0, [new_event(2)], read_model={"n": 2}, notifications=[lost])
        assert await self.row(store, sid) == {"n": 1}
        assert await self.queued(store, [first.notification_id, lost.notification_id]) == [
            first.notification_id]
        # the same append again (a retried activity): nothing new, the notification once
        await store.append(sid, 0, batch, read_model={"n": 1}, notifications=[first])
        assert await self.queued(store, [first.notification_id]) == [first.notification_id]
        assert await store.stream_version(sid) == 1

    async def test_notifications_without_events_are_queued_once(self, store: EventStore
                                                                  ) -> None:
        item = notice(stream())
        await store.queue_notifications([item])
        await store.queue_notifications([item])
        assert await self.queued(store, [item.notification_id]) == [item.notification_id]
