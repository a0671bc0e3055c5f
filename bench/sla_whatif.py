"""The SLA what-if report over a year of cases: N cases (default 100,000) received across 2026 in
100 outlets and 12 categories, written to the worklist table; then the report for the whole
year under a proposed policy (2 working days instead of 3) and under a proposed calendar (an
extra day off in every month), end to end (reading the rows, recomputing every deadline,
counting). Side by side, in the same run, on the same rows: PostgreSQL counting the recorded
breaches by outlet and category in one aggregate query, the floor of any report over them.
Measured: seconds per report (median of 3) and the ratio to that floor."""

from __future__ import annotations

import argparse
import asyncio
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.common import reports_against_floor, throwaway_postgres
from caseflow.calendar.book import CalendarBook
from caseflow.logs import configure_logging
from caseflow.policy.calendar import official_calendar
from caseflow.services.sla_whatif import WhatIfService
from caseflow.store import connect_pool
from domain.access import Principal, Role
from domain.calendar import Holiday, YearSchedule
from domain.sla import SlaPolicy, deadline_after

SHANGHAI = ZoneInfo("Asia/Shanghai")
AUDITOR = Principal(name="auditor-bench", role=Role.AUDITOR)
FLOOR = """SELECT outlet, category, count(*) AS cases,
                  count(*) FILTER (WHERE replied_at >= due_at
                                   OR (replied_at IS NULL AND status <> 'closed'
                                       AND $3 >= due_at)) AS breached
           FROM complaint_cases WHERE received_at >= $1 AND received_at < $2
           GROUP BY outlet, category"""


def rows(count: int) -> list[tuple[object, ...]]:
    calendar, policy, rng = official_calendar(), SlaPolicy(), random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=SHANGHAI)
    out: list[tuple[object, ...]] = []
    for n in range(count):
        received = start + timedelta(seconds=rng.randrange(365 * 86400))
        extended = rng.random() < 0.1
        due = deadline_after(received, 7 if extended else 3, calendar, policy).due_at
        replied = received + timedelta(hours=rng.uniform(1, 24 * (9 if extended else 6)))
        closed = rng.random() < 0.9
        out.append((f"B-{n}", "closed" if closed else "replied", "officer-1",
                    f"outlet-{n % 100}", "ordinary", f"category-{n % 12}", "phone", received,
                    due, False, 0, "approved" if extended else "none", None,
                    replied if closed else None, 9, False, 7 if extended else 3, replied))
    return out


def extra_days_off() -> YearSchedule:
    official = official_calendar()
    kept = sorted(d for d in official.holidays if d.year == 2026)
    extra = [date(2026, m, 10) for m in range(1, 13)]
    extra = [d for d in extra if d.weekday() < 5 and d not in kept
             and d not in official.makeup_workdays]
    return YearSchedule(year=2026, holidays=tuple(
        Holiday(name="day", first=d, last=d) for d in sorted({*kept, *extra})),
        makeup_workdays=tuple(sorted(d for d in official.makeup_workdays if d.year == 2026)))


async def run(count: int) -> None:
    pool = await connect_pool(throwaway_postgres())
    columns = ["case_id", "status", "handler", "outlet", "client_tier", "category", "channel",
               "received_at", "due_at", "breached", "escalation_level", "extension",
               "close_reason", "closed_at", "version", "deadline_provisional",
               "deadline_working_days", "replied_at"]
    async with pool.acquire() as conn:
        await conn.copy_records_to_table("complaint_cases", records=rows(count),
                                         columns=columns)
        await conn.execute("ANALYZE complaint_cases")
    service = WhatIfService(pool, CalendarBook(official_calendar(), pool), SlaPolicy())
    now = datetime(2027, 1, 15, tzinfo=UTC)
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    start = datetime(2026, 1, 1, tzinfo=SHANGHAI)
    end = datetime(2027, 1, 1, tzinfo=SHANGHAI)

    async def floor() -> int:
        found = await pool.fetch(FLOOR, start, end, now)
        return sum(r["cases"] for r in found)

    async def shorter_policy() -> int:
        report = await service.report(AUDITOR, first, last, now,
                                      policy=SlaPolicy(reply_working_days=2))
        return report.cases

    async def more_days_off() -> int:
        report = await service.report(AUDITOR, first, last, now, schedules=[extra_days_off()])
        return report.cases

    print(await reports_against_floor([("PostgreSQL aggregate (floor)", floor),
                                       ("what-if: 2 working days", shorter_policy),
                                       ("what-if: a day off a month", more_days_off)], count))
    await pool.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench whatif")
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args(argv)
    configure_logging("console", "WARNING")
    asyncio.run(run(args.cases))
