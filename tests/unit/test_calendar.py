"""The official calendar and the SLA deadline arithmetic around the 2026 holidays."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from caseflow.policy.calendar import calendar_for, official_calendar
from domain.calendar import CalendarProposal, Holiday, YearSchedule
from domain.errors import CalendarNotCoveredError
from domain.sla import DayZero, SlaPolicy, deadline_after, escalation_times, recomputed

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = official_calendar()
POLICY = SlaPolicy()


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),   # Friday before Spring Festival
        (date(2026, 2, 14), True),   # Saturday, make-up working day
        (date(2026, 2, 16), False),  # New Year's Eve (Monday)
        (date(2026, 2, 20), False),  # Friday, day in lieu
        (date(2026, 2, 23), False),  # Monday, day in lieu
        (date(2026, 2, 24), True),   # back to work
        (date(2026, 2, 28), True),   # Saturday, make-up working day
        (date(2026, 9, 20), True),   # Sunday, make-up working day
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday, make-up working day
        (date(2026, 10, 11), False),  # ordinary Sunday
    ],
)
def test_working_days_2026(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_the_brief_example_national_day() -> None:
    """Received Wednesday 2026-09-30 10:00 → due by the end of Saturday 2026-10-10."""
    deadline = deadline_after(at(date(2026, 9, 30)), 3, CAL, POLICY)
    assert deadline.counted_from == date(2026, 9, 30)
    assert deadline.due_date == date(2026, 10, 10)
    assert deadline.due_at == datetime(2026, 10, 11, 0, 0, tzinfo=SHANGHAI).astimezone(UTC)
    assert deadline.warning_at == at(date(2026, 10, 10), 9).astimezone(UTC)
    assert deadline.calendar_version == CAL.version


def test_spring_festival_extension_to_seven_working_days() -> None:
    received = at(date(2026, 2, 12), 16)  # Thursday
    assert deadline_after(received, 3, CAL, POLICY).due_date == date(2026, 2, 24)
    # 13 Fri, 14 Sat (make-up), 24 Tue, 25, 26, 27, 28 Sat (make-up) → 7th working day
    assert deadline_after(received, 7, CAL, POLICY).due_date == date(2026, 2, 28)


def test_received_on_a_holiday_counts_the_working_days_after_it() -> None:
    """The day of receipt is day 0 whether or not it is a working day (sla-2026.2)."""
    received = at(date(2026, 10, 3), 11)  # Saturday inside National Day
    deadline = deadline_after(received, 3, CAL, POLICY)
    assert deadline.counted_from == date(2026, 10, 3)
    assert deadline.due_date == date(2026, 10, 10)  # 8 Thu, 9 Fri, 10 Sat make-up


def test_saturday_of_an_ordinary_week_is_due_like_the_friday_before() -> None:
    friday = deadline_after(at(date(2026, 11, 27)), 3, CAL, POLICY)
    saturday = deadline_after(at(date(2026, 11, 28)), 3, CAL, POLICY)
    assert friday.due_date == saturday.due_date == date(2026, 12, 2)  # Wednesday


def test_cases_under_the_first_policy_keep_its_counting() -> None:
    """sla-2026.1 counted from the first working day on or after receipt; a policy recorded
    under it (no day_zero in its payload) still counts that way, so its cases replay."""
    first = SlaPolicy.model_validate({**POLICY.model_dump(mode="json", exclude={"day_zero"}),
                                      "version": "sla-2026.1"})
    assert first.day_zero == DayZero.FIRST_WORKING_DAY
    saturday = deadline_after(at(date(2026, 11, 28)), 3, CAL, first)
    assert saturday.counted_from == date(2026, 11, 30) and saturday.due_date == date(2026, 12, 3)
    assert SlaPolicy.model_validate(POLICY.model_dump(mode="json")).day_zero == DayZero.RECEIPT


# The State Council's notices (国务院办公厅关于…部分节假日安排的通知) for 2024–2026, written
# out here by hand: days off (放假) and weekend days worked (上班) around Spring Festival,
# Labour Day and National Day, checked against the calendar caseflow loads.
OFFICIAL: dict[str, tuple[tuple[tuple[date, date], ...], tuple[date, ...]]] = {
    "2024 春节": (((date(2024, 2, 10), date(2024, 2, 17)),),
                (date(2024, 2, 4), date(2024, 2, 18))),
    "2024 劳动节": (((date(2024, 5, 1), date(2024, 5, 5)),),
                  (date(2024, 4, 28), date(2024, 5, 11))),
    "2024 国庆节、中秋节": (((date(2024, 9, 15), date(2024, 9, 17)),
                       (date(2024, 10, 1), date(2024, 10, 7))),
                      (date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12))),
    "2025 春节": (((date(2025, 1, 28), date(2025, 2, 4)),), (date(2025, 1, 26), date(2025, 2, 8))),
    "2025 劳动节": (((date(2025, 5, 1), date(2025, 5, 5)),), (date(2025, 4, 27),)),
    "2025 国庆节、中秋节": (((date(2025, 10, 1), date(2025, 10, 8)),),
                      (date(2025, 9, 28), date(2025, 10, 11))),
    "2026 春节": (((date(2026, 2, 15), date(2026, 2, 23)),),
                (date(2026, 2, 14), date(2026, 2, 28))),
    "2026 劳动节": (((date(2026, 5, 1), date(2026, 5, 5)),), (date(2026, 5, 9),)),
    "2026 国庆节、中秋节": (((date(2026, 9, 25), date(2026, 9, 27)),
                       (date(2026, 10, 1), date(2026, 10, 7))),
                      (date(2026, 9, 20), date(2026, 10, 10))),
}


@pytest.mark.parametrize("holiday", sorted(OFFICIAL))
def test_official_schedule_around_the_long_holidays(holiday: str) -> None:
    """Every day from two weeks before to two weeks after: off inside the holiday, working on
    its make-up days, weekends and weekdays as usual otherwise."""
    off, makeup = OFFICIAL[holiday]
    day = off[0][0] - timedelta(days=14)
    while day <= off[-1][1] + timedelta(days=14):
        inside = any(first <= day <= last for first, last in off)
        expected = day in makeup or (not inside and day.weekday() < 5)
        assert CAL.is_working_day(day) is expected, (holiday, day)
        day += timedelta(days=1)


@pytest.mark.parametrize(("received", "due"), [
    (date(2024, 2, 9), date(2024, 2, 20)),    # New Year's Eve, a working Friday: 18, 19, 20
    (date(2024, 2, 12), date(2024, 2, 20)),   # inside the holiday: 18 Sun make-up, 19, 20
    (date(2024, 2, 4), date(2024, 2, 7)),     # Sunday make-up working day: 5, 6, 7
    (date(2024, 9, 29), date(2024, 10, 9)),   # Sunday make-up day: 30 Mon, 8, 9
    (date(2024, 10, 3), date(2024, 10, 10)),  # inside National Day: 8, 9, 10
    (date(2024, 4, 30), date(2024, 5, 8)),    # Tuesday before Labour Day: 6, 7, 8
    (date(2025, 1, 25), date(2025, 2, 5)),    # ordinary Saturday: 26 Sun make-up, 27, 5 Feb
    (date(2025, 4, 30), date(2025, 5, 8)),    # Wednesday before Labour Day: 6, 7, 8
    (date(2025, 10, 4), date(2025, 10, 11)),  # inside National Day: 9, 10, 11 Sat make-up
    (date(2026, 2, 13), date(2026, 2, 25)),   # Friday before: 14 Sat make-up, 24, 25
    (date(2026, 5, 2), date(2026, 5, 8)),     # inside Labour Day: 6, 7, 8
    (date(2026, 5, 9), date(2026, 5, 13)),    # Saturday make-up day: 11, 12, 13
])
def test_three_working_days_around_the_holidays(received: date, due: date) -> None:
    deadline = deadline_after(at(received), 3, CAL, POLICY)
    assert (deadline.counted_from, deadline.due_date) == (received, due)
    assert not deadline.provisional


def test_an_uncovered_year_makes_the_deadline_provisional_not_refused() -> None:
    """2027 has no calendar yet: its days are counted on weekends alone, and said so."""
    received = at(date(2026, 12, 29))  # Tuesday: 30, 31, then Friday 1 January 2027
    deadline = deadline_after(received, 3, CAL, POLICY)
    assert deadline.due_date == date(2027, 1, 1)
    assert deadline.provisional and deadline.provisional_years == (2027,)
    on_the_28th = deadline_after(at(date(2026, 12, 28)), 3, CAL, POLICY)
    assert on_the_28th.due_date == date(2026, 12, 31) and not on_the_28th.provisional
    extended = deadline_after(at(date(2026, 12, 28)), 7, CAL, POLICY)
    assert extended.due_date == date(2027, 1, 6) and extended.provisional_years == (2027,)


def test_recomputed_on_the_new_year_the_deadline_moves_and_is_definitive() -> None:
    received = at(date(2026, 12, 29))
    provisional = deadline_after(received, 3, CAL, POLICY)
    year = YearSchedule(year=2027, holidays=(
        Holiday(name="元旦", first=date(2027, 1, 1), last=date(2027, 1, 3)),))
    newer = CAL.with_years_of(year.calendar("cal-2027", 1))
    again = recomputed(provisional, newer, POLICY)
    assert again.due_date == date(2027, 1, 4) and not again.provisional
    assert again.calendar_version == "cal-2027" and again.received_on == date(2026, 12, 29)
    assert CAL.changed_days(newer, 2027) == (date(2027, 1, 1),)


def test_a_year_without_data_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarNotCoveredError, match="no data for 2027"):
        CAL.is_working_day(date(2027, 1, 4))


def test_late_evening_utc_is_already_the_next_day_in_shanghai() -> None:
    received = datetime(2026, 9, 29, 17, 30, tzinfo=UTC)  # 01:30 on the 30th in Shanghai
    assert deadline_after(received, 3, CAL, POLICY).counted_from == date(2026, 9, 30)


def test_escalation_rungs_follow_working_days() -> None:
    deadline = deadline_after(at(date(2026, 9, 30)), 3, CAL, POLICY)
    times = escalation_times(deadline, CAL, POLICY)
    # breach at the end of Sat 10-10 (outlet head), then the end of Mon 10-12 (service mgmt)
    local_days = [t.astimezone(SHANGHAI).date() for t in times]
    assert local_days == [date(2026, 10, 11), date(2026, 10, 13)]


def test_bank_entries_extend_the_calendar(tmp_path: Path) -> None:
    entries = tmp_path / "bank.json"
    entries.write_text(json.dumps({"years": {"2027": {
        "holidays": ["2027-01-01"], "makeup_workdays": ["2027-01-02"]}}}))
    cal = official_calendar(entries)
    assert cal.is_working_day(date(2027, 1, 2)) and not cal.is_working_day(date(2027, 1, 1))
    assert cal.version != CAL.version
    received = at(date(2026, 12, 30))
    assert deadline_after(received, 3, cal, POLICY).due_date == date(2027, 1, 4)


def test_malformed_bank_entries_are_named(tmp_path: Path) -> None:
    entries = tmp_path / "bank.json"
    entries.write_text(json.dumps({"years": {"2027": {"holidays": ["2027-13-01"]}}}))
    with pytest.raises(ValueError, match="malformed"):
        official_calendar(entries)


def test_cut_to_years_keeps_only_those() -> None:
    cut = calendar_for([2026, 2027])
    assert cut.years == frozenset({2026})
    assert cut.version == CAL.version
    assert all(d.year == 2026 for d in cut.holidays | cut.makeup_workdays)


@pytest.mark.parametrize("year", [2025, 2026])
def test_official_data_agrees_with_the_holidays_package(year: int) -> None:
    """Two independently kept sources must agree on every day of the years both cover."""
    other = holidays.country_holidays("CN", years=[year])
    day = date(year, 1, 1)
    while day.year == year:
        other_working = day in other.weekend_workdays or (day.weekday() < 5 and day not in other)
        assert CAL.is_working_day(day) is other_working, day
        day = day.fromordinal(day.toordinal() + 1)


def schedule(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "year": 2027,
        "holidays": [{"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"},
                     {"name": "春节", "first": "2027-02-06", "last": "2027-02-13"}],
        "makeup_workdays": ["2027-01-31", "2027-02-20"]}
    return {**fields, **overrides}


def test_a_year_schedule_as_the_notice_lists_it() -> None:
    year = YearSchedule.model_validate(schedule())
    assert date(2027, 2, 10) in year.days_off() and len(year.days_off()) == 11
    calendar = year.calendar("v", 1)
    assert calendar.is_working_day(date(2027, 1, 31)) and not calendar.is_working_day(
        date(2027, 2, 8))


@pytest.mark.parametrize(("bad", "message"), [
    ({"makeup_workdays": ["2026-12-27"]}, "dates outside 2027"),
    ({"holidays": [{"name": "元旦", "first": "2026-12-31", "last": "2027-01-01"}]},
     "dates outside 2027"),
    ({"makeup_workdays": ["2027-02-01"]}, "must be weekend days: 2027-02-01"),
    ({"makeup_workdays": ["2027-01-31", "2027-01-31"]}, "listed twice"),
    ({"holidays": [{"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"},
                   {"name": "又一个", "first": "2027-01-03", "last": "2027-01-04"}]},
     "又一个 overlaps 元旦 on 2027-01-03"),
    ({"makeup_workdays": ["2027-01-02"]}, "both off and working: 2027-01-02"),
    ({"holidays": [{"name": "元旦", "first": "2027-01-03", "last": "2027-01-01"}]},
     "before the first"),
])
def test_a_schedule_the_notice_cannot_say_is_refused(bad: dict[str, object],
                                                      message: str) -> None:
    with pytest.raises(ValueError, match=message):
        YearSchedule.model_validate(schedule(**bad))


def test_an_amendment_says_what_it_changes() -> None:
    year = YearSchedule.model_validate(schedule())
    with pytest.raises(ValueError, match="must say what it changes"):
        CalendarProposal(kind="amendment", schedule=year, reason="  ")
    assert CalendarProposal(kind="amendment", schedule=year, reason="春节延长").reason
