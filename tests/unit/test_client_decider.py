"""Given / when / then for the client relationship, and a property test over random sequences."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given as hgiven
from hypothesis import settings
from hypothesis import strategies as st
from pydantic import ValidationError

from caseflow.policy.client import client_policy
from domain.client import (
    CLIENT,
    ClientPolicy,
    ClientState,
    churn_risk,
    decide,
    fold,
    next_contact_due,
)
from domain.client import commands as c
from domain.client.clock import next_care, pending_alarms
from domain.client.events import CareDue
from domain.client.model import Assessment, CareOccasion, ContactOutcome, ReferralStatus, Stage
from domain.client.policy import CarePlan
from domain.client.state import initial_state
from domain.errors import DomainError, IllegalStepError, RuleViolationError
from domain.tier import ClientTier
from tests.deciding import Spec

POLICY = ClientPolicy()
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def assessment(deposits: int = 0, **kw: Any) -> Assessment:
    fields: dict[str, Any] = dict(deposits_10k=Decimal(deposits), loans_10k=Decimal(0),
                                  intermediary_products=0, family=0, occupation=0,
                                  social_standing=0)
    return Assessment(**{**fields, **kw})


def identify(deposits: int, at: datetime = T0, birthday: str | None = None,
             manager: str | None = None, outlet: str | None = None, **kw: Any) -> c.Identify:
    return c.Identify(actor="lobby-1", at=at, client_id="K1", birthday=birthday,
                      manager=manager, outlet=outlet, assessment=assessment(deposits, **kw))


def attempt(outcome: str = "no_answer", days: int = 0, channel: str = "phone") -> Any:
    """A contact attempt; an agreed meeting is three days later at the sub-branch."""
    at = T0 + timedelta(days=days)
    meeting: dict[str, Any] = {"meeting_at": at + timedelta(days=3),
                               "meeting_place": "支行贵宾室"} if outcome == "meeting_agreed" else {}
    return c.RecordContactAttempt(actor="rm-1", at=at, channel=channel, outcome=outcome,
                                  next_step="call again", **meeting)


def sale(actor: str = "rm-1", days: int = 1) -> c.RecordSale:
    return c.RecordSale(actor=actor, at=T0 + timedelta(days=days), product="term deposit")


CLIENTS = Spec(CLIENT, POLICY)
"""Given / when for client relationships under the default policy (tests/deciding.py)."""


def given(*commands: Any) -> ClientState:
    return CLIENTS.given(*commands)


def types(state: ClientState, command: Any) -> list[str]:
    return CLIENTS.then_types(state, command)


@pytest.mark.parametrize(
    ("deposits", "kw", "tier", "stage"),
    [
        (250, {}, ClientTier.CORE_PREMIUM, Stage.MAINTAIN),
        (120, {}, ClientTier.ORDINARY_PREMIUM, Stage.MAINTAIN),
        (50, {}, ClientTier.POTENTIAL, Stage.CONTACT),
        (120, {"main_bank_elsewhere": True}, ClientTier.PREMIUM_TO_BE_WON, Stage.CONTACT),
        (10, {}, ClientTier.ORDINARY, Stage.NORMAL_CHANNELS),
        (0, {"family": 5, "occupation": 5, "social_standing": 5}, ClientTier.POTENTIAL,
         Stage.CONTACT),
    ],
)
def test_identify_scores_into_tiers_and_stages(
    deposits: int, kw: dict[str, Any], tier: ClientTier, stage: Stage
) -> None:
    state = given(identify(deposits, **kw))
    assert (state.tier, state.stage) == (tier, stage)


def test_potential_client_gets_a_follow_up_plan() -> None:
    state = given(identify(50))
    assert state.follow_up_due == (T0.date(), T0.date() + timedelta(days=7),
                                   T0.date() + timedelta(days=14))
    assert next_contact_due(state, POLICY) == T0
    with pytest.raises(IllegalStepError, match="already identified"):
        decide(state, identify(50), POLICY)


def test_three_failed_attempts_abandon_the_plan() -> None:
    state = given(identify(50), attempt(days=0), attempt("not_interested", days=7))
    assert next_contact_due(state, POLICY) == T0 + timedelta(days=14)
    assert types(state, attempt(days=14)) == ["contact_attempted", "follow_up_abandoned",
                                              "stage_changed"]
    after = given(identify(50), attempt(days=0), attempt(days=7), attempt(days=14))
    assert after.stage == Stage.NORMAL_CHANNELS and after.follow_up_abandoned
    assert next_contact_due(after, POLICY) is None
    with pytest.raises(IllegalStepError, match="no follow-up plan"):
        decide(after, attempt(days=15), POLICY)


def test_agreed_meeting_then_meeting_with_deal_and_next_contact() -> None:
    state = given(identify(50), attempt(ContactOutcome.MEETING_AGREED))
    assert state.meeting_agreed and next_contact_due(state, POLICY) == T0 + timedelta(days=3)
    assert state.meeting_place == "支行贵宾室"
    with pytest.raises(IllegalStepError, match="record the meeting"):
        decide(state, attempt(days=1), POLICY)
    meeting = c.RecordMeeting(actor="rm-1", at=T0 + timedelta(days=2), needs="education fund",
                              proposals="fund portfolio", deal=False, no_deal_reason=None,
                              next_contact_at=T0 + timedelta(days=30))
    with pytest.raises(RuleViolationError, match="reason"):
        decide(state, meeting, POLICY)
    met = given(identify(50), attempt(ContactOutcome.MEETING_AGREED),
                meeting.model_copy(update={"no_deal_reason": "thinking it over"}))
    assert met.meetings == 1 and next_contact_due(met, POLICY) == T0 + timedelta(days=30)


def test_meeting_without_agreement_is_illegal() -> None:
    with pytest.raises(IllegalStepError, match="no meeting was agreed"):
        decide(given(identify(50)), c.RecordMeeting(
            actor="rm-1", at=T0, needs="n", proposals="p", deal=True,
            next_contact_at=T0 + timedelta(days=1)), POLICY)


def test_first_sale_decides_the_manager_and_moves_to_serve() -> None:
    state = given(identify(50), attempt(ContactOutcome.MEETING_AGREED), sale("rm-7"))
    assert state.manager == "rm-7" and state.stage == Stage.SERVE and state.products == 2
    second = given(identify(50), attempt(ContactOutcome.MEETING_AGREED), sale("rm-7"),
                   sale("rm-9", days=2))
    assert second.manager == "rm-7" and second.products == 3


def test_reassignment_by_reason() -> None:
    reassign = c.ReassignManager(actor="head-1", at=T0, manager="rm-2", reason="rm-1 moved")
    legacy = ClientPolicy.model_validate({"version": "client-policy-2026.1"})
    with pytest.raises(IllegalStepError, match="first sale decides"):
        decide(Spec(CLIENT, legacy).given(identify(250)), reassign, legacy)
    state = given(identify(250, manager="rm-1"), reassign)
    assert state.manager == "rm-2"


def test_premium_closure_retention_by_manager_then_outlet_head() -> None:
    closure = c.RequestAccountClosure(actor="teller-1", at=T0, account="A-1")
    fail = c.RecordRetention(actor="rm-1", at=T0, retained=False, note="moving abroad")
    keep = c.RecordRetention(actor="head-1", at=T0, retained=True, note="better rate offered")
    state = given(identify(250, manager="rm-1"), sale(), closure)
    assert state.retention_by == "rm-1"
    assert given(identify(250), sale(), closure, keep).closing_account is None
    escalated = given(identify(250), sale(), closure, fail)
    assert escalated.retention_by == "outlet_head" and escalated.stage == Stage.MAINTAIN
    assert types(escalated, fail) == ["retention_attempted", "account_closed", "client_lost",
                                      "stage_changed"]
    lost = given(identify(250), sale(), closure, fail, fail)
    assert lost.stage == Stage.LOST and lost.products == 1  # the deposit, and the sale closed
    with pytest.raises(IllegalStepError, match="lost"):
        decide(lost, sale(), POLICY)
    retained = given(identify(250), sale(), closure, fail, keep)
    assert retained.stage == Stage.MAINTAIN and retained.closing_account is None


def test_ordinary_closure_needs_no_retention() -> None:
    closure = c.RequestAccountClosure(actor="teller-1", at=T0, account="A-1")
    assert types(given(identify(10), sale()), closure) == ["closure_requested", "account_closed"]
    state = given(identify(10), sale(), closure)
    assert state.products == 1 and state.stage == Stage.SERVE  # an account closed, not a client
    with pytest.raises(IllegalStepError, match="no retention attempt"):
        decide(state, c.RecordRetention(actor="rm", at=T0, retained=True, note="n"), POLICY)


def test_do_not_disturb_means_no_calls() -> None:
    dnd = c.SetContactPreference(actor="rm-1", at=T0, preference="do_not_disturb")
    state = given(identify(250), dnd)
    with pytest.raises(RuleViolationError, match="not to be disturbed") as caught:
        decide(state, c.LogContact(actor="rm-1", at=T0, channel="phone", summary="s"), POLICY)
    assert caught.value.rule == "do_not_disturb"
    assert types(state, c.LogContact(actor="rm-1", at=T0, channel="email", summary="s")) == [
        "contact_logged"]
    with pytest.raises(RuleViolationError):
        decide(given(identify(50), dnd), attempt(), POLICY)


def test_maintenance_cadence_by_tier() -> None:
    core = given(identify(250))
    assert next_contact_due(core, POLICY) == T0 + timedelta(days=30)
    ordinary_premium = given(identify(120), c.LogContact(
        actor="rm-1", at=T0 + timedelta(days=5), channel="phone", summary="portfolio review"))
    assert next_contact_due(ordinary_premium, POLICY) == T0 + timedelta(days=65)


def test_reassessment_moves_stage_with_tier() -> None:
    up = c.Reassess(actor="rm-1", at=T0, assessment=assessment(250))
    assert given(identify(10), up).stage == Stage.MAINTAIN
    down = c.Reassess(actor="rm-1", at=T0, assessment=assessment(10))
    demoted = given(identify(250), down)
    assert demoted.tier == ClientTier.ORDINARY and demoted.stage == Stage.NORMAL_CHANNELS


def test_churn_risk_from_products_and_complaints() -> None:
    link = c.LinkComplaint(actor="caseflow", at=T0, case_id="C1", change="opened")
    breach = c.LinkComplaint(actor="caseflow", at=T0, case_id="C1", change="breached")
    close = c.LinkComplaint(actor="caseflow", at=T0, case_id="C1", change="closed")
    assert given(identify(250)).products == 1  # the deposit
    three = given(identify(250), sale(), sale())
    assert churn_risk(three, POLICY) == 42
    five = given(identify(250, loans_10k=Decimal(5), intermediary_products=3))
    assert five.products == 5 and churn_risk(five, POLICY) == 12
    empty = given(identify(0, family=5, occupation=5, social_standing=5))
    with pytest.raises(RuleViolationError, match="holds no account"):
        decide(empty, c.RequestAccountClosure(actor="t", at=T0, account="A"), POLICY)
    assert churn_risk(given(identify(250), sale(), link, breach), POLICY) == 62 + 10 + 20
    assert churn_risk(given(identify(250), sale(), link, breach, close), POLICY) == 62
    assert [POLICY.churn_risk(n, 0, 0) for n in (1, 2, 3, 4, 5, 9)] == [62, 62, 42, 42, 12, 12]


def test_commands_before_identification_are_illegal() -> None:
    with pytest.raises(IllegalStepError, match="identify the client first"):
        decide(initial_state(), sale(), POLICY)


def test_shipped_policy_file_is_the_documented_defaults() -> None:
    loaded = client_policy()
    assert loaded.model_copy(update={"care": ClientPolicy().care}) == ClientPolicy()
    assert loaded.care.model_copy(update={"festivals": {}}) == ClientPolicy().care


def test_festival_dates_agree_with_the_official_holiday_calendar() -> None:
    """Lunar dates from lunardate, checked against chinese-calendar's named holidays."""
    import chinese_calendar

    festivals = client_policy(today=date(2026, 6, 1)).care.festivals
    names = {CareOccasion.SPRING_FESTIVAL: "Spring Festival",
             CareOccasion.MID_AUTUMN: "Mid-autumn Festival"}
    for occasion, days in festivals.items():
        assert [d.year for d in days][:3] == [2025, 2026, 2027]
        for day in days[:2]:  # 2025 and 2026: the years the official data covers
            assert chinese_calendar.get_holiday_detail(day) == (True, names[occasion]), day
    assert festivals[CareOccasion.SPRING_FESTIVAL][1] == date(2026, 2, 17)
    assert festivals[CareOccasion.MID_AUTUMN][1] == date(2026, 9, 25)


CARE = ClientPolicy(care=CarePlan(festivals={
    CareOccasion.SPRING_FESTIVAL: (date(2026, 2, 17), date(2027, 2, 6)),
    CareOccasion.MID_AUTUMN: (date(2026, 9, 25), date(2027, 9, 15))}))


def care_given(*commands: Any) -> ClientState:
    return Spec(CLIENT, CARE).given(*commands)


def test_care_occasions_remind_the_manager_the_day_before_at_nine() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    state = care_given(c.Identify(actor="lobby-1", at=T0, client_id="K1", birthday="09-25",
                                  assessment=assessment(250)), sale())
    seen = []
    for _ in range(5):
        alarm = next_care(state, CARE)
        assert alarm is not None
        events = decide(state, c.ClockTick(actor="clock", at=alarm.at), CARE)
        care = [e for e in events if isinstance(e, CareDue)]
        seen += [(e.occasion, e.day, e.due_at) for e in care]
        state = fold(events, state)
    def reminder(occasion: CareOccasion, day: date) -> tuple[CareOccasion, date, datetime]:
        return occasion, day, datetime.combine(day - timedelta(days=1), time(9), shanghai)

    assert seen == [  # a birthday on the festival's day: both, in a stable order
        reminder(CareOccasion.BIRTHDAY, date(2026, 9, 25)),
        reminder(CareOccasion.MID_AUTUMN, date(2026, 9, 25)),
        reminder(CareOccasion.SPRING_FESTIVAL, date(2027, 2, 6)),
        reminder(CareOccasion.MID_AUTUMN, date(2027, 9, 15)),
        reminder(CareOccasion.BIRTHDAY, date(2027, 9, 25)),
    ]


def test_a_care_reminder_comes_at_the_plan_s_hour_and_minute_and_not_a_tick_before() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    policy = ClientPolicy(care=CarePlan(remind_days_before=2, remind_hour=14, remind_minute=35))
    state = initial_state()
    for command in (c.Identify(actor="lobby-1", at=T0, client_id="K1", birthday="09-25",
                               assessment=assessment(250)), sale()):
        state = fold(decide(state, command, policy), state)
    due = datetime.combine(date(2026, 9, 23), time(14, 35), shanghai)
    alarm = next_care(state, policy)
    assert alarm is not None and alarm.at == due
    early = decide(state, c.ClockTick(actor="clock", at=due - timedelta(minutes=1)), policy)
    assert not [e for e in early if isinstance(e, CareDue)]
    on_time = decide(state, c.ClockTick(actor="clock", at=due), policy)
    assert [(e.occasion, e.due_at) for e in on_time if isinstance(e, CareDue)] == [
        (CareOccasion.BIRTHDAY, due)]


def test_care_is_for_premium_clients_in_maintenance_only() -> None:
    for deposits in (50, 10):  # potential (contact stage), ordinary (normal channels)
        state = care_given(c.Identify(actor="lobby-1", at=T0, client_id="K1", birthday="03-05",
                                      assessment=assessment(deposits)))
        assert state.stage != Stage.MAINTAIN
        assert all(a.kind is not CareDue for a in pending_alarms(state, CARE))


def test_a_leap_day_birthday_is_greeted_on_the_28th_and_bad_days_are_refused() -> None:
    state = care_given(c.Identify(actor="lobby-1", at=T0, client_id="K1", birthday="02-29",
                                  assessment=assessment(250)))
    birthdays: list[date] = []
    while len(birthdays) < 2:
        alarm = next_care(state, CARE)
        assert alarm is not None
        events = decide(state, c.ClockTick(actor="clock", at=alarm.at), CARE)
        birthdays += [e.day for e in events
                      if isinstance(e, CareDue) and e.occasion == CareOccasion.BIRTHDAY]
        state = fold(events, state)
    assert birthdays == [date(2027, 2, 28), date(2028, 2, 29)]
    for bad in ("02-30", "13-01", "1-5", "04-31"):
        with pytest.raises(ValidationError):
            c.Identify(actor="lobby-1", at=T0, client_id="K1", birthday=bad,
                       assessment=assessment(250))


def test_opening_an_account_counts_as_a_product_and_moves_to_serve() -> None:
    state = given(identify(50))
    assert (state.stage, state.products) == (Stage.CONTACT, 1)  # the deposit
    opened = c.OpenAccount(actor="rm-1", at=T0, account="ACC-1")
    assert types(state, opened) == ["account_opened", "stage_changed"]
    state = fold(decide(state, opened, POLICY), state)
    assert (state.products, state.stage, state.accounts) == (2, Stage.SERVE, frozenset({"ACC-1"}))
    with pytest.raises(RuleViolationError, match="already open"):
        decide(state, opened, POLICY)
    closure = c.RequestAccountClosure(actor="rm-1", at=T0, account="ACC-1")
    state = fold(decide(state, closure, POLICY), state)
    assert (state.products, state.accounts) == (1, frozenset())


def test_a_referral_records_who_referred_and_its_status() -> None:
    state = given(c.Identify(actor="lobby-1", at=T0, client_id="K1", referred_by="teller-3",
                             referral_status="awaiting_follow_up", assessment=assessment(250)))
    assert (state.referred_by, state.referral_status) == ("teller-3",
                                                          ReferralStatus.AWAITING_FOLLOW_UP)
    assert given(c.Identify(actor="lobby-1", at=T0, client_id="K1", referred_by="teller-3",
                            assessment=assessment(250))).referral_status == ReferralStatus.REFERRED
    with pytest.raises(RuleViolationError, match="who referred"):
        decide(initial_state(), c.Identify(actor="lobby-1", at=T0, client_id="K1",
                                           referral_status="referred",
                                           assessment=assessment(250)), POLICY)


COMMANDS = st.sampled_from(["attempt_fail", "attempt_meet", "sale", "closure", "retain",
                            "lose", "log", "dnd", "reassess_up", "reassess_down", "meeting",
                            "open", "tick"])


@settings(max_examples=400, deadline=None)
@hgiven(st.sampled_from([10, 50, 120, 250]), st.lists(COMMANDS, max_size=25))
def test_random_sequences_keep_the_relationship_consistent(
    deposits: int, sequence: list[str]
) -> None:
    state = care_given(identify(deposits, birthday="03-15"))
    managers: list[str | None] = []
    sales, opened, closed, held = 0, 0, 0, state.products
    for n, kind in enumerate(sequence, start=1):
        at = T0 + timedelta(days=n)
        command: Any = {
            "attempt_fail": attempt(days=n), "attempt_meet": attempt("meeting_agreed", days=n),
            "sale": sale(f"rm-{n % 3}", days=n),
            "closure": c.RequestAccountClosure(actor="t", at=at, account=f"A{n}"),
            "retain": c.RecordRetention(actor="rm", at=at, retained=True, note="n"),
            "lose": c.RecordRetention(actor="rm", at=at, retained=False, note="n"),
            "log": c.LogContact(actor="rm", at=at, channel="phone", summary="s"),
            "dnd": c.SetContactPreference(actor="rm", at=at, preference="do_not_disturb"),
            "reassess_up": c.Reassess(actor="rm", at=at, assessment=assessment(250)),
            "reassess_down": c.Reassess(actor="rm", at=at, assessment=assessment(10)),
            "meeting": c.RecordMeeting(actor="rm", at=at, needs="n", proposals="p", deal=True,
                                       next_contact_at=at + timedelta(days=10)),
            "open": c.OpenAccount(actor="rm", at=at, account=f"A{n % 4}"),
            "tick": c.ClockTick(actor="clock", at=at),
        }[kind]
        try:
            events = decide(state, command, CARE)
        except DomainError:
            continue
        before = state
        state = fold(events, state)
        sales += sum(e.type == "sale_recorded" for e in events)
        opened += sum(e.type == "account_opened" for e in events)
        closed += sum(e.type == "account_closed" for e in events)
        assert state.products == held + sales + opened - closed >= 0
        for care in (e for e in events if isinstance(e, CareDue)):
            assert before.stage == Stage.MAINTAIN and care.due_at <= at
        managers.append(state.manager)
        assert 0 <= churn_risk(state, POLICY) <= 100
        assert state.attempts <= max(len(state.follow_up_due), 0)
        if state.stage == Stage.LOST:
            assert state.closing_account is None
        assert state.tier is not None
        assert (state.stage == Stage.MAINTAIN) <= state.tier.is_premium
    # the first sale decided the manager; only a reassignment (none here) could change it
    owners = {m for m in managers if m is not None}
    assert len(owners) <= 1
