"""Timers under load: N open complaints whose deadline warnings fall in the same minute, N client
care reminders at one instant, and N bare Temporal timers firing in one minute, on the same
embedded stack (Temporal dev server in memory, PostgreSQL 18), same worker process, in one run.

Each group fires alone in its own minute (bare first, then complaints, then clients, a few
minutes apart), with the worker's default cache (1,000 workflows: most timers wake an evicted
workflow, which replays from history, as in production). Measured per group: alerts raised
(each once?), lateness from the due instant to the alert being durable (for caseflow the
event's commit in PostgreSQL; for a bare timer the workflow's completion), p50 / p99 / max, and
the worker process's memory.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from zoneinfo import ZoneInfo

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.bare_workflow import BareTimerWorkflow
from bench.client_workflows import rss_mb, start_all
from bench.common import SEALED, table, throwaway_postgres
from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.logs import configure_logging
from caseflow.runtime.binaries import temporal_cli
from caseflow.store import connect_pool
from domain.access import Principal, Role
from domain.calendar import BusinessCalendar
from domain.client.commands import Identify
from domain.client.model import Assessment
from domain.client.policy import CarePlan, ClientPolicy
from domain.complaint.commands import RegisterComplaint
from domain.sla import SlaPolicy
from workflows.client import ClientWorkflow
from workflows.client_messages import ClientInput, client_workflow_id
from workflows.registry import SANDBOX_RUNNER
from workflows.search_attributes import SEARCH_ATTRIBUTES

SHANGHAI = ZoneInfo("Asia/Shanghai")
CORE = Assessment(deposits_10k=Decimal(250), loans_10k=Decimal(0), intermediary_products=1,
                  family=1, occupation=1, social_standing=1)


def every_day_working(today: date) -> BusinessCalendar:
    """Every day a working day: the deadline is exactly 3 days after receipt."""
    days = {today + timedelta(days=n) for n in range(-10, 30)}
    years = frozenset(d.year for d in days)
    return BusinessCalendar(version="bench-every-day", years=years, holidays=frozenset(),
                            makeup_workdays=frozenset(d for d in days if d.weekday() >= 5))


def warning_at(at: datetime) -> SlaPolicy:
    """The SLA policy under which a case's warning (on the deadline's day) comes at `at`."""
    local = at.astimezone(SHANGHAI)
    return SlaPolicy(version="bench-warning-minute",
                     warning_local_time=clock_time(local.hour, local.minute))


def lateness(due: datetime, fired: list[datetime]) -> tuple[str, str, str]:
    late = sorted((f - due).total_seconds() for f in fired)
    if not late:
        return "-", "-", "-"
    p99 = late[min(len(late) - 1, round(0.99 * (len(late) - 1)))]
    return f"{statistics.median(late):.2f}", f"{p99:.2f}", f"{late[-1]:.2f}"


async def wait_for(count: Callable[[], Awaitable[int]], n: int, label: str, deadline: float
                   ) -> None:
    while (done := await count()) < n and time.monotonic() < deadline:
        print(f"  {label}: {done:,}/{n:,}", flush=True)
        await asyncio.sleep(5)


def minute_after(moment: datetime, minutes: float) -> datetime:
    """The start of a whole minute at least `minutes` after `moment`."""
    later = moment + timedelta(minutes=minutes)
    return later.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def run(n: int, lead: float, gap: float) -> str:
    configure_logging("console", "WARNING")
    pool = await connect_pool(throwaway_postgres(), max_size=10)
    env = await WorkflowEnvironment.start_local(
        data_converter=SEALED, dev_server_existing_path=temporal_cli(),
        search_attributes=SEARCH_ATTRIBUTES, dev_server_log_level="error")
    client = env.client
    tag = uuid.uuid4().hex[:6]
    now = datetime.now(UTC)
    bare_at = minute_after(now, lead)
    complaints_at = minute_after(bare_at, gap)
    clients_at = minute_after(complaints_at, gap)
    print(f"  bare timers at {bare_at:%H:%M}, complaint warnings at {complaints_at:%H:%M}, "
          f"care reminders at {clients_at:%H:%M} UTC", flush=True)
    rows = [("group", "alerts raised", "raised twice", "p50 late (s)", "p99 late (s)",
             "max late (s)", "worker RSS MB (before → after firing)")]
    local = clients_at.astimezone(SHANGHAI)
    care_policy = ClientPolicy(version="bench-care-minute", care=CarePlan(
        remind_days_before=1, remind_hour=local.hour, remind_minute=local.minute))
    parts = bootstrap(Settings(), client, pool, task_queue="bench-timers",
                      calendar=every_day_working(complaints_at.astimezone(SHANGHAI).date()),
                      sla_policy=warning_at(complaints_at), client_policy=care_policy)
    async with (
        Worker(client, task_queue="bench-bare", workflows=[BareTimerWorkflow],
               workflow_runner=SANDBOX_RUNNER),
        parts.worker(),
    ):
        service = parts.complaints
        received = complaints_at - timedelta(days=3)

        async def start_bare(i: int) -> None:
            await client.start_workflow(BareTimerWorkflow.run, bare_at, id=f"bare-{tag}-{i}",
                                        task_queue="bench-bare")

        async def start_case(i: int) -> None:
            at = datetime.now(UTC)
            await service.register(RegisterComplaint(
                actor="lobby-1", at=at, case_id=f"tl-{tag}-{i}", client_id=f"K-{i}",
                client_tier="ordinary", channel="letter", category="bank_cards", cause="fees",
                description="charged twice", outlet=f"outlet-{i % 50}", received_at=received),
                by=Principal(name="lobby-1", role=Role.CASE_OFFICER, outlet=f"outlet-{i % 50}"))

        birthday = f"{local.date() + timedelta(days=1):%m-%d}"

        async def start_client(i: int) -> None:
            identify = Identify(actor="lobby-1", at=datetime.now(UTC),
                                client_id=f"tl-{tag}-{i}", outlet=f"outlet-{i % 50}",
                                birthday=birthday, assessment=CORE)
            await client.start_workflow(
                ClientWorkflow.run, ClientInput(identify=identify, policy=care_policy),
                id=client_workflow_id(f"tl-{tag}-{i}"), task_queue="bench-timers")

        for label, starter in (("bare", start_bare), ("complaints", start_case),
                               ("clients", start_client)):
            seconds = await start_all(n, starter)
            print(f"  started {n:,} {label} in {seconds:.0f} s", flush=True)

        async def stored(kind: str, prefix: str) -> int:
            async with pool.acquire() as conn:
                return int(await conn.fetchval(
                    "SELECT count(*) FROM events WHERE type = $1 AND stream_id LIKE $2 || '%'",
                    kind, prefix))

        await wait_for(lambda: stored("client_identified", f"client-tl-{tag}"), n,
                       "clients identified", time.monotonic() + 3600)
        if datetime.now(UTC) > bare_at - timedelta(seconds=30):
            raise SystemExit(f"setup took too long for --lead {lead}: raise it")

        async def bare_done() -> int:
            return len([w async for w in client.list_workflows(
                f"WorkflowType = 'BareTimerWorkflow' AND ExecutionStatus = 'Completed' "
                f"AND WorkflowId STARTS_WITH 'bare-{tag}'")])

        async def fired(kind: str, prefix: str) -> list[tuple[str, int, datetime]]:
            async with pool.acquire() as conn:
                found = await conn.fetch(
                    "SELECT stream_id, count(*) AS n, min(recorded_at) AS at FROM events "
                    "WHERE type = $1 AND stream_id LIKE $2 || '%' GROUP BY stream_id",
                    kind, prefix)
            return [(r["stream_id"], r["n"], r["at"]) for r in found]

        rss = rss_mb()
        await asyncio.sleep(max(0.0, (bare_at - datetime.now(UTC)).total_seconds()))
        await wait_for(bare_done, n, "bare fired", time.monotonic() + 600)
        closes = [w.close_time async for w in client.list_workflows(
            f"WorkflowType = 'BareTimerWorkflow' AND WorkflowId STARTS_WITH 'bare-{tag}'")
            if w.close_time is not None]
        rows.append(("bare Temporal timers", f"{len(closes):,}", "-",
                     *lateness(bare_at, closes), f"{rss:.0f} → {rss_mb():.0f}"))

        for label, due, kind, prefix in (
            ("complaint warnings", complaints_at, "deadline_warning_raised",
             f"complaint-tl-{tag}"),
            ("client care reminders", clients_at, "care_due", f"client-tl-{tag}"),
        ):
            rss = rss_mb()
            await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))

            async def raised(kind: str = kind, prefix: str = prefix) -> int:
                return len(await fired(kind, prefix))

            await wait_for(raised, n, label, time.monotonic() + 900)
            found = await fired(kind, prefix)
            twice = sum(1 for _, count, _ in found if count > 1)
            rows.append((label, f"{len(found):,}", str(twice),
                         *lateness(due, [at for _, _, at in found]),
                         f"{rss:.0f} → {rss_mb():.0f}"))
    await env.shutdown()
    await pool.close()
    return table(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000, help="timers per group")
    parser.add_argument("--lead", type=float, default=25.0,
                        help="minutes from now to the first group's instant (setup must fit)")
    parser.add_argument("--gap", type=float, default=4.0, help="minutes between groups")
    args = parser.parse_args(argv)
    print(f"timer load: {args.count:,} per group ({datetime.now(UTC).date()})")
    print(asyncio.run(run(args.count, args.lead, args.gap)))


if __name__ == "__main__":
    main()
