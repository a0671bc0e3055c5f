"""After the reply (issue 15): the handler is reminded when the client's opinion is not recorded
within the policy's working days, and the case closes as "no response" after a longer period.
Given events / when command / then events, on the official calendar (National Day 2026: 1–7
October off, Saturday 10 October a make-up working day)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.access import SLA_CLOCK, AccessDeniedError, Principal, Role, check_complaint_step
from domain.complaint import Rules, next_alarm
from domain.complaint import commands as c
from domain.complaint.events import CaseClosed, FeedbackReminderRaised
from domain.complaint.model import CloseReason, Status
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
    when,
)

REPLIED = (register(), assign(), findings(), reply())  # replied on Wed 30 Sep, 12:00
REMIND_AT = datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)  # 09:00 on the 2nd working day after
CLOSE_AT = datetime(2026, 10, 14, 0, 0, tzinfo=SHANGHAI)  # the end of the 5th (Tue 13 Oct)


def clock(command: type[c.RemindFeedback] | type[c.CloseForNoResponse], at: datetime
          ) -> c.RemindFeedback | c.CloseForNoResponse:
    return command(actor=SLA_CLOCK.name, at=at)


def test_the_handler_is_reminded_on_the_second_working_day_after_the_reply() -> None:
    state = given(*REPLIED)
    alarm = next_alarm(state, T0, RULES)
    assert alarm is not None and (alarm.at, alarm.command) == (REMIND_AT, c.RemindFeedback)
    with pytest.raises(RuleViolationError, match="not due yet"):
        when(state, clock(c.RemindFeedback, REMIND_AT - timedelta(minutes=1)))
    [event] = when(state, clock(c.RemindFeedback, REMIND_AT))
    assert isinstance(event, FeedbackReminderRaised) and event.alerted == ("officer-1",)
    assert state.reply is not None and event.replied_at == state.reply.at
    reminded = given(*REPLIED, clock(c.RemindFeedback, REMIND_AT))
    with pytest.raises(IllegalStepError, match="already reminded"):
        when(reminded, clock(c.RemindFeedback, REMIND_AT + timedelta(days=1)))
    alarm = next_alarm(reminded, REMIND_AT, RULES)
    assert alarm is not None and (alarm.at, alarm.command) == (CLOSE_AT, c.CloseForNoResponse)


def test_without_the_clients_opinion_the_case_closes_as_no_response() -> None:
    reminded = given(*REPLIED, clock(c.RemindFeedback, REMIND_AT))
    with pytest.raises(RuleViolationError, match="not passed yet"):
        when(reminded, clock(c.CloseForNoResponse, CLOSE_AT - timedelta(seconds=1)))
    [closed] = when(reminded, clock(c.CloseForNoResponse, CLOSE_AT))
    assert isinstance(closed, CaseClosed) and closed.reason == CloseReason.NO_RESPONSE
    done = given(*REPLIED, clock(c.RemindFeedback, REMIND_AT),
                 clock(c.CloseForNoResponse, CLOSE_AT))
    alarm = next_alarm(done, CLOSE_AT, RULES)  # only the satisfaction follow-up remains
    assert done.status == Status.CLOSED and alarm is not None
    assert alarm.command is c.RaiseFollowUpDue


def test_feedback_in_time_ends_the_after_reply_clock() -> None:
    satisfied = given(*REPLIED, feedback(True))
    alarm = next_alarm(satisfied, T0, RULES)
    assert satisfied.status == Status.CLOSED and alarm is not None
    assert alarm.command is c.RaiseFollowUpDue
    for command in (c.RemindFeedback, c.CloseForNoResponse):
        with pytest.raises(IllegalStepError, match="not awaiting"):
            when(satisfied, clock(command, CLOSE_AT))
    reopened = given(*REPLIED, feedback(False, follow_up="reopen"))
    alarm = next_alarm(reopened, T0, RULES)  # the SLA clock again, from the reopening
    assert alarm is not None and alarm.command is not c.RemindFeedback


def test_cases_under_earlier_policies_keep_waiting_for_the_opinion() -> None:
    earlier = SlaPolicy.model_validate({"version": "sla-2026.2"})
    assert earlier.feedback_reminder_working_days is None
    assert earlier.no_response_close_working_days is None
    state = given(*REPLIED)
    assert next_alarm(state, T0, Rules(calendar=RULES.calendar, policy=earlier)) is None
    with pytest.raises(ValueError, match="after the feedback reminder"):
        SlaPolicy(feedback_reminder_working_days=5, no_response_close_working_days=5)


def test_only_the_sla_clock_reminds_and_closes() -> None:
    officer = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet="outlet-9")
    for kind in ("remind_feedback", "close_no_response"):
        with pytest.raises(AccessDeniedError, match="caseflow itself"):
            check_complaint_step(officer, "officer-1", "outlet-9", kind)
        check_complaint_step(SLA_CLOCK, SLA_CLOCK.name, "outlet-9", kind)
