"""The in-memory event store against the store contract, and the store's pure parts: what an
event may hold, and the canonical form the hash chain is computed on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest
from pydantic import ValidationError

from caseflow.store import InMemoryEventStore, NewEvent
from tests.store_contract import KEPT, SCHEMAS, T0, EventStoreContract, new_event


class TestInMemoryEventStore(EventStoreContract):
    @pytest.fixture
    def store(self) -> InMemoryEventStore:
        return InMemoryEventStore(SCHEMAS, read_models=[KEPT])

    async def row(self, store: Any, stream_id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = store.rows.get(stream_id)
        return found

    async def queued(self, store: Any, ids: Sequence[UUID]) -> list[UUID]:
        return [i for i in ids if i in store.outbox]


def test_new_event_rejects_bad_shapes() -> None:
    with pytest.raises(ValidationError, match="float"):
        new_event(1, amount=1.5)
    with pytest.raises(ValidationError, match="timezone"):
        NewEvent(event_id=uuid.uuid4(), type="x", schema_version=1, data={},
                 occurred_at=datetime(2026, 1, 1), actor="a")
    with pytest.raises(ValidationError, match="actor"):
        NewEvent(event_id=uuid.uuid4(), type="x", schema_version=1, data={},
                 occurred_at=T0, actor="")


def test_canonical_form_is_plain_sorted_json() -> None:
    """The fast canonical writer must equal the documented rule: json.dumps, sorted, compact."""
    import hashlib
    import json

    from caseflow.store.chain import canonical_bytes, canonical_json, content_digest, link_hash

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

