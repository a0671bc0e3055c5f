"""Client workflows at scale: time to start N, and the worker's memory per open (cached) workflow,
side by side with a bare long-lived workflow (one timer) in the same run, same server, same
worker process. Embedded stack: Temporal dev server (in-memory) and PostgreSQL 18."""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

import psutil  # type: ignore[import-untyped]
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.bare_workflow import BareLongLivedWorkflow
from bench.common import SEALED, table, throwaway_postgres
from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.policy.client import client_policy
from caseflow.runtime.binaries import temporal_cli
from caseflow.store import connect_pool
from domain.client.commands import Identify
from domain.client.model import Assessment
from workflows.client import ClientWorkflow
from workflows.client_messages import ClientInput, client_workflow_id
from workflows.registry import SANDBOX_RUNNER
from workflows.search_attributes import SEARCH_ATTRIBUTES

ASSESSMENT = Assessment(deposits_10k=Decimal(250), loans_10k=Decimal(0), intermediary_products=1,
                        family=1, occupation=1, social_standing=1)


def rss_mb() -> float:
    gc.collect()
    return float(psutil.Process().memory_info().rss) / 2**20


async def start_all(n: int, start_one: Callable[[int], Awaitable[object]]) -> float:
    gate = asyncio.Semaphore(64)

    async def one(i: int) -> None:
        async with gate:
            await start_one(i)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    return time.perf_counter() - started


async def settle(count: Callable[[], Awaitable[int]], n: int, label: str) -> float:
    """Wait until every workflow ran its first task (a bench, not a test: polling is fine)."""
    started = time.perf_counter()
    while (done := await count()) < n:
        print(f"  {label}: {done:,}/{n:,} running", flush=True)
        await asyncio.sleep(2)
    return time.perf_counter() - started


async def run(n: int) -> str:
    pool = await connect_pool(throwaway_postgres(), max_size=10)
    env = await WorkflowEnvironment.start_local(
        data_converter=SEALED, dev_server_existing_path=temporal_cli(),
        search_attributes=SEARCH_ATTRIBUTES, dev_server_log_level="error")
    client: Client = env.client
    tag = f"b{uuid.uuid4().hex[:6]}-"
    bare_started = 0
    rows = [("workflow", f"start {n:,} (s)", "until all running (s)", "worker MB per open wf")]

    # Both workers live through both phases: memory freed by one phase must not be reused by the
    # other and flatter it. The bare phase runs first, so caseflow is measured on a larger heap.
    async with (
        Worker(client, task_queue="bench-bare", workflows=[BareLongLivedWorkflow],
               workflow_runner=SANDBOX_RUNNER, max_cached_workflows=n + 100),
        bootstrap(Settings(), client, pool, task_queue="bench-client").worker(
            max_cached_workflows=n + 100),
    ):
        before = rss_mb()

        async def start_bare(i: int) -> None:
            nonlocal bare_started
            await client.start_workflow(BareLongLivedWorkflow.run, str(i), id=f"bare-{i}",
                                        task_queue="bench-bare")
            bare_started += 1

        async def bare_running() -> int:
            return len([w async for w in client.list_workflows(  # visibility of the dev server
                "WorkflowType = 'BareLongLivedWorkflow' AND ExecutionStatus = 'Running'")])

        seconds = await start_all(n, start_bare)
        settled = await settle(bare_running, n, "bare")
        await asyncio.sleep(3)  # let the last tasks complete before reading memory
        rows.append(("bare (one timer)", f"{seconds:.1f}", f"{settled:.1f}",
                     f"{(rss_mb() - before) / n:.3f}"))

        before = rss_mb()
        policy = client_policy()  # the shipped policy, festival dates included

        async def start_client(i: int) -> None:
            identify = Identify(actor="lobby-1", at=datetime.now(UTC), client_id=f"{tag}{i}",
                                outlet="outlet-1", birthday="05-20", assessment=ASSESSMENT)
            await client.start_workflow(
                ClientWorkflow.run, ClientInput(identify=identify, policy=policy),
                id=client_workflow_id(f"{tag}{i}"), task_queue="bench-client")

        async def clients_identified() -> int:
            async with pool.acquire() as conn:
                return int(await conn.fetchval(
                    "SELECT count(*) FROM events WHERE stream_id LIKE $1 || '%' "
                    "AND type = 'client_identified'", client_workflow_id(tag)))

        seconds = await start_all(n, lambda i: start_client(i))
        settled = await settle(clients_identified, n, "caseflow")
        await asyncio.sleep(3)
        rows.append(("caseflow ClientWorkflow", f"{seconds:.1f}", f"{settled:.1f}",
                     f"{(rss_mb() - before) / n:.3f}"))
    await env.shutdown()
    await pool.close()
    return table(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workflows", type=int, default=10_000)
    args = parser.parse_args(argv)
    print(f"client workflows: {args.workflows:,} of each kind, started 64 at a time")
    print(asyncio.run(run(args.workflows)))


if __name__ == "__main__":
    main()
