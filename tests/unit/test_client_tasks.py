"""client-policy-2026.3: a maturity's contact is a task of its own beside the next contact,
care occasions stay on the manager's day until their day, and a maintained client gets a
satisfaction survey at its tier's cadence. Given / when / then; relationships under the
earlier versions keep their rules."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.client import CLIENT, ClientPolicy, fold, next_contact_due
from domain.client import commands as c
from domain.client.clock import due_now, pending_alarms
from domain.client.events import (
    ClientEvent,
    MaturityContactDue,
    MaturityMissed,
    SurveyDue,
    SurveyRecorded,
)
from domain.client.notifications import notifications_for
from domain.client.state import ClientState
from domain.client.summary import summarize_client
from domain.errors import RuleViolationError
from domain.tier import ClientTier
from tests.deciding import Spec
from tests.unit.test_client_decider import T0, attempt, identify, sale

SHANGHAI = ZoneInfo("Asia/Shanghai")
POLICY = ClientPolicy()
BEFORE = ClientPolicy.model_validate({"version": "client-policy-2026.2"})
NEW, OLD = Spec(CLIENT, POLICY), Spec(CLIENT, BEFORE)
MATURES = date(2026, 4, 1)  # 30 days after T0


def maturity(event_id: str = "M-1", on: date = MATURES, days: float = 0
             ) -> c.RecordAccountEvent:
    return c.RecordAccountEvent(actor="caseflow-core-banking", at=T0 + timedelta(days=days),
                                event_id=event_id, event="maturity", product="三年期定期",
                                matures_on=on)


def maintained() -> ClientState:
    return NEW.given(identify(250, manager="rm-1", outlet="outlet-9"), sale())


def lead_time(day: date) -> datetime:
    return datetime.combine(day - timedelta(days=POLICY.maturity_lead_days), time(9, 0),
                            SHANGHAI)


def test_a_maturity_is_its_own_task_and_the_next_contact_stays() -> None:
    before = maintained()
    contact = next_contact_due(before, POLICY)
    after = fold(NEW.when(before, maturity()), before)
    assert next_contact_due(after, POLICY) == contact  # the cadence's contact is untouched
    [task] = after.maturities
    assert (task.contact_at, task.matures_on, task.reminded) == (lead_time(MATURES), MATURES,
                                                                 False)
    # Before 2026.3 the maturity moved the one next contact (histories keep that).
    old = OLD.given(identify(250, manager="rm-1"), sale())
    old_after = fold(OLD.when(old, maturity()), old)
    assert old_after.maturities == () and next_contact_due(old_after, BEFORE) == min(
        lead_time(MATURES), next_contact_due(old, BEFORE) or lead_time(MATURES))


def test_a_maturity_reminds_at_its_lead_time_and_a_contact_then_completes_it() -> None:
    state = fold(NEW.when(maintained(), maturity()), maintained())
    alarm = next(a for a in pending_alarms(state, POLICY) if a.kind is MaturityContactDue)
    assert alarm.at == lead_time(MATURES)
    [reminder] = [e for e in due_now(state, POLICY, alarm.at, "clock")
                  if isinstance(e, MaturityContactDue)]
    assert reminder.alerted == ("rm-1",) and reminder.event_id == "M-1"
    reminded = fold([reminder], state)
    told = notifications_for(reminded, [reminder], "client-K1")
    assert [(n.kind, n.recipients, n.facts["day"]) for n in told] == [
        ("maturity_contact_due", ("rm-1",), "2026-04-01")]
    assert reminded.maturities[0].reminded
    done = fold(NEW.when(reminded, c.LogContact(actor="rm-1", at=alarm.at + timedelta(hours=2),
                                                channel="phone", summary="renewal")), reminded)
    assert done.maturities == ()
    assert not [a for a in pending_alarms(done, POLICY) if a.kind is MaturityMissed]
    # A contact before the lead time is not the contact about the maturity.
    early = fold(NEW.when(state, c.LogContact(actor="rm-1", at=T0 + timedelta(days=1),
                                              channel="phone", summary="hello")), state)
    assert len(early.maturities) == 1


def test_a_maturity_with_no_contact_alerts_the_manager_and_supervisor_at_its_end() -> None:
    state = fold(NEW.when(maintained(), maturity()), maintained())
    reminded = fold([e for e in due_now(state, POLICY, lead_time(MATURES), "clock")
                     if isinstance(e, MaturityContactDue)], state)
    end = datetime.combine(MATURES + timedelta(days=1), time(0, 0), SHANGHAI)
    alarm = next(a for a in pending_alarms(reminded, POLICY) if a.kind is MaturityMissed)
    assert alarm.at == end
    missed = [e for e in due_now(reminded, POLICY, end, "clock") if isinstance(e, MaturityMissed)]
    assert [e.alerted for e in missed] == [("rm-1", "supervisor@outlet-9")]
    assert fold(list[ClientEvent](missed), reminded).maturities == ()


def test_a_maturity_already_past_is_refused() -> None:
    with pytest.raises(RuleViolationError) as refused:
        NEW.when(maintained(), maturity(on=date(2026, 3, 1)))
    assert refused.value.rule == "already_matured"


def test_a_maintained_client_is_surveyed_at_the_tiers_cadence() -> None:
    state = maintained()
    survey = next(a for a in pending_alarms(state, POLICY) if a.kind is SurveyDue)
    assert survey.at == T0 + timedelta(days=180)  # core premium
    with pytest.raises(RuleViolationError) as refused:
        NEW.when(state, c.RecordSurvey(actor="rm-1", at=T0, score=5))
    assert refused.value.rule == "no_survey_due"
    [due] = [e for e in due_now(state, POLICY, survey.at, "clock") if isinstance(e, SurveyDue)]
    assert due.alerted == ("rm-1",)
    open_ = fold([due], state)
    assert all(a.kind is not SurveyDue for a in pending_alarms(open_, POLICY))  # one at a time
    [answer] = NEW.when(open_, c.RecordSurvey(actor="rm-1", at=survey.at + timedelta(days=2),
                                              score=2, remarks="排队太久"))
    assert isinstance(answer, SurveyRecorded)
    assert (answer.score, answer.remarks, answer.tier, answer.due_at) == (
        2, "排队太久", ClientTier.CORE_PREMIUM, survey.at)
    done = fold([answer], open_)
    assert done.survey_due_at is None
    following = next(a for a in pending_alarms(done, POLICY) if a.kind is SurveyDue)
    assert following.at == survey.at + timedelta(days=180)  # the cadence holds
    assert not [a for a in pending_alarms(OLD.given(identify(250, manager="rm-1"), sale()),
                                          BEFORE) if a.kind is SurveyDue]


def test_the_managers_list_row_carries_each_task() -> None:
    state = fold(NEW.when(maintained(), maturity()), maintained())
    due = next(e for e in due_now(state, POLICY, T0 + timedelta(days=180), "clock")
               if isinstance(e, SurveyDue))
    row = summarize_client(fold([due], state), POLICY)
    assert [(t.kind, t.due_at, t.day) for t in row.tasks] == [
        ("maturity", lead_time(MATURES), MATURES), ("survey", T0 + timedelta(days=180), None)]
    assert row.next_task_due == lead_time(MATURES)


def test_a_client_met_and_not_yet_sold_to_is_contacted_again() -> None:
    """Found by the property test once maturities joined its commands: a potential client met
    (the meeting's agreed contact then passed, and a later contact was logged) had no next
    contact at all under 2026.2; from 2026.3 the follow-up goes on at its interval."""
    met = (identify(50), attempt("meeting_agreed"), c.RecordMeeting(
        actor="rm-1", at=T0 + timedelta(days=3), needs="n", proposals="p", deal=False,
        no_deal_reason="thinking", next_contact_at=T0 + timedelta(days=10)),
        c.LogContact(actor="rm-1", at=T0 + timedelta(days=12), channel="phone",
                     summary="still thinking"))
    assert next_contact_due(OLD.given(*met), BEFORE) is None  # the dead end
    state = NEW.given(*met)
    assert next_contact_due(state, POLICY) == T0 + timedelta(days=12 + 14)
