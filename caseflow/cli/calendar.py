"""`caseflow calendar …`: the working-day calendar's versions. An admin enters a year's schedule
or an amendment (from a file, or by dates); another admin confirms it, which brings it to the
open cases it touches and shows how far that has come."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Literal

import typer
from pydantic import ValidationError

from caseflow.calendar.versions import CalendarVersion
from caseflow.cli.session import TOKEN, Session, fail, invalid, run_as
from caseflow.services.calendar import FanOut
from domain.calendar import CalendarProposal, Holiday, YearSchedule

app = typer.Typer(help="The working-day calendar: its versions, entered and confirmed by two "
                  "admins.", no_args_is_help=True)


def _holiday(text: str) -> Holiday:
    """NAME:FIRST[..LAST], e.g. 春节:2027-02-06..2027-02-13 or 元旦:2027-01-01."""
    name, _, days = text.partition(":")
    first, _, last = days.partition("..")
    try:
        return Holiday(name=name, first=date.fromisoformat(first),
                       last=date.fromisoformat(last or first))
    except ValueError as exc:
        raise fail(f"--holiday {text!r}: NAME:FIRST[..LAST] with ISO dates ({exc})") from exc


def _show(version: CalendarVersion) -> None:
    days = ", ".join(d.isoformat() for d in version.changed_days[:10])
    more = f" (+{len(version.changed_days) - 10})" if len(version.changed_days) > 10 else ""
    typer.echo(f"version {version.number}: {version.year} {version.kind}, {version.state}, "
               f"entered by {version.entered_by}"
               + (f", confirmed by {version.confirmed_by} (revision {version.revision})"
                  if version.confirmed_by else "")
               + (f"; reason: {version.reason}" if version.reason else ""))
    typer.echo(f"  days it changes: {days or 'none'}{more}")


@app.command()
def propose(
    token: str = TOKEN,
    file: Path | None = typer.Option(None, exists=True, dir_okay=False,
                                     help="a schedule as JSON: {year, holidays: [{name, first, "
                                     "last}], makeup_workdays: [...]}"),
    year: int | None = typer.Option(None, help="with --holiday/--makeup instead of a file"),
    holiday: list[str] = typer.Option([], help="NAME:FIRST[..LAST], repeatable"),
    makeup: list[str] = typer.Option([], help="a weekend day worked (YYYY-MM-DD), repeatable"),
    kind: str = typer.Option("schedule", help="schedule (a year not covered yet) or amendment"),
    reason: str | None = typer.Option(None, help="for an amendment: what it changes and why"),
) -> None:
    """Enter a year's schedule or an amendment; it takes effect once another admin confirms."""
    if kind not in ("schedule", "amendment"):
        raise fail("--kind is schedule or amendment")
    try:
        if file is not None:
            schedule = YearSchedule.model_validate_json(file.read_text(encoding="utf-8"))
        elif year is not None:
            schedule = YearSchedule(year=year, holidays=tuple(_holiday(h) for h in holiday),
                                    makeup_workdays=tuple(date.fromisoformat(d) for d in makeup))
        else:
            raise fail("give --file, or --year with --holiday and --makeup")
        chosen: Literal["schedule", "amendment"] = (
            "amendment" if kind == "amendment" else "schedule")
        proposal = CalendarProposal(kind=chosen, schedule=schedule, reason=reason)
    except ValidationError as exc:
        raise fail(f"invalid schedule: {invalid(exc)}") from exc
    except ValueError as exc:  # a --makeup that is not a date
        raise fail(f"invalid schedule: {exc}") from exc

    async def work(session: Session) -> CalendarVersion:
        assert session.services.calendar is not None
        return await session.services.calendar.propose(proposal, session.user)

    _show(run_as(token, work))
    typer.echo("  waits for another admin: caseflow calendar confirm NUMBER")


@app.command()
def confirm(number: int, token: str = TOKEN,
            wait: bool = typer.Option(True, help="follow the fan-out until it is done")) -> None:
    """Confirm another admin's version: it takes effect, and reaches the open cases it touches."""

    async def work(session: Session) -> tuple[CalendarVersion, FanOut]:
        service = session.services.calendar
        assert service is not None
        version, fan_out = await service.confirm(number, session.user)
        while wait and fan_out.running:
            _progress(fan_out)
            await asyncio.sleep(1)  # a person watching: a line a second
            assert version.revision is not None
            fan_out = await service.fan_out(version.revision, session.user)
        return version, fan_out

    version, fan_out = run_as(token, work)
    _show(version)
    _progress(fan_out)


@app.command()
def withdraw(number: int, token: str = TOKEN) -> None:
    """Withdraw a version that awaits confirmation."""

    async def work(session: Session) -> CalendarVersion:
        assert session.services.calendar is not None
        return await session.services.calendar.withdraw(number, session.user)

    _show(run_as(token, work))


@app.command("list")
def list_(token: str = TOKEN, year: int | None = typer.Option(None)) -> None:
    """Every version (of a year), oldest first."""

    async def work(session: Session) -> list[CalendarVersion]:
        assert session.services.calendar is not None
        return await session.services.calendar.list(session.user, year)

    for version in run_as(token, work):
        _show(version)


@app.command()
def progress(revision: int, token: str = TOKEN) -> None:
    """How far a confirmed revision has come in reaching the open cases."""

    async def work(session: Session) -> FanOut:
        assert session.services.calendar is not None
        return await session.services.calendar.fan_out(revision, session.user)

    _progress(run_as(token, work))


def _progress(fan_out: FanOut) -> None:
    p = fan_out.progress
    state = "done" if p.done else "running" if fan_out.running else "stopped"
    typer.echo(f"{fan_out.workflow_id}: {state}; {p.found} cases reached in {p.batches} "
               f"batches: {p.recomputed} recomputed, {p.unchanged} unchanged, "
               f"{p.skipped} skipped")
