"""The hash chain, built so that a regulator can re-implement it in a few lines:

    content_digest = SHA-256(canonical JSON of the event)            (hex)
    hash           = SHA-256(prev_hash + content_digest)             (hex, over the 128 ASCII chars)
    prev_hash of version 1 = "0" * 64

Canonical JSON: an object with the keys of `canonical_bytes`, sorted, no whitespace (separators
"," and ":"), UTF-8 with non-ASCII kept as is; UUIDs lowercase hyphenated; timestamps in UTC as
ISO-8601 with microseconds and "+00:00". The link step is simple enough for PostgreSQL to do it
inside the append, which keeps an append to one round trip.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from caseflow.store.records import BrokenLink, RecordedEvent, VerifyReport

GENESIS_HASH = "0" * 64


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                            allow_nan=False)
_string = json.encoder.encode_basestring  # = json.dumps(s, ensure_ascii=False) for a str


def canonical_json(value: Any) -> str:
    return _ENCODER.encode(value)


def canonical_bytes(
    *,
    stream_id: str,
    version: int,
    event_id: UUID,
    type: str,
    schema_version: int,
    data_json: str,
    occurred_at: datetime,
    recorded_at: datetime,
    actor: str,
) -> bytes:
    """The canonical document. `data_json` is canonical_json(data), made once per event and also
    sent to PostgreSQL; keys are written in sorted order, so this is canonical_json(document)."""
    text = (
        f'{{"actor":{_string(actor)},"data":{data_json},'
        f'"event_id":"{event_id}","occurred_at":"{iso_utc(occurred_at)}",'
        f'"recorded_at":"{iso_utc(recorded_at)}","schema_version":{int(schema_version)},'
        f'"stream_id":{_string(stream_id)},"type":{_string(type)},'
        f'"version":{int(version)}}}'
    )
    return text.encode("utf-8")


def content_digest(**fields: Any) -> str:
    return hashlib.sha256(canonical_bytes(**fields)).hexdigest()


def link_hash(prev_hash: str, digest: str) -> str:
    return hashlib.sha256((prev_hash + digest).encode("ascii")).hexdigest()


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
