"""The what-if report, given recorded cases: recomputed under a proposed policy or calendar,
counted by outlet and category beside what their recorded deadlines gave."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from caseflow.policy.calendar import official_calendar
from domain.calendar import Holiday, YearSchedule
from domain.sla import SlaPolicy, deadline_after
from domain.sla_whatif import CaseTimes, what_if
from tests.complaint_fixtures import SHANGHAI

CAL = official_calendar()
POLICY = SlaPolicy()
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def case(received: datetime, replied_after: timedelta | None, *, outlet: str = "outlet-9",
         category: str = "fees", extended: bool = False, open: bool = False) -> CaseTimes:
    days = 7 if extended else 3
    return CaseTimes(outlet=outlet, category=category,
                     received_on=received.astimezone(SHANGHAI).date(),
                     due_at=deadline_after(received, days, CAL, POLICY).due_at,
                     replied_at=received + replied_after if replied_after else None,
                     extended=extended, open=open)


MONDAY = datetime(2026, 11, 16, 10, tzinfo=SHANGHAI)


def test_the_same_policy_and_calendar_give_what_was_recorded() -> None:
    cases = [case(MONDAY, timedelta(days=1)), case(MONDAY, timedelta(days=4)),
             case(MONDAY, None, open=True), case(MONDAY, None, category="cards")]
    report = what_if(cases, CAL, POLICY, NOW)
    assert report.cases == 4
    assert report.breached_recorded == report.breached_proposed == 2  # late reply, still open
    assert [(r.category, r.cases) for r in report.rows] == [("cards", 1), ("fees", 3)]


def test_a_shorter_policy_breaches_more_a_holiday_fewer() -> None:
    replied_on_day_3 = [case(MONDAY + timedelta(hours=h), timedelta(days=2, hours=20))
                        for h in range(5)]  # Monday → replied Thursday morning: in time
    two_days = SlaPolicy(reply_working_days=2)
    assert what_if(replied_on_day_3, CAL, two_days, NOW).breached_proposed == 5
    late = [case(MONDAY, timedelta(days=3, hours=15))]  # Friday 01:00: a day late
    assert what_if(late, CAL, POLICY, NOW).breached_proposed == 1
    tuesday_off = YearSchedule(year=2026, holidays=(
        *[Holiday(name=f"h{d}", first=d, last=d) for d in sorted(CAL.holidays)
          if d.year == 2026], Holiday(name="test", first=date(2026, 11, 17),
                                      last=date(2026, 11, 17))),
        makeup_workdays=tuple(sorted(d for d in CAL.makeup_workdays if d.year == 2026)))
    calendar = CAL.with_years_of(tuesday_off.calendar("proposed", 99))
    report = what_if(late, calendar, POLICY, NOW)
    assert report.breached_recorded == 1 and report.breached_proposed == 0
    assert report.calendar_version == "proposed"


def test_extended_cases_count_on_the_longer_deadline() -> None:
    extended = [case(MONDAY, timedelta(days=6), extended=True)]
    assert what_if(extended, CAL, POLICY, NOW).breached_proposed == 0
    assert what_if(extended, CAL, SlaPolicy(max_extended_working_days=3),
                   NOW).breached_proposed == 1
