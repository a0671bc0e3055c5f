"""The calendar a new case counts on: the official data (or a test's) with the bank's
confirmed versions laid over it, read from PostgreSQL at each registration so a confirmed
change applies from the next case on, in every process."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

from caseflow.calendar.versions import calendar_in_force
from domain.calendar import BusinessCalendar


class CalendarBook:
    def __init__(self, official: BusinessCalendar, pool: asyncpg.Pool | None = None) -> None:
        self.official = official
        self._pool = pool

    async def in_force(self) -> BusinessCalendar:
        if self._pool is None:
            return self.official
        return await calendar_in_force(self._pool, self.official)

    async def for_years(self, years: Iterable[int]) -> BusinessCalendar:
        return (await self.in_force()).only_years(years)
