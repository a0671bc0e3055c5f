"""The hash chain: SHA-256 over a canonical JSON form of each event and its predecessor's hash.

Canonical form (kept simple so a regulator can re-implement it in a few lines): a JSON object
with the keys below, sorted, no whitespace (separators "," and ":"), UTF-8, non-ASCII kept as is;
UUIDs as lowercase hyphenated strings; timestamps in UTC, ISO-8601 with microseconds, "+00:00".
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

GENESIS_HASH = "0" * 64


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(
    *,
    stream_id: str,
    version: int,
    event_id: UUID,
    type: str,
    schema_version: int,
    data: dict[str, Any],
    occurred_at: datetime,
    recorded_at: datetime,
    actor: str,
    prev_hash: str,
) -> bytes:
    document = {
        "stream_id": stream_id,
        "version": version,
        "event_id": str(event_id),
        "type": type,
        "schema_version": schema_version,
        "data": data,
        "occurred_at": iso_utc(occurred_at),
        "recorded_at": iso_utc(recorded_at),
        "actor": actor,
        "prev_hash": prev_hash,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return text.encode("utf-8")


def event_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical_bytes(**fields)).hexdigest()
