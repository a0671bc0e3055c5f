"""`caseflow complaint …`: register a complaint and walk it through its steps, against a running
caseflow (./dev.sh up, or TEMPORAL_ADDRESS / DATABASE_URL)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import typer
from pydantic import ValidationError

from caseflow.complaints import CaseError, ComplaintService
from caseflow.config import Settings
from caseflow.stack import connect_temporal
from domain.complaint import commands as c
from domain.errors import DomainError
from workflows.complaint_messages import ComplaintView

app = typer.Typer(help="Complaint cases.", no_args_is_help=True)
T = TypeVar("T")

ACTOR = typer.Option(..., "--as", help="Who is acting (recorded on the event).")


def _run(work: Callable[[ComplaintService, Settings], Awaitable[T]]) -> T:
    settings = Settings()

    async def go() -> T:
        try:
            client = await connect_temporal(settings)
        except RuntimeError as exc:
            raise _fail(f"cannot reach Temporal at {settings.temporal_target} ({exc}); is "
                        "`./dev.sh up` running?") from exc
        service = ComplaintService(client, settings.task_queue,
                                   bank_calendar=settings.bank_calendar)
        return await work(service, settings)

    try:
        return asyncio.run(go())
    except (CaseError, DomainError) as exc:
        raise _fail(f"refused ({getattr(exc, 'rule', 'rule')}): {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise _fail(f"invalid input: {problems}") from exc


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def _show(view: ComplaintView) -> None:
    """Times in the bank's time zone, where working days are counted."""
    zone = Settings().zone
    s = view.state
    due = s.deadline.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if s.deadline else "-"
    typer.echo(f"case {s.case_id}: {s.status.value} (version {s.version})")
    typer.echo(f"  handler   {s.handler or '-'}")
    typer.echo(f"  deadline  {due}" + (" BREACHED" if s.breached else ""))
    if s.deadline:
        typer.echo(f"            {s.deadline.working_days} working days, calendar "
                   f"{s.deadline.calendar_version}")
    typer.echo(f"  extension {s.extension.value}")
    if view.next_alarm:
        assert view.next_alarm_at is not None
        typer.echo(f"  next      {view.next_alarm} at "
                   f"{view.next_alarm_at.astimezone(zone):%Y-%m-%d %H:%M %Z}")


def _step(case_id: str, command: Any) -> None:
    async def work(service: ComplaintService, _: Settings) -> ComplaintView:
        return await service.execute(case_id, command)

    _show(_run(work))


def _now() -> datetime:
    return datetime.now(UTC)


@app.command()
def register(
    case_id: str = typer.Option(..., "--case"),
    client_id: str = typer.Option(..., "--client"),
    tier: str = typer.Option("ordinary", help="core_premium, ordinary_premium, potential, "
                             "premium_to_be_won, ordinary"),
    channel: str = typer.Option("in_person"),
    category: str = typer.Option(...),
    description: str = typer.Option(...),
    outlet: str = typer.Option(...),
    manager: str | None = typer.Option(None, help="the client's relationship manager"),
    actor: str = ACTOR,
) -> None:
    """Register a complaint received now: starts its case and its SLA clock."""
    now = _now()

    async def work(service: ComplaintService, _: Settings) -> ComplaintView:
        command = c.RegisterComplaint(
            actor=actor, at=now, case_id=case_id, client_id=client_id, client_tier=tier,
            relationship_manager=manager, channel=channel, category=category,
            description=description, outlet=outlet, received_at=now)
        await service.register(command)
        for _attempt in range(50):  # the registration is stored by the workflow's first task
            view = await service.view(case_id)
            if view.state.version:
                return view
            await asyncio.sleep(0.1)
        return view

    _show(_run(work))


@app.command()
def assign(case_id: str, handler: str = typer.Option(...), actor: str = ACTOR) -> None:
    """Assign (or reassign) the handler."""
    _step(case_id, c.AssignHandler(actor=actor, at=_now(), handler=handler))


@app.command()
def findings(
    case_id: str,
    summary: str = typer.Option(...),
    at_fault: bool = typer.Option(False, "--bank-at-fault/--not-at-fault"),
    corrective_action: str | None = typer.Option(None),
    owner: str | None = typer.Option(None, help="owner of the corrective action"),
    actor: str = ACTOR,
) -> None:
    """Record the investigation's findings."""
    _step(case_id, c.RecordFindings(actor=actor, at=_now(), summary=summary,
                                    bank_at_fault=at_fault, corrective_action=corrective_action,
                                    corrective_action_owner=owner))


@app.command()
def extend(case_id: str, reason: str = typer.Option(...), actor: str = ACTOR) -> None:
    """Request an extension to 7 working days."""
    _step(case_id, c.RequestExtension(actor=actor, at=_now(), reason=reason))


@app.command()
def decide_extension(
    case_id: str, approve: bool = typer.Option(..., "--approve/--reject"),
    note: str | None = typer.Option(None), actor: str = ACTOR,
) -> None:
    """Approve or reject a pending extension (not by its requester)."""
    _step(case_id, c.DecideExtension(actor=actor, at=_now(), approve=approve, note=note))


@app.command()
def reply(
    case_id: str, method: str = typer.Option("in_person"), content: str = typer.Option(...),
    outlet_head: str | None = typer.Option(None, help="outlet head who confirmed a letter/fax"),
    actor: str = ACTOR,
) -> None:
    """Record the reply to the client (stops the SLA clock)."""
    _step(case_id, c.ReplyToClient(actor=actor, at=_now(), method=method, content=content,
                                   confirmed_by_outlet_head=outlet_head))


@app.command()
def feedback(
    case_id: str, satisfied: bool = typer.Option(..., "--satisfied/--dissatisfied"),
    opinion: str = typer.Option(...), follow_up: str | None = typer.Option(None,
    help="reopen or escalate, when dissatisfied"), escalate_to: str | None = typer.Option(None),
    actor: str = ACTOR,
) -> None:
    """Record the client's opinion: satisfied closes, dissatisfied reopens or escalates."""
    _step(case_id, c.RecordFeedback(actor=actor, at=_now(), satisfied=satisfied,
                                    opinion=opinion, follow_up=follow_up,
                                    escalate_to=escalate_to))


@app.command()
def withdraw(case_id: str, reason: str = typer.Option(...), actor: str = ACTOR) -> None:
    """The client withdrew the complaint."""
    _step(case_id, c.Withdraw(actor=actor, at=_now(), reason=reason))


@app.command()
def show(case_id: str) -> None:
    """A case's current state, deadline and next alarm."""
    async def work(service: ComplaintService, _: Settings) -> ComplaintView:
        return await service.view(case_id)

    _show(_run(work))


@app.command("list")
def worklist(
    status: str | None = typer.Option(None),
    outlet: str | None = typer.Option(None),
    handler: str | None = typer.Option(None),
    breached: bool | None = typer.Option(None, "--breached/--not-breached"),
    limit: int = typer.Option(50, min=1, max=1000),
) -> None:
    """The worklist: cases matching every filter, soonest deadline first."""
    from caseflow.cli_store import with_store
    from projections.complaints import list_cases

    rows = with_store(lambda store, _: list_cases(
        store.pool, status=status, outlet=outlet, handler=handler, breached=breached,
        limit=limit))
    zone = Settings().zone
    typer.echo(f"{'case':<16} {'status':<13} {'handler':<14} {'outlet':<12} "
               f"{'due (' + zone.key + ')':<22} breached")
    for r in rows:
        due = r.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if r.due_at else "-"
        typer.echo(f"{r.case_id:<16} {r.status:<13} {r.handler or '-':<14} {r.outlet:<12} "
                   f"{due:<22} {'YES' if r.breached else ''}")
    typer.echo(f"{len(rows)} case(s)")
