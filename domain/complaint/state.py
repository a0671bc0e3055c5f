"""The state of a complaint, and `evolve`: fold one event into it (never raises)."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from pydantic import BaseModel, ConfigDict

from domain.complaint.events import (
    CaseClosed,
    CaseEscalated,
    CaseReopened,
    ClientAcknowledged,
    ClientNoticeRecorded,
    ClientReplied,
    ComplaintEvent,
    ComplaintRegistered,
    ComplaintWithdrawn,
    CorrectiveActionCompleted,
    CorrectiveActionOpened,
    CorrectiveActionOverdue,
    DeadlineBreached,
    DeadlineRecomputed,
    DeadlineSet,
    DeadlineWarningRaised,
    EscalationAccepted,
    EscalationAnswered,
    ExtensionApproved,
    ExtensionRejected,
    ExtensionRequested,
    ExtensionRequestLapsed,
    FeedbackRecorded,
    FeedbackReminderRaised,
    FindingsRecorded,
    FollowUpRecorded,
    HandlerAssigned,
    NoteAdded,
    OverdueEscalated,
    RegulatoryDeadlineBreached,
    RegulatoryDeadlineSet,
    RegulatoryWarningRaised,
    ResolvedOnSpot,
    SatisfactionFollowUpDue,
)
from domain.complaint.model import (
    CLOCK_RUNNING,
    Channel,
    ClientTier,
    CloseReason,
    ExtensionStatus,
    FollowUpOutcome,
    Status,
)
from domain.sla import Deadline


class CorrectiveAction(BaseModel):
    """One corrective action (整改) of the case, on its own clock."""

    model_config = ConfigDict(frozen=True)

    number: int
    action: str
    owner: str
    due_at: datetime
    opened_at: datetime
    overdue: bool = False
    completed_at: datetime | None = None
    outcome: str | None = None

    @property
    def open(self) -> bool:
        return self.completed_at is None


class ComplaintState(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int = 0
    status: Status = Status.NEW
    case_id: str | None = None
    client_id: str | None = None
    client_tier: ClientTier | None = None
    relationship_manager: str | None = None
    channel: Channel | None = None
    category: str | None = None
    description: str | None = None
    """The complaint in the client's words, as registered."""
    cause: str | None = None
    client_request: str | None = None
    outlet: str | None = None
    received_at: datetime | None = None
    registered_by: str | None = None
    acknowledged_at: datetime | None = None
    client_notices: tuple[ClientNoticeRecorded, ...] = ()
    """What became of each message to the client (told by which channel, or why not)."""
    handler: str | None = None
    deadline: Deadline | None = None
    warned_for: datetime | None = None
    feedback_reminded_for: datetime | None = None
    """The reply (its time) whose missing feedback the handler was reminded of."""
    """The due_at of the deadline already warned about."""
    breached_for: datetime | None = None
    """The due_at of the deadline already breached."""
    escalation_level: int = 0
    """How many rungs of the ladder have been alerted for the current breach."""
    ever_breached: bool = False
    extension: ExtensionStatus = ExtensionStatus.NONE
    extension_requested_by: str | None = None
    findings: FindingsRecorded | None = None
    reply: ClientReplied | None = None
    replies: int = 0
    satisfied: bool | None = None
    escalations: tuple[CaseEscalated, ...] = ()
    reopened: int = 0
    notes: int = 0
    close_reason: CloseReason | None = None
    closed_at: datetime | None = None
    corrective_actions: tuple[CorrectiveAction, ...] = ()
    held_by: str | None = None
    """The higher unit the case is escalated to while it holds it (None: its own outlet)."""
    escalation_accepted_by: str | None = None
    """Who at the holding unit took the case on."""
    escalation_answer: EscalationAnswered | None = None
    """The last answer or instruction of a unit the case was escalated to."""
    regulatory: RegulatoryDeadlineSet | None = None
    """The regulator's outer clock in force (cases under policies without it: None)."""
    regulatory_warned: bool = False
    regulatory_breached: bool = False
    follow_up_due_for: datetime | None = None
    """The close (its time) whose satisfaction follow-up fell due."""
    follow_up_recorded_for: datetime | None = None
    follow_up_outcome: FollowUpOutcome | None = None

    @property
    def regulatory_running(self) -> bool:
        """The regulator's clock runs from receipt until the bank's first reply (its decision
        told to the client); a withdrawal or an on-the-spot resolution stops it too."""
        return self.regulatory is not None and self.status in CLOCK_RUNNING and self.replies == 0

    @property
    def open_corrective_actions(self) -> tuple[CorrectiveAction, ...]:
        return tuple(a for a in self.corrective_actions if a.open)

    @property
    def follow_up_pending(self) -> bool:
        """The follow-up of the current close fell due and its outcome is not recorded yet."""
        return (self.status == Status.CLOSED and self.follow_up_due_for is not None
                and self.follow_up_due_for == self.closed_at
                and self.follow_up_recorded_for != self.closed_at)

    @property
    def clock_running(self) -> bool:
        """The SLA clock runs from registration until the reply is recorded."""
        return self.status in CLOCK_RUNNING

    @property
    def breached(self) -> bool:
        return self.deadline is not None and self.breached_for == self.deadline.due_at


def initial_state() -> ComplaintState:
    return ComplaintState()


def evolve(state: ComplaintState, event: ComplaintEvent) -> ComplaintState:
    s = state.model_copy(update={"version": state.version + 1})
    match event:
        case ComplaintRegistered():
            return s.model_copy(update={
                "status": Status.REGISTERED, "case_id": event.case_id,
                "client_id": event.client_id, "client_tier": event.client_tier,
                "relationship_manager": event.relationship_manager, "channel": event.channel,
                "category": event.category, "outlet": event.outlet,
                "received_at": event.received_at, "registered_by": event.actor,
                "description": event.description, "cause": event.cause,
                "client_request": event.client_request,
            })
        case DeadlineSet():
            # A new deadline in force: nothing has been warned about or breached against it yet.
            return s.model_copy(update={"deadline": event.deadline, "escalation_level": 0,
                                        "warned_for": None, "breached_for": None})
        case DeadlineRecomputed():
            # A warning already raised for the same instant stands; for a moved deadline the
            # clock warns again (at once if its warning time has passed: the handler is told).
            warned = s.warned_for if s.warned_for == event.deadline.due_at else None
            return s.model_copy(update={"deadline": event.deadline, "warned_for": warned})
        case ClientAcknowledged():
            return s.model_copy(update={"acknowledged_at": event.at})
        case ClientNoticeRecorded():
            return s.model_copy(update={"client_notices": (*s.client_notices, event)})
        case ResolvedOnSpot():
            return s
        case HandlerAssigned():
            assigned = Status.ASSIGNED if s.status == Status.REGISTERED else s.status
            return s.model_copy(update={"handler": event.handler, "status": assigned})
        case FindingsRecorded():
            return s.model_copy(update={"findings": event, "status": Status.INVESTIGATED})
        case ExtensionRequested():
            return s.model_copy(update={"extension": ExtensionStatus.REQUESTED,
                                        "extension_requested_by": event.actor})
        case ExtensionApproved():
            return s.model_copy(update={"extension": ExtensionStatus.APPROVED})
        case ExtensionRejected():
            return s.model_copy(update={"extension": ExtensionStatus.REJECTED})
        case ExtensionRequestLapsed():
            return s.model_copy(update={"extension": ExtensionStatus.NONE,
                                        "extension_requested_by": None})
        case CaseEscalated():
            return s.model_copy(update={"escalations": (*s.escalations, event),
                                        "held_by": event.to, "escalation_accepted_by": None})
        case EscalationAccepted():
            return s.model_copy(update={"escalation_accepted_by": event.actor})
        case EscalationAnswered():
            return s.model_copy(update={"escalation_answer": event, "held_by": None,
                                        "escalation_accepted_by": None})
        case RegulatoryDeadlineSet():
            return s.model_copy(update={"regulatory": event, "regulatory_warned": False})
        case RegulatoryWarningRaised():
            return s.model_copy(update={"regulatory_warned": True})
        case RegulatoryDeadlineBreached():
            return s.model_copy(update={"regulatory_breached": True})
        case SatisfactionFollowUpDue():
            return s.model_copy(update={"follow_up_due_for": event.closed_at})
        case FollowUpRecorded():
            return s.model_copy(update={"follow_up_recorded_for": s.closed_at,
                                        "follow_up_outcome": event.outcome})
        case CorrectiveActionOpened():
            action = CorrectiveAction(number=event.number, action=event.action,
                                      owner=event.owner, due_at=event.due_at,
                                      opened_at=event.at)
            return s.model_copy(update={"corrective_actions": (*s.corrective_actions, action)})
        case CorrectiveActionOverdue():
            return s.model_copy(update={"corrective_actions": _updated(
                s.corrective_actions, event.number, overdue=True)})
        case CorrectiveActionCompleted():
            return s.model_copy(update={"corrective_actions": _updated(
                s.corrective_actions, event.number, completed_at=event.at,
                outcome=event.outcome)})
        case ClientReplied():
            return s.model_copy(update={"reply": event, "replies": s.replies + 1,
                                        "status": Status.REPLIED})
        case FeedbackRecorded():
            return s.model_copy(update={"satisfied": event.satisfied})
        case CaseReopened():
            reopened = Status.ASSIGNED if s.handler else Status.REGISTERED
            return s.model_copy(update={"status": reopened, "reply": None, "findings": None,
                                        "satisfied": None, "reopened": s.reopened + 1,
                                        "close_reason": None, "closed_at": None})
        case ComplaintWithdrawn():
            return s
        case CaseClosed():
            # A closed case is back with its outlet: the unit it was escalated to holds it no
            # more (its staff no longer act on it).
            return s.model_copy(update={"status": Status.CLOSED, "close_reason": event.reason,
                                        "closed_at": event.at, "held_by": None,
                                        "escalation_accepted_by": None})
        case NoteAdded():
            return s.model_copy(update={"notes": s.notes + 1})
        case DeadlineWarningRaised():
            return s.model_copy(update={"warned_for": event.due_at})
        case FeedbackReminderRaised():
            return s.model_copy(update={"feedback_reminded_for": event.replied_at})
        case DeadlineBreached():
            return s.model_copy(update={"breached_for": event.due_at, "escalation_level": 1,
                                        "ever_breached": True})
        case OverdueEscalated():
            return s.model_copy(update={"escalation_level": event.level})
        case _:
            assert_never(event)


def _updated(actions: tuple[CorrectiveAction, ...], number: int, **changes: object
             ) -> tuple[CorrectiveAction, ...]:
    return tuple(a.model_copy(update=changes) if a.number == number else a for a in actions)


def fold(
    events: list[ComplaintEvent], state: ComplaintState | None = None
) -> ComplaintState:
    current = state if state is not None else initial_state()
    for event in events:
        current = evolve(current, event)
    return current
