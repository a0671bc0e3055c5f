"""The monthly complaint report over 100,000 cases: N cases (default 100,000) received in
November 2026 across 100 outlets, 7 business lines and 6 causes, written to the worklist
table; then the report for the month over every outlet (as an auditor asks it) end to end:
reading the rows, counting every figure, handling times in working days on the calendar, the
breakdowns by category, cause, channel, outlet and handler. Side by side, in the same run, on
the same rows: PostgreSQL counting received / closed / breached by outlet and category in one
aggregate query, the floor of any report over them. Seconds per report (median of 3)."""

from __future__ import annotations

import argparse
import asyncio
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.common import reports_against_floor, throwaway_postgres
from caseflow.calendar.book import CalendarBook
from caseflow.logs import configure_logging
from caseflow.policy.calendar import official_calendar
from caseflow.policy.categories import complaint_categories
from caseflow.services.reports import ReportService
from caseflow.store import connect_pool
from domain.access import Principal, Role
from domain.sla import SlaPolicy, deadline_after

SHANGHAI = ZoneInfo("Asia/Shanghai")
AUDITOR = Principal(name="auditor-bench", role=Role.AUDITOR)
FLOOR = """SELECT outlet, category, count(*) AS received,
                  count(*) FILTER (WHERE status = 'closed') AS closed,
                  count(*) FILTER (WHERE ever_breached) AS breached
           FROM complaint_cases WHERE received_at >= $1 AND received_at < $2
           GROUP BY outlet, category"""
COLUMNS = ["case_id", "status", "handler", "outlet", "client_tier", "category", "cause",
           "channel", "received_at", "due_at", "breached", "escalation_level", "extension",
           "close_reason", "closed_at", "version", "deadline_provisional",
           "deadline_working_days", "replied_at", "ever_breached", "reopened"]


def rows(count: int) -> list[tuple[object, ...]]:
    calendar, policy, rng = official_calendar(), SlaPolicy(), random.Random(7)
    taxonomy = complaint_categories()
    lines = [t.code for t in taxonomy.business_lines]
    causes = [t.code for t in taxonomy.causes]
    start = datetime(2026, 11, 1, tzinfo=SHANGHAI)
    out: list[tuple[object, ...]] = []
    for n in range(count):
        received = start + timedelta(seconds=rng.randrange(30 * 86400))
        extended = rng.random() < 0.1
        due = deadline_after(received, 7 if extended else 3, calendar, policy).due_at
        replied = received + timedelta(hours=rng.uniform(1, 24 * (9 if extended else 6)))
        closed = rng.random() < 0.9
        out.append((f"M-{n}", "closed" if closed else "replied", f"officer-{n % 500}",
                    f"outlet-{n % 100}", "ordinary", rng.choice(lines), rng.choice(causes),
                    rng.choice(["phone", "in_person", "letter"]), received, due, False, 0,
                    "approved" if extended else "none",
                    "client_satisfied" if closed else None,
                    replied + timedelta(hours=2) if closed else None, 9, False,
                    7 if extended else 3, replied, replied > due, int(rng.random() < 0.03)))
    return out


async def run(count: int) -> None:
    pool = await connect_pool(throwaway_postgres())
    async with pool.acquire() as conn:
        await conn.copy_records_to_table("complaint_cases", records=rows(count),
                                         columns=COLUMNS)
        await conn.execute("ANALYZE complaint_cases")
    service = ReportService(pool, CalendarBook(official_calendar(), pool), SlaPolicy())
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    start = datetime(2026, 11, 1, tzinfo=SHANGHAI)
    end = datetime(2026, 12, 1, tzinfo=SHANGHAI)

    async def floor() -> int:
        return sum(r["received"] for r in await pool.fetch(FLOOR, start, end))

    async def report() -> int:
        return (await service.complaints(AUDITOR, first, last)).total.received

    print(await reports_against_floor([("PostgreSQL aggregate (floor)", floor),
                                       ("caseflow monthly report", report)], count))
    await pool.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench report")
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args(argv)
    configure_logging("console", "WARNING")
    asyncio.run(run(args.cases))
