"""Verify speed: `caseflow audit verify` over N events (chain and gaps, from the store), side by
side with the raw speed of SHA-256 over the same canonical bytes in the same run: the physical
limit of this check (two hashes per event: the content digest and the link)."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import time
import uuid
from datetime import UTC, datetime

from bench.common import table, throwaway_postgres
from caseflow.audit.verify import verify_streams
from caseflow.bootstrap import event_store
from caseflow.store import NewEvent, connect_pool
from caseflow.store.chain import canonical_bytes, canonical_json


async def run(events: int, per_stream: int) -> str:
    pool = await connect_pool(throwaway_postgres(), max_size=4)
    store = event_store(pool)
    now = datetime.now(UTC)
    streams = [f"complaint-bench-{uuid.uuid4()}" for _ in range(events // per_stream)]
    print(f"  writing {events:,} events in {len(streams):,} streams", flush=True)
    for n, stream in enumerate(streams):
        batch = [NewEvent(event_id=uuid.uuid4(), type="note_added", schema_version=1,
                          data={"type": "note_added", "actor": "officer-1", "at": now.isoformat(),
                                "text": f"called the client back, explained the fee ({i})"},
                          occurred_at=now, actor="officer-1") for i in range(per_stream)]
        await store.append(stream, 0, batch)
        if (n + 1) % max(1, len(streams) // 10) == 0:
            print(f"  {n + 1:,}/{len(streams):,} streams", flush=True)

    started = time.perf_counter()
    report = await verify_streams(store, streams, client=None)
    ours = report.events_checked / (time.perf_counter() - started)
    assert report.ok and report.events_checked == events

    recorded = [e for s in streams for e in await store.read_stream(s)]
    payloads = [
        canonical_bytes(stream_id=e.stream_id, version=e.version, event_id=e.event_id,
                        type=e.type, schema_version=e.schema_version,
                        data_json=canonical_json(e.data), occurred_at=e.occurred_at,
                        recorded_at=e.recorded_at, actor=e.actor)
        for e in recorded
    ]
    started = time.perf_counter()
    for payload, event in zip(payloads, recorded, strict=True):
        digest = hashlib.sha256(payload).hexdigest()
        hashlib.sha256((event.prev_hash + digest).encode("ascii")).hexdigest()
    raw = len(payloads) / (time.perf_counter() - started)
    await pool.close()
    return table([
        ("events", "verify ev/s (store → report)", "raw SHA-256 ev/s (same bytes)", "ratio"),
        (f"{events:,}", f"{ours:,.0f}", f"{raw:,.0f}", f"{ours / raw:.3f}"),
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--per-stream", type=int, default=100)
    args = parser.parse_args(argv)
    print(f"verify throughput: {args.events:,} events, {args.per_stream} per stream")
    print(asyncio.run(run(args.events, args.per_stream)))


if __name__ == "__main__":
    main()
