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
    | OverdueEscalated | ClientNoticeRecorded | DeadlineRecomputed | FeedbackReminderRaised,
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
        DeadlineRecomputed, FeedbackReminderRaised,
    )
}
"""(type, schema version) -> model: what the event store validates complaint events against."""
