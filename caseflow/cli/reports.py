"""`caseflow report …`: complaint statistics for a period and an outlet's daily log."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import typer

from caseflow.cli.session import TOKEN, Session, fail, run_as
from caseflow.services.reports import ReportService, log_csv, log_xlsx, report_csv, report_xlsx
from domain.access import Principal
from domain.complaint.report import CaseFacts

T = TypeVar("T")
app = typer.Typer(help="Complaint reports and the clients' satisfaction surveys.",
                  no_args_is_help=True)
XLSX = typer.Option(None, "--xlsx", dir_okay=False,
                    help="write an Excel workbook to this file (the CSV's rows)")


def _write(path: Path, workbook: bytes) -> None:
    path.write_bytes(workbook)
    typer.echo(f"wrote {path}")


def _asked(token: str, ask: Callable[[ReportService, Principal], Awaitable[T]]) -> T:
    """A report for the signed-in user; a period it cannot cover is a clear refusal."""
    async def work(session: Session) -> T:
        try:
            return await ask(session.services.reports, session.user)
        except ValueError as exc:
            raise fail(str(exc)) from exc

    return run_as(token, work)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise fail(f"{option} is a day (YYYY-MM-DD): {exc}") from exc


@app.command()
def complaints(
    first: str = typer.Option(..., "--from", help="first day of receipt (YYYY-MM-DD)"),
    last: str = typer.Option(..., "--to", help="last day of receipt (YYYY-MM-DD)"),
    outlet: str | None = typer.Option(None, help="one unit (default: all you may see)"),
    as_csv: bool = typer.Option(False, "--csv", help="CSV instead of the summary"),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of the summary"),
    xlsx: Path | None = XLSX,
    token: str = TOKEN,
) -> None:
    """The statistics of the cases received in the period, with their breakdowns."""
    start, end = _day(first, "--from"), _day(last, "--to")
    if xlsx is not None and (as_csv or as_json):
        raise fail("--xlsx writes a file: not with --csv or --json")

    report = _asked(token, lambda reports, user: reports.complaints(user, start, end, outlet))
    if xlsx is not None:
        _write(xlsx, report_xlsx(report))
        return
    if as_csv or as_json:
        typer.echo(report_csv(report) if as_csv else report.model_dump_json(indent=2), nl=False)
        return
    t = report.total
    typer.echo(f"complaints received {start}–{end} ({report.policy_version}, "
               f"{report.calendar_version})")
    typer.echo(f"  received {t.received}, closed {t.closed}, open {t.open}; on the spot "
               f"{t.resolved_on_spot}, replied in time {t.replied_in_time}, extended "
               f"{t.extended}, breached {t.breached}, reopened {t.reopened}, satisfied "
               f"{t.satisfied}, withdrawn {t.withdrawn}, no response {t.no_response}")
    typer.echo(f"  handling: {t.handling_days_average} working days on average, "
               f"{t.handling_days_p90} at the 90th percentile")
    for row in report.breakdowns:
        f = row.figures
        typer.echo(f"  {row.dimension:<9} {row.value:<24} received {f.received:>5}  closed "
                   f"{f.closed:>5}  breached {f.breached:>4}")


@app.command()
def surveys(
    first: str = typer.Option(..., "--from", help="first day (YYYY-MM-DD)"),
    last: str = typer.Option(..., "--to", help="last day (YYYY-MM-DD)"),
    outlet: str | None = typer.Option(None, help="one unit (default: all you may see)"),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of the summary"),
    token: str = TOKEN,
) -> None:
    """The satisfaction surveys of the clients recorded in the period (the outlet head's
    summary): how many, the mean score, each score, by tier, the low scores."""
    start, end = _day(first, "--from"), _day(last, "--to")

    summary = _asked(token, lambda reports, user: reports.surveys(user, start, end, outlet))
    if as_json:
        typer.echo(summary.model_dump_json(indent=2))
        return
    typer.echo(f"satisfaction surveys {start}–{end}: {summary.surveys} recorded, mean score "
               f"{summary.mean_score if summary.mean_score is not None else '-'}, "
               f"{summary.outstanding} due and not recorded")
    typer.echo("  scores: " + ", ".join(f"{k}: {n}" for k, n in summary.by_score.items()))
    for tier, figures in summary.by_tier.items():
        typer.echo(f"  {tier:<18} {figures.surveys:>5} surveys, mean {figures.mean_score}")
    for low in summary.low_scores:
        typer.echo(f"  low: {low.client_id:<16} {low.score}  {low.remarks or ''}")


@app.command()
def log(
    day: str = typer.Option(..., help="the day (YYYY-MM-DD)"),
    outlet: str | None = typer.Option(None, help="one outlet (default: all you may see)"),
    xlsx: Path | None = XLSX,
    token: str = TOKEN,
) -> None:
    """An outlet's complaint log of a day, as CSV (or an Excel workbook with --xlsx)."""
    on = _day(day, "--day")

    async def work(session: Session) -> list[CaseFacts]:
        return await session.services.reports.daily_log(session.user, on, outlet)

    cases = run_as(token, work)
    if xlsx is not None:
        _write(xlsx, log_xlsx(cases))
        return
    typer.echo(log_csv(cases), nl=False)
