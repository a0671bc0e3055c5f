"""One readable line per complaint event, for auditors' timelines and exports."""

from __future__ import annotations

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


def describe(event: ComplaintEvent) -> str:
    match event:
        case ComplaintRegistered():
            return (f"registered complaint {event.case_id} ({event.category}, "
                    f"{event.channel.value}) at {event.outlet}")
        case DeadlineSet():
            d = event.deadline
            return (f"deadline set ({event.reason}): end of {d.due_date}, {d.working_days} "
                    f"working days [{d.calendar_version}, {d.policy_version}]")
        case ClientAcknowledged():
            return f"client told to expect a reply by {event.expected_reply_by.isoformat()}"
        case ClientNoticeRecorded() if event.delivered:
            channel = event.channel.value if event.channel else "?"
            return f"client told ({event.notice}) by {channel}"
        case ClientNoticeRecorded():
            return f"telling the client ({event.notice}) failed: {event.reason}"
        case ResolvedOnSpot():
            return "resolved on the spot"
        case HandlerAssigned():
            return f"handler {event.handler} assigned" + (
                f" (was {event.previous_handler})" if event.previous_handler else "")
        case FindingsRecorded():
            fault = "bank at fault" if event.bank_at_fault else "bank not at fault"
            action = f"; corrective action owned by {event.corrective_action_owner}" \
                if event.corrective_action_owner else ""
            return f"findings recorded: {fault}{action}"
        case ExtensionRequested():
            return "extension requested"
        case ExtensionApproved():
            return "extension approved"
        case ExtensionRejected():
            return "extension rejected"
        case ExtensionRequestLapsed():
            return f"extension request lapsed ({event.reason})"
        case CaseEscalated():
            media = f"; media: {event.media.media_outlet}" if event.media else ""
            return f"escalated to {event.to} ({event.reason.value}){media}"
        case ClientReplied():
            timing = "within the deadline" if event.within_deadline else "AFTER the deadline"
            return f"replied to the client by {event.method.value}, {timing}"
        case FeedbackRecorded():
            return "client satisfied" if event.satisfied else "client dissatisfied"
        case CaseReopened():
            return "case reopened"
        case ComplaintWithdrawn():
            return "withdrawn by the client"
        case CaseClosed():
            return f"case closed ({event.reason.value})"
        case NoteAdded():
            return "note added"
        case DeadlineWarningRaised():
            return f"deadline warning to {', '.join(event.alerted)}"
        case DeadlineBreached():
            return (f"DEADLINE BREACHED; alerted {', '.join(event.alerted)}; escalated to "
                    f"{event.escalated_to.value}")
        case OverdueEscalated():
            return f"overdue escalation level {event.level} to {event.escalated_to.value}"
        case FeedbackReminderRaised():
            return f"feedback reminder to {', '.join(event.alerted)}"
        case CorrectiveActionOpened():
            return (f"corrective action {event.number} owned by {event.owner}, due "
                    f"{event.due_at.isoformat()}")
        case CorrectiveActionOverdue():
            return (f"corrective action {event.number} OVERDUE; alerted "
                    f"{', '.join(event.alerted)}")
        case CorrectiveActionCompleted():
            late = "" if event.on_time else " (late)"
            return f"corrective action {event.number} done{late}"
        case EscalationAccepted():
            return f"escalation accepted by {event.actor} of {event.unit}"
        case EscalationAnswered():
            return f"{event.unit} answered the escalation; the case is back with its outlet"
        case RegulatoryDeadlineSet():
            extended = " (extended)" if event.reason == "extended" else ""
            return (f"regulatory period{extended}: decide and tell the client by "
                    f"{event.due_at.isoformat()} ({event.days} calendar days)")
        case RegulatoryWarningRaised():
            return f"regulatory period warning to {', '.join(event.alerted)}"
        case RegulatoryDeadlineBreached():
            return f"REGULATORY PERIOD RUN OUT; alerted {', '.join(event.alerted)}"
        case SatisfactionFollowUpDue():
            return f"satisfaction follow-up due, assigned to {', '.join(event.assigned_to)}"
        case FollowUpRecorded():
            return f"follow-up recorded: {event.outcome.value}"
    return event.type
