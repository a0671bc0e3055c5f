"""Who is told what when complaint events happen. Pure: the workflow sends what this returns;
the bank's templates (caseflow/messages) turn each kind and its facts into the texts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.complaint.events import (
    CaseEscalated,
    ClientAcknowledged,
    ComplaintEvent,
    ComplaintRegistered,
    CorrectiveActionOverdue,
    DeadlineBreached,
    DeadlineRecomputed,
    DeadlineSet,
    DeadlineWarningRaised,
    EscalationAccepted,
    EscalationAnswered,
    ExtensionRequested,
    FeedbackReminderRaised,
    OverdueEscalated,
    RegulatoryDeadlineBreached,
    RegulatoryWarningRaised,
    SatisfactionFollowUpDue,
)
from domain.complaint.model import EscalationReason
from domain.complaint.state import ComplaintState
from domain.messages import IDENTIFIER_PATTERN
from domain.notifications import ClientContact, Notification, client_address, role_at
from domain.sla import Rung

CLIENT_NOTICES = frozenset({"acknowledgement", "new_expected_time", "case_reopened",
                            "expected_time_moved"})
"""What the client is told; whether it reached them is recorded on the case."""


def notifications_for(
    state: ComplaintState, events: Sequence[ComplaintEvent], stream_id: str,
    contact: ClientContact | None = None,
) -> list[Notification]:
    """`state` is the state after the events; `contact`, how the client asked to be told. Facts
    carry case ids and instants, never client details."""
    case = state.case_id or ""
    out: list[Notification] = []

    def note(kind: str, to: Sequence[str], **facts: str) -> None:
        if to:
            client = any(r.startswith("client:") for r in to)
            out.append(Notification(kind=kind, stream_id=stream_id,
                                    recipients=tuple(dict.fromkeys(to)),
                                    facts={"case_id": case, **facts}, unit=state.outlet,
                                    client_contact=contact if client else None))

    client = [client_address(state.client_id)]
    for event in events:
        match event:
            case ComplaintRegistered() if event.client_tier.is_premium and \
                    event.relationship_manager:
                note("premium_client_complaint", [event.relationship_manager],
                     category=event.category)
            case ClientAcknowledged():
                note("acknowledgement", client, reply_by=event.expected_reply_by.isoformat(),
                     **_provisional(event.provisional_years))
            case DeadlineRecomputed():
                moved = {"previous_due_at": event.previous.due_at.isoformat(),
                         "due_at": event.deadline.due_at.isoformat(),
                         "calendar_version": event.deadline.calendar_version,
                         **_provisional(event.deadline.provisional_years)}
                note("deadline_recomputed", event.alerted, **moved)
                if state.acknowledged_at is not None and \
                        event.deadline.due_at != event.previous.due_at:
                    note("expected_time_moved", client,
                         reply_by=event.deadline.due_at.isoformat(),
                         **_provisional(event.deadline.provisional_years))
            case DeadlineSet() if event.reason == "extension_approved":
                note("new_expected_time", client, reply_by=event.deadline.due_at.isoformat())
            case DeadlineSet() if event.reason == "reopened":
                note("case_reopened", client, reply_by=event.deadline.due_at.isoformat())
            case ExtensionRequested():
                note("extension_requested", [role_at(Rung.SUPERVISOR, state.outlet)],
                     reason=event.reason)
            case CaseEscalated():
                to = [_unit_or_person(event.to)]
                if event.reason == EscalationReason.MEDIA_ATTENTION:
                    # At once to the press office and the branch (its service management).
                    to += [role_at(Rung.OUTLET_HEAD, state.outlet),
                           role_at("press_office", state.outlet),
                           role_at(Rung.SERVICE_MANAGEMENT, state.outlet)]
                media = {"media_outlet": event.media.media_outlet,
                         "questions": event.media.questions,
                         "informed": "、".join(event.media.informed)} if event.media else {}
                note("escalation", to, reason=event.reason.value, details=event.details,
                     **media)
            case EscalationAccepted() | EscalationAnswered():
                back = [*_handler_or(state), role_at(Rung.SUPERVISOR, state.outlet)]
                answer = {"answer": event.answer} if isinstance(event, EscalationAnswered) else {}
                note(event.type, back, unit=event.unit, by=event.actor, **answer)
            case RegulatoryWarningRaised():
                note("regulatory_warning", event.alerted, due_at=event.due_at.isoformat())
            case RegulatoryDeadlineBreached():
                note("regulatory_breach", event.alerted, due_at=event.due_at.isoformat())
            case SatisfactionFollowUpDue():
                note("follow_up_due", event.assigned_to, closed_at=event.closed_at.isoformat())
            case CorrectiveActionOverdue():
                note("corrective_action_overdue", event.alerted, number=str(event.number),
                     due_at=event.due_at.isoformat())
            case DeadlineWarningRaised():
                note("sla_warning", event.alerted, due_at=event.due_at.isoformat())
            case FeedbackReminderRaised():
                note("feedback_reminder", event.alerted, replied_at=event.replied_at.isoformat())
            case DeadlineBreached():
                note("sla_breach", [*event.alerted, role_at(event.escalated_to, state.outlet)],
                     due_at=event.due_at.isoformat(), escalated_to=event.escalated_to.value)
            case OverdueEscalated():
                note("sla_escalation", event.alerted, level=str(event.level),
                     escalated_to=event.escalated_to.value)
    return out


_UNIT = re.compile(IDENTIFIER_PATTERN)


def _unit_or_person(to: str) -> str:
    """Where an escalation goes: the supervisors of the unit it names (cases from before units
    were checked may name an address instead)."""
    return role_at(Rung.SUPERVISOR, to) if _UNIT.fullmatch(to) and "@" not in to else to


def _handler_or(state: ComplaintState) -> list[str]:
    return [state.handler] if state.handler else []


def _provisional(years: tuple[int, ...]) -> dict[str, str]:
    """The mark of a provisional time, for the texts: the years without a calendar yet."""
    return {"provisional_years": "、".join(map(str, years))} if years else {}
