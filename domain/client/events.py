"""Client events: a discriminated union on `type`, each with its schema version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, TypeAdapter

from domain.client.model import (
    AccountEventKind,
    CareOccasion,
    ContactChannel,
    ContactOutcome,
    ContactPreference,
    ReferralStatus,
    Stage,
)
from domain.messages import Event
from domain.tier import ClientTier


class ClientIdentified(Event):
    type: Literal["client_identified"] = "client_identified"
    client_id: str
    tier: ClientTier
    score: Decimal
    stage: Stage
    products_held: int
    """Deposits, loans and intermediary products held at identification: product coverage."""
    referred_by: str | None
    policy_version: str
    referral_status: ReferralStatus | None = None
    outlet: str | None = None
    birthday: str | None = None


class FollowUpPlanned(Event):
    type: Literal["follow_up_planned"] = "follow_up_planned"
    due_dates: tuple[date, ...]


class ContactAttempted(Event):
    type: Literal["contact_attempted"] = "contact_attempted"
    attempt: int
    channel: ContactChannel
    outcome: ContactOutcome
    next_step: str
    meeting_at: AwareDatetime | None = None
    meeting_place: str | None = None


class FollowUpAbandoned(Event):
    type: Literal["follow_up_abandoned"] = "follow_up_abandoned"
    reason: str


class MeetingHeld(Event):
    type: Literal["meeting_held"] = "meeting_held"
    needs: str
    proposals: str
    deal: bool
    no_deal_reason: str | None
    next_contact_at: AwareDatetime


class SaleRecorded(Event):
    type: Literal["sale_recorded"] = "sale_recorded"
    product: str


class ManagerAssigned(Event):
    type: Literal["manager_assigned"] = "manager_assigned"
    manager: str
    previous_manager: str | None
    reason: str


class StageChanged(Event):
    type: Literal["stage_changed"] = "stage_changed"
    stage: Stage


class ClosureRequested(Event):
    type: Literal["closure_requested"] = "closure_requested"
    account: str
    retention_by: str
    """Who must now attempt to retain the client: the manager, then the outlet head."""


class RetentionAttempted(Event):
    type: Literal["retention_attempted"] = "retention_attempted"
    level: Literal["manager", "outlet_head"]
    retained: bool
    note: str


class AccountOpened(Event):
    type: Literal["account_opened"] = "account_opened"
    account: str


class AccountClosed(Event):
    type: Literal["account_closed"] = "account_closed"
    account: str


class ClientLost(Event):
    type: Literal["client_lost"] = "client_lost"
    reason: str


class ContactLogged(Event):
    type: Literal["contact_logged"] = "contact_logged"
    channel: ContactChannel
    summary: str


class PreferenceSet(Event):
    type: Literal["preference_set"] = "preference_set"
    preference: ContactPreference


class TierReassessed(Event):
    type: Literal["tier_reassessed"] = "tier_reassessed"
    tier: ClientTier
    previous_tier: ClientTier
    score: Decimal
    policy_version: str


class ComplaintLinked(Event):
    type: Literal["complaint_linked"] = "complaint_linked"
    case_id: str
    change: Literal["opened", "breached", "closed"]


class ContactDue(Event):
    """The clock: a planned or cadence contact falls due (reminder to the manager)."""

    type: Literal["contact_due"] = "contact_due"
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class ContactOverdue(Event):
    """The clock: still no contact some days after it fell due (alert to the supervisor)."""

    type: Literal["contact_overdue"] = "contact_overdue"
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class ReviewDue(Event):
    type: Literal["review_due"] = "review_due"
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class ReassessmentDue(Event):
    type: Literal["reassessment_due"] = "reassessment_due"
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class CareDue(Event):
    """The clock: a care occasion (birthday, festival) is near: the manager prepares a greeting."""

    type: Literal["care_due"] = "care_due"
    occasion: CareOccasion
    day: date
    due_at: AwareDatetime
    alerted: tuple[str, ...]
    written_only: bool = False
    """The client asked not to be disturbed: a written greeting, no call or visit."""


class MeetingReminder(Event):
    """The clock: an agreed meeting is near."""

    type: Literal["meeting_reminder"] = "meeting_reminder"
    meeting_at: AwareDatetime
    place: str | None
    alerted: tuple[str, ...]


class MeetingMissed(Event):
    """The clock: the agreed meeting's day ended without a meeting recorded; the manager
    arranges the next contact (due the next day), and the supervisor hears of it."""

    type: Literal["meeting_missed"] = "meeting_missed"
    meeting_at: AwareDatetime
    next_attempt_on: date
    alerted: tuple[str, ...]


class AccountEventRecorded(Event):
    """An account event of the core banking, and what it asks of the manager: a contact due
    at `contact_due_at` (now, or a maturity's lead time before it)."""

    type: Literal["account_event_recorded"] = "account_event_recorded"
    event_id: str
    event: AccountEventKind
    amount: Decimal | None = None
    account: str | None = None
    product: str | None = None
    matures_on: date | None = None
    direction: Literal["up", "down"] | None = None
    contact_due_at: AwareDatetime | None = None
    maturity_contact_at: AwareDatetime | None = None
    """From client-policy-2026.3: the maturity's own contact task (its lead time before the
    day), beside the next contact, which it leaves as it was."""


class MaturityContactDue(Event):
    """The clock: a maturity's lead time came; the manager contacts the client about it."""

    type: Literal["maturity_contact_due"] = "maturity_contact_due"
    event_id: str
    product: str | None
    matures_on: date
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class MaturityMissed(Event):
    """The clock: the product matured with no contact recorded since its reminder; the
    manager and the supervisor hear of it."""

    type: Literal["maturity_missed"] = "maturity_missed"
    event_id: str
    product: str | None
    matures_on: date
    alerted: tuple[str, ...]


class SurveyDue(Event):
    """The clock: the tier's satisfaction survey of the client is due (the manager's task)."""

    type: Literal["survey_due"] = "survey_due"
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class SurveyRecorded(Event):
    """The client's answer to the satisfaction survey: a score of 1 (very dissatisfied) to 5
    (very satisfied) and their remarks; the tier is the one surveyed (for the summary)."""

    type: Literal["survey_recorded"] = "survey_recorded"
    due_at: AwareDatetime
    score: int
    remarks: str | None
    tier: ClientTier | None


class WinBackStarted(Event):
    type: Literal["win_back_started"] = "win_back_started"
    reason: str


_ALL = (ClientIdentified, FollowUpPlanned, ContactAttempted, FollowUpAbandoned, MeetingHeld,
        SaleRecorded, ManagerAssigned, StageChanged, ClosureRequested, RetentionAttempted,
        AccountClosed, ClientLost, ContactLogged, PreferenceSet, TierReassessed, ComplaintLinked,
        ContactDue, ContactOverdue, ReviewDue, ReassessmentDue, AccountOpened, CareDue,
        MeetingReminder, MeetingMissed, WinBackStarted, AccountEventRecorded,
        MaturityContactDue, MaturityMissed, SurveyDue, SurveyRecorded)

ClientEvent = Annotated[
    ClientIdentified | FollowUpPlanned | ContactAttempted | FollowUpAbandoned | MeetingHeld
    | SaleRecorded | ManagerAssigned | StageChanged | ClosureRequested | RetentionAttempted
    | AccountClosed | ClientLost | ContactLogged | PreferenceSet | TierReassessed | ComplaintLinked
    | ContactDue | ContactOverdue | ReviewDue | ReassessmentDue | AccountOpened | CareDue
    | MeetingReminder | MeetingMissed | WinBackStarted | AccountEventRecorded
    | MaturityContactDue | MaturityMissed | SurveyDue | SurveyRecorded,
    Field(discriminator="type"),
]
EVENT_ADAPTER: TypeAdapter[ClientEvent] = TypeAdapter(ClientEvent)
EVENT_TYPES: dict[tuple[str, int], type[BaseModel]] = {
    (cls.model_fields["type"].default, 1): cls for cls in _ALL
}
