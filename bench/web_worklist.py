"""The officer's worklist page for an outlet with 10,000 open cases, side by side with the same
list through the JSON API (`GET /complaints?limit=50`), in the same run, same process, same
database: server time per request (p50, p99) and bytes per answer.

Both read the worklist table (the read model every case's workflow writes with its appends), so
the cases are written there directly: a page of the worklist costs the same whether 10,000
workflows or none are behind it. Requests go through the whole app (session or token check,
query, template or JSON) over httpx's in-process transport, so the time is the server's alone.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from temporalio.testing import WorkflowEnvironment

from bench.common import SEALED, table
from bench.complaint_throughput import weekends_only
from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.http.app import create_app
from caseflow.identity.passwords import set_password
from caseflow.identity.users import add_user
from caseflow.logs import configure_logging
from caseflow.runtime.binaries import temporal_cli
from caseflow.runtime.embedded import start_embedded_postgres
from caseflow.store import connect_pool
from caseflow.store.read_models.complaints import write_case
from domain.access import Principal, Role
from domain.complaint.summary import CaseSummary

OUTLET = "outlet-1"
OFFICER = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet=OUTLET)
PASSWORD = "Bench-password-2026"


def open_case(number: int, now: datetime, rng: random.Random) -> CaseSummary:
    received = now - timedelta(hours=rng.randint(0, 24 * 6))
    return CaseSummary(
        case_id=f"C-{number:05d}", status=rng.choice(["registered", "assigned", "investigated"]),
        handler=rng.choice([None, "officer-1", "officer-2", "officer-3"]), outlet=OUTLET,
        client_tier="ordinary", category=rng.choice(["收费", "服务态度", "理财"]),
        channel="letter", received_at=received, due_at=received + timedelta(days=5),
        breached=rng.random() < 0.05, escalation_level=0, extension="none", close_reason=None,
        closed_at=None, version=3, deadline_working_days=3)


async def timed(call: Callable[[], Awaitable[httpx.Response]], count: int
                ) -> tuple[list[float], int]:
    times, size = [], 0
    for _ in range(count):
        started = time.perf_counter()
        answer = await call()
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text[:200]
        size = len(answer.content)
    return times, size


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


async def run(cases: int, requests: int) -> str:
    configure_logging("console", "WARNING")
    folder = Path(tempfile.mkdtemp(prefix="caseflow-bench-"))
    pool = await connect_pool(start_embedded_postgres(folder / "pg"), max_size=10)
    env = await WorkflowEnvironment.start_local(data_converter=SEALED,
                                                dev_server_existing_path=temporal_cli(),
                                                dev_server_log_level="error")
    parts = bootstrap(Settings(), env.client, pool, calendar=weekends_only(range(2020, 2040)),
                      task_queue="bench-web")
    now = datetime.now(UTC)
    rng = random.Random(7)
    print(f"  writing {cases} open cases", flush=True)
    async with pool.acquire() as conn, conn.transaction():
        for number in range(cases):
            await write_case(conn, open_case(number, now, rng))
    token = await add_user(pool, OFFICER, created_by="bench")
    await set_password(pool, OFFICER.name, PASSWORD, set_by="bench")
    transport = httpx.ASGITransport(app=create_app(parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://caseflow") as web, \
            httpx.AsyncClient(transport=transport, base_url="http://caseflow",
                              headers={"Authorization": f"Bearer {token}"}) as api:
        signin = await web.get("/web/signin")
        csrf = re.search(r'name="csrf" value="([^"]+)"', signin.text)
        assert csrf is not None
        await web.post("/web/signin", data={"csrf": csrf.group(1),
                                            "name": OFFICER.name, "password": PASSWORD})
        sides = {
            "web page (50 rows, HTML)": lambda: web.get("/web/"),
            "JSON API (50 rows)": lambda: api.get("/complaints", params={"limit": 50}),
            "web page 200 (deep offset)": lambda: web.get("/web/", params={"page": 200}),
        }
        for call in sides.values():  # warm-up
            await timed(call, 20)
        print(f"  {requests} requests per side", flush=True)
        results = {name: await timed(call, requests) for name, call in sides.items()}
    await env.shutdown()
    await pool.close()
    api_p50 = statistics.median(results["JSON API (50 rows)"][0])
    rows = [("answer", "p50 ms", "p99 ms", "bytes", "p50 / API p50")]
    for name, (times, size) in results.items():
        rows.append((name, f"{statistics.median(times):.1f}", f"{p(times, 99):.1f}",
                     f"{size:,}", f"{statistics.median(times) / api_p50:.2f}"))
    return (f"an outlet with {cases:,} open cases, {date.today()}, one request at a time\n"
            + table(rows))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    print(asyncio.run(run(args.cases, args.requests)))


if __name__ == "__main__":
    main()
