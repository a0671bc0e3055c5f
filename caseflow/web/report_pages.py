"""The complaint report page: a unit's statistics for a period of receipt, with its breakdowns
and its CSV and Excel downloads (supervisors, outlet heads: their units; auditors: all)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from caseflow.http.reports import attachment
from caseflow.services.reports import CSV, MAX_DAYS, XLSX, report_csv, report_xlsx
from caseflow.web.pages import Services, Signed, render, today_in
from domain.complaint.report import DIMENSIONS, ComplaintReport

router = APIRouter(prefix="/web/reports", include_in_schema=False)


async def _report(services: Services, session: Signed, first: date | None, last: date | None,
                  outlet: str | None) -> tuple[date, date, ComplaintReport]:
    today = today_in(services, await services.now())
    first = first or today.replace(day=1)
    last = last or today
    if last < first:
        first, last = last, first  # the page's two dates given the wrong way round
    first = max(first, last - timedelta(days=MAX_DAYS - 1))  # at most a year
    report = await services.reports.complaints(session.user, first, last, outlet or None)
    return first, last, report


@router.get("")
async def report_page(request: Request, services: Services, session: Signed,
                      first: date | None = None, last: date | None = None,
                      outlet: str | None = None) -> Response:
    start, end, report = await _report(services, session, first, last, outlet)
    return render(request, services, "report.html", session, report=report, first=start,
                  last=end, outlet=outlet or "", dimensions=DIMENSIONS,
                  previous_month=(start.replace(day=1) - timedelta(days=1)).replace(day=1))


@router.get(".csv")
async def report_download(services: Services, session: Signed, first: date | None = None,
                          last: date | None = None, outlet: str | None = None) -> Response:
    start, end, report = await _report(services, session, first, last, outlet)
    return attachment(report_csv(report), CSV, f"complaints-{start}-{end}.csv")


@router.get(".xlsx")
async def report_workbook(services: Services, session: Signed, first: date | None = None,
                          last: date | None = None, outlet: str | None = None) -> Response:
    start, end, report = await _report(services, session, first, last, outlet)
    return attachment(report_xlsx(report), XLSX, f"complaints-{start}-{end}.xlsx")
