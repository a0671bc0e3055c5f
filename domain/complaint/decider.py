"""`decide`: turn a command into events, or raise a DomainError an officer understands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, assert_never
from zoneinfo import ZoneInfo

from domain.calendar import BusinessCalendar
from domain.complaint.commands import (
    AcceptEscalation,
    AcknowledgeClient,
    AddNote,
    AnswerEscalation,
    AssignHandler,
    CloseForNoResponse,
    Command,
    CompleteCorrectiveAction,
    DecideExtension,
    Escalate,
    EscalateOverdue,
    ExtendRegulatoryDeadline,
    MarkCorrectiveActionOverdue,
    RaiseFollowUpDue,
    RaiseRegulatoryWarning,
    RaiseWarning,
    RecomputeDeadline,
    RecordBreach,
    RecordClientNotice,
    RecordFeedback,
    RecordFindings,
    RecordFollowUp,
    RecordRegulatoryBreach,
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
    FOLLOWED_UP_CLOSES,
    Channel,
    CloseReason,
    EscalationReason,
    ExtensionStatus,
    FollowUpOutcome,
    ReplyMethod,
    Status,
)
from domain.complaint.state import ComplaintState, CorrectiveAction
from domain.errors import IllegalStepError, RuleViolationError
from domain.sla import (
    Deadline,
    Rung,
    SlaPolicy,
    deadline_after,
    end_of_local_day,
    escalation_times,
    is_night_call,
    local_date,
    recomputed,
    regulatory_period,
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
            registered: list[ComplaintEvent] = [
                ComplaintRegistered(**base, **fields),
                DeadlineSet(**base, deadline=deadline, reason="registered")]
            if rules.policy.regulatory_days is not None:
                registered.append(_regulatory_deadline(
                    base, command.received_at, rules.policy.regulatory_days, rules.policy,
                    "registered"))
            return registered

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
            findings = FindingsRecorded(**base, **command.model_dump(
                exclude={"kind", "actor", "at", "corrective_action_due"}))
            if not (command.bank_at_fault and rules.policy.corrective_actions_followed):
                return [findings]
            opened_now = [a for a in state.open_corrective_actions
                          if state.findings is not None and a.opened_at >= state.findings.at]
            if opened_now:
                raise RuleViolationError(
                    f"these findings already opened corrective action {opened_now[0].number}, "
                    "still open: complete it before recording another",
                    rule="corrective_action_open")
            return [findings, _corrective_action(state, command, rules.policy)]

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
            media = command.reason == EscalationReason.MEDIA_ATTENTION
            if media and command.media is None and rules.policy.media_details_required:
                raise RuleViolationError(
                    "media attention: record the media outlet, the journalist's questions and "
                    "who was informed", rule="media_details_required")
            if command.media is not None and not media:
                raise RuleViolationError("media details belong to a media-attention escalation")
            return [CaseEscalated(**base, reason=command.reason, to=command.to,
                                  details=command.details, media=command.media)]

        case AcceptEscalation():
            _require_open(state, "accept an escalation")
            if state.held_by is None:
                raise IllegalStepError("the case is not escalated to a unit")
            if state.escalation_accepted_by is not None:
                raise IllegalStepError(
                    f"{state.escalation_accepted_by} has already accepted the escalation")
            return [EscalationAccepted(**base, unit=state.held_by)]

        case AnswerEscalation():
            _require_open(state, "answer an escalation")
            if state.held_by is None:
                raise IllegalStepError("the case is not escalated to a unit")
            if state.escalation_accepted_by is None:
                raise IllegalStepError(f"{state.held_by} has not accepted the escalation yet; "
                                       "accept it first")
            return [EscalationAnswered(**base, unit=state.held_by, answer=command.answer)]

        case ExtendRegulatoryDeadline():
            regulatory = _regulatory_clock(state)
            if regulatory.reason == "extended":
                raise RuleViolationError("the regulator's period can be extended once",
                                         rule="one_regulatory_extension")
            if command.at >= regulatory.due_at:
                raise RuleViolationError("the regulator's period has already run out; it is "
                                         "extended before it ends")
            assert state.received_at is not None
            return [_regulatory_deadline(base, state.received_at,
                                         rules.policy.regulatory_extended_days, rules.policy,
                                         "extended", note=command.reason)]

        case RecordFollowUp():
            if not state.follow_up_pending:
                raise IllegalStepError(
                    "no satisfaction follow-up is due on this case", rule="no_follow_up_due")
            recorded = FollowUpRecorded(**base, outcome=command.outcome,
                                        opinion=command.opinion)
            if command.outcome != FollowUpOutcome.NOT_SATISFIED:
                if command.follow_up is not None:
                    raise RuleViolationError("only a dissatisfied client's follow-up reopens or "
                                             "escalates the case")
                return [recorded]
            return [recorded, *_further_handling(state, base, command.follow_up,
                                                 command.escalate_to, command.opinion, rules)]

        case CompleteCorrectiveAction():
            if state.status == Status.NEW:
                raise IllegalStepError("the complaint is not registered yet")
            action = next((a for a in state.corrective_actions
                           if a.number == command.number), None)
            if action is None:
                raise IllegalStepError(f"the case has no corrective action {command.number}")
            if not action.open:
                raise IllegalStepError(f"corrective action {command.number} is already done")
            return [CorrectiveActionCompleted(**base, number=action.number,
                                              outcome=command.outcome,
                                              on_time=command.at < action.due_at)]

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
            return [feedback, *_further_handling(state, base, command.follow_up,
                                                 command.escalate_to, command.opinion, rules)]

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

        case RaiseRegulatoryWarning():
            regulatory = _regulatory_clock(state)
            if state.regulatory_warned or state.regulatory_breached:
                raise IllegalStepError("the regulator's clock has already warned")
            return [RegulatoryWarningRaised(**base, due_at=regulatory.due_at,
                                            alerted=_handler_or_supervisor(state))]

        case RecordRegulatoryBreach():
            regulatory = _regulatory_clock(state)
            if state.regulatory_breached:
                raise IllegalStepError("the regulator's period is already recorded as run out")
            if command.at < regulatory.due_at:
                raise RuleViolationError("the regulator's period has not run out yet")
            alerted = (*_handler(state), address(Rung.SUPERVISOR, state.outlet),
                       address(Rung.SERVICE_MANAGEMENT, state.outlet))
            return [RegulatoryDeadlineBreached(**base, due_at=regulatory.due_at,
                                               alerted=alerted)]

        case RaiseFollowUpDue():
            follow_up_at = _follow_up_time(state, rules)
            if follow_up_at is None:
                raise IllegalStepError("no satisfaction follow-up is expected of this case")
            if command.at < follow_up_at:
                raise RuleViolationError("the satisfaction follow-up is not due yet")
            assert state.closed_at is not None
            return [SatisfactionFollowUpDue(**base, closed_at=state.closed_at,
                                            assigned_to=_handler_or_supervisor(state))]

        case MarkCorrectiveActionOverdue():
            action = _next_overdue_action(state)
            if action is None or command.at < action.due_at:
                raise IllegalStepError("no corrective action is overdue")
            return [CorrectiveActionOverdue(
                **base, number=action.number, due_at=action.due_at,
                alerted=(action.owner, address(Rung.SUPERVISOR, state.outlet)))]

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
              | type[RemindFeedback] | type[CloseForNoResponse] | type[RaiseRegulatoryWarning]
              | type[RecordRegulatoryBreach] | type[RaiseFollowUpDue]
              | type[MarkCorrectiveActionOverdue])


def next_alarm(state: ComplaintState, now: datetime, rules: Rules) -> Alarm | None:
    """The first alarm due of the case's clocks, each on its own: the SLA clock (and after the
    reply, the feedback reminder and the no-response close), the regulator's clock, the
    satisfaction follow-up after closing, and each corrective action's due date."""
    alarms = [alarm for alarm in (_sla_alarm(state, now, rules), _regulatory_alarm(state, now),
                                  _follow_up_alarm(state, rules), _corrective_alarm(state))
              if alarm is not None]
    return min(alarms, key=lambda alarm: alarm.at) if alarms else None


def has_work_left(state: ComplaintState, rules: Rules) -> bool:
    """Whether the case's workflow goes on: the case is open, or once closed a satisfaction
    follow-up is expected or pending, or a corrective action is still open."""
    if state.status != Status.CLOSED:
        return True
    return bool(state.open_corrective_actions) or state.follow_up_pending or (
        _follow_up_time(state, rules) is not None)


def binding_deadline(state: ComplaintState) -> tuple[str, datetime] | None:
    """The running clock that runs out first, ("sla" | "regulatory", due): what the case view
    and the worklist show."""
    running = []
    if state.clock_running and state.deadline is not None:
        running.append(("sla", state.deadline.due_at))
    if state.regulatory_running and state.regulatory is not None:
        running.append(("regulatory", state.regulatory.due_at))
    return min(running, key=lambda clock: clock[1]) if running else None


def _regulatory_alarm(state: ComplaintState, now: datetime) -> Alarm | None:
    regulatory = state.regulatory
    if not state.regulatory_running or regulatory is None or state.regulatory_breached:
        return None
    if not state.regulatory_warned and now < regulatory.due_at:
        return Alarm(regulatory.warning_at, RaiseRegulatoryWarning)
    return Alarm(regulatory.due_at, RecordRegulatoryBreach)


def _follow_up_alarm(state: ComplaintState, rules: Rules) -> Alarm | None:
    due = _follow_up_time(state, rules)
    return Alarm(due, RaiseFollowUpDue) if due is not None else None


def _corrective_alarm(state: ComplaintState) -> Alarm | None:
    action = _next_overdue_action(state)
    return Alarm(action.due_at, MarkCorrectiveActionOverdue) if action is not None else None


def _sla_alarm(state: ComplaintState, now: datetime, rules: Rules) -> Alarm | None:
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


def _follow_up_time(state: ComplaintState, rules: Rules) -> datetime | None:
    """When the satisfaction follow-up of the current close falls due (the warning time of
    the policy's working day after it), while it has not fallen due yet."""
    days = rules.policy.satisfaction_follow_up_working_days
    if (days is None or state.status != Status.CLOSED or state.closed_at is None
            or state.close_reason not in FOLLOWED_UP_CLOSES
            or state.follow_up_due_for == state.closed_at):
        return None
    return deadline_after(state.closed_at, days, rules.calendar, rules.policy).warning_at


def _next_overdue_action(state: ComplaintState) -> CorrectiveAction | None:
    waiting = [a for a in state.open_corrective_actions if not a.overdue]
    return min(waiting, key=lambda a: (a.due_at, a.number)) if waiting else None


def _regulatory_clock(state: ComplaintState) -> RegulatoryDeadlineSet:
    if not state.regulatory_running or state.regulatory is None:
        raise IllegalStepError("the regulator's clock is not running for this case")
    return state.regulatory


def _regulatory_deadline(base: dict[str, Any], received_at: datetime, days: int,
                         policy: SlaPolicy, reason: Literal["registered", "extended"],
                         note: str | None = None) -> RegulatoryDeadlineSet:
    due_at, warning_at = regulatory_period(received_at, days, policy)
    return RegulatoryDeadlineSet(**base, due_at=due_at, warning_at=warning_at, days=days,
                                 reason=reason, note=note)


def _corrective_action(state: ComplaintState, command: RecordFindings, policy: SlaPolicy
                       ) -> CorrectiveActionOpened:
    """The fault's record is complete and its corrective action gets a clock of its own."""
    missing = [label for label, value in (
        ("the responsible person or department (responsible)", command.responsible),
        ("the apology made (apology)", command.apology),
        ("the correction for the client (remedy)", command.remedy),
        ("the corrective action's due date (corrective_action_due)",
         command.corrective_action_due)) if value is None]
    if missing:
        raise RuleViolationError("the bank is at fault: record " + ", ".join(missing),
                                 rule="fault_record_incomplete")
    assert command.corrective_action_due is not None
    assert command.corrective_action and command.corrective_action_owner
    today = local_date(command.at, ZoneInfo(policy.time_zone))
    if command.corrective_action_due < today:
        raise RuleViolationError(
            f"the corrective action cannot be due ({command.corrective_action_due}) before it "
            f"is set ({today})", rule="corrective_action_due_in_past")
    return CorrectiveActionOpened(
        actor=command.actor, at=command.at, number=len(state.corrective_actions) + 1,
        action=command.corrective_action, owner=command.corrective_action_owner,
        due_at=end_of_local_day(command.corrective_action_due, policy))


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
    state: ComplaintState, base: dict[str, Any], follow_up: str | None,
    escalate_to: str | None, opinion: str, rules: Rules,
) -> list[ComplaintEvent]:
    """A dissatisfied client's case is reopened (and escalated, if so chosen) with a new
    deadline, after the reply's feedback or the follow-up after closing."""
    if follow_up is None:
        raise RuleViolationError(
            "the client is dissatisfied: choose a follow-up (reopen or escalate)")
    events: list[ComplaintEvent] = []
    if follow_up == "escalate":
        if not escalate_to:
            raise RuleViolationError("say to whom the case is escalated (escalate_to)")
        events.append(CaseEscalated(**base, reason=EscalationReason.CLIENT_DISSATISFIED,
                                    to=escalate_to, details=opinion))
    deadline = deadline_after(base["at"], rules.policy.reply_working_days, rules.calendar,
                              rules.policy)
    events += [CaseReopened(**base, reason=opinion),
               DeadlineSet(**base, deadline=deadline, reason="reopened")]
    return events
