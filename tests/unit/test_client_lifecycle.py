"""Issue 16's dead ends of the client lifecycle, each given / when / then (each failed under the
first client policy, whose rules relationships recorded under it keep), and a property test:
no premium client with a manager is ever left without a next due contact, and no client is
left without a way forward."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given as hgiven
from hypothesis import settings
from hypothesis import strategies as st

from domain.client import CLIENT, ClientPolicy, decide, fold, next_contact_due
from domain.client import commands as c
from domain.client.clock import due_now, next_client_alarm, pending_alarms
from domain.client.events import CareDue, MeetingMissed, MeetingReminder
from domain.client.model import ContactPreference, Stage
from domain.client.notifications import notifications_for
from domain.errors import DomainError, IllegalStepError, RuleViolationError
from tests.deciding import Spec
from tests.unit.test_client_decider import T0, assessment, attempt, identify, sale

SHANGHAI = ZoneInfo("Asia/Shanghai")
POLICY = ClientPolicy()
LEGACY = ClientPolicy.model_validate({"version": "client-policy-2026.1"})
NEW, OLD = Spec(CLIENT, POLICY), Spec(CLIENT, LEGACY)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def reassess(deposits: int, days: float) -> c.Reassess:
    return c.Reassess(actor="rm-1", at=at(days), assessment=assessment(deposits))


def test_a_client_served_then_reassessed_premium_is_maintained() -> None:
    steps = (identify(50), attempt("meeting_agreed"), sale("rm-7", days=4), reassess(250, 30))
    stuck = OLD.given(*steps)
    assert stuck.stage == Stage.SERVE and next_contact_due(stuck, LEGACY) is None  # the defect
    kept = NEW.given(*steps)
    assert kept.stage == Stage.MAINTAIN and kept.manager == "rm-7" and kept.meeting_at is None
    assert next_contact_due(kept, POLICY) == T0 + timedelta(days=30)  # the tier's cadence


def test_a_premium_clients_first_sale_is_followed_by_maintenance() -> None:
    """A client premium from identification is in maintain with its manager; an ordinary
    client's first sale moves it to serve with after-sale care contacts."""
    premium = NEW.given(identify(250), sale("rm-1"))
    assert premium.stage == Stage.MAINTAIN and premium.manager == "rm-1"  # the first sale
    assert next_contact_due(premium, POLICY) == T0 + timedelta(days=30)
    served = NEW.given(identify(10), sale("rm-1", days=2))
    assert served.stage == Stage.SERVE
    assert next_contact_due(served, POLICY) == T0 + timedelta(days=90)
    assert next_contact_due(OLD.given(identify(10), sale("rm-1", days=2)), LEGACY) is None


def test_an_agreed_meeting_has_a_date_reminds_the_day_before_and_alerts_when_missed() -> None:
    no_date = c.RecordContactAttempt(actor="rm-1", at=T0, channel="phone",
                                     outcome="meeting_agreed", next_step="meet")
    with pytest.raises(RuleViolationError) as refused:
        NEW.when(NEW.given(identify(50)), no_date)
    assert refused.value.rule == "meeting_needs_date"
    agreed = NEW.given(identify(50, outlet="outlet-9"),
                       attempt("meeting_agreed"))  # meeting at T0 + 3 days
    meeting_at = at(3)
    assert next_contact_due(agreed, POLICY) == meeting_at
    alarm = next_client_alarm(agreed, POLICY)
    assert alarm is not None and (alarm.kind, alarm.at) == (MeetingReminder,
                                                            meeting_at - timedelta(hours=24))
    [reminder] = due_now(agreed, POLICY, alarm.at, "clock")
    assert isinstance(reminder, MeetingReminder) and reminder.place == "支行贵宾室"
    reminded = fold([reminder], agreed)
    end_of_day = datetime.combine(meeting_at.date() + timedelta(days=1), datetime.min.time(),
                                  tzinfo=SHANGHAI)
    alarm = next_client_alarm(reminded, POLICY)
    assert alarm is not None and (alarm.kind, alarm.at) == (MeetingMissed, end_of_day)
    [missed] = due_now(reminded, POLICY, end_of_day, "clock")
    assert isinstance(missed, MeetingMissed)
    assert missed.alerted == ("outlet_head@outlet-9", "supervisor@outlet-9")  # no manager yet
    after = fold([missed], reminded)
    assert not after.meeting_agreed and after.meeting_at is None
    assert next_contact_due(after, POLICY) is not None  # the next attempt, due the next day
    assert [n.kind for n in notifications_for(after, [missed], "client-K1")] == ["meeting_missed"]
    held = NEW.given(identify(50), attempt("meeting_agreed"), c.RecordMeeting(
        actor="rm-1", at=at(3), needs="n", proposals="p", deal=True,
        next_contact_at=at(40)))
    assert held.meeting_at is None and next_contact_due(held, POLICY) == at(40)


def test_a_premium_client_has_a_manager_from_identification() -> None:
    named = NEW.given(identify(250, manager="rm-3"))
    assert named.manager == "rm-3" and named.stage == Stage.MAINTAIN
    identifier = ClientPolicy(manager_at_identification="identifier")
    assert Spec(CLIENT, identifier).given(identify(250)).manager == "lobby-1"
    waiting = NEW.given(identify(250))
    assert waiting.manager is None  # on the outlet head's list, who names one:
    [assigned] = NEW.when(waiting, c.ReassignManager(actor="head-1", at=T0, manager="rm-5",
                                                     reason="named by the outlet head"))
    assert assigned.type == "manager_assigned" and assigned.previous_manager is None
    assert OLD.given(identify(250)).manager is None


def test_the_outlet_head_is_told_when_retention_passes_to_them() -> None:
    state = NEW.given(identify(250, manager="rm-1", outlet="outlet-9"), c.RequestAccountClosure(
        actor="teller", at=T0, account="A-1"))
    failed = NEW.when(state, c.RecordRetention(actor="rm-1", at=T0, retained=False,
                                               note="moving abroad"))
    told = notifications_for(fold(failed, state), failed, "client-K1")
    assert [(n.kind, n.recipients) for n in told] == [
        ("retention_needed", ("outlet_head@outlet-9",))]


def lost() -> tuple[Any, ...]:
    closure = c.RequestAccountClosure(actor="teller", at=T0, account="A-1")
    fail = c.RecordRetention(actor="rm-1", at=T0, retained=False, note="moving abroad")
    return (identify(250, manager="rm-1"), sale(), closure, fail, fail)


def test_a_lost_client_can_be_won_back() -> None:
    state = NEW.given(*lost())
    assert state.stage == Stage.LOST
    with pytest.raises(IllegalStepError, match="win back"):
        NEW.when(state, sale())
    win = c.WinBack(actor="head-1", at=at(30), reason="new manager, better rate")
    assert [e.type for e in NEW.when(state, win)] == ["win_back_started", "follow_up_planned",
                                                      "stage_changed"]
    back = NEW.given(*lost(), win)
    assert back.stage == Stage.CONTACT and next_contact_due(back, POLICY) == at(30)
    with pytest.raises(IllegalStepError):
        OLD.when(OLD.given(*lost()), win)


def test_each_contact_preference_changes_what_the_manager_is_asked() -> None:
    def prefer(preference: str) -> c.SetContactPreference:
        return c.SetContactPreference(actor="rm-1", at=T0, preference=preference)

    frequent = NEW.given(identify(250), prefer("frequent"))
    moderate = NEW.given(identify(250))
    quiet = NEW.given(identify(250), prefer("do_not_disturb"))
    assert moderate.preference == ContactPreference.MODERATE
    assert [next_contact_due(s, POLICY) for s in (frequent, moderate, quiet)] == [
        T0 + timedelta(days=15), T0 + timedelta(days=30), T0 + timedelta(days=60)]
    visit = c.LogContact(actor="rm-1", at=T0, channel="meeting", summary="a visit")
    with pytest.raises(RuleViolationError) as refused:
        NEW.when(quiet, visit)
    assert refused.value.rule == "do_not_disturb"
    NEW.when(quiet, c.LogContact(actor="rm-1", at=T0, channel="letter", summary="a card"))
    birthday = NEW.given(c.Identify(actor="lobby-1", at=T0, client_id="K1", birthday="03-15",
                                    assessment=assessment(250)), prefer("do_not_disturb"))
    care = next(a for a in pending_alarms(birthday, POLICY) if a.kind is CareDue)
    [greeting] = [e for e in due_now(birthday, POLICY, care.at, "clock")
                  if isinstance(e, CareDue)]
    assert greeting.written_only
    assert next_contact_due(OLD.given(identify(250), prefer("frequent")), LEGACY) == \
        T0 + timedelta(days=30)  # the first policy: no change


COMMANDS = st.sampled_from(["attempt_fail", "attempt_meet", "sale", "closure", "retain", "lose",
                            "log", "dnd", "frequent", "reassess_up", "reassess_down", "meeting",
                            "open", "tick", "win_back", "name_manager", "maturity", "survey"])


@settings(max_examples=300, deadline=None)
@hgiven(st.sampled_from([10, 50, 120, 250]), st.booleans(), st.lists(COMMANDS, max_size=30))
def test_no_client_is_left_without_a_way_forward(
    deposits: int, head_names: bool, sequence: list[str]
) -> None:
    policy = ClientPolicy(manager_at_identification="outlet_head" if head_names else "identifier")
    spec = Spec(CLIENT, policy)
    state = spec.given(identify(deposits, birthday="03-15"))
    for n, kind in enumerate(sequence, start=1):
        moment = at(n * 3)
        command: Any = {
            "attempt_fail": attempt(days=n * 3), "attempt_meet": attempt("meeting_agreed",
                                                                         days=n * 3),
            "sale": sale(f"rm-{n % 3}", days=n * 3),
            "closure": c.RequestAccountClosure(actor="t", at=moment, account=f"A{n}"),
            "retain": c.RecordRetention(actor="rm", at=moment, retained=True, note="n"),
            "lose": c.RecordRetention(actor="rm", at=moment, retained=False, note="n"),
            "log": c.LogContact(actor="rm", at=moment, channel="letter", summary="s"),
            "dnd": c.SetContactPreference(actor="rm", at=moment, preference="do_not_disturb"),
            "frequent": c.SetContactPreference(actor="rm", at=moment, preference="frequent"),
            "reassess_up": reassess(250, n * 3), "reassess_down": reassess(10, n * 3),
            "meeting": c.RecordMeeting(actor="rm", at=moment, needs="n", proposals="p",
                                       deal=True, next_contact_at=moment + timedelta(days=10)),
            "open": c.OpenAccount(actor="rm", at=moment, account=f"A{n % 4}"),
            "tick": c.ClockTick(actor="clock", at=moment),
            "win_back": c.WinBack(actor="head", at=moment, reason="r"),
            "name_manager": c.ReassignManager(actor="head", at=moment, manager=f"rm-{n}",
                                              reason="r"),
            "maturity": c.RecordAccountEvent(actor="cb", at=moment, event_id=f"M{n}",
                                             event="maturity",
                                             matures_on=(moment + timedelta(days=n)).date()),
            "survey": c.RecordSurvey(actor="rm", at=moment, score=1 + n % 5),
        }[kind]
        try:
            events = decide(state, command, policy)
        except DomainError:
            continue
        state = fold(events, state)
        assert state.tier is not None
        due = next_contact_due(state, policy)
        if state.tier.is_premium and state.manager and state.stage != Stage.LOST:
            # maintained, or followed up to be won back
            assert state.stage in (Stage.MAINTAIN, Stage.CONTACT), (kind, state.stage)
            assert due is not None, (kind, state.stage)
        if state.stage in (Stage.CONTACT, Stage.SERVE, Stage.MAINTAIN):
            assert due is not None, (kind, state.stage)
        elif state.stage == Stage.NORMAL_CHANNELS:
            assert pending_alarms(state, policy)  # its re-assessment
        else:
            assert state.stage == Stage.LOST
            decide(state, c.WinBack(actor="head", at=moment, reason="r"), policy)  # allowed
        if state.stage != Stage.LOST:  # every maturity task is on the client's clock
            alarmed = {a.maturity.event_id for a in pending_alarms(state, policy) if a.maturity}
            assert {m.event_id for m in state.maturities} == alarmed


def test_an_account_event_keeps_an_earlier_planned_contact() -> None:
    met = NEW.given(identify(250, manager="rm-1"), c.RecordMeeting(
        actor="rm-1", at=T0, needs="n", proposals="p", deal=True, next_contact_at=at(5)))
    maturity = c.RecordAccountEvent(actor="caseflow-core-banking", at=at(1), event_id="M-1",
                                    event="maturity", matures_on=(T0 + timedelta(days=60)).date())
    after = fold(NEW.when(met, maturity), met)
    assert next_contact_due(after, POLICY) == at(5)  # the agreed contact stays first


def test_the_first_policy_takes_no_meeting_dates() -> None:
    agreed = OLD.given(identify(50), attempt("meeting_agreed"))
    assert agreed.meeting_at is None and next_contact_due(agreed, LEGACY) is None
