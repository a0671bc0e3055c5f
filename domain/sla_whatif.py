"""What-if for policy makers: the deadlines of past cases recomputed under a proposed SLA
policy and/or calendar, from their recorded receipt and reply times, and how many would have
breached, by outlet and category, beside what the recorded deadlines gave.

Pure and fast: every case received on the same local day with the same number of working days
has the same deadline, so a year of cases needs at most a few hundred deadline computations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from domain.calendar import BusinessCalendar
from domain.sla import SlaPolicy, deadline_from


class CaseTimes(NamedTuple):
    """What the worklist recorded of a case (a tuple: a year of them is built in a blink)."""

    outlet: str
    category: str
    received_on: date
    """The local day of receipt, in the policy's time zone."""
    due_at: datetime | None
    """The deadline in force when it was recorded."""
    replied_at: datetime | None
    extended: bool
    """An extension was approved: counted on the longer deadline."""
    open: bool


class WhatIfRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    outlet: str
    category: str
    cases: int
    breached_recorded: int
    breached_proposed: int
    provisional: int
    """Cases whose proposed deadline counts days of a year without a calendar."""


class WhatIfReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    policy_version: str
    calendar_version: str
    as_of: datetime
    rows: tuple[WhatIfRow, ...]
    cases: int
    breached_recorded: int
    breached_proposed: int


@dataclass
class _Tally:
    cases: int = 0
    recorded: int = 0
    proposed: int = 0
    provisional: int = 0


@dataclass
class _Deadlines:
    calendar: BusinessCalendar
    policy: SlaPolicy
    known: dict[tuple[date, int], tuple[datetime, bool]] = field(default_factory=dict)

    def due(self, received_on: date, working_days: int) -> tuple[datetime, bool]:
        key = (received_on, working_days)
        if key not in self.known:
            deadline = deadline_from(received_on, working_days, self.calendar, self.policy)
            self.known[key] = (deadline.due_at, deadline.provisional)
        return self.known[key]


def _breached(due_at: datetime | None, case: CaseTimes, now: datetime) -> bool:
    """Replied after the deadline; or, still unanswered and open, past it now."""
    if due_at is None:
        return False
    if case.replied_at is not None:
        return case.replied_at >= due_at
    return case.open and now >= due_at


def what_if(cases: Iterable[CaseTimes], calendar: BusinessCalendar, policy: SlaPolicy,
            now: datetime) -> WhatIfReport:
    deadlines = _Deadlines(calendar, policy)
    tallies: dict[tuple[str, str], _Tally] = {}
    for case in cases:
        days = policy.max_extended_working_days if case.extended else policy.reply_working_days
        due_at, provisional = deadlines.due(case.received_on, days)
        tally = tallies.setdefault((case.outlet, case.category), _Tally())
        tally.cases += 1
        tally.recorded += _breached(case.due_at, case, now)
        tally.proposed += _breached(due_at, case, now)
        tally.provisional += provisional
    rows = tuple(WhatIfRow(outlet=outlet, category=category, cases=t.cases,
                           breached_recorded=t.recorded, breached_proposed=t.proposed,
                           provisional=t.provisional)
                 for (outlet, category), t in sorted(tallies.items()))
    return WhatIfReport(policy_version=policy.version, calendar_version=calendar.version,
                        as_of=now, rows=rows, cases=sum(r.cases for r in rows),
                        breached_recorded=sum(r.breached_recorded for r in rows),
                        breached_proposed=sum(r.breached_proposed for r in rows))
