"""The complaint statistics the bank reports upward (seed 000: complaints counted, analysed and
reported): for the cases received in a period, how many were closed, resolved on the spot,
answered within the reply period, extended, breached, reopened, satisfied; how long handling
took in working days (average and 90th percentile); and the same broken down by category,
cause, channel, outlet and handler. Pure: the facts come from the worklist rows."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from domain.calendar import BusinessCalendar
from domain.sla import SlaPolicy, deadline_after, local_date

DIMENSIONS = ("category", "cause", "channel", "outlet", "handler")


class CaseFacts(BaseModel):
    """One case as the report counts it."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    outlet: str
    handler: str | None
    category: str
    cause: str | None
    channel: str
    received_at: datetime
    replied_at: datetime | None
    closed_at: datetime | None
    close_reason: str | None
    extended: bool
    ever_breached: bool
    reopened: int


class Figures(BaseModel):
    model_config = ConfigDict(frozen=True)

    received: int
    closed: int
    open: int
    resolved_on_spot: int
    replied_in_time: int
    """Replied to within the policy's reply period (3 working days) of receipt."""
    extended: int
    breached: int
    reopened: int
    satisfied: int
    withdrawn: int
    no_response: int
    handling_days_average: float | None
    """Working days from the day of receipt to the day of closing, over the closed cases."""
    handling_days_p90: int | None


class Breakdown(BaseModel):
    model_config = ConfigDict(frozen=True)

    dimension: str
    value: str
    figures: Figures


class ComplaintReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    calendar_version: str
    policy_version: str
    total: Figures
    breakdowns: tuple[Breakdown, ...]


def average_days(total: int, count: int) -> float | None:
    """The average handling time as reported: two decimals (None without a closed case)."""
    return round(total / count, 2) if count else None


def complaint_report(cases: Sequence[CaseFacts], calendar: BusinessCalendar,
                     policy: SlaPolicy) -> ComplaintReport:
    zone = ZoneInfo(policy.time_zone)

    def in_time(case: CaseFacts) -> bool:
        if case.replied_at is None:
            return False
        due = deadline_after(case.received_at, policy.reply_working_days, calendar, policy)
        return case.replied_at <= due.due_at

    def handling_days(case: CaseFacts) -> int | None:
        if case.closed_at is None:
            return None
        return calendar.working_days_after(local_date(case.received_at, zone),
                                           local_date(case.closed_at, zone))

    # What needs the calendar, once per case (each case counts in the total and five groups).
    replied_in_time = {c.case_id: in_time(c) for c in cases}
    handling = {c.case_id: handling_days(c) for c in cases}

    def figures(group: Sequence[CaseFacts]) -> Figures:
        closed = [c for c in group if c.closed_at is not None]
        days = sorted(d for c in closed if (d := handling[c.case_id]) is not None)

        def count(test: Callable[[CaseFacts], bool]) -> int:
            return sum(1 for c in group if test(c))

        return Figures(
            received=len(group), closed=len(closed), open=len(group) - len(closed),
            resolved_on_spot=count(lambda c: c.close_reason == "resolved_on_spot"),
            replied_in_time=count(lambda c: replied_in_time[c.case_id]),
            extended=count(lambda c: c.extended),
            breached=count(lambda c: c.ever_breached), reopened=count(lambda c: c.reopened > 0),
            satisfied=count(lambda c: c.close_reason == "client_satisfied"),
            withdrawn=count(lambda c: c.close_reason == "withdrawn"),
            no_response=count(lambda c: c.close_reason == "no_response"),
            handling_days_average=average_days(sum(days), len(days)),
            handling_days_p90=days[math.ceil(0.9 * len(days)) - 1] if days else None)

    breakdowns = []
    for dimension in DIMENSIONS:
        groups: dict[str, list[CaseFacts]] = {}
        for case in cases:
            groups.setdefault(getattr(case, dimension) or "—", []).append(case)
        breakdowns += [Breakdown(dimension=dimension, value=value, figures=figures(group))
                       for value, group in sorted(groups.items())]
    return ComplaintReport(calendar_version=calendar.version, policy_version=policy.version,
                           total=figures(cases), breakdowns=tuple(breakdowns))
