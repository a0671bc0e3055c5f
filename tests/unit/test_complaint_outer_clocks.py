"""Given / when / then for issue 15's clocks and steps: the regulator's outer clock beside the
working-day SLA, the satisfaction follow-up after closing, corrective actions on their own
clock, escalations a higher unit owns, media details."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import pytest

from domain.access import SLA_CLOCK, AccessDeniedError, Principal, Role, check_complaint_step
from domain.complaint import Rules, binding_deadline, has_work_left, next_alarm
from domain.complaint import commands as c
from domain.complaint.events import (
    CaseReopened,
    CorrectiveActionCompleted,
    DeadlineSet,
    FollowUpRecorded,
    RegulatoryDeadlineBreached,
)
from domain.complaint.model import CloseReason, FollowUpOutcome, Status
from domain.complaint.notifications import notifications_for
from domain.complaint.summary import summarize
from domain.errors import IllegalStepError, RuleViolationError
from domain.sla import SlaPolicy
from tests.complaint_fixtures import (
    RULES,
    SHANGHAI,
    T0,
    assign,
    at_fault,
    feedback,
    findings,
    given,
    register,
    reply,
    types,
    when,
)


def clock(kind: Callable[..., T], at: datetime) -> T:
    """A command of the case's own clock."""
    return kind(actor=SLA_CLOCK.name, at=at)

T = TypeVar("T")


def supervisor(at: datetime = T0 + timedelta(hours=1)) -> c.ExtendRegulatoryDeadline:
    return c.ExtendRegulatoryDeadline(actor="supervisor-1", at=at, reason="needs head office")


# -- the regulator's clock --

def test_the_regulators_clock_counts_fifteen_calendar_days_from_receipt() -> None:
    state = given(register(), assign())
    assert state.regulatory is not None and state.regulatory.days == 15
    # Received Wed 30 Sep: the 15th calendar day is 15 Oct, National Day holidays included.
    assert state.regulatory.due_at == datetime(2026, 10, 16, tzinfo=SHANGHAI)
    assert state.regulatory.warning_at == datetime(2026, 10, 12, 9, tzinfo=SHANGHAI)
    assert binding_deadline(state) == ("sla", datetime(2026, 10, 11, tzinfo=SHANGHAI))
    with pytest.raises(RuleViolationError, match="not run out yet"):
        when(state, clock(c.RecordRegulatoryBreach, datetime(2026, 10, 15, 23, tzinfo=SHANGHAI)))
    [warning] = when(state, clock(c.RaiseRegulatoryWarning, state.regulatory.warning_at))
    assert warning.type == "regulatory_warning_raised" and warning.alerted == ("officer-1",)
    [breach] = when(state, clock(c.RecordRegulatoryBreach, state.regulatory.due_at))
    assert isinstance(breach, RegulatoryDeadlineBreached)
    assert breach.alerted == ("officer-1", "supervisor@outlet-9",
                              "service_management_department@outlet-9")
    [sent] = notifications_for(state, [breach], "complaint-C1")
    assert sent.kind == "regulatory_breach"


def test_the_regulators_clock_stops_at_the_first_reply_and_stays_stopped() -> None:
    replied = given(register(), assign(), findings(), reply())
    assert not replied.regulatory_running and binding_deadline(replied) is None
    reopened = given(register(), assign(), findings(), reply(), feedback(False, follow_up="reopen"))
    assert reopened.clock_running and not reopened.regulatory_running
    assert binding_deadline(reopened) == ("sla", reopened.deadline.due_at)  # type: ignore[union-attr]
    with pytest.raises(IllegalStepError, match="regulator's clock is not running"):
        when(reopened, clock(c.RaiseRegulatoryWarning, T0 + timedelta(days=12)))


def test_over_a_long_holiday_the_regulators_clock_binds_first_and_breaches() -> None:
    """Received on the Friday before the 2026 Spring Festival, extended to 7 working days: the
    working-day deadline (end of 2 March) is met by a reply on 1 March, while the regulator's 15
    calendar days ended with 28 February and breached."""
    received = datetime(2026, 2, 13, 10, tzinfo=SHANGHAI)
    steps = (register(at=received, received_at=received), assign(at=received),
             c.RequestExtension(actor="officer-1", at=received, reason="records"),
             c.DecideExtension(actor="supervisor-1", at=received, approve=True))
    extended = given(*steps)
    assert extended.deadline is not None and extended.regulatory is not None
    assert extended.deadline.due_at == datetime(2026, 3, 3, tzinfo=SHANGHAI)
    assert extended.regulatory.due_at == datetime(2026, 3, 1, tzinfo=SHANGHAI)
    assert binding_deadline(extended) == ("regulatory", extended.regulatory.due_at)
    alarm = next_alarm(extended, received, RULES)
    assert alarm is not None and alarm.command is c.RaiseRegulatoryWarning
    breached = given(*steps, clock(c.RaiseRegulatoryWarning, alarm.at),
                     clock(c.RecordRegulatoryBreach, extended.regulatory.due_at))
    assert breached.regulatory_breached and not breached.breached
    march_first = datetime(2026, 3, 1, 10, tzinfo=SHANGHAI)
    done = given(*steps, clock(c.RaiseRegulatoryWarning, alarm.at),
                 clock(c.RecordRegulatoryBreach, extended.regulatory.due_at),
                 findings(at=march_first), reply(at=march_first))
    assert done.reply is not None and done.reply.within_deadline  # the SLA was met
    row = summarize(done)
    assert row.regulatory_breached and not row.ever_breached


def test_the_working_day_clock_breaches_while_the_regulators_is_met() -> None:
    state = given(register(), assign())
    assert state.deadline is not None
    late = given(register(), assign(), clock(c.RecordBreach, state.deadline.due_at),
                 findings(at=T0 + timedelta(days=12)), reply(at=T0 + timedelta(days=12)))
    assert late.ever_breached and not late.regulatory_breached
    assert late.reply is not None and not late.reply.within_deadline
    assert not late.regulatory_running  # replied on day 12 of 15


def test_a_supervisor_extends_the_regulators_clock_once_before_it_ends() -> None:
    state = given(register(), assign())
    [extended] = when(state, supervisor())
    assert extended.type == "regulatory_deadline_set" and extended.reason == "extended"
    assert extended.due_at == datetime(2026, 10, 31, tzinfo=SHANGHAI)  # 30 calendar days
    with pytest.raises(RuleViolationError) as refused:
        when(given(register(), assign(), supervisor()), supervisor())
    assert refused.value.rule == "one_regulatory_extension"
    with pytest.raises(RuleViolationError, match="already run out"):
        when(state, supervisor(at=datetime(2026, 10, 16, 1, tzinfo=SHANGHAI)))
    officer = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet="outlet-9")
    with pytest.raises(AccessDeniedError, match="only a supervisor"):
        check_complaint_step(officer, "officer-1", "outlet-9", "extend_regulatory_deadline")


def test_cases_under_earlier_policies_have_no_outer_clocks() -> None:
    earlier = SlaPolicy.model_validate({"version": "sla-2026.3"})
    assert earlier.regulatory_days is None and earlier.satisfaction_follow_up_working_days is None
    assert not earlier.corrective_actions_followed and not earlier.media_details_required
    assert earlier.feedback_reminder_working_days == 2  # what sla-2026.3 brought stays
    rules = Rules(calendar=RULES.calendar, policy=earlier)
    from domain.complaint import COMPLAINT
    from tests.deciding import Spec
    old = Spec(COMPLAINT, rules)
    closed = old.given(register(), assign(), findings(True, corrective_action="retrain",
                                                      corrective_action_owner="head-9"),
                       reply(), feedback(True))
    assert closed.regulatory is None and closed.corrective_actions == ()
    assert next_alarm(closed, T0, rules) is None and not has_work_left(closed, rules)
    with pytest.raises(ValueError, match="extended period"):
        SlaPolicy(regulatory_days=15, regulatory_extended_days=10)


# -- the satisfaction follow-up after closing --

CLOSED = (register(), assign(), findings(), reply(), feedback(True))


def test_the_follow_up_falls_due_five_working_days_after_the_close() -> None:
    closed = given(*CLOSED)
    assert closed.status == Status.CLOSED and has_work_left(closed, RULES)
    alarm = next_alarm(closed, T0, RULES)
    assert alarm is not None and alarm.command is c.RaiseFollowUpDue
    # Closed Wed 30 Sep: National Day, then 8, 9, 10 (the make-up Saturday), 12 and 13 Oct.
    assert alarm.at == datetime(2026, 10, 13, 9, tzinfo=SHANGHAI)
    with pytest.raises(RuleViolationError, match="not due yet"):
        when(closed, clock(c.RaiseFollowUpDue, alarm.at - timedelta(minutes=1)))
    [due] = when(closed, clock(c.RaiseFollowUpDue, alarm.at))
    assert due.type == "satisfaction_follow_up_due" and due.assigned_to == ("officer-1",)
    pending = given(*CLOSED, clock(c.RaiseFollowUpDue, alarm.at))
    assert pending.follow_up_pending and summarize(pending).follow_up_pending
    assert next_alarm(pending, alarm.at, RULES) is None and has_work_left(pending, RULES)


def follow_up(outcome: FollowUpOutcome, **kw: Any) -> c.RecordFollowUp:
    return c.RecordFollowUp(actor="officer-1", at=datetime(2026, 10, 13, 10, tzinfo=SHANGHAI),
                            outcome=outcome, opinion="回访", **kw)


DUE = clock(c.RaiseFollowUpDue, datetime(2026, 10, 13, 9, tzinfo=SHANGHAI))


def test_a_follow_up_outcome_on_a_case_not_due_one_is_refused() -> None:
    for state in (given(register(), assign()), given(*CLOSED)):
        with pytest.raises(IllegalStepError) as refused:
            when(state, follow_up(FollowUpOutcome.SATISFIED))
        assert refused.value.rule == "no_follow_up_due"
    done = given(*CLOSED, DUE, follow_up(FollowUpOutcome.SATISFIED))
    with pytest.raises(IllegalStepError, match="no satisfaction follow-up"):
        when(done, follow_up(FollowUpOutcome.SATISFIED))


@pytest.mark.parametrize("outcome", [FollowUpOutcome.SATISFIED, FollowUpOutcome.UNREACHABLE])
def test_a_satisfied_or_unreachable_client_ends_the_case(outcome: FollowUpOutcome) -> None:
    [recorded] = when(given(*CLOSED, DUE), follow_up(outcome))
    assert isinstance(recorded, FollowUpRecorded) and recorded.outcome == outcome
    done = given(*CLOSED, DUE, follow_up(outcome))
    assert done.follow_up_outcome == outcome and not done.follow_up_pending
    assert not has_work_left(done, RULES) and next_alarm(done, T0, RULES) is None
    with pytest.raises(RuleViolationError, match="only a dissatisfied"):
        when(given(*CLOSED, DUE), follow_up(outcome, follow_up="reopen"))


def test_a_dissatisfied_client_reopens_the_case_and_is_told_the_new_time() -> None:
    pending = given(*CLOSED, DUE)
    with pytest.raises(RuleViolationError, match="choose a follow-up"):
        when(pending, follow_up(FollowUpOutcome.NOT_SATISFIED))
    events = when(pending, follow_up(FollowUpOutcome.NOT_SATISFIED, follow_up="reopen"))
    assert types(events) == ["follow_up_recorded", "case_reopened", "deadline_set"]
    assert isinstance(events[1], CaseReopened) and isinstance(events[2], DeadlineSet)
    reopened = given(*CLOSED, DUE, follow_up(FollowUpOutcome.NOT_SATISFIED, follow_up="reopen"))
    assert reopened.status == Status.ASSIGNED and reopened.close_reason is None
    assert reopened.closed_at is None and reopened.clock_running
    told = notifications_for(reopened, events, "complaint-C1")
    assert [n.kind for n in told] == ["case_reopened"]
    assert told[0].facts["reply_by"] == events[2].deadline.due_at.isoformat()
    escalated = when(pending, follow_up(FollowUpOutcome.NOT_SATISFIED, follow_up="escalate",
                                        escalate_to="branch-sh-csm"))
    assert types(escalated) == ["follow_up_recorded", "case_escalated", "case_reopened",
                                "deadline_set"]


def test_withdrawn_and_on_the_spot_cases_are_not_followed_up() -> None:
    withdrawn = given(register(), c.Withdraw(actor="lobby-1", at=T0, reason="resolved"))
    spot = given(register(), c.ResolveOnSpot(actor="lobby-1", at=T0, resolution="explained"))
    for state in (withdrawn, spot):
        assert state.close_reason in (CloseReason.WITHDRAWN, CloseReason.RESOLVED_ON_SPOT)
        assert next_alarm(state, T0, RULES) is None and not has_work_left(state, RULES)


# -- corrective actions --

def test_a_corrective_action_keeps_its_own_clock_after_the_case_closes() -> None:
    fault = at_fault(corrective_action_due=date(2026, 10, 20))
    closed = given(register(), assign(), fault, reply(), feedback(True))
    [action] = closed.open_corrective_actions
    assert action.due_at == datetime(2026, 10, 21, tzinfo=SHANGHAI) and action.owner == "head-9"
    row = summarize(closed)
    assert row.open_corrective_actions == 1 and row.corrective_action_owner == "head-9"
    # The follow-up (13 Oct) comes first, then the action's due date.
    follow = given(register(), assign(), fault, reply(), feedback(True), DUE,
                   follow_up(FollowUpOutcome.SATISFIED))
    assert has_work_left(follow, RULES)
    alarm = next_alarm(follow, T0, RULES)
    assert alarm is not None and (alarm.command, alarm.at) == (c.MarkCorrectiveActionOverdue,
                                                                action.due_at)
    [overdue] = when(follow, clock(c.MarkCorrectiveActionOverdue, action.due_at))
    assert overdue.type == "corrective_action_overdue"
    assert overdue.alerted == ("head-9", "supervisor@outlet-9")
    late = given(register(), assign(), fault, reply(), feedback(True), DUE,
                 follow_up(FollowUpOutcome.SATISFIED),
                 clock(c.MarkCorrectiveActionOverdue, action.due_at))
    assert summarize(late).corrective_action_overdue and next_alarm(late, T0, RULES) is None
    done_at = action.due_at + timedelta(days=2)
    [completed] = when(late, c.CompleteCorrectiveAction(actor="head-9", at=done_at, number=1,
                                                        outcome="staff retrained"))
    assert isinstance(completed, CorrectiveActionCompleted) and not completed.on_time
    finished = given(register(), assign(), fault, reply(), feedback(True), DUE,
                     follow_up(FollowUpOutcome.SATISFIED),
                     clock(c.MarkCorrectiveActionOverdue, action.due_at),
                     c.CompleteCorrectiveAction(actor="head-9", at=done_at, number=1,
                                                outcome="staff retrained"))
    assert not has_work_left(finished, RULES) and summarize(finished).open_corrective_actions == 0
    with pytest.raises(IllegalStepError, match="already done"):
        when(finished, c.CompleteCorrectiveAction(actor="head-9", at=done_at, number=1,
                                                  outcome="again"))
    with pytest.raises(IllegalStepError, match="no corrective action 2"):
        when(finished, c.CompleteCorrectiveAction(actor="head-9", at=done_at, number=2,
                                                  outcome="?"))


def test_a_corrective_action_due_before_it_was_set_is_refused() -> None:
    with pytest.raises(RuleViolationError) as refused:
        when(given(register(), assign()), at_fault(corrective_action_due=date(2026, 9, 29)))
    assert refused.value.rule == "corrective_action_due_in_past"


# -- escalations a higher unit owns --

CSM = Principal(name="csm-1", role=Role.SUPERVISOR, outlet="branch-sh-csm")
OFFICER = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet="outlet-9")
ESCALATE = c.Escalate(actor="officer-1", at=T0, reason="beyond_authority", to="branch-sh-csm",
                      details="a refund above the outlet's authority")


def test_the_unit_escalated_to_holds_the_case_accepts_it_and_answers() -> None:
    escalated = given(register(), assign(), ESCALATE)
    assert escalated.held_by == "branch-sh-csm" and summarize(escalated).held_by == "branch-sh-csm"
    with pytest.raises(IllegalStepError, match="accept it first"):
        when(escalated, c.AnswerEscalation(actor="csm-1", at=T0, answer="refund"))
    [accepted] = when(escalated, c.AcceptEscalation(actor="csm-1", at=T0))
    assert accepted.type == "escalation_accepted" and accepted.unit == "branch-sh-csm"
    taken = given(register(), assign(), ESCALATE, c.AcceptEscalation(actor="csm-1", at=T0))
    assert taken.escalation_accepted_by == "csm-1"
    with pytest.raises(IllegalStepError, match="already accepted"):
        when(taken, c.AcceptEscalation(actor="csm-1", at=T0))
    answered = given(register(), assign(), ESCALATE, c.AcceptEscalation(actor="csm-1", at=T0),
                     c.AnswerEscalation(actor="csm-1", at=T0, answer="refund the fee"))
    assert answered.held_by is None and answered.escalation_answer is not None
    assert answered.escalation_answer.answer == "refund the fee"
    with pytest.raises(IllegalStepError, match="not escalated"):
        when(answered, c.AcceptEscalation(actor="csm-1", at=T0))


def test_only_the_holding_unit_accepts_and_its_staff_may_act_on_the_case() -> None:
    check_complaint_step(CSM, "csm-1", "outlet-9", "accept_escalation", holder="branch-sh-csm")
    check_complaint_step(CSM, "csm-1", "outlet-9", "add_note", holder="branch-sh-csm")
    with pytest.raises(AccessDeniedError, match="not within"):
        check_complaint_step(OFFICER, "officer-1", "outlet-9", "accept_escalation",
                             holder="branch-sh-csm")
    with pytest.raises(AccessDeniedError, match="not within"):
        check_complaint_step(CSM, "csm-1", "outlet-9", "add_note")  # not escalated to it
    with pytest.raises(AccessDeniedError) as refused:
        check_complaint_step(OFFICER, "officer-1", "outlet-9", "accept_escalation")
    assert refused.value.rule == "not_escalated"


def test_a_closed_case_is_no_longer_held_by_the_unit_it_was_escalated_to() -> None:
    closed = given(register(), assign(), ESCALATE, findings(), reply(), feedback(True))
    assert closed.status == Status.CLOSED and closed.held_by is None
    with pytest.raises(AccessDeniedError, match="not within"):
        check_complaint_step(CSM, "csm-1", "outlet-9", "add_note", holder=closed.held_by)
    with pytest.raises(IllegalStepError, match="closed"):
        when(closed, c.AcceptEscalation(actor="csm-1", at=T0))


def test_findings_recorded_again_open_no_second_corrective_action() -> None:
    once = given(register(), assign(), at_fault())
    with pytest.raises(RuleViolationError) as refused:
        when(once, at_fault())
    assert refused.value.rule == "corrective_action_open"
    assert [e.type for e in when(once, findings())] == ["findings_recorded"]  # not at fault
