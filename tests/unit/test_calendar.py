"""The official calendar and the SLA deadline arithmetic around the 2026 holidays."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from caseflow.policy.calendar import calendar_for, official_calendar
from domain.errors import CalendarNotCoveredError
from domain.sla import SlaPolicy, deadline_after, escalation_times

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


def test_received_on_a_holiday_counts_from_the_next_working_day() -> None:
    received = at(date(2026, 10, 3), 11)  # Saturday inside National Day
    deadline = deadline_after(received, 3, CAL, POLICY)
    assert deadline.counted_from == date(2026, 10, 8)
    assert deadline.due_date == date(2026, 10, 12)  # 9 Fri, 10 Sat make-up, 12 Mon


def test_late_evening_utc_is_already_the_next_day_in_shanghai() -> None:
    received = datetime(2026, 9, 29, 17, 30, tzinfo=UTC)  # 01:30 on the 30th in Shanghai
    assert deadline_after(received, 3, CAL, POLICY).counted_from == date(2026, 9, 30)


def test_escalation_rungs_follow_working_days() -> None:
    deadline = deadline_after(at(date(2026, 9, 30)), 3, CAL, POLICY)
    times = escalation_times(deadline, CAL, POLICY)
    # breach at the end of Sat 10-10 (outlet head), then the end of Mon 10-12 (service mgmt)
    local_days = [t.astimezone(SHANGHAI).date() for t in times]
    assert local_days == [date(2026, 10, 11), date(2026, 10, 13)]


def test_a_year_without_data_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarNotCoveredError, match="no data for 2027"):
        CAL.is_working_day(date(2027, 1, 4))
    with pytest.raises(CalendarNotCoveredError, match="2027"):
        deadline_after(at(date(2026, 12, 30)), 3, CAL, POLICY)


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
