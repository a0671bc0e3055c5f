"""The bank's working-day calendar: weekends, statutory holidays, and make-up working days (调休).

Pure data and arithmetic; where the data comes from is `caseflow.policy.calendar` (the official
data) and `caseflow.calendar` (the versions the bank's admins enter and confirm). A calendar knows
which years it covers: asked about another year it refuses (`is_working_day`), or, where a
deadline must be given anyway, counts that year's days on weekends alone and says so
(`count_working_days`: the deadline is then provisional).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.errors import CalendarNotCoveredError


class BusinessCalendar(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str
    years: frozenset[int]
    holidays: frozenset[date]
    """Days off (statutory holidays and days in lieu; weekend days inside a holiday too)."""
    makeup_workdays: frozenset[date]
    """Weekend days declared working days."""
    revision: int = 0
    """The bank's calendar revision this data is (0: the official data alone); a case adopts a
    changed calendar only when it is newer than its own."""

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
        return _working(day, self.holidays, self.makeup_workdays)

    def count_working_days(self, day: date, count: int) -> tuple[date, tuple[int, ...]]:
        """The `count`-th working day after `day`, and the years the calendar does not cover
        whose days were counted on weekends alone (empty: the count is definitive)."""
        assumed: set[int] = set()
        for _ in range(count):
            day += timedelta(days=1)
            while not self._working_or_assumed(day, assumed):
                day += timedelta(days=1)
        return day, tuple(sorted(assumed))

    def first_working_day_or_assumed(self, day: date) -> tuple[date, tuple[int, ...]]:
        """`day` itself when it is a working day, else the next one; an uncovered year counted
        on weekends alone (and returned, as `count_working_days` does)."""
        assumed: set[int] = set()
        while not self._working_or_assumed(day, assumed):
            day += timedelta(days=1)
        return day, tuple(sorted(assumed))

    def working_days_after(self, day: date, last: date) -> int:
        """How many working days come after `day` up to `last` included (0 when `last` is not
        later); a year the calendar does not cover counted on weekends alone."""
        assumed: set[int] = set()
        count = 0
        while day < last:
            day += timedelta(days=1)
            count += self._working_or_assumed(day, assumed)
        return count

    def _working_or_assumed(self, day: date, assumed: set[int]) -> bool:
        if day.year in self.years:
            return _working(day, self.holidays, self.makeup_workdays)
        assumed.add(day.year)
        return day.weekday() < 5

    def with_years_of(self, newer: BusinessCalendar) -> BusinessCalendar:
        """This calendar with `newer`'s years in place of its own (added where it had none),
        under `newer`'s version: what a case holds after a calendar change."""
        kept = self.years - newer.years
        return BusinessCalendar(
            version=newer.version, revision=newer.revision, years=kept | newer.years,
            holidays=frozenset(d for d in self.holidays if d.year in kept) | newer.holidays,
            makeup_workdays=frozenset(d for d in self.makeup_workdays if d.year in kept)
            | newer.makeup_workdays)

    def only_years(self, years: Iterable[int]) -> BusinessCalendar:
        """Cut to the given years (those it covers): small enough to travel in a workflow's
        input or a calendar change's update."""
        wanted = frozenset(years) & self.years
        return self.model_copy(update={
            "years": wanted,
            "holidays": frozenset(d for d in self.holidays if d.year in wanted),
            "makeup_workdays": frozenset(d for d in self.makeup_workdays if d.year in wanted)})

    def changed_days(self, newer: BusinessCalendar, year: int) -> tuple[date, ...]:
        """The days of `year` whose working status `newer` gives differently; for a year this
        calendar does not cover, against weekends alone (what provisional deadlines assumed)."""
        day, changed = date(year, 1, 1), []
        while day.year == year:
            before = (_working(day, self.holidays, self.makeup_workdays) if year in self.years
                      else day.weekday() < 5)
            if newer.is_working_day(day) != before:
                changed.append(day)
            day += timedelta(days=1)
        return tuple(changed)


def _working(day: date, holidays: frozenset[date], makeup: frozenset[date]) -> bool:
    if day in makeup:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


class Holiday(BaseModel):
    """One holiday of the State Council's notice: its name and the days off, first to last
    (weekend days inside the range included, as the notice counts them)."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=40)
    first: date
    last: date

    @model_validator(mode="after")
    def _in_order(self) -> Holiday:
        if self.last < self.first:
            raise ValueError(f"{self.name}: the last day {self.last} is before the first "
                             f"{self.first}")
        if (self.last - self.first).days > 14:
            raise ValueError(f"{self.name}: {self.first}–{self.last} is longer than any "
                             "statutory holiday (15 days)")
        return self

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


class YearSchedule(BaseModel):
    """A year's working-day schedule as the State Council's notice lists it: the holidays and
    the weekend days declared working days. Refuses what the notice cannot say."""

    model_config = ConfigDict(frozen=True)

    year: int = Field(ge=2000, le=2100)
    holidays: tuple[Holiday, ...]
    makeup_workdays: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> YearSchedule:
        problems: list[str] = []
        stray = sorted({d for h in self.holidays for d in (h.first, h.last)
                        if d.year != self.year} | {d for d in self.makeup_workdays
                                                   if d.year != self.year})
        if stray:
            problems.append(f"dates outside {self.year}: {_dates(stray)}")
        weekdays = sorted(d for d in self.makeup_workdays if d.weekday() < 5)
        if weekdays:
            problems.append(f"make-up working days must be weekend days: {_dates(weekdays)} "
                            "fall on weekdays")
        repeated = sorted({d for d in self.makeup_workdays if self.makeup_workdays.count(d) > 1})
        if repeated:
            problems.append(f"make-up working days listed twice: {_dates(repeated)}")
        seen: dict[date, str] = {}
        for holiday in self.holidays:
            for day in holiday.days():
                if day in seen:
                    problems.append(f"{holiday.name} overlaps {seen[day]} on {day}")
                    break
                seen[day] = holiday.name
        both = sorted(set(seen) & set(self.makeup_workdays))
        if both:
            problems.append(f"dates both off and working: {_dates(both)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def days_off(self) -> frozenset[date]:
        return frozenset(d for h in self.holidays for d in h.days())

    def calendar(self, version: str, revision: int) -> BusinessCalendar:
        return BusinessCalendar(version=version, revision=revision, years=frozenset({self.year}),
                                holidays=self.days_off(),
                                makeup_workdays=frozenset(self.makeup_workdays))


class CalendarProposal(BaseModel):
    """What an admin enters: a year not yet covered (`schedule`), or a change to a covered year
    (`amendment`, which must say what it changes and why)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["schedule", "amendment"]
    schedule: YearSchedule
    reason: str | None = Field(default=None, max_length=500)
    """For an amendment: what it changes and on whose notice (e.g. 国办发明电〔2020〕1号)."""

    @model_validator(mode="after")
    def _amendment_says_why(self) -> CalendarProposal:
        if self.kind == "amendment" and not (self.reason and self.reason.strip()):
            raise ValueError("an amendment must say what it changes and why (reason)")
        return self


def _dates(days: list[date]) -> str:
    shown = ", ".join(d.isoformat() for d in days[:5])
    return shown + (f" and {len(days) - 5} more" if len(days) > 5 else "")
