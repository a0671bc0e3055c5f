"""`caseflow sla what-if`: how many past cases would have breached under a proposed SLA policy
and/or calendar, by outlet and category, beside what their recorded deadlines gave."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from pathlib import Path

import typer
from pydantic import ValidationError

from caseflow.cli.session import TOKEN, Session, fail, invalid, run_as
from domain.calendar import YearSchedule
from domain.sla_whatif import WhatIfReport

app = typer.Typer(help="The SLA: what-if reports for policy makers.", no_args_is_help=True)


@app.command("what-if")
def what_if(
    received_from: str = typer.Option(..., "--from", help="first day of receipt (YYYY-MM-DD)"),
    received_to: str = typer.Option(..., "--to", help="last day of receipt (YYYY-MM-DD)"),
    policy: Path | None = typer.Option(None, exists=True, dir_okay=False,
                                       help="a proposed SLA policy (JSON; fields not given "
                                       "keep the policy in force)"),
    calendar: list[Path] = typer.Option([], exists=True, dir_okay=False,
                                        help="a proposed year schedule (JSON, as `caseflow "
                                        "calendar propose --file`), repeatable"),
    outlet: str | None = typer.Option(None, help="one outlet (default: all you may see)"),
    as_json: bool = typer.Option(False, "--json", help="the report as JSON"),
    token: str = TOKEN,
) -> None:
    """Recompute the deadlines of the cases received in the range; read-only."""
    try:
        first, last = date.fromisoformat(received_from), date.fromisoformat(received_to)
        schedules = [YearSchedule.model_validate_json(p.read_text(encoding="utf-8"))
                     for p in calendar]
    except ValidationError as exc:
        raise fail(f"invalid schedule: {invalid(exc)}") from exc
    except ValueError as exc:
        raise fail(f"--from and --to are days (YYYY-MM-DD): {exc}") from exc
    if last < first:
        raise fail("--to is before --from")

    async def work(session: Session) -> tuple[WhatIfReport, float]:
        proposed = None
        if policy is not None:
            proposed = session.services.what_if.proposed_policy(
                json.loads(policy.read_text(encoding="utf-8")))
        began = time.perf_counter()
        report = await session.services.what_if.report(
            session.user, first, last, datetime.now(UTC), policy=proposed, schedules=schedules,
            outlet=outlet)
        return report, time.perf_counter() - began

    report, seconds = run_as(token, work)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    typer.echo(f"policy {report.policy_version}, calendar {report.calendar_version}: "
               f"{report.cases} cases received {first}–{last} ({seconds:.2f} s)")
    typer.echo(f"{'outlet':<16} {'category':<16} {'cases':>6} {'breached':>9} "
               f"{'what-if':>8} {'change':>7} provisional")
    for r in report.rows:
        typer.echo(f"{r.outlet:<16} {r.category:<16} {r.cases:>6} {r.breached_recorded:>9} "
                   f"{r.breached_proposed:>8} {r.breached_proposed - r.breached_recorded:>+7} "
                   f"{r.provisional or ''}")
    typer.echo(f"{'all':<16} {'':<16} {report.cases:>6} {report.breached_recorded:>9} "
               f"{report.breached_proposed:>8} "
               f"{report.breached_proposed - report.breached_recorded:>+7}")
