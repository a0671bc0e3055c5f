"""Commands: what an officer (or the case's own clock) asks of a complaint.

Every command carries who asks (`actor`) and when (`at`): the domain never reads a clock.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from domain.calendar import BusinessCalendar
from domain.complaint.model import (
    Channel,
    ClientTier,
    EscalationReason,
    FollowUpOutcome,
    MediaDetails,
    ReplyMethod,
)
from domain.messages import Command as _Command
from domain.messages import Identifier, Name, Text
from domain.notifications import Channel as NoticeChannel
from domain.notifications import ClientContact


class RegisterComplaint(_Command):
    kind: Literal["register"] = "register"
    case_id: Identifier
    client_id: Identifier
    client_tier: ClientTier
    relationship_manager: Name | None = None
    channel: Channel
    category: Name
    """The business line (the bank's taxonomy, checked at registration)."""
    description: Text
    outlet: Name
    received_at: AwareDatetime
    contact: ClientContact | None = None
    """How the client asked to be told (personal data: it stays in the case's sealed Temporal
    history and is never recorded with the events)."""
    cause: Name | None = None
    """What the complaint is about (the taxonomy's causes; cases from before it have none)."""
    client_request: Text | None = None
    """What the client asked for, in their words."""


class ResolveOnSpot(_Command):
    kind: Literal["resolve_on_spot"] = "resolve_on_spot"
    resolution: Text


class AssignHandler(_Command):
    kind: Literal["assign"] = "assign"
    handler: Name


class RecordFindings(_Command):
    kind: Literal["record_findings"] = "record_findings"
    summary: Text
    bank_at_fault: bool
    corrective_action: Text | None = None
    corrective_action_owner: Name | None = None
    corrective_action_due: date | None = None
    """The last day (local) by which the corrective action (整改) is done."""
    responsible: Name | None = None
    """Who, or which department, is responsible for the fault."""
    apology: Text | None = None
    """The apology made to the client."""
    remedy: Text | None = None
    """The correction for this client (the individual remedy)."""


class RequestExtension(_Command):
    kind: Literal["request_extension"] = "request_extension"
    reason: Text


class DecideExtension(_Command):
    kind: Literal["decide_extension"] = "decide_extension"
    approve: bool
    note: Text | None = None


class Escalate(_Command):
    kind: Literal["escalate"] = "escalate"
    reason: EscalationReason
    to: Name
    """The unit the case goes to (checked against the organisation by caseflow's services)."""
    details: Text
    media: MediaDetails | None = None


class AcceptEscalation(_Command):
    """The unit the case was escalated to takes it on."""

    kind: Literal["accept_escalation"] = "accept_escalation"


class AnswerEscalation(_Command):
    """The holding unit's answer or instruction; the case goes back to its outlet."""

    kind: Literal["answer_escalation"] = "answer_escalation"
    answer: Text


class ExtendRegulatoryDeadline(_Command):
    """A complex case: the regulator's period is extended (a supervisor approves)."""

    kind: Literal["extend_regulatory_deadline"] = "extend_regulatory_deadline"
    reason: Text


class RecordFollowUp(_Command):
    """The outcome of the satisfaction follow-up after closing."""

    kind: Literal["record_follow_up"] = "record_follow_up"
    outcome: FollowUpOutcome
    opinion: Text
    follow_up: Literal["reopen", "escalate"] | None = None
    escalate_to: Name | None = None


class CompleteCorrectiveAction(_Command):
    kind: Literal["complete_corrective_action"] = "complete_corrective_action"
    number: int = Field(ge=1)
    """Which of the case's corrective actions (1 for the first)."""
    outcome: Text
    """What was done."""


class ReplyToClient(_Command):
    kind: Literal["reply"] = "reply"
    method: ReplyMethod
    content: Text
    client_consented_to_call: bool = False
    urgent: bool = False
    confirmed_by_outlet_head: Name | None = None
    visiting_staff: tuple[Name, ...] = ()


class RecordFeedback(_Command):
    kind: Literal["record_feedback"] = "record_feedback"
    satisfied: bool
    opinion: Text
    follow_up: Literal["reopen", "escalate"] | None = None
    escalate_to: Name | None = None


class Withdraw(_Command):
    kind: Literal["withdraw"] = "withdraw"
    reason: Text


class AddNote(_Command):
    kind: Literal["add_note"] = "add_note"
    text: Text


class RecordClientNotice(_Command):
    """What became of a message to the client (sent by caseflow's messaging, never a user)."""

    kind: Literal["record_client_notice"] = "record_client_notice"
    notice: Name
    notification_id: UUID
    delivered: bool
    channel: NoticeChannel | None = None
    reason: Text | None = None


class RecomputeDeadline(_Command):
    """A confirmed calendar change reaches the case (sent by caseflow's calendar, never a
    user): `calendar` holds the years it changed, under the new version."""

    kind: Literal["recompute_deadline"] = "recompute_deadline"
    calendar: BusinessCalendar


# Commands from the case's own clock (timers in the workflow), never from an officer.
class RaiseWarning(_Command):
    kind: Literal["raise_warning"] = "raise_warning"


class RecordBreach(_Command):
    kind: Literal["record_breach"] = "record_breach"


class EscalateOverdue(_Command):
    kind: Literal["escalate_overdue"] = "escalate_overdue"


class RemindFeedback(_Command):
    """The client's opinion on the reply has not come within the policy's period."""

    kind: Literal["remind_feedback"] = "remind_feedback"


class CloseForNoResponse(_Command):
    """The client's opinion never came: the case closes as "no response" (the policy says
    when)."""

    kind: Literal["close_no_response"] = "close_no_response"


class RaiseRegulatoryWarning(_Command):
    kind: Literal["raise_regulatory_warning"] = "raise_regulatory_warning"


class RecordRegulatoryBreach(_Command):
    kind: Literal["record_regulatory_breach"] = "record_regulatory_breach"


class RaiseFollowUpDue(_Command):
    """The satisfaction follow-up of a closed case falls due: its handler is asked."""

    kind: Literal["raise_follow_up_due"] = "raise_follow_up_due"


class MarkCorrectiveActionOverdue(_Command):
    kind: Literal["mark_corrective_action_overdue"] = "mark_corrective_action_overdue"


OfficerCommand = Annotated[
    RegisterComplaint | ResolveOnSpot | AssignHandler | RecordFindings | RequestExtension
    | DecideExtension | Escalate | ReplyToClient | RecordFeedback | Withdraw | AddNote
    | RecordClientNotice | RecomputeDeadline | AcceptEscalation | AnswerEscalation
    | ExtendRegulatoryDeadline | RecordFollowUp | CompleteCorrectiveAction,
    Field(discriminator="kind"),
]
"""What comes in through the workflow's `command` update (from users, or from caseflow's
messaging for RecordClientNotice and its calendar for RecomputeDeadline)."""


class AcknowledgeClient(_Command):
    """Recorded once the client has been told the expected handling time."""

    kind: Literal["acknowledge_client"] = "acknowledge_client"


ClockCommand = (RaiseWarning | RecordBreach | EscalateOverdue | RemindFeedback
                | CloseForNoResponse | RaiseRegulatoryWarning | RecordRegulatoryBreach
                | RaiseFollowUpDue | MarkCorrectiveActionOverdue)
Command = Annotated[
    RegisterComplaint | ResolveOnSpot | AssignHandler | RecordFindings | RequestExtension
    | DecideExtension | Escalate | ReplyToClient | RecordFeedback | Withdraw | AddNote
    | RecordClientNotice | RecomputeDeadline | AcknowledgeClient | RaiseWarning | RecordBreach
    | EscalateOverdue | RemindFeedback | CloseForNoResponse | AcceptEscalation
    | AnswerEscalation | ExtendRegulatoryDeadline | RecordFollowUp | CompleteCorrectiveAction
    | RaiseRegulatoryWarning | RecordRegulatoryBreach | RaiseFollowUpDue
    | MarkCorrectiveActionOverdue,
    Field(discriminator="kind"),
]
