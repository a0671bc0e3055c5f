"""Given / when / then for every complaint command, legal and illegal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import pytest

from domain.access import CALENDAR, SLA_CLOCK
from domain.calendar import BusinessCalendar, Holiday, YearSchedule
from domain.complaint import COMPLAINT, Rules, adopting, fold, initial_state, next_alarm
from domain.complaint import commands as c
from domain.complaint.events import DeadlineRecomputed, DeadlineWarningRaised
from domain.complaint.model import (
    Channel,
    ClientTier,
    CloseReason,
    ExtensionStatus,
    MediaDetails,
    Status,
)
from domain.errors import IllegalStepError, RuleViolationError
from domain.sla import SlaPolicy
from tests.complaint_fixtures import (
    RULES,
    SHANGHAI,
    T0,
    assign,
    feedback,
    findings,
    given,
    register,
    reply,
    types,
    when,
)
from tests.deciding import Spec

T = TypeVar("T")
STEPS_TO_INVESTIGATED = (register(), assign(), findings())
SLA_ONLY = Spec(COMPLAINT, Rules(calendar=RULES.calendar,
                                 policy=SlaPolicy(regulatory_days=None)))
"""A policy without the regulator's outer clock."""


def clock(kind: Callable[..., T], at: datetime) -> T:
    return kind(actor=SLA_CLOCK.name, at=at)


# -- register --

def test_register_records_the_case_and_its_deadline() -> None:
    events = when(initial_state(), register())
    assert types(events) == ["complaint_registered", "deadline_set", "regulatory_deadline_set"]
    state = given(register())
    assert state.status == Status.REGISTERED and state.version == 3
    assert state.deadline is not None and state.deadline.due_date == date(2026, 10, 10)
    assert state.registered_by == "lobby-1"


def test_register_twice_is_illegal() -> None:
    with pytest.raises(IllegalStepError, match="already registered"):
        when(given(register()), register())


def test_register_in_the_future_is_refused() -> None:
    with pytest.raises(RuleViolationError, match="later than the registration"):
        when(initial_state(), register(received_at=T0 + timedelta(hours=1)))


def test_register_in_an_uncovered_year_gives_a_provisional_deadline() -> None:
    """Never refused for lack of calendar data: the deadline says it is provisional, and so
    does the acknowledgement."""
    late = datetime(2026, 12, 30, 10, tzinfo=SHANGHAI)
    state = given(register(at=late, received_at=late))
    assert state.deadline is not None and state.deadline.provisional_years == (2027,)
    [ack] = when(state, c.AcknowledgeClient(actor=SLA_CLOCK.name, at=late))
    assert ack.type == "client_acknowledged" and ack.provisional_years == (2027,)


def _calendar_2027(revision: int = 1, *holidays: tuple[date, date]) -> BusinessCalendar:
    year = YearSchedule(year=2027, holidays=tuple(
        Holiday(name=f"h{n}", first=a, last=b) for n, (a, b) in enumerate(holidays)))
    return year.calendar(f"test+bank-r{revision}", revision)


NEW_YEAR = (date(2027, 1, 1), date(2027, 1, 3))


def recompute(calendar: BusinessCalendar, at: datetime) -> c.RecomputeDeadline:
    return c.RecomputeDeadline(actor=CALENDAR.name, at=at, calendar=calendar)


def test_the_new_years_calendar_moves_a_provisional_deadline() -> None:
    late = datetime(2026, 12, 29, 10, tzinfo=SHANGHAI)
    state = given(register(at=late, received_at=late), assign(at=late))
    [event] = when(state, recompute(_calendar_2027(1, NEW_YEAR), late))
    assert isinstance(event, DeadlineRecomputed)
    assert event.previous.due_date == date(2027, 1, 1) and event.previous.provisional
    assert event.deadline.due_date == date(2027, 1, 4) and not event.deadline.provisional
    assert event.previous.calendar_version == RULES.calendar.version
    assert event.deadline.calendar_version == "test+bank-r1"
    assert event.alerted == ("officer-1",)


def test_a_change_records_a_definitive_deadline_and_nothing_for_untouched_cases() -> None:
    late = datetime(2026, 12, 29, 10, tzinfo=SHANGHAI)
    state = given(register(at=late, received_at=late))
    [event] = when(state, recompute(_calendar_2027(1, (date(2027, 3, 1), date(2027, 3, 1))),
                                    late))
    assert isinstance(event, DeadlineRecomputed)  # same day, definitive now
    assert event.deadline.due_date == event.previous.due_date and not event.deadline.provisional
    settled = given(register())  # due 2026-10-10: 2027 changes nothing of it
    assert when(settled, recompute(_calendar_2027(1, NEW_YEAR), T0)) == []


def test_a_revision_the_case_holds_and_a_recorded_breach_are_kept() -> None:
    late = datetime(2026, 12, 29, 10, tzinfo=SHANGHAI)
    moved = adopting(RULES, _calendar_2027(2, NEW_YEAR))
    state = given(register(at=late, received_at=late))
    assert COMPLAINT.decide(state, recompute(_calendar_2027(2, NEW_YEAR), late), moved) == []
    breached = given(register(at=late, received_at=late),
                     clock(c.RecordBreach, datetime(2027, 1, 2, tzinfo=SHANGHAI)))
    assert breached.breached
    assert when(breached, recompute(_calendar_2027(1, NEW_YEAR), late)) == []


def test_a_deadline_moved_earlier_than_a_raised_warning_warns_again() -> None:
    """Removing a holiday brings the deadline forward past the warning already raised: the
    clock acts at once on the new instant (here it has passed: the breach is due now, and
    alerts the handler and supervisor)."""
    late = datetime(2026, 12, 29, 10, tzinfo=SHANGHAI)
    long = _calendar_2027(1, (date(2027, 1, 1), date(2027, 1, 5)))  # due Wednesday 6 Jan
    state = given(register(at=late, received_at=late), assign(at=late))
    state = fold(when(state, recompute(long, late)), state)
    assert state.deadline is not None and state.deadline.due_date == date(2027, 1, 6)
    warned_at = datetime(2027, 1, 6, 9, 30, tzinfo=SHANGHAI)
    state = fold(when(state, clock(c.RaiseWarning, warned_at)), state)
    shorter = _calendar_2027(2, NEW_YEAR)  # due Monday 4 Jan: already past at 6 Jan 09:30
    rules = adopting(RULES, long)
    state = fold(list(COMPLAINT.decide(state, recompute(shorter, warned_at), rules)), state)
    assert state.deadline is not None and state.deadline.due_date == date(2027, 1, 4)
    alarm = next_alarm(state, warned_at, adopting(rules, shorter))
    assert alarm is not None and alarm.command is c.RecordBreach and alarm.at <= warned_at


def test_acknowledgement_once_with_expected_time() -> None:
    state = given(register())
    ack = c.AcknowledgeClient(actor=SLA_CLOCK.name, at=T0 + timedelta(minutes=1))
    [event] = when(state, ack)
    assert event.type == "client_acknowledged"
    assert state.deadline is not None and event.expected_reply_by == state.deadline.due_at
    with pytest.raises(IllegalStepError, match="already been acknowledged"):
        when(given(register(), ack), ack)


# -- resolve on the spot --

def test_resolve_on_the_spot_closes() -> None:
    state = given(register(), c.ResolveOnSpot(actor="lobby-1", at=T0, resolution="explained"))
    assert state.status == Status.CLOSED and state.close_reason == CloseReason.RESOLVED_ON_SPOT
    assert next_alarm(state, T0, RULES) is None


def test_resolve_on_the_spot_refused_for_letters_and_after_assignment() -> None:
    spot = c.ResolveOnSpot(actor="lobby-1", at=T0, resolution="x")
    with pytest.raises(RuleViolationError, match="letter"):
        when(given(register(channel=Channel.LETTER)), spot)
    with pytest.raises(IllegalStepError, match="just-registered"):
        when(given(register(), assign()), spot)


# -- assign --

def test_assign_and_reassign() -> None:
    state = given(register(), assign("a"))
    assert state.status == Status.ASSIGNED and state.handler == "a"
    [event] = when(state, assign("b"))
    assert event.type == "handler_assigned" and event.previous_handler == "a"
    with pytest.raises(IllegalStepError, match="already the handler"):
        when(state, assign("a"))


def test_assign_before_register_or_after_close_is_illegal() -> None:
    with pytest.raises(IllegalStepError, match="new"):
        when(initial_state(), assign())
    closed = given(register(), c.Withdraw(actor="lobby-1", at=T0, reason="r"))
    with pytest.raises(IllegalStepError, match="closed"):
        when(closed, assign())


# -- findings --

def test_findings_need_a_handler() -> None:
    with pytest.raises(IllegalStepError, match="assign a handler first"):
        when(given(register()), findings())


def test_bank_at_fault_needs_corrective_action_and_owner() -> None:
    state = given(register(), assign())
    with pytest.raises(RuleViolationError, match="corrective action"):
        when(state, findings(at_fault=True))
    with pytest.raises(RuleViolationError, match="corrective action"):
        when(state, findings(at_fault=True, corrective_action="retrain"))
    with pytest.raises(RuleViolationError, match="apology") as refused:
        when(state, findings(at_fault=True, corrective_action="retrain",
                             corrective_action_owner="head-1"))
    assert refused.value.rule == "fault_record_incomplete"
    fault: dict[str, Any] = dict(corrective_action="retrain", corrective_action_owner="head-1",
                 responsible="counter 3", apology="apologised in person",
                 remedy="fee refunded")
    with pytest.raises(RuleViolationError, match="before it is set") as refused:
        when(state, findings(at_fault=True, **fault,
                             corrective_action_due=date(2026, 9, 29)))
    assert refused.value.rule == "corrective_action_due_in_past"
    event, opened = when(state, findings(at_fault=True, **fault,
                                         corrective_action_due=date(2026, 9, 30)))
    assert event.type == "findings_recorded" and event.bank_at_fault
    assert event.responsible == "counter 3" and event.remedy == "fee refunded"
    assert opened.type == "corrective_action_opened" and opened.number == 1
    assert opened.due_at == datetime(2026, 10, 1, tzinfo=SHANGHAI)  # the end of its last day


# -- extension --

def ask(at: datetime = T0, actor: str = "officer-1") -> c.RequestExtension:
    return c.RequestExtension(actor=actor, at=at, reason="needs records from head office")


def approve(actor: str = "supervisor-1", ok: bool = True) -> c.DecideExtension:
    return c.DecideExtension(actor=actor, at=T0 + timedelta(hours=1), approve=ok)


def test_extension_approved_moves_deadline_to_seventh_working_day() -> None:
    state = given(register(), assign(), ask())
    events = when(state, approve())
    assert types(events) == ["extension_approved", "deadline_set"]
    after = given(register(), assign(), ask(), approve())
    assert after.extension == ExtensionStatus.APPROVED
    assert after.deadline is not None and after.deadline.working_days == 7
    # 30 Sep + 7 working days: 8, 9, 10 (Sat), 12, 13, 14, 15 October
    assert after.deadline.due_date == date(2026, 10, 15)


def test_four_eyes_the_requester_cannot_approve() -> None:
    state = given(register(), assign(), ask(actor="officer-1"))
    with pytest.raises(RuleViolationError, match="four eyes") as caught:
        when(state, approve(actor="officer-1"))
    assert caught.value.rule == "four_eyes"


def test_at_most_one_extension() -> None:
    with pytest.raises(IllegalStepError, match="awaiting a decision"):
        when(given(register(), assign(), ask()), ask())
    for decision in (approve(), approve(ok=False)):
        with pytest.raises(RuleViolationError, match="at most one"):
            when(given(register(), assign(), ask(), decision), ask())


def test_rejected_extension_keeps_the_deadline() -> None:
    state = given(register(), assign(), ask(), approve(ok=False))
    assert state.extension == ExtensionStatus.REJECTED
    assert state.deadline is not None and state.deadline.working_days == 3


def test_extension_after_the_deadline_or_without_request_is_refused() -> None:
    late = datetime(2026, 10, 11, 1, tzinfo=SHANGHAI)
    with pytest.raises(RuleViolationError, match="already passed"):
        when(given(register(), assign()), ask(at=late))
    with pytest.raises(IllegalStepError, match="no extension request"):
        when(given(register(), assign()), approve())
    with pytest.raises(IllegalStepError, match="registered"):
        when(given(register()), ask())


def test_reply_lapses_a_pending_extension_request() -> None:
    state = given(*STEPS_TO_INVESTIGATED, ask())
    assert types(when(state, reply())) == ["client_replied", "extension_request_lapsed"]
    after = given(*STEPS_TO_INVESTIGATED, ask(), reply())
    assert after.extension == ExtensionStatus.NONE
    with pytest.raises(IllegalStepError, match="no extension request"):
        when(after, approve())


def test_no_extension_after_a_reopening() -> None:
    reopened = given(*STEPS_TO_INVESTIGATED, reply(), feedback(False, follow_up="reopen"))
    with pytest.raises(RuleViolationError, match="after a reopening") as caught:
        when(reopened, ask(at=T0 + timedelta(hours=4)))
    assert caught.value.rule == "no_extension_after_reopen"


def test_extension_approved_after_breach_sets_a_fresh_deadline() -> None:
    state = given(register(), assign(), ask())
    assert state.deadline is not None
    breached = given(register(), assign(), ask(), clock(c.RecordBreach, state.deadline.due_at))
    assert breached.breached
    extended = given(register(), assign(), ask(), clock(c.RecordBreach, state.deadline.due_at),
                     approve())
    assert not extended.breached and extended.ever_breached
    assert extended.escalation_level == 0
    alarm = next_alarm(extended, state.deadline.due_at, RULES)
    # Over National Day the regulator's 15 calendar days warn first, then the fresh deadline.
    assert alarm is not None and alarm.command is c.RaiseRegulatoryWarning
    warned = given(register(), assign(), ask(), clock(c.RecordBreach, state.deadline.due_at),
                   approve(), clock(c.RaiseRegulatoryWarning, alarm.at))
    alarm = next_alarm(warned, alarm.at, RULES)
    assert alarm is not None and alarm.command is c.RaiseWarning


# -- escalate --

def test_escalate_is_tracked_and_keeps_status() -> None:
    escalate = c.Escalate(actor="officer-1", at=T0, reason="media_attention", to="branch-office",
                          details="reporter called")
    with pytest.raises(RuleViolationError, match="media outlet") as refused:
        when(given(register(), assign()), escalate)
    assert refused.value.rule == "media_details_required"
    escalate = escalate.model_copy(update={"media": MediaDetails(
        media_outlet="新民晚报", questions="why was the fee charged twice?",
        informed=("head-9",))})
    state = given(register(), assign(), escalate)
    assert state.status == Status.ASSIGNED and state.held_by == "branch-office"
    assert [e.to for e in state.escalations] == ["branch-office"]
    assert state.escalations[0].media is not None
    with pytest.raises(IllegalStepError):
        when(initial_state(), escalate)


# -- reply --

def test_reply_needs_findings() -> None:
    with pytest.raises(IllegalStepError, match="findings first"):
        when(given(register(), assign()), reply())


def test_reply_stops_the_clock_and_says_if_in_time() -> None:
    state = given(*STEPS_TO_INVESTIGATED, reply())
    assert state.status == Status.REPLIED and state.reply is not None
    assert state.reply.within_deadline and not state.clock_running
    alarm = next_alarm(state, T0, RULES)  # the SLA clock is done: only the after-reply one
    assert alarm is not None and alarm.command is c.RemindFeedback
    late = given(*STEPS_TO_INVESTIGATED, reply(at=datetime(2026, 10, 12, 10, tzinfo=SHANGHAI)))
    assert late.reply is not None and not late.reply.within_deadline


def test_no_night_calls_without_consent_or_urgency() -> None:
    state = given(*STEPS_TO_INVESTIGATED)
    night = datetime(2026, 9, 30, 22, 30, tzinfo=SHANGHAI)
    with pytest.raises(RuleViolationError, match="no phone calls") as caught:
        when(state, reply(at=night, method="phone"))
    assert caught.value.rule == "no_night_calls"
    assert types(when(state, reply(at=night, method="phone", client_consented_to_call=True))) \
        == ["client_replied"]
    assert types(when(state, reply(at=night, method="phone", urgent=True))) == ["client_replied"]
    assert types(when(state, reply(method="phone"))) == ["client_replied"]


def test_letter_or_fax_needs_outlet_head_confirmation() -> None:
    state = given(*STEPS_TO_INVESTIGATED)
    for method in ("letter", "fax"):
        with pytest.raises(RuleViolationError, match="outlet head"):
            when(state, reply(method=method))
        assert types(when(state, reply(method=method, confirmed_by_outlet_head="head-1"))) \
            == ["client_replied"]


def test_home_visit_by_two_staff() -> None:
    state = given(*STEPS_TO_INVESTIGATED)
    with pytest.raises(RuleViolationError, match="two staff"):
        when(state, reply(method="home_visit", visiting_staff=("a", "a")))
    assert types(when(state, reply(method="home_visit", visiting_staff=("a", "b")))) \
        == ["client_replied"]


# -- feedback --

def test_satisfied_client_closes_the_case() -> None:
    state = given(*STEPS_TO_INVESTIGATED, reply(), feedback(True))
    assert state.status == Status.CLOSED and state.close_reason == CloseReason.CLIENT_SATISFIED


def test_dissatisfied_client_reopens_with_a_new_deadline() -> None:
    at = datetime(2026, 10, 9, 11, tzinfo=SHANGHAI)
    state = given(*STEPS_TO_INVESTIGATED, reply(), feedback(False, at=at, follow_up="reopen"))
    assert state.status == Status.ASSIGNED and state.reopened == 1 and state.reply is None
    assert state.deadline is not None and state.deadline.due_date == date(2026, 10, 13)
    assert next_alarm(state, at, RULES) is not None


def test_dissatisfied_client_escalated() -> None:
    events = when(given(*STEPS_TO_INVESTIGATED, reply()),
                  feedback(False, follow_up="escalate", escalate_to="service-dept"))
    assert types(events) == ["feedback_recorded", "case_escalated", "case_reopened",
                             "deadline_set"]


def test_dissatisfied_needs_a_follow_up_and_a_target() -> None:
    state = given(*STEPS_TO_INVESTIGATED, reply())
    with pytest.raises(RuleViolationError, match="choose a follow-up"):
        when(state, feedback(False))
    with pytest.raises(RuleViolationError, match="escalate_to"):
        when(state, feedback(False, follow_up="escalate"))


def test_feedback_before_reply_is_illegal() -> None:
    with pytest.raises(IllegalStepError, match="reply to the client first"):
        when(given(*STEPS_TO_INVESTIGATED), feedback(True))


# -- withdraw and notes --

def test_withdraw_closes_from_any_open_status() -> None:
    withdraw = c.Withdraw(actor="lobby-1", at=T0, reason="client withdrew")
    for steps in ((register(),), (register(), assign()), (*STEPS_TO_INVESTIGATED, reply())):
        state = given(*steps, withdraw)
        assert state.status == Status.CLOSED and state.close_reason == CloseReason.WITHDRAWN
    with pytest.raises(IllegalStepError, match="closed"):
        when(given(register(), withdraw), withdraw)


def test_notes_any_time_after_registration() -> None:
    note = c.AddNote(actor="auditor-1", at=T0, text="checked")
    assert given(register(), note).notes == 1
    closed = given(register(), c.Withdraw(actor="lobby-1", at=T0, reason="r"), note)
    assert closed.notes == 1
    with pytest.raises(IllegalStepError):
        when(initial_state(), note)


# -- the SLA clock --

def test_clock_warning_breach_and_ladder() -> None:
    """The SLA clock alone (the regulator's clock has its own tests)."""
    state = SLA_ONLY.given(register(), assign())
    deadline = state.deadline
    assert deadline is not None
    alarm = next_alarm(state, T0, SLA_ONLY.context)
    assert alarm is not None and alarm.command is c.RaiseWarning
    assert alarm.at == deadline.warning_at
    state = SLA_ONLY.given(register(), assign(), clock(c.RaiseWarning, deadline.warning_at))
    alarm = next_alarm(state, deadline.warning_at, SLA_ONLY.context)
    assert alarm is not None and alarm.command is c.RecordBreach and alarm.at == deadline.due_at
    with pytest.raises(RuleViolationError, match="not passed"):
        SLA_ONLY.when(state, clock(c.RecordBreach, deadline.warning_at))
    [breach] = SLA_ONLY.when(state, clock(c.RecordBreach, deadline.due_at))
    assert breach.type == "deadline_breached"
    assert breach.alerted == ("officer-1", "supervisor@outlet-9")
    assert breach.escalated_to == "outlet_head"
    state = SLA_ONLY.given(register(), assign(), clock(c.RaiseWarning, deadline.warning_at),
                  clock(c.RecordBreach, deadline.due_at))
    assert state.breached and state.escalation_level == 1
    alarm = next_alarm(state, deadline.due_at, SLA_ONLY.context)
    assert alarm is not None and alarm.command is c.EscalateOverdue
    assert alarm.at.astimezone(SHANGHAI).date() == date(2026, 10, 13)
    [up] = SLA_ONLY.when(state, clock(c.EscalateOverdue, alarm.at))
    assert up.type == "overdue_escalated" and up.escalated_to == "service_management_department"
    assert "outlet_head@outlet-9" in up.alerted
    state = SLA_ONLY.given(register(), assign(), clock(c.RaiseWarning, deadline.warning_at),
                  clock(c.RecordBreach, deadline.due_at), clock(c.EscalateOverdue, alarm.at))
    assert next_alarm(state, alarm.at, SLA_ONLY.context) is None  # top of the ladder
    with pytest.raises(IllegalStepError, match="no further escalation"):
        SLA_ONLY.when(state, clock(c.EscalateOverdue, alarm.at))


def test_a_late_wake_skips_the_warning_and_goes_to_breach() -> None:
    state = given(register(), assign())
    assert state.deadline is not None
    alarm = next_alarm(state, state.deadline.due_at + timedelta(hours=1), RULES)
    assert alarm is not None and alarm.command is c.RecordBreach


def test_warning_without_handler_goes_to_supervisor() -> None:
    state = given(register())
    assert state.deadline is not None
    [warning] = when(state, clock(c.RaiseWarning, state.deadline.warning_at))
    assert isinstance(warning, DeadlineWarningRaised)
    assert warning.alerted == ("supervisor@outlet-9",)


def test_premium_tier_is_kept() -> None:
    state = given(register(client_tier=ClientTier.CORE_PREMIUM, relationship_manager="rm-1"))
    assert state.client_tier is not None and state.client_tier.is_premium
    assert state.relationship_manager == "rm-1"


def test_event_times_are_timezone_aware() -> None:
    for event in when(initial_state(), register()):
        assert event.at.utcoffset() is not None
        assert event.at.astimezone(UTC) == T0.astimezone(UTC)
