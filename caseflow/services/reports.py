"""Complaint reports for a unit (and the units below it) and a period, from the worklist rows
(kept in the append transaction: never a scan of Temporal). Supervisors, outlet heads and
auditors ask for them; each sees their own units' cases (auditors every one)."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

import asyncpg
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from caseflow.calendar.book import CalendarBook
from caseflow.services.sla_whatif import ASKERS
from caseflow.store.read_models.clients import SurveySummary, survey_summary
from domain.access import AccessDeniedError, Principal, visible_outlets
from domain.complaint.report import (
    DIMENSIONS,
    Breakdown,
    CaseFacts,
    ComplaintReport,
    Figures,
    average_days,
    complaint_report,
)
from domain.sla import SlaPolicy, deadline_from

MAX_DAYS = 366
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # its media type
CSV = "text/csv; charset=utf-8"
_FIGURES = """
    count(*) AS received, count(closed_at) AS closed, count(*) - count(closed_at) AS open,
    count(*) FILTER (WHERE close_reason = 'resolved_on_spot') AS resolved_on_spot,
    count(*) FILTER (WHERE replied_at IS NOT NULL AND replied_at <= reply_due)
        AS replied_in_time,
    count(*) FILTER (WHERE extended) AS extended,
    count(*) FILTER (WHERE ever_breached) AS breached,
    count(*) FILTER (WHERE reopened > 0) AS reopened,
    count(*) FILTER (WHERE close_reason = 'client_satisfied') AS satisfied,
    count(*) FILTER (WHERE close_reason = 'withdrawn') AS withdrawn,
    count(*) FILTER (WHERE close_reason = 'no_response') AS no_response,
    coalesce(sum(handling), 0)::int AS handling_total, count(handling) AS handling_count,
    percentile_disc(0.9) WITHIN GROUP (ORDER BY handling) AS handling_days_p90"""
REPORT_SQL = f"""
WITH days AS (
    SELECT * FROM unnest($4::date[], $5::timestamptz[], $6::int[]) AS d(day, due_at, idx)
), cases AS (
    SELECT c.category, coalesce(c.cause, '—') AS cause, c.channel, c.outlet,
           coalesce(c.handler, '—') AS handler, c.replied_at, c.closed_at, c.close_reason,
           c.extension = 'approved' AS extended, c.ever_breached, c.reopened,
           received.due_at AS reply_due, closed.idx - received.idx AS handling
    FROM complaint_cases c
    JOIN days received ON received.day = (c.received_at AT TIME ZONE $7)::date
    LEFT JOIN days closed ON closed.day = (c.closed_at AT TIME ZONE $7)::date
    WHERE c.received_at >= $1 AND c.received_at < $2
      AND ($3::text[] IS NULL OR c.outlet = ANY($3))
)
SELECT category, cause, channel, outlet, handler,
       GROUPING(category) = 1 AS all_category, GROUPING(cause) = 1 AS all_cause,
       GROUPING(channel) = 1 AS all_channel, GROUPING(outlet) = 1 AS all_outlet,
       GROUPING(handler) = 1 AS all_handler, {_FIGURES}
FROM cases
GROUP BY GROUPING SETS ((), (category), (cause), (channel), (outlet), (handler))"""


async def read_case_facts(pool: asyncpg.Pool, start: datetime, end: datetime,
                          outlets: list[str] | None) -> list[CaseFacts]:
    rows = await pool.fetch(
        """SELECT case_id, outlet, handler, category, cause, channel, received_at, replied_at,
                  closed_at, close_reason, extension = 'approved' AS extended, ever_breached,
                  reopened
           FROM complaint_cases
           WHERE received_at >= $1 AND received_at < $2
             AND ($3::text[] IS NULL OR outlet = ANY($3))
           ORDER BY received_at, case_id""", start, end, outlets)
    return [CaseFacts.model_validate(dict(r)) for r in rows]


class ReportService:
    def __init__(self, pool: asyncpg.Pool, book: CalendarBook, policy: SlaPolicy) -> None:
        self._pool = pool
        self._book = book
        self._policy = policy

    async def _facts(self, by: Principal, first: date, last: date, outlet: str | None
                     ) -> list[CaseFacts]:
        return await read_case_facts(self._pool, *self._period(by, first, last, outlet))

    def _period(self, by: Principal, first: date, last: date, outlet: str | None
                ) -> tuple[datetime, datetime, list[str] | None]:
        if by.role not in ASKERS:
            raise AccessDeniedError(f"{by.name} is a {by.role.value}: reports are for "
                                    "supervisors, outlet heads and auditors")
        if last < first:
            raise ValueError("the period ends before it starts")
        if (last - first).days >= MAX_DAYS:
            raise ValueError(f"a report covers at most {MAX_DAYS} days")
        zone = ZoneInfo(self._policy.time_zone)
        start = datetime.combine(first, time(0, 0), zone)
        end = datetime.combine(last + timedelta(days=1), time(0, 0), zone)
        return start, end, visible_outlets(by, outlet)

    async def surveys(self, by: Principal, first: date, last: date,
                      outlet: str | None = None) -> SurveySummary:
        """The satisfaction surveys of the units' clients recorded from `first` to `last`
        (local days, inclusive): the outlet head's summary of the period."""
        _, _, outlets = self._period(by, first, last, outlet)
        return await survey_summary(self._pool, outlets, first, last,
                                    ZoneInfo(self._policy.time_zone))

    async def complaints(self, by: Principal, first: date, last: date,
                         outlet: str | None = None) -> ComplaintReport:
        """The cases received from `first` to `last` (local days, inclusive), counted by
        PostgreSQL in one query (domain/complaint/report.py says what each figure means; a test
        holds the two to the same numbers). The calendar's part, the reply deadline of each
        day of receipt and each day's place among working days, goes in as two arrays."""
        start, end, outlets = self._period(by, first, last, outlet)
        calendar, policy = await self._book.in_force(), self._policy
        zone = ZoneInfo(policy.time_zone)
        latest = await self._pool.fetchval(
            "SELECT max(closed_at) FROM complaint_cases WHERE received_at >= $1"
            " AND received_at < $2 AND ($3::text[] IS NULL OR outlet = ANY($3))",
            start, end, outlets)
        until = max(last, latest.astimezone(zone).date() if latest else last)
        days = [first + timedelta(days=n) for n in range((until - first).days + 1)]
        due = [deadline_from(day, policy.reply_working_days, calendar, policy).due_at
               for day in days]
        index = list(accumulate(int(calendar.working_days_after(day - timedelta(days=1), day))
                                for day in days))
        rows = await self._pool.fetch(REPORT_SQL, start, end, outlets, days, due, index,
                                      zone.key)
        total, breakdowns = None, []
        for row in rows:
            figures = Figures.model_validate({
                **{k: row[k] for k in Figures.model_fields if k != "handling_days_average"},
                "handling_days_average": average_days(row["handling_total"],
                                                      row["handling_count"])})
            dimension = next((d for d in DIMENSIONS if not row[f"all_{d}"]), None)
            if dimension is None:
                total = figures
            else:
                breakdowns.append(Breakdown(dimension=dimension, value=row[dimension],
                                            figures=figures))
        breakdowns.sort(key=lambda b: (DIMENSIONS.index(b.dimension), b.value))
        assert total is not None
        return ComplaintReport(calendar_version=calendar.version, policy_version=policy.version,
                               total=total, breakdowns=tuple(breakdowns))

    async def recounted(self, by: Principal, first: date, last: date,
                        outlet: str | None = None) -> ComplaintReport:
        """The same report counted case by case in Python by the domain's definition (what the
        tests hold the query to)."""
        facts = await self._facts(by, first, last, outlet)
        return complaint_report(facts, await self._book.in_force(), self._policy)

    async def daily_log(self, by: Principal, day: date, outlet: str | None = None
                        ) -> list[CaseFacts]:
        """The outlet's complaint log of a day (the documents' 投诉登记簿)."""
        return await self._facts(by, day, day, outlet)


Cell = str | int | float | None
"""One cell of a report's or a log's table: the CSV and the workbook are written from the same
rows (None is an empty cell; numbers and booleans stay numbers and booleans in the workbook)."""


def report_rows(report: ComplaintReport) -> list[list[Cell]]:
    """The report as a table: a header, the total, then one row per dimension and value."""
    names = list(Figures.model_fields)
    return [["dimension", "value", *names],
            ["total", "", *_cells(report.total)],
            *([row.dimension, row.value, *_cells(row.figures)] for row in report.breakdowns)]


def log_rows(cases: list[CaseFacts]) -> list[list[Cell]]:
    """The daily log as a table: a header, then one row per case (times as the CSV writes
    them: a workbook cell cannot hold a time zone)."""
    names = list(CaseFacts.model_fields)
    return [[*names], *([_cell(getattr(case, n)) for n in names] for case in cases)]


def report_csv(report: ComplaintReport) -> str:
    """The report as CSV: the total, then one row per dimension and value."""
    return _csv(report_rows(report))


def log_csv(cases: list[CaseFacts]) -> str:
    return _csv(log_rows(cases))


def report_xlsx(report: ComplaintReport) -> bytes:
    """The report as an Excel workbook: the same rows as the CSV."""
    return _xlsx("complaints", report_rows(report))


def log_xlsx(cases: list[CaseFacts]) -> bytes:
    """The daily log as an Excel workbook: the same rows as the CSV."""
    return _xlsx("complaint log", log_rows(cases))


def _cells(figures: Figures) -> list[Cell]:
    return [_cell(v) for v in figures.model_dump().values()]


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)  # a time, as the csv module would write it


def _csv(rows: list[list[Cell]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def _xlsx(title: str, rows: list[list[Cell]]) -> bytes:
    """One sheet: the header row in bold and frozen, each column as wide as its widest cell
    (CJK characters count twice), between 8 and 50 characters. Every text stays text: one
    beginning with "=" (a name typed by someone) is never made a formula, and the control
    characters a workbook's XML cannot hold become U+FFFD."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for n, width in enumerate(_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for number, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
                                 if isinstance(value, str) else value)
            if isinstance(value, str):
                cell.data_type = "s"  # not "f", whatever it begins with
            if number == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widths(rows: list[list[Cell]]) -> list[int]:
    def width(value: Cell) -> int:
        text = "" if value is None else str(value)
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    return [min(max(8, max(width(v) for v in column) + 2), 50)
            for column in zip(*rows, strict=True)]
