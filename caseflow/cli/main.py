"""The caseflow command line."""

from __future__ import annotations

import asyncio
import atexit
import os
import signal
import sys
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import structlog
import typer
import uvicorn

from caseflow.bootstrap import Parts, bootstrap, connected
from caseflow.cli.account_events import app as account_events_app
from caseflow.cli.audit import app as audit_app
from caseflow.cli.calendar import app as calendar_app
from caseflow.cli.clients import app as client_app
from caseflow.cli.complaints import app as complaint_app
from caseflow.cli.inbox import app as inbox_app
from caseflow.cli.organisation import app as org_app
from caseflow.cli.reports import app as report_app
from caseflow.cli.sla import app as sla_app
from caseflow.cli.users import app as user_app
from caseflow.config import Settings
from caseflow.http.app import create_app
from caseflow.identity.organisation import load_organisation
from caseflow.logs import configure_logging
from caseflow.runtime.embedded import running_stack
from caseflow.runtime.mail_sink import MailSink, start_mail_sink
from caseflow.store.postgres import redact_dsn

app = typer.Typer(help="caseflow: durable complaint cases and client relationships.",
                  no_args_is_help=True)
log = structlog.get_logger("caseflow")
app.add_typer(complaint_app, name="complaint")
app.add_typer(client_app, name="client")
app.add_typer(audit_app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(org_app, name="org")
app.add_typer(inbox_app, name="inbox")
app.add_typer(calendar_app, name="calendar")
app.add_typer(sla_app, name="sla")
app.add_typer(report_app, name="report")
app.add_typer(account_events_app, name="account-events")


@app.callback()
def _root() -> None:
    """caseflow commands."""


async def _up(settings: Settings, exit_after_start: bool) -> None:
    async with running_stack(settings) as stack, _mail(settings, stack.data_dir) as mail:
        async with stack.pool.acquire() as conn:
            events, streams = await conn.fetchrow(
                "SELECT count(*), count(DISTINCT stream_id) FROM events"
            )
        organisation = settings.organisation or (
            DEMO_ORGANISATION if settings.embedded_postgres else None)
        units = staff = 0
        if organisation is not None:
            units, staff = await load_organisation(stack.pool, organisation,
                                                   loaded_by="caseflow up")
        if mail is not None:
            settings = settings.model_copy(update={"smtp_host": "127.0.0.1",
                                                   "smtp_port": mail.port})
        parts = bootstrap(settings, stack.client, stack.pool)
        worker = parts.worker()
        api = _api_server(settings, parts)
        typer.echo(
            "caseflow is up\n"
            f"  data folder   {stack.data_dir} ({'reused' if stack.reused_data_dir else 'new'})\n"
            f"  event store   {events} events in {streams} streams\n"
            f"  PostgreSQL    {'embedded, ' if settings.embedded_postgres else ''}"
            f"{redact_dsn(stack.database_url)}\n"
            f"  Temporal      {stack.temporal_address} namespace {settings.temporal_namespace}\n"
            f"  Temporal UI   {stack.temporal_ui or '(external cluster)'}"
            + (f" (payloads opened by http://{settings.api_host}:{settings.api_port}/codec for "
               "signed-in staff)\n" if stack.temporal_ui else "\n") +
            f"  worker        task queue {settings.task_queue!r}\n"
            f"  organisation  {units} units, {staff} staff from {organisation or '(database)'}\n"
            f"  e-mail        "
            + (f"local mail sink smtp://127.0.0.1:{mail.port}: each message a .eml file in "
               f"{mail.folder}\n" if mail else
               f"{settings.smtp_host}:{settings.smtp_port}\n") +
            f"  API           http://{settings.api_host}:{settings.api_port} "
            f"(OpenAPI docs at /docs)\n"
            f"  web app       http://{settings.api_host}:{settings.api_port}/web/ "
            f"(staff sign in: `caseflow user password NAME` gives a password)\n"
            f"  health        http://{settings.api_host}:{settings.api_port}/healthz, /readyz, "
            "/metrics"
        )
        if exit_after_start:
            typer.echo("exiting after start (--exit-after-start)")
            return
        typer.echo("press Ctrl-C to stop")
        await _run_until_one_stops(worker.run(), api.serve())


async def _run_until_one_stops(*jobs: Coroutine[Any, Any, None]) -> None:
    """The worker and the API run side by side; when one stops (Ctrl-C stops the API), the other
    is stopped too, and an error of either is raised."""
    tasks = [asyncio.create_task(job) for job in jobs]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]


DEMO_ORGANISATION = Path(str(resources.files("caseflow") / "policy" / "organisation.json"))
"""The demo bank `caseflow up` loads unless CASEFLOW_ORGANISATION names the bank's file."""


@asynccontextmanager
async def _mail(settings: Settings, data_dir: Path) -> AsyncIterator[MailSink | None]:
    """The local mail sink, unless a mail server is configured."""
    if settings.smtp_host:
        yield None
        return
    sink = start_mail_sink(data_dir / "mail", settings.mail_sink_port)
    try:
        yield sink
    finally:
        sink.stop()


def _api_server(settings: Settings, parts: Parts) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(
        create_app(parts), host=settings.api_host, port=settings.api_port,
        log_level="warning", access_log=False))


@app.command()
def up(
    exit_after_start: bool = typer.Option(
        False, "--exit-after-start", help="Start everything, print where it is, then stop."
    ),
) -> None:
    """Start Temporal, PostgreSQL and a worker (embedded unless TEMPORAL_ADDRESS/DATABASE_URL)."""
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    # SIGTERM (kill, systemd, a container stop) stops it like Ctrl-C: the worker, the API and
    # the embedded servers are shut down, not left running without their parent.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        asyncio.run(_up(settings, exit_after_start))
    except KeyboardInterrupt:
        typer.echo("stopped")


@app.command()
def api() -> None:
    """Serve the HTTP API only (production: next to workers run with `python worker.py`),
    against TEMPORAL_ADDRESS and DATABASE_URL."""
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    asyncio.run(_serve_api(settings))


async def _serve_api(settings: Settings) -> None:
    async with connected(settings) as parts:
        server = _api_server(settings, parts)
        log.info("API serving", url=f"http://{settings.api_host}:{settings.api_port}")
        await server.serve()


def main() -> None:
    """Run the command, then leave without interpreter finalization: the Temporal client's
    native threads can outlive it and abort the process at exit (temporalio/sdk-python#300),
    turning a finished command into a crash. Exit handlers (they stop the embedded PostgreSQL)
    still run first."""
    code = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
