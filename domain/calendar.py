"""The bank's working-day calendar: weekends, statutory holidays, and make-up working days (调休).

Pure data and arithmetic; where the data comes from is `caseflow.calendar_source`. A calendar
knows which years it covers and refuses any date outside them.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, model_validator

from domain.errors import CalendarNotCoveredError


class BusinessCalendar(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str
    years: frozenset[int]
    holidays: frozenset[date]
    """Weekdays off (statutory holidays and days in lieu)."""
    makeup_workdays: frozenset[date]
    """Weekend days declared working days."""

    @model_validator(mode="after")
    def _dates_inside_years(self) -> BusinessCalendar:
        stray = sorted(d for d in self.holidays | self.makeup_workdays if d.year not in self.years)
        if stray:
            raise ValueError(f"dates outside the calendar's years: {stray[:3]}")
        both = self.holidays & self.makeup_workdays
        if both:
            raise ValueError(f"dates both holiday and make-up working day: {sorted(both)[:3]}")
        return self

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.years:
            covered = f"{min(self.years)}–{max(self.years)}" if self.years else "none"
            raise CalendarNotCoveredError(
                f"the working-day calendar ({self.version}) has no data for {day.year} "
                f"(covered: {covered}); add the bank's calendar entries for {day.year}"
            )
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def first_working_day_from(self, day: date) -> date:
        """`day` itself when it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (count >= 0; 0 gives `day`)."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day
