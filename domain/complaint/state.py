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
    DeadlineBreached,
    DeadlineRecomputed,
    DeadlineSet,
    DeadlineWarningRaised,
    ExtensionApproved,
    ExtensionRejected,
    ExtensionRequested,
    ExtensionRequestLapsed,
    FeedbackRecorded,
    FeedbackReminderRaised,
    FindingsRecorded,
    HandlerAssigned,
    NoteAdded,
    OverdueEscalated,
    ResolvedOnSpot,
)
from domain.complaint.model import (
    CLOCK_RUNNING,
    Channel,
    ClientTier,
    CloseReason,
    ExtensionStatus,
    Status,
)
from domain.sla import Deadline


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
            return s.model_copy(update={"escalations": (*s.escalations, event)})
        case ClientReplied():
            return s.model_copy(update={"reply": event, "replies": s.replies + 1,
                                        "status": Status.REPLIED})
        case FeedbackRecorded():
            return s.model_copy(update={"satisfied": event.satisfied})
        case CaseReopened():
            reopened = Status.ASSIGNED if s.handler else Status.REGISTERED
            return s.model_copy(update={"status": reopened, "reply": None, "findings": None,
                                        "satisfied": None, "reopened": s.reopened + 1})
        case ComplaintWithdrawn():
            return s
        case CaseClosed():
            return s.model_copy(update={"status": Status.CLOSED, "close_reason": event.reason,
                                        "closed_at": event.at})
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


def fold(
    events: list[ComplaintEvent], state: ComplaintState | None = None
) -> ComplaintState:
    current = state if state is not None else initial_state()
    for event in events:
        current = evolve(current, event)
    return current
