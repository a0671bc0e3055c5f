"""`caseflow complaint …`: register a complaint and walk it through its steps, against a running
caseflow (./dev.sh up, or TEMPORAL_ADDRESS / DATABASE_URL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import typer

from caseflow.cli.session import TOKEN, Session, run_as
from caseflow.config import Settings
from caseflow.store.read_models.complaints import list_cases
from domain.access import visible_outlets
from domain.complaint import commands as c
from domain.complaint.model import EscalationReason, FollowUpOutcome, ReplyMethod
from domain.notifications import ClientContact
from workflows.complaint_messages import ComplaintView, confirm_letter

app = typer.Typer(help="Complaint cases.", no_args_is_help=True)


def _show(view: ComplaintView) -> None:
    """Times in the bank's time zone, where working days are counted."""
    zone = Settings().zone
    s = view.state
    due = s.deadline.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if s.deadline else "-"
    typer.echo(f"case {s.case_id}: {s.status.value} (version {s.version})")
    typer.echo(f"  handler   {s.handler or '-'}")
    typer.echo(f"  deadline  {due}" + (" BREACHED" if s.breached else "")
               + (f" PROVISIONAL (no calendar for {s.deadline.provisional_years} yet)"
                  if s.deadline and s.deadline.provisional else ""))
    if s.deadline:
        typer.echo(f"            {s.deadline.working_days} working days, calendar "
                   f"{s.deadline.calendar_version}")
    typer.echo(f"  extension {s.extension.value}")
    if s.regulatory is not None:
        typer.echo(f"  regulator {s.regulatory.due_at.astimezone(zone):%Y-%m-%d %H:%M %Z}, "
                   f"{s.regulatory.days} calendar days"
                   + (" RUN OUT" if s.regulatory_breached else "")
                   + ("" if s.regulatory_running else " (stopped: replied or closed)"))
    if s.held_by:
        accepted = f", accepted by {s.escalation_accepted_by}" if s.escalation_accepted_by else ""
        typer.echo(f"  held by   {s.held_by}{accepted}")
    for action in s.corrective_actions:
        state = "done" if not action.open else "OVERDUE" if action.overdue else "open"
        typer.echo(f"  action {action.number}  {state}, {action.owner}, due "
                   f"{action.due_at.astimezone(zone):%Y-%m-%d %H:%M %Z}")
    if s.follow_up_pending:
        typer.echo("  follow-up due: record it with `caseflow complaint follow-up`")
    if view.next_alarm:
        assert view.next_alarm_at is not None
        typer.echo(f"  next      {view.next_alarm} at "
                   f"{view.next_alarm_at.astimezone(zone):%Y-%m-%d %H:%M %Z}")


def _step(token: str, case_id: str, make: type[Any], **fields: Any) -> None:
    """Run one officer step as the token's user (the actor of the events it records)."""
    async def work(session: Session) -> ComplaintView:
        command = make(actor=session.user.name, at=_now(),
                       **confirm_letter(fields, session.user))
        return await session.services.complaints.execute(
            case_id, command, by=session.user, request_id=session.request_id)

    _show(run_as(token, work))


def _now() -> datetime:
    return datetime.now(UTC)


@app.command()
def register(
    case_id: str = typer.Option(..., "--case"),
    client_id: str = typer.Option(..., "--client"),
    tier: str = typer.Option("ordinary", help="core_premium, ordinary_premium, potential, "
                             "premium_to_be_won, ordinary"),
    channel: str = typer.Option("in_person"),
    category: str = typer.Option(..., help="the business line: deposits, loans, bank_cards, "
                                 "payments, wealth, personal_information, other (the bank's "
                                 "taxonomy)"),
    cause: str = typer.Option(..., help="service, fees, product_terms, sales_practice, "
                              "system_failure, other (the bank's taxonomy)"),
    description: str = typer.Option(...),
    client_request: str | None = typer.Option(None, "--request",
                                              help="what the client asked for"),
    outlet: str = typer.Option(...),
    manager: str | None = typer.Option(None, help="the client's relationship manager"),
    received_at: datetime | None = typer.Option(
        None, formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"],
        help="when the bank received it, if earlier than now (e.g. 2026-12-01T10:00+08:00)"),
    client_mobile: str | None = typer.Option(None, help="the client's mobile, to be told"),
    client_email: str | None = typer.Option(None, help="the client's e-mail, to be told"),
    client_prefers: str | None = typer.Option(None, help="sms or email"),
    token: str = TOKEN,
) -> None:
    """Register a complaint (received now unless --received-at): starts its case and its SLA
    clock, and tells the client the expected reply date by the contact given (personal data:
    kept only in the case's sealed Temporal history)."""
    now = _now()

    async def work(session: Session) -> ComplaintView:
        contact = None
        if client_mobile or client_email or client_prefers:
            contact = ClientContact.model_validate(
                {"mobile": client_mobile, "email": client_email, "preferred": client_prefers})
        command = c.RegisterComplaint(
            actor=session.user.name, at=now, case_id=case_id, client_id=client_id,
            client_tier=tier, relationship_manager=manager, channel=channel, category=category,
            description=description, outlet=outlet, received_at=received_at or now,
            contact=contact, cause=cause, client_request=client_request)
        await session.services.complaints.register(command, by=session.user,
                                                   received_at_given=received_at is not None)
        return await session.services.complaints.view(case_id, by=session.user)

    _show(run_as(token, work))


@app.command()
def assign(case_id: str, handler: str = typer.Option(...), token: str = TOKEN) -> None:
    """Assign (or reassign) the handler."""
    _step(token, case_id, c.AssignHandler, handler=handler)


@app.command()
def findings(
    case_id: str,
    summary: str = typer.Option(...),
    at_fault: bool = typer.Option(False, "--bank-at-fault/--not-at-fault"),
    corrective_action: str | None = typer.Option(None),
    owner: str | None = typer.Option(None, help="owner of the corrective action"),
    due: datetime | None = typer.Option(None, formats=["%Y-%m-%d"],
                                        help="the corrective action's last day (YYYY-MM-DD)"),
    responsible: str | None = typer.Option(None, help="who or which department is at fault"),
    apology: str | None = typer.Option(None, help="the apology made to the client"),
    remedy: str | None = typer.Option(None, help="the correction for this client"),
    token: str = TOKEN,
) -> None:
    """Record the investigation's findings; when the bank is at fault, the fault's record and
    the corrective action (整改) with its owner and due date."""
    _step(token, case_id, c.RecordFindings, summary=summary, bank_at_fault=at_fault,
          corrective_action=corrective_action, corrective_action_owner=owner,
          corrective_action_due=due.date() if due else None, responsible=responsible,
          apology=apology, remedy=remedy)


@app.command()
def extend(case_id: str, reason: str = typer.Option(...), token: str = TOKEN) -> None:
    """Request an extension to 7 working days."""
    _step(token, case_id, c.RequestExtension, reason=reason)


@app.command()
def decide_extension(
    case_id: str, approve: bool = typer.Option(..., "--approve/--reject"),
    note: str | None = typer.Option(None), token: str = TOKEN,
) -> None:
    """Approve or reject a pending extension (a supervisor, not the requester)."""
    _step(token, case_id, c.DecideExtension, approve=approve, note=note)


@app.command()
def reply(
    case_id: str,
    method: ReplyMethod = typer.Option(ReplyMethod.IN_PERSON),
    content: str = typer.Option(...),
    token: str = TOKEN,
) -> None:
    """Record the reply to the client (stops the SLA clock). A letter or fax is sent by the
    outlet head, whose token confirms it."""
    _step(token, case_id, c.ReplyToClient, method=method, content=content)


@app.command()
def feedback(
    case_id: str, satisfied: bool = typer.Option(..., "--satisfied/--dissatisfied"),
    opinion: str = typer.Option(...), follow_up: str | None = typer.Option(None,
    help="reopen or escalate, when dissatisfied"), escalate_to: str | None = typer.Option(None),
    token: str = TOKEN,
) -> None:
    """Record the client's opinion: satisfied closes, dissatisfied reopens or escalates."""
    _step(token, case_id, c.RecordFeedback, satisfied=satisfied, opinion=opinion,
          follow_up=follow_up, escalate_to=escalate_to)


@app.command()
def withdraw(case_id: str, reason: str = typer.Option(...), token: str = TOKEN) -> None:
    """The client withdrew the complaint."""
    _step(token, case_id, c.Withdraw, reason=reason)


@app.command("resolve-on-spot")
def resolve_on_spot(case_id: str, resolution: str = typer.Option(...),
                    token: str = TOKEN) -> None:
    """Resolved on the spot (in person or by phone, before assignment): closes the case."""
    _step(token, case_id, c.ResolveOnSpot, resolution=resolution)


@app.command()
def escalate(
    case_id: str,
    reason: EscalationReason = typer.Option(..., help="beyond_authority, media_attention, "
                                            "client_dissatisfied"),
    to: str = typer.Option(..., help="the unit that takes it over (e.g. branch-sh-csm)"),
    details: str = typer.Option(...),
    media_outlet: str | None = typer.Option(None, help="media attention: which media"),
    questions: str | None = typer.Option(None, help="media attention: what was asked"),
    informed: list[str] = typer.Option([], help="media attention: who was informed"),
    token: str = TOKEN,
) -> None:
    """Escalate the case to a higher unit (a media-attention case with its media details)."""
    media = {"media_outlet": media_outlet, "questions": questions,
             "informed": informed} if media_outlet or questions else None
    _step(token, case_id, c.Escalate, reason=reason, to=to, details=details, media=media)


@app.command("accept-escalation")
def accept_escalation(case_id: str, token: str = TOKEN) -> None:
    """The unit the case was escalated to takes it on."""
    _step(token, case_id, c.AcceptEscalation)


@app.command("answer-escalation")
def answer_escalation(case_id: str, answer: str = typer.Option(...), token: str = TOKEN) -> None:
    """The holding unit's answer or instruction; the case goes back to its outlet."""
    _step(token, case_id, c.AnswerEscalation, answer=answer)


@app.command("extend-regulatory")
def extend_regulatory(case_id: str, reason: str = typer.Option(...), token: str = TOKEN) -> None:
    """A complex case: extend the regulator's period (15 to 30 days; a supervisor)."""
    _step(token, case_id, c.ExtendRegulatoryDeadline, reason=reason)


@app.command("follow-up")
def follow_up(
    case_id: str,
    outcome: FollowUpOutcome = typer.Option(..., help="satisfied, not_satisfied, unreachable"),
    opinion: str = typer.Option(...),
    then: str | None = typer.Option(None, help="reopen or escalate, when not satisfied"),
    escalate_to: str | None = typer.Option(None),
    token: str = TOKEN,
) -> None:
    """Record the satisfaction follow-up after closing."""
    _step(token, case_id, c.RecordFollowUp, outcome=outcome, opinion=opinion, follow_up=then,
          escalate_to=escalate_to)


@app.command("complete-action")
def complete_action(case_id: str, number: int = typer.Option(1, min=1),
                    outcome: str = typer.Option(..., help="what was done"),
                    token: str = TOKEN) -> None:
    """A corrective action is done (also after the case closed)."""
    _step(token, case_id, c.CompleteCorrectiveAction, number=number, outcome=outcome)


@app.command()
def note(case_id: str, text: str = typer.Option(...), token: str = TOKEN) -> None:
    """Add a note to the case's record."""
    _step(token, case_id, c.AddNote, text=text)


@app.command()
def show(case_id: str, token: str = TOKEN) -> None:
    """A case's current state, deadline and next alarm."""
    async def work(session: Session) -> ComplaintView:
        return await session.services.complaints.view(case_id, by=session.user)

    _show(run_as(token, work))


@app.command("list")
def worklist(
    status: str | None = typer.Option(None),
    outlet: str | None = typer.Option(None),
    handler: str | None = typer.Option(None),
    breached: bool | None = typer.Option(None, "--breached/--not-breached"),
    corrective_open: bool = typer.Option(False, help="only cases with an open corrective "
                                         "action, soonest due first"),
    follow_up_due: bool = typer.Option(False, help="only closed cases to follow up"),
    limit: int = typer.Option(50, min=1, max=1000),
    token: str = TOKEN,
) -> None:
    """The worklist: cases matching every filter, soonest deadline first (staff: their unit's
    and the cases escalated to it)."""

    rows = run_as(token, lambda session: list_cases(
        session.services.pool, status=status, outlets=visible_outlets(session.user, outlet),
        handler=handler, breached=breached, limit=limit, corrective_open=corrective_open,
        follow_up_pending=follow_up_due))
    zone = Settings().zone
    typer.echo(f"{'case':<16} {'status':<13} {'handler':<14} {'outlet':<12} "
               f"{'due (' + zone.key + ')':<22} breached")
    for r in rows:
        due = r.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if r.due_at else "-"
        typer.echo(f"{r.case_id:<16} {r.status:<13} {r.handler or '-':<14} {r.outlet:<12} "
                   f"{due + (' (provisional)' if r.deadline_provisional else ''):<22} "
                   f"{'YES' if r.breached else ''}")
    typer.echo(f"{len(rows)} case(s)")
