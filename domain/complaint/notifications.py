"""Who is told what when complaint events happen. Pure: the workflow sends what this returns."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from domain.complaint.decider import address
from domain.complaint.events import (
    CaseEscalated,
    ClientAcknowledged,
    ComplaintEvent,
    ComplaintRegistered,
    DeadlineBreached,
    DeadlineSet,
    DeadlineWarningRaised,
    ExtensionRequested,
    OverdueEscalated,
)
from domain.complaint.model import EscalationReason
from domain.complaint.state import ComplaintState
from domain.notifications import Notification
from domain.sla import Rung, SlaPolicy


def client_address(state: ComplaintState) -> str:
    return f"client:{state.client_id}"


def notifications_for(
    state: ComplaintState, events: Sequence[ComplaintEvent], stream_id: str, policy: SlaPolicy
) -> list[Notification]:
    """`state` is the state after the events. Texts carry case ids, never client details."""
    zone = ZoneInfo(policy.time_zone)
    case = state.case_id
    out: list[Notification] = []

    def note(kind: str, to: Sequence[str], subject: str, body: str) -> None:
        if to:
            out.append(Notification(kind=kind, stream_id=stream_id, recipients=tuple(to),
                                    subject=subject, body=body))

    for event in events:
        match event:
            case ComplaintRegistered() if event.client_tier.is_premium and \
                    event.relationship_manager:
                note("premium_client_complaint", [event.relationship_manager],
                     f"Complaint {case} from your client",
                     f"Your client registered complaint {case} ({event.category}).")
            case ClientAcknowledged():
                due = event.expected_reply_by.astimezone(zone)
                note("acknowledgement", [client_address(state)],
                     f"We have received your complaint {case}",
                     f"We will reply by {due:%Y-%m-%d %H:%M} at the latest.")
            case DeadlineSet() if event.reason == "extension_approved":
                due = event.deadline.due_at.astimezone(zone)
                note("new_expected_time", [client_address(state)],
                     f"Your complaint {case}: new expected reply time",
                     f"We need more time and will reply by {due:%Y-%m-%d %H:%M}.")
            case ExtensionRequested():
                note("extension_requested", [address(Rung.SUPERVISOR, state.outlet)],
                     f"Extension requested for complaint {case}", event.reason)
            case CaseEscalated():
                to = [event.to]
                if event.reason == EscalationReason.MEDIA_ATTENTION:
                    to += [address(Rung.OUTLET_HEAD, state.outlet), "branch-office"]
                note("escalation", to, f"Complaint {case} escalated ({event.reason.value})",
                     event.details)
            case DeadlineWarningRaised():
                note("sla_warning", event.alerted, f"Complaint {case} is due today",
                     f"Reply to the client before {event.due_at.astimezone(zone):%H:%M}.")
            case DeadlineBreached():
                note("sla_breach", [*event.alerted, address(event.escalated_to, state.outlet)],
                     f"Complaint {case} missed its deadline",
                     f"Due {event.due_at.astimezone(zone):%Y-%m-%d %H:%M}; escalated to "
                     f"{event.escalated_to.value}.")
            case OverdueEscalated():
                note("sla_escalation", event.alerted, f"Complaint {case} still open past deadline",
                     f"Escalation level {event.level}: {event.escalated_to.value}.")
    return out
