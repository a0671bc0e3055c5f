"""Appends per second: caseflow's event store vs the eventsourcing library's PostgreSQL recorder.

Same embedded PostgreSQL server, same run, same number of events, one writer each, rounds
alternated so that drift hits both alike. Shapes: one event per append, and batches of 10.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

from bench.common import median, table, throwaway_postgres
from caseflow.bootstrap import event_store
from caseflow.store import NewEvent, PostgresEventStore, connect_pool

PAYLOAD = {"type": "note_added", "actor": "officer-17", "at": "2026-09-30T02:00:00+00:00",
           "text": "called the client back, explained the fee"}
"""A valid complaint note: caseflow validates every event against its schema, as in production."""


def _new_events(count: int) -> list[NewEvent]:
    now = datetime.now(UTC)
    return [
        NewEvent(event_id=uuid.uuid4(), type="note_added", schema_version=1,
                 data={**PAYLOAD, "text": f"{PAYLOAD['text']} ({i})"}, occurred_at=now,
                 actor="officer-17")
        for i in range(count)
    ]


async def caseflow_round(store: PostgresEventStore, events: int, batch: int, streams: int) -> float:
    versions = {f"bench-{uuid.uuid4()}": 0 for _ in range(streams)}
    ids = list(versions)
    appends = events // batch
    work = [_new_events(batch) for _ in range(appends)]
    started = time.perf_counter()
    for i, chunk in enumerate(work):
        sid = ids[i % streams]
        await store.append(sid, versions[sid], chunk)
        versions[sid] += batch
    return events / (time.perf_counter() - started)


def eventsourcing_round(
    recorder: PostgresApplicationRecorder, events: int, batch: int, streams: int
) -> float:
    import json

    versions = {uuid.uuid4(): 0 for _ in range(streams)}
    ids = list(versions)
    appends = events // batch
    work = []
    for i in range(appends):
        oid = ids[i % streams]
        start = versions[oid]
        work.append([
            StoredEvent(originator_id=oid, originator_version=start + k + 1, topic="note_added",
                        state=json.dumps({**PAYLOAD, "n": k}).encode())
            for k in range(batch)
        ])
        versions[oid] = start + batch
    started = time.perf_counter()
    for chunk in work:
        recorder.insert_events(chunk)
    return events / (time.perf_counter() - started)


def _datastore(dsn: str) -> PostgresDatastore:
    parts = urlsplit(dsn)
    host = parse_qs(parts.query).get("host", [parts.hostname or "localhost"])[0]
    return PostgresDatastore(
        dbname=parts.path.lstrip("/") or "postgres", host=host, port=parts.port or 5432,
        user=parts.username or "postgres", password=parts.password or "",
    )


async def run(events: int, rounds: int, streams: int) -> str:
    dsn = throwaway_postgres()
    pool = await connect_pool(dsn, min_size=1, max_size=1)
    store = event_store(pool)
    datastore = _datastore(dsn)
    recorder = PostgresApplicationRecorder(datastore)
    recorder.create_table()
    rows = [("shape", "caseflow ev/s", "eventsourcing ev/s", "ratio caseflow/eventsourcing")]
    for batch in (1, 10):
        ours: list[float] = []
        theirs: list[float] = []
        await caseflow_round(store, events // 10, batch, streams)  # warm-up, both
        eventsourcing_round(recorder, events // 10, batch, streams)
        for r in range(rounds):
            print(f"  batch={batch} round {r + 1}/{rounds}", flush=True)
            ours.append(await caseflow_round(store, events, batch, streams))
            theirs.append(eventsourcing_round(recorder, events, batch, streams))
        a, b = median(ours), median(theirs)
        rows.append((f"{batch} event(s)/append", f"{a:,.0f}", f"{b:,.0f}", f"{a / b:.2f}"))
    await pool.close()
    datastore.close()
    return table(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000, help="events per round and shape")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--streams", type=int, default=100)
    args = parser.parse_args(argv)
    print(f"event-store append: {args.events} events x {args.rounds} rounds per shape, "
          f"{args.streams} streams, one writer each, median of rounds")
    print(asyncio.run(run(args.events, args.rounds, args.streams)))


if __name__ == "__main__":
    main()
