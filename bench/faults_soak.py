"""A randomised soak under faults: the stack as separate processes (PostgreSQL, the Temporal dev
server on its SQLite file, two `python worker.py`, `caseflow api`), officers walking complaints
through the HTTP API with Idempotency-Keys (sending a request again on a lost connection or a
503, as an HTTP client or a person would), while a chaos loop SIGKILLs a worker, the Temporal
server or the API, or stops PostgreSQL, and starts it again.

At the end every case is checked against the store and Temporal: each accepted step once, the
refused step absent, no duplicates, `audit verify` clean. Printed: requests, answers, faults,
events expected/found, duplicates, missing, verify problems.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.common import BENCH_PAYLOAD_KEYS, SEALED, table
from caseflow.audit.verify import verify_streams
from caseflow.bootstrap import event_store
from caseflow.identity.users import add_user
from caseflow.logs import configure_logging
from caseflow.runtime.processes import (
    CaseflowProcess,
    StoppablePostgres,
    TemporalDevServer,
    free_port,
)
from caseflow.store import connect_pool
from domain.access import Principal, Role

OUTLET = "outlet-soak"
WALKED = ["complaint_registered", "deadline_set", "client_acknowledged", "handler_assigned",
          "note_added", "findings_recorded", "client_replied", "feedback_recorded", "case_closed"]


@dataclass
class Tally:
    requests: int = 0
    answers: Counter[int] = field(default_factory=Counter)
    lost: int = 0
    """Requests that got no answer (connection refused or cut) and were sent again."""
    faults: Counter[str] = field(default_factory=Counter)
    cases: list[str] = field(default_factory=list)


class Officer:
    """Walks cases through the API; sends each request again, with its key, until it is
    answered with anything but a 503 (the API or a server it needs is down)."""

    def __init__(self, api: str, token: str, name: str, tally: Tally) -> None:
        self._http = httpx.AsyncClient(base_url=api, timeout=60,
                                       headers={"Authorization": f"Bearer {token}"})
        self._name = name
        self._tally = tally

    async def send(self, path: str, body: dict[str, Any]) -> int:
        key = str(uuid.uuid4())
        while True:
            self._tally.requests += 1
            try:
                answer = await self._http.post(path, json=body,
                                               headers={"Idempotency-Key": key})
            except httpx.TransportError:
                self._tally.lost += 1
                await asyncio.sleep(0.5)
                continue
            self._tally.answers[answer.status_code] += 1
            if answer.status_code == 503:
                await asyncio.sleep(float(answer.headers.get("Retry-After", "1")) / 5)
                continue
            return answer.status_code

    async def walk(self) -> None:
        case_id = f"SOAK-{uuid.uuid4().hex[:12]}"
        status = await self.send("/complaints", {
            "case_id": case_id, "client_id": "K-soak", "client_tier": "ordinary",
            "channel": "phone", "category": "bank_cards", "cause": "fees",
            "description": "charged twice",
            "outlet": OUTLET})
        if status not in (200, 201):
            raise RuntimeError(f"registration answered {status}")
        self._tally.cases.append(case_id)
        case = f"/complaints/{case_id}"
        steps: list[tuple[str, dict[str, Any], int]] = [
            ("assign", {"handler": self._name}, 200),
            ("add-note", {"text": "called the client back"}, 200),
            ("decide-extension", {"approve": True}, 409),  # nothing to decide: refused
            ("record-findings", {"summary": "duplicate fee", "bank_at_fault": False}, 200),
            ("reply", {"method": "in_person", "content": "explained the fee"}, 200),
            ("record-feedback", {"satisfied": True, "opinion": "ok"}, 200),
        ]
        for step, body, expected in steps:
            status = await self.send(f"{case}/{step}", body)
            if status != expected and not (step == "decide-extension" and status == 403):
                raise RuntimeError(f"{case_id} {step} answered {status}, expected {expected}")

    async def close(self) -> None:
        await self._http.aclose()


def bench_calendar(folder: Path) -> Path:
    """The bank's entries for next year as weekends only, so that the soak also runs in late
    December, when deadlines reach a year the official data may not cover yet (bench only)."""
    year = date.today().year + 1
    path = folder / "calendar_bank.json"
    path.write_text(json.dumps({"years": {str(year): {"holidays": [], "makeup_workdays": []}}}))
    return path


async def chaos(stack: Stack, tally: Tally, until: float, every: float) -> None:
    """Every `every` seconds (±50 %), one fault, repaired after a short outage."""
    rng = random.Random()
    while time.monotonic() < until:
        await asyncio.sleep(every * rng.uniform(0.5, 1.5))
        kind = rng.choice(["worker", "temporal", "postgres", "api"])
        tally.faults[kind] += 1
        outage = rng.uniform(0.5, 3.0)
        if kind == "worker":
            victim = rng.choice(stack.workers)
            victim.kill()
            await asyncio.sleep(outage)
            victim.start()
        elif kind == "temporal":
            stack.temporal.kill()
            await asyncio.sleep(outage)
            stack.temporal.start()
        elif kind == "postgres":
            stack.postgres.stop()
            await asyncio.sleep(outage)
            stack.postgres.restart()
        else:
            stack.api.kill()
            await asyncio.sleep(outage)
            stack.api.start()


@dataclass
class Stack:
    postgres: StoppablePostgres
    temporal: TemporalDevServer
    workers: list[CaseflowProcess]
    api: CaseflowProcess
    api_url: str


async def run(minutes: float, officers: int, fault_every: float) -> str:
    folder = Path(tempfile.mkdtemp(prefix="caseflow-soak-"))
    postgres = StoppablePostgres(folder / "pg")
    database_url = postgres.start()
    temporal = TemporalDevServer(folder / "temporal.sqlite", folder / "temporal.log")
    temporal.start()
    client = await temporal.connect(SEALED)
    pool = await connect_pool(database_url)
    officer = Principal(name="officer-soak", role=Role.CASE_OFFICER, outlet=OUTLET)
    token = await add_user(pool, officer, created_by="soak")
    port = free_port()
    env = {"TEMPORAL_ADDRESS": temporal.address, "DATABASE_URL": database_url,
           "CASEFLOW_PAYLOAD_KEYS": BENCH_PAYLOAD_KEYS, "CASEFLOW_LOG_LEVEL": "WARNING",
           "CASEFLOW_API_PORT": str(port), "CASEFLOW_BANK_CALENDAR": str(bench_calendar(folder))}
    workers = [CaseflowProcess(["worker.py"], env, folder / f"worker-{n}.log").start()
               for n in range(2)]
    api = CaseflowProcess(["-m", "caseflow", "api"], env, folder / "api.log").start()
    stack = Stack(postgres, temporal, workers, api, f"http://127.0.0.1:{port}")
    tally = Tally()
    walkers = [Officer(stack.api_url, token, officer.name, tally) for _ in range(officers)]
    until = time.monotonic() + minutes * 60
    print(f"  stack in {folder}; soaking for {minutes} min", flush=True)

    async def keep_walking(walker: Officer) -> None:
        while time.monotonic() < until:
            await walker.walk()

    started = time.monotonic()
    try:
        await asyncio.gather(chaos(stack, tally, until, fault_every),
                             *(keep_walking(w) for w in walkers))
        elapsed = time.monotonic() - started
        report = await check(tally, client, pool)
    finally:
        for walker in walkers:
            await walker.close()
        for process in (*workers, api):
            process.kill()
        await pool.close()
        temporal.stop()  # PostgreSQL is stopped when this process exits
    faults = ", ".join(f"{n} {kind}" for kind, n in sorted(tally.faults.items()))
    answers = ", ".join(f"{n}×{code}" for code, n in sorted(tally.answers.items()))
    return table([
        ("what", "figure"),
        ("duration", f"{elapsed:.0f} s, {officers} officers"),
        ("faults injected", faults or "none"),
        ("requests sent", f"{tally.requests} ({tally.lost} without an answer, sent again)"),
        ("answers", answers),
        ("cases walked", str(len(tally.cases))),
        ("events expected", str(report["expected"])),
        ("events found", str(report["found"])),
        ("duplicates", str(report["duplicates"])),
        ("missing", str(report["missing"])),
        ("verify problems", str(report["problems"])),
    ])


async def check(tally: Tally, client: Any, pool: Any) -> dict[str, int]:
    store = event_store(pool)
    expected = found = duplicates = missing = 0
    streams = [f"complaint-{case}" for case in tally.cases]
    for stream in streams:
        types = [e.type for e in await store.read_stream(stream)]
        expected += len(WALKED)
        found += len(types)
        counted = Counter(types)
        duplicates += sum(n - 1 for n in counted.values() if n > 1)
        missing += sum(1 for t in WALKED if t not in counted)
    report = await verify_streams(store, streams, client)
    for problem in report.problems[:10]:
        print(f"  problem: {problem.stream_id} {problem.problem}")
    return {"expected": expected, "found": found, "duplicates": duplicates, "missing": missing,
            "problems": len(report.problems) + len(report.not_checked)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--officers", type=int, default=8)
    parser.add_argument("--fault-every", type=float, default=10.0,
                        help="seconds between faults (±50 %%)")
    args = parser.parse_args(argv)
    configure_logging("console", "WARNING")
    print(f"faults soak: {args.minutes} min, {args.officers} officers, a fault every "
          f"~{args.fault_every:.0f} s ({datetime.now(UTC).date()})")
    print(asyncio.run(run(args.minutes, args.officers, args.fault_every)))


if __name__ == "__main__":
    main()
