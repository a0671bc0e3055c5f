"""The state of a client relationship, and `evolve` (never raises)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import assert_never

from pydantic import BaseModel, ConfigDict

from domain.client.events import (
    AccountClosed,
    AccountEventRecorded,
    AccountOpened,
    CareDue,
    ClientEvent,
    ClientIdentified,
    ClientLost,
    ClosureRequested,
    ComplaintLinked,
    ContactAttempted,
    ContactDue,
    ContactLogged,
    ContactOverdue,
    FollowUpAbandoned,
    FollowUpPlanned,
    ManagerAssigned,
    MaturityContactDue,
    MaturityMissed,
    MeetingHeld,
    MeetingMissed,
    MeetingReminder,
    PreferenceSet,
    ReassessmentDue,
    RetentionAttempted,
    ReviewDue,
    SaleRecorded,
    StageChanged,
    SurveyDue,
    SurveyRecorded,
    TierReassessed,
    WinBackStarted,
)
from domain.client.model import (
    AccountEventKind,
    ContactOutcome,
    ContactPreference,
    Maturity,
    ReferralStatus,
    Stage,
)
from domain.tier import ClientTier


class ClientState(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int = 0
    stage: Stage = Stage.NEW
    client_id: str | None = None
    tier: ClientTier | None = None
    score: Decimal | None = None
    assessed_at: datetime | None = None
    referred_by: str | None = None
    referral_status: ReferralStatus | None = None
    outlet: str | None = None
    birthday: str | None = None
    accounts: frozenset[str] = frozenset()
    care_reminded: tuple[datetime, str] | None = None
    """The last care reminder raised: (when it was due, occasion)."""
    follow_up_due: tuple[date, ...] = ()
    attempts: int = 0
    meeting_agreed: bool = False
    follow_up_abandoned: bool = False
    meetings: int = 0
    next_contact_at: datetime | None = None
    last_contact_at: datetime | None = None
    manager: str | None = None
    products: int = 0
    preference: ContactPreference = ContactPreference.MODERATE
    closing_account: str | None = None
    retention_by: str | None = None
    retention_failures: int = 0
    last_review_at: datetime | None = None
    reminded_for: datetime | None = None
    escalated_for: datetime | None = None
    review_reminded_for: datetime | None = None
    reassess_reminded_for: datetime | None = None
    open_complaints: frozenset[str] = frozenset()
    breached_complaints: frozenset[str] = frozenset()
    meeting_at: datetime | None = None
    """The agreed meeting, until it is held or missed (agreed before meetings had dates: None)."""
    meeting_place: str | None = None
    meeting_reminded_for: datetime | None = None
    account_events: frozenset[str] = frozenset()
    """The ids of the core banking's events applied (each applies once)."""
    large_outflows: int = 0
    maturities: tuple[Maturity, ...] = ()
    """Maturities the manager is to contact the client about (client-policy-2026.3)."""
    care_pending: tuple[str, date] | None = None
    """The care occasion last reminded of and its day (on the manager's day until then)."""
    survey_due_at: datetime | None = None
    """The satisfaction survey that is due and not yet recorded."""
    survey_reminded_for: datetime | None = None


def initial_state() -> ClientState:
    return ClientState()


def evolve(state: ClientState, event: ClientEvent) -> ClientState:
    s = state.model_copy(update={"version": state.version + 1})
    match event:
        case ClientIdentified():
            return s.model_copy(update={
                "client_id": event.client_id, "tier": event.tier, "score": event.score,
                "stage": event.stage, "referred_by": event.referred_by,
                "referral_status": event.referral_status, "outlet": event.outlet,
                "birthday": event.birthday,
                "products": event.products_held, "assessed_at": event.at})
        case FollowUpPlanned():
            return s.model_copy(update={"follow_up_due": event.due_dates, "attempts": 0})
        case ContactAttempted():
            agreed = event.outcome == ContactOutcome.MEETING_AGREED
            meeting = {"meeting_at": event.meeting_at,
                       "meeting_place": event.meeting_place} if agreed else {}
            return _contacted(s, event.at).model_copy(update={
                "attempts": s.attempts + 1, "last_contact_at": event.at,
                "meeting_agreed": s.meeting_agreed or agreed, **meeting})
        case MeetingReminder():
            return s.model_copy(update={"meeting_reminded_for": event.meeting_at})
        case MeetingMissed():
            # The next attempt is due the next day: the plan gets one more attempt for it.
            plan = s.follow_up_due
            return s.model_copy(update={
                "meeting_agreed": False, "meeting_at": None, "meeting_place": None,
                "follow_up_due": (*plan[:s.attempts], event.next_attempt_on,
                                  *plan[s.attempts:])})
        case AccountEventRecorded():
            outflow = event.event == AccountEventKind.LARGE_OUTFLOW or event.direction == "down"
            # One planned contact: the earlier of the one already pending and the new one.
            pending = s.next_contact_at if s.next_contact_at is not None and (
                s.last_contact_at is None or s.next_contact_at > s.last_contact_at) else None
            due = event.contact_due_at
            if due is not None and pending is not None:
                due = min(due, pending)
            prompt: dict[str, object] = {"next_contact_at": due} if due is not None else {}
            if event.maturity_contact_at is not None and event.matures_on is not None:
                prompt["maturities"] = (*s.maturities, Maturity(
                    event_id=event.event_id, product=event.product, matures_on=event.matures_on,
                    contact_at=event.maturity_contact_at))
            return s.model_copy(update={"account_events": s.account_events | {event.event_id},
                                        "large_outflows": s.large_outflows + outflow,
                                        **prompt})
        case MaturityContactDue():
            return s.model_copy(update={"maturities": tuple(
                m.model_copy(update={"reminded": True}) if m.event_id == event.event_id else m
                for m in s.maturities)})
        case MaturityMissed():
            return s.model_copy(update={"maturities": tuple(
                m for m in s.maturities if m.event_id != event.event_id)})
        case SurveyDue():
            return s.model_copy(update={"survey_due_at": event.due_at,
                                        "survey_reminded_for": event.due_at})
        case SurveyRecorded():
            return s.model_copy(update={"survey_due_at": None})
        case WinBackStarted():
            return s.model_copy(update={"follow_up_abandoned": False, "meeting_agreed": False,
                                        "meeting_at": None, "meeting_place": None})
        case FollowUpAbandoned():
            return s.model_copy(update={"follow_up_abandoned": True})
        case MeetingHeld():
            return _contacted(s, event.at).model_copy(update={
                "meetings": s.meetings + 1, "last_contact_at": event.at,
                "next_contact_at": event.next_contact_at, "meeting_at": None,
                "meeting_place": None})
        case SaleRecorded():
            return s.model_copy(update={"products": s.products + 1})
        case ManagerAssigned():
            return s.model_copy(update={"manager": event.manager})
        case StageChanged():
            # An agreed meeting belongs to the contact stage (a sale there moves on from it).
            meeting = {} if event.stage == Stage.CONTACT else {"meeting_at": None,
                                                              "meeting_place": None}
            return s.model_copy(update={"stage": event.stage, **meeting})
        case ClosureRequested():
            return s.model_copy(update={"closing_account": event.account,
                                        "retention_by": event.retention_by,
                                        "retention_failures": 0})
        case RetentionAttempted():
            if event.retained:
                return s.model_copy(update={"closing_account": None, "retention_by": None})
            return s.model_copy(update={"retention_failures": s.retention_failures + 1,
                                        "retention_by": "outlet_head"})
        case AccountOpened():
            return s.model_copy(update={"products": s.products + 1,
                                        "accounts": s.accounts | {event.account}})
        case AccountClosed():
            return s.model_copy(update={"closing_account": None, "retention_by": None,
                                        "products": s.products - 1,
                                        "accounts": s.accounts - {event.account}})
        case CareDue():
            return s.model_copy(update={"care_reminded": (event.due_at, event.occasion.value),
                                        "care_pending": (event.occasion.value, event.day)})
        case ClientLost():
            return s
        case ContactLogged():
            return _contacted(s, event.at).model_copy(update={"last_contact_at": event.at})
        case PreferenceSet():
            return s.model_copy(update={"preference": event.preference})
        case TierReassessed():
            return s.model_copy(update={"tier": event.tier, "score": event.score,
                                        "assessed_at": event.at})
        case ContactDue():
            return s.model_copy(update={"reminded_for": event.due_at})
        case ContactOverdue():
            return s.model_copy(update={"escalated_for": event.due_at})
        case ReviewDue():  # the reminder opens the next review period
            return s.model_copy(update={"review_reminded_for": event.due_at,
                                        "last_review_at": event.due_at})
        case ReassessmentDue():
            return s.model_copy(update={"reassess_reminded_for": event.due_at})
        case ComplaintLinked():
            open_, breached = set(s.open_complaints), set(s.breached_complaints)
            care: dict[str, object] = {}
            if event.change == "opened":
                open_.add(event.case_id)
            elif event.change == "breached":  # a breach calls for a care contact, now
                breached.add(event.case_id)
                care = {"next_contact_at": event.at}
            else:
                open_.discard(event.case_id)
                breached.discard(event.case_id)
            return s.model_copy(update={"open_complaints": frozenset(open_),
                                        "breached_complaints": frozenset(breached), **care})
        case _:
            assert_never(event)


def _contacted(state: ClientState, at: datetime) -> ClientState:
    """A contact from a maturity's contact time on is the contact about it."""
    open_ = tuple(m for m in state.maturities if m.contact_at > at)
    return state if open_ == state.maturities else state.model_copy(update={"maturities": open_})


def fold(events: list[ClientEvent], state: ClientState | None = None) -> ClientState:
    current = state if state is not None else initial_state()
    for event in events:
        current = evolve(current, event)
    return current
