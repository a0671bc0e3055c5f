"""Client commands: each carries who asks and when."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.client.model import (
    AccountEventKind,
    Assessment,
    Birthday,
    ContactChannel,
    ContactOutcome,
    ContactPreference,
    ReferralStatus,
)
from domain.messages import Amount, Identifier, Name, Text
from domain.messages import Command as _Command


class Identify(_Command):
    kind: Literal["identify"] = "identify"
    client_id: Identifier
    assessment: Assessment
    referred_by: Name | None = None
    referral_status: ReferralStatus | None = None
    outlet: Name | None = None
    """The outlet that looks after the client; its staff act on the client."""
    birthday: Birthday | None = None
    manager: Name | None = None
    """A premium client's relationship manager, if the identification names one."""


class RecordContactAttempt(_Command):
    kind: Literal["contact_attempt"] = "contact_attempt"
    channel: ContactChannel
    outcome: ContactOutcome
    next_step: Text
    meeting_at: AwareDatetime | None = None
    """When the agreed meeting is (an agreed meeting has a date and a place)."""
    meeting_place: Name | None = None


class RecordMeeting(_Command):
    kind: Literal["meeting"] = "meeting"
    needs: Text
    proposals: Text
    deal: bool
    no_deal_reason: Text | None = None
    next_contact_at: AwareDatetime


class RecordSale(_Command):
    kind: Literal["sale"] = "sale"
    product: Name


class ReassignManager(_Command):
    kind: Literal["reassign_manager"] = "reassign_manager"
    manager: Name
    reason: Text


class OpenAccount(_Command):
    kind: Literal["open_account"] = "open_account"
    account: Name


class RequestAccountClosure(_Command):
    kind: Literal["request_closure"] = "request_closure"
    account: Name


class RecordRetention(_Command):
    kind: Literal["retention"] = "retention"
    retained: bool
    note: Text


class LogContact(_Command):
    kind: Literal["log_contact"] = "log_contact"
    channel: ContactChannel
    summary: Text


class SetContactPreference(_Command):
    kind: Literal["set_preference"] = "set_preference"
    preference: ContactPreference


class Reassess(_Command):
    kind: Literal["reassess"] = "reassess"
    assessment: Assessment


class WinBack(_Command):
    """A lost client is put on a new follow-up plan (the documents ask for lost clients to be
    won back)."""

    kind: Literal["win_back"] = "win_back"
    reason: Text


class RecordSurvey(_Command):
    """The client's answer to the satisfaction survey that is due: 1 (very dissatisfied) to 5
    (very satisfied), and what they said."""

    kind: Literal["survey"] = "survey"
    score: int = Field(ge=1, le=5)
    remarks: Text | None = None


class AccountEventFacts(BaseModel):
    """What the core banking says of one event of a client's accounts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: Identifier
    event: AccountEventKind
    amount: Amount | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    """In yuan."""
    account: Name | None = None
    product: Name | None = None
    matures_on: date | None = None
    direction: Literal["up", "down"] | None = None


class RecordAccountEvent(_Command, AccountEventFacts):
    """An event of the client's accounts from the bank's core banking, applied once by its id
    (sent by caseflow's import, never a user)."""

    kind: Literal["account_event"] = "account_event"


class LinkComplaint(_Command):
    """From the complaint side: a case opened, breached or closed for this client."""

    kind: Literal["link_complaint"] = "link_complaint"
    case_id: Identifier
    change: Literal["opened", "breached", "closed"]


class ClockTick(_Command):
    """From the client's own clock (a workflow timer): raise whatever alarm is due now."""

    kind: Literal["clock"] = "clock"


ClientCommand = Annotated[
    Identify | RecordContactAttempt | RecordMeeting | RecordSale | ReassignManager
    | OpenAccount | RequestAccountClosure | RecordRetention | LogContact | SetContactPreference
    | Reassess | LinkComplaint | ClockTick | WinBack | RecordAccountEvent | RecordSurvey,
    Field(discriminator="kind"),
]
