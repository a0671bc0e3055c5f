"""Alerts delivered by e-mail, in a burst: N breach alerts due in the same minute (each addressed
to the supervisors of one of 100 outlets, resolved against the organisation in PostgreSQL),
handed to delivery at once as the breach steps' appends hand them, each through its own
DeliveryWorkflow (resolve, inbox, e-mail; Temporal retries), to a local SMTP server in its own
process. Side by side, in the same run, against the same server: the same messages (rendered
from the same templates) sent raw with aiosmtplib, as many at a time as the worker runs
activities; and each sent by a bare workflow with one activity (the floor of any
workflow-per-message design on this machine). Measured: delivered e-mails per second, each
message once?, and how late the last one arrived after the burst began.

`--alerts` sets N (default 10,000). The cases themselves are not run here: what it takes to
raise a breach alert on time is `bench timers`; this is what it takes to get it to people.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from temporalio import activity
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.bare_workflow import BareSendWorkflow
from bench.client_workflows import start_all
from bench.common import SEALED, table, throwaway_postgres
from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.delivery.channels import EmailChannel, Outgoing, SmtpSettings
from caseflow.identity.organisation import StaffMember, Unit, UnitKind, put_staff, put_units
from caseflow.logs import configure_logging
from caseflow.runtime.binaries import temporal_cli
from caseflow.runtime.processes import free_port
from caseflow.store import connect_pool
from domain.access import Role
from domain.notifications import Notification, NotifyItem
from workflows.registry import SANDBOX_RUNNER
from workflows.search_attributes import SEARCH_ATTRIBUTES

OUTLETS = 100
RAW_CONCURRENCY = 100
"""The worker's activity slots (the Python SDK's default max_concurrent_activities)."""


def breach_alert(i: int, due: datetime) -> NotifyItem:
    return NotifyItem(notification_id=uuid.uuid4(), notification=Notification(
        kind="sla_breach", stream_id=f"complaint-bench-{i}",
        recipients=(f"supervisor@bench-outlet-{i % OUTLETS}",), unit=f"bench-outlet-{i % OUTLETS}",
        facts={"case_id": f"bench-{i}", "due_at": due.isoformat(),
               "escalated_to": "outlet_head"}))


def lines(path: Path) -> list[tuple[float, str]]:
    out = []
    for line in path.read_text().splitlines():
        stamp, key = line.split(" ", 1)
        out.append((float(stamp), key))
    return out


def twice(received: list[tuple[float, str]]) -> str:
    """How many messages arrived more than once (each carries its delivery key)."""
    return str(sum(1 for count in Counter(k for _, k in received).values() if count > 1))


async def wait_for_mail(path: Path, n: int, started: float, label: str) -> list[tuple[float, str]]:
    while len(got := lines(path)) < n:
        if time.time() - started > 3600:
            raise SystemExit(f"{label}: only {len(got):,}/{n:,} after an hour")
        print(f"  {label}: {len(got):,}/{n:,} e-mails", flush=True)
        await asyncio.sleep(5)
    return got


async def run(n: int) -> str:
    configure_logging("console", "WARNING")
    folder = Path(tempfile.mkdtemp(prefix="caseflow-mail-bench-"))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.smtp_counter", str(port),
                               str(folder / "received")], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdout.readline().strip() == "ready"
    pool = await connect_pool(throwaway_postgres(), max_size=20)
    env = await WorkflowEnvironment.start_local(
        data_converter=SEALED, dev_server_existing_path=temporal_cli(),
        search_attributes=SEARCH_ATTRIBUTES, dev_server_log_level="error")
    try:
        await put_units(pool, [Unit(unit_id=f"bench-outlet-{o}", kind=UnitKind.OUTLET,
                                    name_zh=f"网点{o}", name_en=f"Outlet {o}")
                               for o in range(OUTLETS)])
        for o in range(OUTLETS):
            await put_staff(pool, StaffMember(
                name=f"bench-supervisor-{o}", role=Role.SUPERVISOR, unit=f"bench-outlet-{o}",
                email=f"supervisor-{o}@bank.example"), changed_by="bench")
        settings = Settings.model_validate({"smtp_host": "127.0.0.1", "smtp_port": port})
        parts = bootstrap(settings, env.client, pool, task_queue="bench-alerts")
        due = datetime.now(UTC).replace(second=0, microsecond=0)
        alerts = [breach_alert(i, due) for i in range(n)]

        # The baseline: the same messages, rendered by the same templates, sent raw.
        raw_file = folder / "received"
        email = EmailChannel(SmtpSettings(host="127.0.0.1", port=port))
        gate = asyncio.Semaphore(RAW_CONCURRENCY)

        async def raw(item: NotifyItem, i: int) -> None:
            message = parts.templates.render("sla_breach", item.notification.facts, "zh")
            async with gate:
                await email.send(f"supervisor-{i % OUTLETS}@bank.example", Outgoing(
                    key=f"raw/{item.notification_id}", subject=message.subject,
                    body=message.body, sent_at=datetime.now(UTC)))

        raw_started = time.time()
        await asyncio.gather(*(raw(item, i) for i, item in enumerate(alerts)))
        raw_got = await wait_for_mail(raw_file, n, raw_started, "raw")
        raw_seconds = max(t for t, _ in raw_got) - raw_started

        # The floor of any workflow-per-message design: a bare workflow, one activity, one send.
        by_key = {f"bare/{item.notification_id}": (i, item) for i, item in enumerate(alerts)}

        @activity.defn(name="bare_send")
        async def bare_send(key: str) -> None:
            i, item = by_key[key]
            message = parts.templates.render("sla_breach", item.notification.facts, "zh")
            await email.send(f"supervisor-{i % OUTLETS}@bank.example", Outgoing(
                key=key, subject=message.subject, body=message.body, sent_at=datetime.now(UTC)))

        async with Worker(env.client, task_queue="bench-bare-send",
                          workflows=[BareSendWorkflow], activities=[bare_send],
                          workflow_runner=SANDBOX_RUNNER):
            bare_started = time.time()
            await start_all(n, lambda i: env.client.start_workflow(
                BareSendWorkflow.run, f"bare/{alerts[i].notification_id}",
                id=f"bare-send-{alerts[i].notification_id}", task_queue="bench-bare-send"))
            bare_mail = [(t, k) for t, k in await wait_for_mail(raw_file, 2 * n, bare_started,
                                                                "bare") if k.startswith("bare/")]
        bare_seconds = max(t for t, _ in bare_mail) - bare_started

        async with parts.worker():
            started = time.time()
            await parts.store.queue_notifications(alerts)
            await parts.dispatcher.dispatch(alerts)  # (32 starts in flight at a time)
            dispatched = time.time() - started
            print(f"  {n:,} delivery workflows started in {dispatched:.0f} s", flush=True)
            got = [(t, k) for t, k in await wait_for_mail(raw_file, 3 * n, started, "caseflow")
                   if not k.startswith(("raw/", "bare/"))]
        arrivals = sorted(t - started for t, _ in got)
        async with pool.acquire() as conn:
            states = dict(await conn.fetch(
                "SELECT state, count(*) FROM deliveries WHERE channel = 'email' GROUP BY state"))
        rows = [("sender", "e-mails", "sent twice", "e-mails / s", "last arrived (s)",
                 "p50 arrived (s)")]
        rows.append(("raw aiosmtplib, 100 at a time", f"{len(raw_got):,}", twice(raw_got),
                     f"{n / raw_seconds:.1f}", f"{raw_seconds:.1f}", "-"))
        rows.append(("bare workflow + 1 send activity each", f"{len(bare_mail):,}",
                     twice(bare_mail),
                     f"{n / bare_seconds:.1f}", f"{bare_seconds:.1f}", "-"))
        rows.append(("caseflow DeliveryWorkflow each", f"{len(got):,}",
                     twice(got),
                     f"{n / arrivals[-1]:.1f}", f"{arrivals[-1]:.1f}",
                     f"{arrivals[len(arrivals) // 2]:.1f}"))
        ratio = (n / arrivals[-1]) / (n / raw_seconds)
        floor = (n / arrivals[-1]) / (n / bare_seconds)
        return (table(rows) + f"\n  ratio caseflow / raw: {ratio:.3f}; caseflow / bare "
                f"workflow: {floor:.2f}"
                f"\n  delivery records (e-mail): {states}"
                )
    finally:
        await env.shutdown()
        await pool.close()
        server.terminate()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench alerts")
    parser.add_argument("--alerts", type=int, default=10_000)
    args = parser.parse_args(argv)
    print(asyncio.run(run(args.alerts)))
