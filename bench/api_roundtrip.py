"""Command round trips through the HTTP API (HTTP → auth → update → event stored → response)
with 1 000 open cases, on the embedded stack, side by side with the same command sent straight
to the workflow through the Temporal client (no HTTP, no token), in the same run.

The API (`caseflow api`) and the worker (`python worker.py`) run as their own processes, as in
production; this process only generates the load (with the worker in here, the HTTP client's
CPU slowed the worker and the API path paid for it twice). Each request adds a note to a random
open case: always legal, and it goes through everything a step does (validator, role check,
decide, append, read model).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from bench.common import BENCH_PAYLOAD_KEYS, SEALED, median, table
from bench.complaint_throughput import weekends_only
from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.identity.users import add_user
from caseflow.logs import configure_logging
from caseflow.runtime.binaries import temporal_cli
from caseflow.runtime.embedded import start_embedded_postgres
from caseflow.runtime.processes import free_port
from caseflow.services.complaints import ComplaintService
from caseflow.store import connect_pool
from domain.access import Principal, Role
from domain.complaint import commands as c
from workflows import names
from workflows.complaint_messages import CommandRequest, ComplaintView, workflow_id
from workflows.search_attributes import SEARCH_ATTRIBUTES

TASK_QUEUE = "bench-api"
OUTLET = "outlet-1"
OFFICER = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet=OUTLET)


async def open_cases(service: ComplaintService, count: int) -> list[str]:
    gate = asyncio.Semaphore(20)
    ids = [f"bench-{uuid.uuid4().hex[:12]}" for _ in range(count)]

    async def register(case_id: str) -> None:
        now = datetime.now(UTC)
        async with gate:
            await service.register(c.RegisterComplaint(
                actor=OFFICER.name, at=now, case_id=case_id, client_id="K1",
                client_tier="ordinary", channel="in_person", category="bank_cards", cause="fees",
                description="charged twice", outlet=OUTLET, received_at=now), by=OFFICER)

    started = time.perf_counter()
    for n in range(0, count, 100):
        await asyncio.gather(*(register(i) for i in ids[n:n + 100]))
        print(f"  {min(n + 100, count)}/{count} cases open "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    return ids


async def closed_loop(send: Callable[[str], Awaitable[None]], cases: list[str], requests: int,
                      concurrency: int) -> tuple[float, list[float]]:
    """`concurrency` callers, each sending its next request when the last one answered."""
    latencies: list[float] = []
    remaining = iter(range(requests))

    async def caller() -> None:
        for _ in remaining:
            started = time.perf_counter()
            await send(random.choice(cases))
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    return requests / (time.perf_counter() - started), latencies


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


async def run(cases: int, requests: int, concurrency: int, rounds: int) -> str:
    folder = Path(tempfile.mkdtemp(prefix="caseflow-bench-"))
    dsn = start_embedded_postgres(folder / "pg")
    pool = await connect_pool(dsn, max_size=10)
    env = await WorkflowEnvironment.start_local(
        data_converter=SEALED,
        dev_server_existing_path=temporal_cli(), search_attributes=SEARCH_ATTRIBUTES,
        dev_server_log_level="error")
    token = await add_user(pool, OFFICER, created_by="bench")
    port = free_port()
    environment = {**os.environ, "TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
                   "DATABASE_URL": dsn, "CASEFLOW_TASK_QUEUE": TASK_QUEUE,
                   "CASEFLOW_API_PORT": str(port), "CASEFLOW_LOG_LEVEL": "WARNING",
                   "CASEFLOW_PAYLOAD_KEYS": BENCH_PAYLOAD_KEYS}
    api = subprocess.Popen([sys.executable, "-m", "caseflow", "api"], env=environment)
    worker = subprocess.Popen([sys.executable, "worker.py"], env=environment,
                              cwd=Path(__file__).resolve().parent.parent)
    service = bootstrap(Settings(), env.client, pool, calendar=weekends_only(range(2020, 2040)),
                        task_queue=TASK_QUEUE).complaints
    results: dict[str, list[tuple[float, list[float]]]] = {"api": [], "direct": []}
    try:
        async with (httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}",
                                      headers={"Authorization": f"Bearer {token}"},
                                      limits=httpx.Limits(max_connections=concurrency),
                                      timeout=60) as http):
            ids = await open_cases(service, cases)
            await _wait_for(http)
            await _until_recorded(pool, ids)

            async def via_api(case_id: str) -> None:
                response = await http.post(f"/complaints/{case_id}/add-note",
                                           json={"text": "called the client"})
                response.raise_for_status()

            async def direct(case_id: str) -> None:
                await _direct(env.client, case_id)

            await closed_loop(via_api, ids, concurrency * 5, concurrency)  # warm-up
            await closed_loop(direct, ids, concurrency * 5, concurrency)
            for r in range(rounds):
                print(f"  round {r + 1}/{rounds}", flush=True)
                results["api"].append(await closed_loop(via_api, ids, requests, concurrency))
                results["direct"].append(await closed_loop(direct, ids, requests, concurrency))
    finally:
        for process in (api, worker):
            process.terminate()
            process.wait(timeout=30)
        await env.shutdown()
        await pool.close()
    rows = [("path", "requests/s", "p50 ms", "p99 ms")]
    for name, label in (("api", "HTTP API"), ("direct", "Temporal client, no HTTP")):
        rps = median([r for r, _ in results[name]])
        p50 = median([percentile(lat, 50) for _, lat in results[name]])
        p99 = median([percentile(lat, 99) for _, lat in results[name]])
        rows.append((label, f"{rps:.1f}", f"{p50:.1f}", f"{p99:.1f}"))
    ratio = float(rows[1][1]) / float(rows[2][1])
    return table(rows) + f"\nratio HTTP API / direct (requests/s): {ratio:.2f}"


async def _direct(client: Client, case_id: str) -> None:
    await client.get_workflow_handle(workflow_id(case_id)).execute_update(
        names.COMMAND, CommandRequest(command=c.AddNote(actor=OFFICER.name, at=datetime.now(UTC),
                                                    text="called the client"), by=OFFICER),
        result_type=ComplaintView)


async def _until_recorded(pool: Any, ids: list[str]) -> None:
    """Until the worker has run every case's first task (its worklist row is written with the
    first append): the commands measured then add to open cases, not to a backlog (a bench,
    not a test: polling is fine)."""
    started = time.perf_counter()
    while True:
        async with pool.acquire() as conn:
            done = int(await conn.fetchval(
                "SELECT count(*) FROM complaint_cases WHERE case_id = ANY($1)", ids))
        print(f"  {done}/{len(ids)} cases recorded ({time.perf_counter() - started:.0f} s)",
              flush=True)
        if done == len(ids):
            return
        await asyncio.sleep(2)


async def _wait_for(http: httpx.AsyncClient) -> None:
    for _ in range(300):
        try:
            if (await http.get("/openapi.json")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the API did not come up")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000, help="open cases")
    parser.add_argument("--requests", type=int, default=1000, help="per round and path")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    configure_logging("console", "WARNING")
    print(f"API round trips: {args.cases} open cases, {args.requests} add-note commands x "
          f"{args.rounds} rounds per path, {args.concurrency} callers, median of rounds "
          f"({date.today()})")
    print(asyncio.run(run(args.cases, args.requests, args.concurrency, args.rounds)))


if __name__ == "__main__":
    main()
