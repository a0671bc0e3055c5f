"""`caseflow client …`: identify a client and take the officer steps of the relationship, as the
token's user, against a running caseflow (./dev.sh up, or TEMPORAL_ADDRESS / DATABASE_URL)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import typer

from caseflow.cli.session import TOKEN, Session, run_as
from caseflow.config import Settings
from caseflow.store.read_models.clients import ManagerDay, list_clients, manager_day
from domain.access import check_agenda, visible_outlets
from domain.client import commands as c
from domain.client.model import (
    Assessment,
    ContactChannel,
    ContactOutcome,
    ContactPreference,
    ReferralStatus,
)
from workflows.client_messages import ClientView

app = typer.Typer(help="Client relationships.", no_args_is_help=True)

DEPOSITS = typer.Option(..., help="deposits, in 10 000 CNY")
LOANS = typer.Option(Decimal(0), help="loans, in 10 000 CNY")
PRODUCTS = typer.Option(0, help="intermediary products held")
SCALE = typer.Option(0, min=0, max=5, help="0–5")


def _assessment(deposits: Decimal, loans: Decimal, products: int, family: int, occupation: int,
                standing: int, elsewhere: bool) -> Assessment:
    return Assessment(deposits_10k=deposits, loans_10k=loans, intermediary_products=products,
                      family=family, occupation=occupation, social_standing=standing,
                      main_bank_elsewhere=elsewhere)


def _show(view: ClientView) -> None:

    zone = Settings().zone
    s = view.state
    typer.echo(f"client {s.client_id}: {s.tier.value if s.tier else '-'}, {s.stage.value} "
               f"(version {s.version})")
    typer.echo(f"  outlet    {s.outlet or '-'}")
    typer.echo(f"  manager   {s.manager or '-'}")
    if s.referred_by:
        typer.echo(f"  referral  {s.referral_status.value if s.referral_status else '-'} "
                   f"by {s.referred_by}")
    typer.echo(f"  products  {s.products}   churn risk {view.churn_risk} %")
    if s.birthday:
        typer.echo(f"  birthday  {s.birthday}")
    if s.meeting_at:
        typer.echo(f"  meeting   {s.meeting_at.astimezone(zone):%Y-%m-%d %H:%M %Z}"
                   f" at {s.meeting_place or '-'}")
    if view.next_alarm and view.next_alarm_at:
        typer.echo(f"  next      {view.next_alarm} at "
                   f"{view.next_alarm_at.astimezone(zone):%Y-%m-%d %H:%M %Z}")


def _step(token: str, client_id: str, make: type[Any], **fields: Any) -> None:
    async def work(session: Session) -> ClientView:
        command = make(actor=session.user.name, at=datetime.now(UTC), **fields)
        return await session.services.clients.execute(client_id, command, by=session.user,
                                                       request_id=session.request_id)

    _show(run_as(token, work))


@app.command()
def identify(
    client_id: str = typer.Option(..., "--client"),
    outlet: str = typer.Option(...),
    deposits: Decimal = DEPOSITS, loans: Decimal = LOANS, products: int = PRODUCTS,
    family: int = SCALE, occupation: int = SCALE, standing: int = SCALE,
    main_bank_elsewhere: bool = typer.Option(False, "--main-bank-elsewhere"),
    referred_by: str | None = typer.Option(None, help="the lobby manager or teller"),
    referral: ReferralStatus | None = typer.Option(None, help="referred or awaiting_follow_up"),
    birthday: str | None = typer.Option(None, help="MM-DD, for the birthday greeting"),
    manager: str | None = typer.Option(None, help="a premium client's manager (default: as the "
                                       "policy's manager_at_identification says: the outlet "
                                       "head names one later, or the identifying staff member)"),
    token: str = TOKEN,
) -> None:
    """Assess a client's tier and start their relationship."""
    async def work(session: Session) -> ClientView:
        command = c.Identify(
            actor=session.user.name, at=datetime.now(UTC), client_id=client_id, outlet=outlet,
            assessment=_assessment(deposits, loans, products, family, occupation, standing,
                                   main_bank_elsewhere),
            referred_by=referred_by, referral_status=referral, birthday=birthday,
            manager=manager)
        await session.services.clients.identify(command, by=session.user)
        return await session.services.clients.view(client_id, by=session.user)

    _show(run_as(token, work))


@app.command()
def contact(
    client_id: str, channel: ContactChannel = typer.Option(...),
    outcome: ContactOutcome = typer.Option(...), next_step: str = typer.Option(...),
    meeting_at: datetime | None = typer.Option(
        None, formats=["%Y-%m-%dT%H:%M"], help="an agreed meeting: when (local time)"),
    place: str | None = typer.Option(None, help="an agreed meeting: where"),
    token: str = TOKEN,
) -> None:
    """Record a follow-up attempt and its outcome (an agreed meeting with its date and place)."""
    when = meeting_at.replace(tzinfo=Settings().zone) if meeting_at else None
    _step(token, client_id, c.RecordContactAttempt, channel=channel, outcome=outcome,
          next_step=next_step, meeting_at=when, meeting_place=place)


@app.command("win-back")
def win_back(client_id: str, reason: str = typer.Option(...), token: str = TOKEN) -> None:
    """Put a lost client on a new follow-up plan."""
    _step(token, client_id, c.WinBack, reason=reason)


@app.command()
def survey(client_id: str, score: int = typer.Option(..., min=1, max=5,
                                                   help="1 very dissatisfied … 5 very satisfied"),
           remarks: str | None = typer.Option(None, help="what the client said"),
           token: str = TOKEN) -> None:
    """Record the satisfaction survey that is due: the client's score and remarks."""
    _step(token, client_id, c.RecordSurvey, score=score, remarks=remarks)


@app.command()
def meeting(
    client_id: str, needs: str = typer.Option(...), proposals: str = typer.Option(...),
    deal: bool = typer.Option(..., "--deal/--no-deal"),
    reason: str | None = typer.Option(None, help="why no deal"),
    next_contact: datetime = typer.Option(..., help="ISO time with zone"),
    token: str = TOKEN,
) -> None:
    """Record a meeting: needs, proposals, deal or why not, the agreed next contact."""
    _step(token, client_id, c.RecordMeeting, needs=needs, proposals=proposals, deal=deal,
          no_deal_reason=reason, next_contact_at=next_contact)


@app.command()
def sale(client_id: str, product: str = typer.Option(...), token: str = TOKEN) -> None:
    """Record a sale (the first names the relationship manager)."""
    _step(token, client_id, c.RecordSale, product=product)


@app.command()
def reassign(client_id: str, manager: str = typer.Option(...), reason: str = typer.Option(...),
             token: str = TOKEN) -> None:
    """Give the client another relationship manager (the outlet head)."""
    _step(token, client_id, c.ReassignManager, manager=manager, reason=reason)


@app.command("open-account")
def open_account(client_id: str, account: str = typer.Option(...), token: str = TOKEN) -> None:
    """Record an account opened for the client (a product held)."""
    _step(token, client_id, c.OpenAccount, account=account)


@app.command("close-account")
def close_account(client_id: str, account: str = typer.Option(...), token: str = TOKEN) -> None:
    """The client asks to close an account (a premium client's goes to retention)."""
    _step(token, client_id, c.RequestAccountClosure, account=account)


@app.command()
def retention(client_id: str, retained: bool = typer.Option(..., "--retained/--not-retained"),
              note: str = typer.Option(...), token: str = TOKEN) -> None:
    """Record a retention attempt (the manager's first, then the outlet head's)."""
    _step(token, client_id, c.RecordRetention, retained=retained, note=note)


@app.command()
def log(client_id: str, channel: ContactChannel = typer.Option(...),
        summary: str = typer.Option(...), token: str = TOKEN) -> None:
    """Log a maintenance contact."""
    _step(token, client_id, c.LogContact, channel=channel, summary=summary)


@app.command()
def preference(client_id: str, value: ContactPreference, token: str = TOKEN) -> None:
    """Set the client's contact preference (do_not_disturb forbids calls)."""
    _step(token, client_id, c.SetContactPreference, preference=value)


@app.command()
def reassess(
    client_id: str, deposits: Decimal = DEPOSITS, loans: Decimal = LOANS,
    products: int = PRODUCTS, family: int = SCALE, occupation: int = SCALE,
    standing: int = SCALE, main_bank_elsewhere: bool = typer.Option(False, "--main-bank-elsewhere"),
    token: str = TOKEN,
) -> None:
    """Re-assess the client's tier."""
    _step(token, client_id, c.Reassess, assessment=_assessment(
        deposits, loans, products, family, occupation, standing, main_bank_elsewhere))


@app.command()
def show(client_id: str, token: str = TOKEN) -> None:
    """A client's profile, plan, churn risk and next alarm."""
    async def work(session: Session) -> ClientView:
        return await session.services.clients.view(client_id, by=session.user)

    _show(run_as(token, work))


@app.command("list")
def client_list(
    manager: str | None = typer.Option(None), outlet: str | None = typer.Option(None),
    limit: int = typer.Option(50, min=1, max=1000), token: str = TOKEN,
) -> None:
    """Clients by their next due contact, soonest first (staff: their outlet)."""

    rows = run_as(token, lambda session: list_clients(
        session.services.pool, manager=manager, outlets=visible_outlets(session.user, outlet),
        limit=limit))
    zone = Settings().zone
    typer.echo(f"{'client':<16} {'tier':<17} {'stage':<10} {'manager':<14} "
               f"{'next contact (' + zone.key + ')':<30} churn")
    for r in rows:
        due = r.next_contact_due.astimezone(zone).strftime("%Y-%m-%d %H:%M") \
            if r.next_contact_due else "-"
        typer.echo(f"{r.client_id:<16} {r.tier or '-':<17} {r.stage:<10} {r.manager or '-':<14} "
                   f"{due:<30} {r.churn_risk} %")
    typer.echo(f"{len(rows)} client(s)")


@app.command()
def agenda(manager: str | None = typer.Option(None, help="default: yourself"),
           day: datetime | None = typer.Option(None, formats=["%Y-%m-%d"]),
           token: str = TOKEN) -> None:
    """A manager's day: contacts, maturities, care occasions, surveys and retention attempts
    due and overdue (soonest first), the day's targets and what is done."""
    zone = Settings().zone

    async def work(session: Session) -> ManagerDay:
        who = manager or session.user.name
        check_agenda(session.user, who)
        today = day.date() if day else datetime.now(zone).date()
        return await manager_day(session.services.pool, who,
                                 visible_outlets(session.user, None), today, zone,
                                 session.services.clients.policy)

    result = run_as(token, work)
    typer.echo(f"{result.manager}, {result.day}: contacts {result.contacts_done}/"
               f"{result.contacts_target}, meetings {result.meetings_done}/"
               f"{result.meetings_target}, {result.overdue} overdue")
    for item in result.items:
        due = item.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if item.due_at else "-"
        what = item.kind + (f" ({item.detail})" if item.detail else "") + (
            f" on {item.day}" if item.day else "") + (" OVERDUE" if item.overdue else "")
        typer.echo(f"  {due:<16} {item.client_id:<16} {item.tier or '-':<18} "
                   f"churn {item.churn_risk:>3} %  {what}")
