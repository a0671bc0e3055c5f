"""`caseflow audit …`: replay, verify and export records. Read-only. Works from the event store
alone (the embedded PostgreSQL is started for the command when `./dev.sh up` is not running);
checks against Temporal's histories run when Temporal is reachable and are reported otherwise."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from temporalio.client import Client

from caseflow.audit.client_replay import client_as_of
from caseflow.audit.export import export_html, export_json
from caseflow.audit.replay import TimelineEntry, complaint_as_of
from caseflow.audit.verify import verify_streams
from caseflow.cli.store import with_store
from caseflow.config import Settings
from caseflow.runtime.embedded import connect_temporal
from caseflow.store import PostgresEventStore
from domain.sla import Deadline

app = typer.Typer(help="Audit: replay, verify, export (read-only).", no_args_is_help=True)


def _stream(record_id: str) -> str:
    """A case id (`C-1001`), or a stream id (`complaint-C-1001`, `client-K-77`)."""
    if record_id.startswith(("complaint-", "client-")):
        return record_id
    return f"complaint-{record_id}"


async def _temporal(settings: Settings) -> Client | None:

    try:
        return await connect_temporal(settings)
    except RuntimeError:
        return None


@app.command()
def replay(
    case_id: str,
    at: datetime | None = typer.Option(None, help="ISO time with zone: 2026-10-09T12:00+08:00"),
    version: int | None = typer.Option(None),
) -> None:
    """A case (or `client-<id>`) as it stood at a moment (or version), with its timeline."""

    if at is not None and at.tzinfo is None:
        typer.secho("error: --at needs a time zone (e.g. +08:00)", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2)
    zone = Settings().zone
    stream = _stream(case_id)
    moment = at.isoformat() if at else (f"version {version}" if version else "now")
    if stream.startswith("client-"):
        record = with_store(lambda store, _: client_as_of(store, stream, at=at, version=version))
        c = record.state
        typer.echo(f"{stream} as of {moment}: {c.tier.value if c.tier else '-'}, "
                   f"{c.stage.value}, manager {c.manager or '-'}, version {c.version}")
        _timeline(record.timeline, zone)
        return
    case = with_store(
        lambda store, _: complaint_as_of(store, stream, at=at, version=version))
    s = case.state
    typer.echo(f"{case.stream_id} as of {moment}: "
               f"{s.status.value}, handler {s.handler or '-'}, version {s.version}")
    if s.deadline:
        typer.echo(f"  deadline in force: end of {s.deadline.due_date} "
                   f"({s.deadline.working_days} working days; {s.deadline.calendar_version})"
                   + _provisional(s.deadline) + ("  BREACHED" if s.breached else ""))
    _timeline(case.timeline, zone)


def _timeline(entries: list[TimelineEntry], zone: ZoneInfo) -> None:
    for t in entries:
        typer.echo(f"  v{t.version:<3} {t.occurred_at.astimezone(zone):%Y-%m-%d %H:%M} "
                   f"{t.actor:<20} {t.summary}")


@app.command()
def verify(
    case_ids: list[str] = typer.Argument(
        None, help="cases (or client-<id>) to verify; none: every complaint and client"),
) -> None:
    """Chain, gaps, store against Temporal history, replay. Exit 1 on any problem."""

    async def work(store: PostgresEventStore, settings: Settings):  # type: ignore[no-untyped-def]
        streams = [_stream(c) for c in case_ids] if case_ids else (
            await store.stream_ids("complaint-") + await store.stream_ids("client-"))
        return await verify_streams(store, streams, await _temporal(settings))

    report = with_store(work)
    for problem in report.problems:
        typer.echo(f"PROBLEM {problem.stream_id} v{problem.version}: {problem.problem}")
    for skipped in report.not_checked:
        typer.echo(f"not checked: {skipped}")
    typer.echo(f"{report.streams_checked} streams, {report.events_checked} events, "
               f"{len(report.problems)} problems")
    raise typer.Exit(code=0 if report.ok else 1)


@app.command()
def export(
    case_id: str,
    out: Path = typer.Option(..., help="file to write"),
    fmt: str = typer.Option("json", "--format", help="json or html"),
) -> None:
    """A case's full record: JSON with the chain (re-verify: tools/verify_export.py) or HTML."""

    if fmt not in ("json", "html"):
        typer.secho("error: --format is json or html", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2)
    record = with_store(lambda store, _: export_json(store, _stream(case_id)))
    text = json.dumps(record, ensure_ascii=False, indent=1) if fmt == "json" \
        else export_html(record)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out} ({len(record['events'])} events)")


def _provisional(deadline: Deadline) -> str:
    years = ", ".join(map(str, deadline.provisional_years))
    return f"  PROVISIONAL (no calendar for {years} yet: counted on weekends)" if years else ""

