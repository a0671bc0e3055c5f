"""The SLA what-if report: the cases received in a date range, read from the worklist, with
their deadlines recomputed under a proposed policy and/or calendar (laid over the one in
force). Read-only. Supervisors and outlet heads see their units' cases; auditors every one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from caseflow.calendar.book import CalendarBook
from domain.access import AccessDeniedError, Principal, Role, visible_outlets
from domain.calendar import YearSchedule
from domain.sla import SlaPolicy
from domain.sla_whatif import CaseTimes, WhatIfReport, what_if

ASKERS = frozenset({Role.SUPERVISOR, Role.OUTLET_HEAD, Role.AUDITOR})
PROPOSED_REVISION = 1_000_000
"""The revision a proposed calendar is given: above any real one, so it replaces every year it
holds."""


async def read_case_times(pool: asyncpg.Pool, start: datetime, end: datetime,
                          outlets: Sequence[str] | None, zone: ZoneInfo) -> list[CaseTimes]:
    rows = await pool.fetch(
        """SELECT outlet, category, (received_at AT TIME ZONE $4)::date, due_at, replied_at,
                  extension = 'approved', status <> 'closed'
           FROM complaint_cases
           WHERE received_at >= $1 AND received_at < $2
             AND ($3::text[] IS NULL OR outlet = ANY($3))""",
        start, end, list(outlets) if outlets is not None else None, zone.key)
    return [CaseTimes(*r) for r in rows]


class WhatIfService:
    def __init__(self, pool: asyncpg.Pool, book: CalendarBook, policy: SlaPolicy) -> None:
        self._pool = pool
        self._book = book
        self._policy = policy

    def proposed_policy(self, changes: Mapping[str, Any]) -> SlaPolicy:
        """The policy in force with the proposed fields changed (a bad one: ValidationError)."""
        return SlaPolicy.model_validate({**self._policy.model_dump(mode="json"), **changes})

    async def report(self, by: Principal, received_from: date, received_to: date, now: datetime,
                     *, policy: SlaPolicy | None = None,
                     schedules: Sequence[YearSchedule] = (),
                     outlet: str | None = None) -> WhatIfReport:
        """Cases received from `received_from` to `received_to` (inclusive, local days)."""
        if by.role not in ASKERS:
            raise AccessDeniedError(f"{by.name} is a {by.role.value}: the what-if report is for "
                                    "supervisors, outlet heads and auditors")
        if received_to < received_from:
            raise ValueError("the range ends before it starts")
        outlets = visible_outlets(by, outlet)
        proposed = policy or self._policy
        calendar = await self._book.in_force()
        for schedule in schedules:
            label = f"{calendar.version}+proposed"
            calendar = calendar.with_years_of(schedule.calendar(label, PROPOSED_REVISION))
        zone = ZoneInfo(proposed.time_zone)
        start = datetime.combine(received_from, time(0, 0), zone)
        end = datetime.combine(received_to + timedelta(days=1), time(0, 0), zone)
        cases = await read_case_times(self._pool, start, end, outlets, zone)
        return what_if(cases, calendar, proposed, now)
