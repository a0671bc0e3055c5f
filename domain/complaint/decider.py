"""`decide`: turn a command into events, or raise a DomainError an officer understands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import assert_never

from domain.calendar import BusinessCalendar
from domain.complaint.commands import (
    AcknowledgeClient,
    AddNote,
    AssignHandler,
    CloseForNoResponse,
    Command,
    DecideExtension,
    Escalate,
    EscalateOverdue,
    RaiseWarning,
    RecomputeDeadline,
    RecordBreach,
    RecordClientNotice,
    RecordFeedback,
    RecordFindings,
    RegisterComplaint,
    RemindFeedback,
    ReplyToClient,
    RequestExtension,
    ResolveOnSpot,
    Withdraw,
)
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
    Channel,
    CloseReason,
    EscalationReason,
    ExtensionStatus,
    ReplyMethod,
    Status,
)
from domain.complaint.state import ComplaintState
from domain.errors import IllegalStepError, RuleViolationError
from domain.sla import (
    Deadline,
    Rung,
    SlaPolicy,
    deadline_after,
    escalation_times,
    is_night_call,
    recomputed,
)

"""The actor of events that the case's own clock decides (warnings, breaches, escalations)."""

_HANDLING = (Status.REGISTERED, Status.ASSIGNED, Status.INVESTIGATED)


@dataclass(frozen=True)
class Rules:
    """What decide needs besides state and command: the calendar and SLA policy in force."""

    calendar: BusinessCalendar
    policy: SlaPolicy


def adopting(rules: Rules, calendar: BusinessCalendar) -> Rules:
    """The rules once a calendar change has reached the case: its years replace the case's
    own, unless the case already holds that revision or a newer one."""
    if calendar.revision <= rules.calendar.revision:
        return rules
    return Rules(calendar=rules.calendar.with_years_of(calendar), policy=rules.policy)


def address(rung: Rung, outlet: str | None) -> str:
    return f"{rung.value}@{outlet}"


def decide(
    state: ComplaintState, command: Command, rules: Rules
) -> list[ComplaintEvent]:
    base = {"actor": command.actor, "at": command.at}
    match command:
        case RegisterComplaint():
            if state.status != Status.NEW:
                raise IllegalStepError(f"complaint {state.case_id} is already registered")
            if command.received_at > command.at:
                raise RuleViolationError("received_at is later than the registration itself")
            deadline = deadline_after(command.received_at, rules.policy.reply_working_days,
                                      rules.calendar, rules.policy)
            fields = command.model_dump(exclude={"kind", "actor", "at", "contact"})
            return [ComplaintRegistered(**base, **fields),
                    DeadlineSet(**base, deadline=deadline, reason="registered")]

        case AcknowledgeClient():
            _require_open(state, "acknowledge the client")
            if state.acknowledged_at is not None:
                raise IllegalStepError("the client has already been acknowledged")
            assert state.deadline is not None
            return [ClientAcknowledged(**base, expected_reply_by=state.deadline.due_at,
                                       provisional_years=state.deadline.provisional_years)]

        case ResolveOnSpot():
            if state.status != Status.REGISTERED:
                raise IllegalStepError(
                    "only a just-registered complaint can be resolved on the spot "
                    f"(this one is {state.status})")
            if state.channel not in (Channel.IN_PERSON, Channel.PHONE):
                raise RuleViolationError(
                    f"a complaint received by {state.channel} cannot be resolved on the spot; "
                    "assign a handler")
            return [ResolvedOnSpot(**base, resolution=command.resolution),
                    CaseClosed(**base, reason=CloseReason.RESOLVED_ON_SPOT)]

        case AssignHandler():
            _require(state, _HANDLING, "assign a handler")
            if command.handler == state.handler:
                raise IllegalStepError(f"{command.handler} is already the handler")
            return [HandlerAssigned(**base, handler=command.handler,
                                    previous_handler=state.handler)]

        case RecordFindings():
            _require(state, (Status.ASSIGNED, Status.INVESTIGATED), "record findings",
                     hint="assign a handler first")
            if command.bank_at_fault and not (
                command.corrective_action and command.corrective_action_owner
            ):
                raise RuleViolationError(
                    "the bank is at fault: record the corrective action (整改) and its owner")
            return [FindingsRecorded(**base, **command.model_dump(
                exclude={"kind", "actor", "at"}))]

        case RequestExtension():
            _require(state, (Status.ASSIGNED, Status.INVESTIGATED), "request an extension")
            _require_one_extension(state)
            if state.reopened:
                raise RuleViolationError(
                    "no extension after a reopening: the 7-working-day limit counts from receipt "
                    "(escalate instead)", rule="no_extension_after_reopen")
            assert state.deadline is not None
            if command.at >= state.deadline.due_at:
                raise RuleViolationError(
                    "the deadline has already passed; an extension must be requested before it "
                    "(escalate instead)")
            return [ExtensionRequested(**base, reason=command.reason)]

        case DecideExtension():
            if state.extension != ExtensionStatus.REQUESTED:
                raise IllegalStepError("there is no extension request awaiting a decision")
            _require(state, _HANDLING, "decide on an extension")
            if command.actor == state.extension_requested_by:
                raise RuleViolationError(
                    "four eyes: an extension must be approved by someone other than "
                    f"its requester ({state.extension_requested_by})", rule="four_eyes")
            if not command.approve:
                return [ExtensionRejected(**base, note=command.note)]
            assert state.received_at is not None
            extended = deadline_after(state.received_at, rules.policy.max_extended_working_days,
                                      rules.calendar, rules.policy)
            return [ExtensionApproved(**base, note=command.note),
                    DeadlineSet(**base, deadline=extended, reason="extension_approved")]

        case Escalate():
            _require_open(state, "escalate")
            return [CaseEscalated(**base, reason=command.reason, to=command.to,
                                  details=command.details)]

        case ReplyToClient():
            _require(state, (Status.INVESTIGATED,), "reply to the client",
                     hint="record the investigation findings first")
            _check_reply_rules(command, rules.policy)
            assert state.deadline is not None
            replied: list[ComplaintEvent] = [ClientReplied(
                **base, **command.model_dump(exclude={"kind", "actor", "at"}),
                within_deadline=command.at < state.deadline.due_at)]
            if state.extension == ExtensionStatus.REQUESTED:
                replied.append(ExtensionRequestLapsed(**base, reason="the client was replied to"))
            return replied

        case RecordFeedback():
            _require(state, (Status.REPLIED,), "record the client's feedback",
                     hint="reply to the client first")
            feedback = FeedbackRecorded(**base, satisfied=command.satisfied,
                                        opinion=command.opinion)
            if command.satisfied:
                return [feedback, CaseClosed(**base, reason=CloseReason.CLIENT_SATISFIED)]
            return [feedback, *_further_handling(state, command, rules)]

        case Withdraw():
            _require_open(state, "withdraw")
            return [ComplaintWithdrawn(**base, reason=command.reason),
                    CaseClosed(**base, reason=CloseReason.WITHDRAWN)]

        case AddNote():
            if state.status == Status.NEW:
                raise IllegalStepError("register the complaint before adding notes")
            return [NoteAdded(**base, text=command.text)]

        case RecordClientNotice():
            if any(n.notification_id == command.notification_id for n in state.client_notices):
                raise IllegalStepError("what became of this message is already recorded")
            return [ClientNoticeRecorded(**base, notice=command.notice,
                                         notification_id=command.notification_id,
                                         delivered=command.delivered, channel=command.channel,
                                         reason=command.reason)]

        case RecomputeDeadline():
            return _recompute(state, command, rules)

        case RaiseWarning():
            deadline = _clock_deadline(state)
            if state.warned_for == deadline.due_at:
                raise IllegalStepError("the warning for this deadline was already raised")
            return [DeadlineWarningRaised(**base, due_at=deadline.due_at,
                                          alerted=_handler_or_supervisor(state))]

        case RecordBreach():
            deadline = _clock_deadline(state)
            if state.breached:
                raise IllegalStepError("this deadline's breach is already recorded")
            if command.at < deadline.due_at:
                raise RuleViolationError("the deadline has not passed yet")
            alerted = (*_handler(state), address(Rung.SUPERVISOR, state.outlet))
            return [DeadlineBreached(**base, due_at=deadline.due_at, alerted=alerted,
                                     escalated_to=rules.policy.escalation_ladder[0])]

        case RemindFeedback():
            due = _feedback_times(state, rules)
            if due is None or due[0] is None:
                raise IllegalStepError("no feedback reminder is due: the case is not awaiting "
                                       "the client's opinion under a policy that reminds")
            assert state.reply is not None
            if state.feedback_reminded_for == state.reply.at:
                raise IllegalStepError("the handler was already reminded of this reply")
            if command.at < due[0]:
                raise RuleViolationError("the feedback reminder is not due yet")
            return [FeedbackReminderRaised(**base, replied_at=state.reply.at,
                                           alerted=_handler_or_supervisor(state))]

        case CloseForNoResponse():
            due = _feedback_times(state, rules)
            if due is None or due[1] is None:
                raise IllegalStepError("the case is not awaiting the client's opinion under a "
                                       "policy that closes without it")
            if command.at < due[1]:
                raise RuleViolationError("the no-response period has not passed yet")
            return [CaseClosed(**base, reason=CloseReason.NO_RESPONSE)]

        case EscalateOverdue():
            deadline = _clock_deadline(state)
            ladder = rules.policy.escalation_ladder
            if not state.breached or state.escalation_level >= len(ladder):
                raise IllegalStepError("no further escalation is due")
            rung = ladder[state.escalation_level]
            alerted = (*_handler(state), address(Rung.SUPERVISOR, state.outlet),
                       *(address(r, state.outlet) for r in ladder[: state.escalation_level + 1]))
            return [OverdueEscalated(**base, due_at=deadline.due_at,
                                     level=state.escalation_level + 1, escalated_to=rung,
                                     alerted=alerted)]
        case _:
            assert_never(command)


# -- alarms: what the case's own clock must do next, and when --


@dataclass(frozen=True)
class Alarm:
    at: datetime
    command: (type[RaiseWarning] | type[RecordBreach] | type[EscalateOverdue]
              | type[RemindFeedback] | type[CloseForNoResponse])


def next_alarm(state: ComplaintState, now: datetime, rules: Rules) -> Alarm | None:
    """The next clock command due for this case: the SLA clock's while it runs; after the
    reply, the feedback reminder and the no-response close (as the policy has them)."""
    after_reply = _feedback_times(state, rules)
    if after_reply is not None:
        remind_at, close_at = after_reply
        assert state.reply is not None
        if remind_at is not None and state.feedback_reminded_for != state.reply.at:
            return Alarm(remind_at, RemindFeedback)
        return Alarm(close_at, CloseForNoResponse) if close_at is not None else None
    deadline = state.deadline
    if not state.clock_running or deadline is None:
        return None
    if state.warned_for != deadline.due_at and not state.breached and now < deadline.due_at:
        return Alarm(deadline.warning_at, RaiseWarning)
    if not state.breached:
        return Alarm(deadline.due_at, RecordBreach)
    times = escalation_times(deadline, rules.calendar, rules.policy)
    if state.escalation_level < len(times):
        return Alarm(times[state.escalation_level], EscalateOverdue)
    return None


# -- helpers --


def _require(
    state: ComplaintState, allowed: tuple[Status, ...], action: str, *, hint: str | None = None
) -> None:
    if state.status not in allowed:
        message = f"cannot {action}: the complaint is {state.status.value}"
        raise IllegalStepError(f"{message}; {hint}" if hint else message)


def _feedback_times(state: ComplaintState, rules: Rules
                    ) -> tuple[datetime | None, datetime | None] | None:
    """(reminder, no-response close) for a replied case awaiting the client's opinion, counted
    in working days from the reply; None when it is not awaiting one."""
    if state.status != Status.REPLIED or state.reply is None:
        return None
    policy = rules.policy
    remind, close = policy.feedback_reminder_working_days, policy.no_response_close_working_days
    if remind is None and close is None:
        return None
    at = state.reply.at
    return (deadline_after(at, remind, rules.calendar, policy).warning_at if remind else None,
            deadline_after(at, close, rules.calendar, policy).due_at if close else None)


def _require_open(state: ComplaintState, action: str) -> None:
    if not state.status.is_open:
        raise IllegalStepError(f"cannot {action}: the complaint is {state.status.value}")


def _require_one_extension(state: ComplaintState) -> None:
    if state.extension == ExtensionStatus.REQUESTED:
        raise IllegalStepError("an extension request is already awaiting a decision")
    if state.extension != ExtensionStatus.NONE:
        raise RuleViolationError("a case can have at most one extension", rule="one_extension")


def _clock_deadline(state: ComplaintState) -> Deadline:
    if not state.clock_running or state.deadline is None:
        raise IllegalStepError("the SLA clock is not running for this case")
    return state.deadline


def _handler(state: ComplaintState) -> tuple[str, ...]:
    return (state.handler,) if state.handler else ()


def _handler_or_supervisor(state: ComplaintState) -> tuple[str, ...]:
    return _handler(state) or (address(Rung.SUPERVISOR, state.outlet),)


def _check_reply_rules(command: ReplyToClient, policy: SlaPolicy) -> None:
    if (command.method == ReplyMethod.PHONE and is_night_call(command.at, policy)
            and not (command.client_consented_to_call or command.urgent)):
        start, end = policy.phone_window
        raise RuleViolationError(
            f"no phone calls to clients outside {start:%H:%M}–{end:%H:%M} unless the client "
            "consented or it is urgent", rule="no_night_calls")
    if command.method in (ReplyMethod.LETTER, ReplyMethod.FAX) and not (
        command.confirmed_by_outlet_head
    ):
        raise RuleViolationError(
            "a letter or fax reply needs the outlet head's confirmation first",
            rule="letter_needs_outlet_head")
    if command.method == ReplyMethod.HOME_VISIT and len(set(command.visiting_staff)) < 2:
        raise RuleViolationError("a home visit is made by at least two staff",
                                 rule="home_visit_two_staff")


def _recompute(state: ComplaintState, command: RecomputeDeadline, rules: Rules
               ) -> list[ComplaintEvent]:
    """The deadline in force counted again on the changed calendar: an event only when the
    instant moved or a provisional deadline became definitive. A case whose breach is already
    recorded keeps its deadline (the breach stands), as does one whose clock has stopped."""
    if state.status == Status.NEW:
        raise IllegalStepError("the complaint is not registered yet")
    adopted = adopting(rules, command.calendar)
    if adopted is rules or not state.clock_running or state.deadline is None or state.breached:
        return []
    previous = state.deadline
    deadline = recomputed(previous, adopted.calendar, adopted.policy)
    if (deadline.due_at, deadline.provisional_years) == (previous.due_at,
                                                         previous.provisional_years):
        return []
    return [DeadlineRecomputed(actor=command.actor, at=command.at, previous=previous,
                               deadline=deadline, alerted=_handler_or_supervisor(state))]


def _further_handling(
    state: ComplaintState, command: RecordFeedback, rules: Rules
) -> list[ComplaintEvent]:
    base = {"actor": command.actor, "at": command.at}
    if command.follow_up is None:
        raise RuleViolationError(
            "the client is dissatisfied: choose a follow-up (reopen or escalate)")
    events: list[ComplaintEvent] = []
    if command.follow_up == "escalate":
        if not command.escalate_to:
            raise RuleViolationError("say to whom the case is escalated (escalate_to)")
        events.append(CaseEscalated(**base, reason=EscalationReason.CLIENT_DISSATISFIED,
                                    to=command.escalate_to, details=command.opinion))
    deadline = deadline_after(command.at, rules.policy.reply_working_days, rules.calendar,
                              rules.policy)
    events += [CaseReopened(**base, reason=command.opinion),
               DeadlineSet(**base, deadline=deadline, reason="reopened")]
    return events
