"""Complaints per second through register → assign → findings → reply → feedback (closed), on the
embedded stack (Temporal dev server + PostgreSQL 18), side by side with a bare workflow taking the
same updates with a no-op activity each, in the same run, same server, same concurrency.

Two caseflow rows, each against the same bare rounds: the case engine alone (its notices stored
in the outbox, as the bare side delivers nothing), and the production path, where each notice
to the client (here the acknowledgement, by SMS to the fake gateway) is delivered by its own
DeliveryWorkflow, which records on the case what became of it (one more step per case).

The calendar here is weekends-only ("bench-weekends-only"): throughput does not depend on which
days are holidays, and the bench must not stop working when the official data runs out.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.notify import OutboxOnly
from bench.bare_workflow import BareWorkflow, noop
from bench.common import SEALED, median, table
from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.logs import configure_logging
from caseflow.runtime.binaries import temporal_cli
from caseflow.runtime.embedded import start_embedded_postgres
from caseflow.services.complaints import ComplaintService
from caseflow.store import connect_pool
from domain.access import Principal, Role
from domain.calendar import BusinessCalendar
from domain.complaint import commands as c
from domain.complaint.commands import RegisterComplaint
from domain.notifications import ClientContact
from workflows import names
from workflows.search_attributes import SEARCH_ATTRIBUTES


def weekends_only(years: Iterable[int]) -> BusinessCalendar:
    return BusinessCalendar(version="bench-weekends-only", years=frozenset(years),
                            holidays=frozenset(), makeup_workdays=frozenset())


def staff(name: str) -> Principal:
    """The officers of the bench's outlet: every step is checked against its sender's role."""
    return Principal(name=name, role=Role.CASE_OFFICER, outlet="outlet-1")


async def one_complaint(service: ComplaintService) -> None:
    case_id = f"bench-{uuid.uuid4()}"
    now = datetime.now(UTC)
    await service.register(RegisterComplaint(
        actor="lobby-1", at=now, case_id=case_id, client_id="K1", client_tier="ordinary",
        channel="in_person", category="bank_cards", cause="fees",
        description="charged twice", outlet="outlet-1",
        received_at=now, contact=ClientContact(mobile="13800138000", preferred="sms")),
        by=staff("lobby-1"))
    for command in (
        c.AssignHandler(actor="lobby-1", at=now, handler="officer-1"),
        c.RecordFindings(actor="officer-1", at=now, summary="s", bank_at_fault=False),
        c.ReplyToClient(actor="officer-1", at=now, method="in_person", content="explained"),
        c.RecordFeedback(actor="officer-1", at=now, satisfied=True, opinion="ok"),
    ):
        await service.execute(case_id, command, by=staff(command.actor))


async def one_bare(client: Client, task_queue: str) -> None:
    handle = await client.start_workflow(BareWorkflow.run, "x", id=f"bare-{uuid.uuid4()}",
                                         task_queue=task_queue)
    for step in ("assign", "findings", "reply", "close"):
        await handle.execute_update(names.COMMAND, step)


async def throughput(job: Callable[[], Awaitable[None]], count: int, concurrency: int) -> float:
    gate = asyncio.Semaphore(concurrency)

    async def guarded() -> None:
        async with gate:
            await job()

    started = time.perf_counter()
    await asyncio.gather(*(guarded() for _ in range(count)))
    return count / (time.perf_counter() - started)


async def run(count: int, concurrency: int, rounds: int) -> str:
    configure_logging("console", "WARNING")  # as the other benches: no line per notice
    folder = Path(tempfile.mkdtemp(prefix="caseflow-bench-"))
    pool = await connect_pool(start_embedded_postgres(folder / "pg"), max_size=10)
    env = await WorkflowEnvironment.start_local(
        data_converter=SEALED, dev_server_existing_path=temporal_cli(),
        search_attributes=SEARCH_ATTRIBUTES, dev_server_log_level="error",
    )
    calendar = weekends_only(range(2020, 2040))
    engine = bootstrap(Settings(), env.client, pool, calendar=calendar,
                       task_queue="bench-engine", dispatcher=OutboxOnly())
    delivered = bootstrap(Settings(), env.client, pool, calendar=calendar,
                          task_queue="bench-delivered")
    sides: dict[str, Callable[[], Awaitable[None]]] = {
        "engine": lambda: one_complaint(engine.complaints),
        "delivered": lambda: one_complaint(delivered.complaints),
        "bare": lambda: one_bare(env.client, "bench-bare"),
    }
    rates: dict[str, list[float]] = {side: [] for side in sides}
    async with (
        engine.worker(), delivered.worker(),
        Worker(env.client, task_queue="bench-bare", workflows=[BareWorkflow], activities=[noop]),
    ):
        for job in sides.values():  # warm-up
            await throughput(job, concurrency, concurrency)
        for r in range(rounds):
            print(f"  round {r + 1}/{rounds}", flush=True)
            for side, job in sides.items():
                rates[side].append(await throughput(job, count, concurrency))
    await env.shutdown()
    await pool.close()
    bare = median(rates["bare"])
    rows = [("caseflow path", "complaints/s", "bare workflows/s", "ratio caseflow/bare")]
    for side, label in (("engine", "case engine (notices to the outbox)"),
                        ("delivered", "with delivery (a DeliveryWorkflow per notice)")):
        ours = median(rates[side])
        rows.append((label, f"{ours:.1f}", f"{bare:.1f}", f"{ours / bare:.2f}"))
    return f"{count} cases per round and side, {concurrency} at a time\n" + table(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200, help="cases per round and side")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"complaint throughput: {args.cases} cases x {args.rounds} rounds per side, "
          f"{args.concurrency} concurrent, median of rounds ({date.today()})")
    print(asyncio.run(run(args.cases, args.concurrency, args.rounds)))


if __name__ == "__main__":
    main()
