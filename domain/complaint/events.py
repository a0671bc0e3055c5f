"""Events: what happened to a complaint. A discriminated union on `type`, each with its schema
version; stored as JSON in the event store and folded by `evolve`."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field, TypeAdapter

from domain.complaint.model import (
    Channel,
    ClientTier,
    CloseReason,
    EscalationReason,
    FollowUpOutcome,
    MediaDetails,
    ReplyMethod,
)
from domain.messages import Event
from domain.notifications import Channel as NoticeChannel
from domain.sla import Deadline, Rung


class ComplaintRegistered(Event):
    type: Literal["complaint_registered"] = "complaint_registered"
    case_id: str
    client_id: str
    client_tier: ClientTier
    relationship_manager: str | None
    channel: Channel
    category: str
    description: str
    outlet: str
    received_at: AwareDatetime
    cause: str | None = None
    client_request: str | None = None


class DeadlineSet(Event):
    type: Literal["deadline_set"] = "deadline_set"
    deadline: Deadline
    reason: Literal["registered", "extension_approved", "reopened"]


class ClientAcknowledged(Event):
    type: Literal["client_acknowledged"] = "client_acknowledged"
    expected_reply_by: AwareDatetime
    provisional_years: tuple[int, ...] = ()
    """The expected time was provisional: these years had no working-day calendar yet."""


class ClientNoticeRecorded(Event):
    """What became of a message to the client: told, by which channel; or not, and why."""

    type: Literal["client_notice_recorded"] = "client_notice_recorded"
    notice: str
    notification_id: UUID
    delivered: bool
    channel: NoticeChannel | None
    reason: str | None


class ResolvedOnSpot(Event):
    type: Literal["resolved_on_spot"] = "resolved_on_spot"
    resolution: str


class HandlerAssigned(Event):
    type: Literal["handler_assigned"] = "handler_assigned"
    handler: str
    previous_handler: str | None


class FindingsRecorded(Event):
    type: Literal["findings_recorded"] = "findings_recorded"
    summary: str
    bank_at_fault: bool
    corrective_action: str | None
    corrective_action_owner: str | None
    responsible: str | None = None
    apology: str | None = None
    remedy: str | None = None


class CorrectiveActionOpened(Event):
    """A corrective action (整改) with its own clock: it may outlive the case."""

    type: Literal["corrective_action_opened"] = "corrective_action_opened"
    number: int
    action: str
    owner: str
    due_at: AwareDatetime


class CorrectiveActionOverdue(Event):
    type: Literal["corrective_action_overdue"] = "corrective_action_overdue"
    number: int
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class CorrectiveActionCompleted(Event):
    type: Literal["corrective_action_completed"] = "corrective_action_completed"
    number: int
    outcome: str
    on_time: bool


class ExtensionRequested(Event):
    type: Literal["extension_requested"] = "extension_requested"
    reason: str


class ExtensionApproved(Event):
    type: Literal["extension_approved"] = "extension_approved"
    note: str | None


class ExtensionRejected(Event):
    type: Literal["extension_rejected"] = "extension_rejected"
    note: str | None


class ExtensionRequestLapsed(Event):
    """A pending extension request ends unanswered when the client is replied to: the clock it
    asked to extend has stopped."""

    type: Literal["extension_request_lapsed"] = "extension_request_lapsed"
    reason: str


class CaseEscalated(Event):
    type: Literal["case_escalated"] = "case_escalated"
    reason: EscalationReason
    to: str
    details: str
    media: MediaDetails | None = None


class EscalationAccepted(Event):
    type: Literal["escalation_accepted"] = "escalation_accepted"
    unit: str


class EscalationAnswered(Event):
    type: Literal["escalation_answered"] = "escalation_answered"
    unit: str
    answer: str


class RegulatoryDeadlineSet(Event):
    """The regulator's outer clock: calendar days from the day of receipt."""

    type: Literal["regulatory_deadline_set"] = "regulatory_deadline_set"
    due_at: AwareDatetime
    warning_at: AwareDatetime
    days: int
    reason: Literal["registered", "extended"]
    note: str | None = None


class RegulatoryWarningRaised(Event):
    type: Literal["regulatory_warning_raised"] = "regulatory_warning_raised"
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class RegulatoryDeadlineBreached(Event):
    type: Literal["regulatory_deadline_breached"] = "regulatory_deadline_breached"
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class SatisfactionFollowUpDue(Event):
    """The closed case's follow-up falls due: its handler confirms the client is satisfied."""

    type: Literal["satisfaction_follow_up_due"] = "satisfaction_follow_up_due"
    closed_at: AwareDatetime
    assigned_to: tuple[str, ...]


class FollowUpRecorded(Event):
    type: Literal["follow_up_recorded"] = "follow_up_recorded"
    outcome: FollowUpOutcome
    opinion: str


class ClientReplied(Event):
    type: Literal["client_replied"] = "client_replied"
    method: ReplyMethod
    content: str
    client_consented_to_call: bool
    urgent: bool
    confirmed_by_outlet_head: str | None
    visiting_staff: tuple[str, ...]
    within_deadline: bool


class FeedbackRecorded(Event):
    type: Literal["feedback_recorded"] = "feedback_recorded"
    satisfied: bool
    opinion: str


class CaseReopened(Event):
    type: Literal["case_reopened"] = "case_reopened"
    reason: str


class ComplaintWithdrawn(Event):
    type: Literal["complaint_withdrawn"] = "complaint_withdrawn"
    reason: str


class CaseClosed(Event):
    type: Literal["case_closed"] = "case_closed"
    reason: CloseReason


class NoteAdded(Event):
    type: Literal["note_added"] = "note_added"
    text: str


class DeadlineWarningRaised(Event):
    type: Literal["deadline_warning_raised"] = "deadline_warning_raised"
    due_at: AwareDatetime
    alerted: tuple[str, ...]


class FeedbackReminderRaised(Event):
    """The handler (else the supervisor) is reminded that the client's opinion on the reply has
    not been recorded."""

    type: Literal["feedback_reminder_raised"] = "feedback_reminder_raised"
    replied_at: AwareDatetime
    alerted: tuple[str, ...]


class DeadlineBreached(Event):
    type: Literal["deadline_breached"] = "deadline_breached"
    due_at: AwareDatetime
    alerted: tuple[str, ...]
    escalated_to: Rung


class OverdueEscalated(Event):
    type: Literal["overdue_escalated"] = "overdue_escalated"
    due_at: AwareDatetime
    level: int
    escalated_to: Rung
    alerted: tuple[str, ...]


class DeadlineRecomputed(Event):
    """A confirmed calendar change moved the deadline in force (or made it definitive)."""

    type: Literal["deadline_recomputed"] = "deadline_recomputed"
    previous: Deadline
    deadline: Deadline
    alerted: tuple[str, ...]


ComplaintEvent = Annotated[
    ComplaintRegistered | DeadlineSet | ClientAcknowledged | ResolvedOnSpot | HandlerAssigned
    | FindingsRecorded | ExtensionRequested | ExtensionApproved | ExtensionRejected
    | ExtensionRequestLapsed | CaseEscalated | ClientReplied | FeedbackRecorded | CaseReopened
    | ComplaintWithdrawn | CaseClosed | NoteAdded | DeadlineWarningRaised | DeadlineBreached
    | OverdueEscalated | ClientNoticeRecorded | DeadlineRecomputed | FeedbackReminderRaised
    | CorrectiveActionOpened | CorrectiveActionOverdue | CorrectiveActionCompleted
    | EscalationAccepted | EscalationAnswered | RegulatoryDeadlineSet | RegulatoryWarningRaised
    | RegulatoryDeadlineBreached | SatisfactionFollowUpDue | FollowUpRecorded,
    Field(discriminator="type"),
]

EVENT_ADAPTER: TypeAdapter[ComplaintEvent] = TypeAdapter(ComplaintEvent)

EVENT_TYPES: dict[tuple[str, int], type[BaseModel]] = {
    (cls.model_fields["type"].default, 1): cls
    for cls in (
        ComplaintRegistered, DeadlineSet, ClientAcknowledged, ResolvedOnSpot, HandlerAssigned,
        FindingsRecorded, ExtensionRequested, ExtensionApproved, ExtensionRejected,
        ExtensionRequestLapsed, CaseEscalated,
        ClientReplied, FeedbackRecorded, CaseReopened, ComplaintWithdrawn, CaseClosed, NoteAdded,
        DeadlineWarningRaised, DeadlineBreached, OverdueEscalated, ClientNoticeRecorded,
        DeadlineRecomputed, FeedbackReminderRaised, CorrectiveActionOpened,
        CorrectiveActionOverdue, CorrectiveActionCompleted, EscalationAccepted,
        EscalationAnswered, RegulatoryDeadlineSet, RegulatoryWarningRaised,
        RegulatoryDeadlineBreached, SatisfactionFollowUpDue, FollowUpRecorded,
    )
}
"""(type, schema version) -> model: what the event store validates complaint events against."""
