"""`caseflow account-events import FILE`: the core banking's account events (JSON Lines or
CSV), applied once each; what could not be applied is printed by line."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import typer

from caseflow.cli.session import TOKEN, Session, fail, run_as
from caseflow.services.account_events import ImportReport, parse_lines
from domain.access import check_admin

app = typer.Typer(help="The bank's core-banking account events", no_args_is_help=True)


@app.command("import")
def import_file(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    file_format: str = typer.Option("auto", "--format", help="jsonl, csv or auto (by suffix)"),
    token: str = TOKEN,
) -> None:
    """Apply a file of account events (an admin's token: the bank's IT integration)."""
    chosen = file_format if file_format != "auto" else (
        "csv" if path.suffix.lower() == ".csv" else "jsonl")
    if chosen not in ("jsonl", "csv"):
        raise fail(f"unknown format {file_format!r}: jsonl or csv")
    kind: Literal["jsonl", "csv"] = "csv" if chosen == "csv" else "jsonl"
    rows = parse_lines(path.read_text("utf-8"), kind)

    def progress(report: ImportReport) -> None:
        done = report.applied + report.already_applied + len(report.problems)
        typer.echo(f"  … {done} of {report.lines} rows", err=True)

    async def work(session: Session) -> ImportReport:
        check_admin(session.user, "account events are imported")
        return await session.services.account_events.apply(rows, progress)

    report = run_as(token, work)
    typer.echo(f"{report.lines} rows: {report.applied} applied, {report.already_applied} "
               f"already applied, {len(report.problems)} not applied")
    for problem in report.problems:
        typer.echo(f"  line {problem.line}: {problem.rule}: {problem.detail}")
    if report.problems:
        raise typer.Exit(1)
