"""/reports: complaint statistics for a unit and a period (JSON, CSV or XLSX) and an outlet's
daily complaint log (supervisors and outlet heads: their units; auditors: all). Read-only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from caseflow.http.auth import Services, User
from caseflow.http.paths import Day as WrittenDay
from caseflow.http.paths import QueryName
from caseflow.http.problems import ERRORS_AS_JSON
from caseflow.services.calls import CaseError
from caseflow.services.reports import CSV, XLSX, log_csv, log_xlsx, report_csv, report_xlsx
from caseflow.store.read_models.clients import SurveySummary
from domain.complaint.report import CaseFacts, ComplaintReport

router = APIRouter(prefix="/reports", tags=["reports"])
Day = Annotated[WrittenDay, Query()]
From = Annotated[WrittenDay, Query(alias="from", description="first day of receipt")]
To = Annotated[WrittenDay, Query(alias="to", description="last day of receipt")]


def attachment(body: str | bytes, media_type: str, filename: str) -> Response:
    """A download: the body as a file of that name (the API's and the web app's)."""
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def _file(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI answer of a download route: a file of that type, not JSON."""
    text = media_type.startswith("text/")
    schema = {"type": "string"} if text else {"type": "string", "format": "binary"}
    return {**ERRORS_AS_JSON,
            200: {"description": what, "content": {media_type.split(";")[0]: {"schema": schema}}}}


@router.get("/complaints", summary="Complaint statistics of the cases received in a period")
async def complaints(user: User, services: Services, first: From, last: To,
                     outlet: QueryName = None) -> ComplaintReport:
    try:
        return await services.reports.complaints(user, first, last, outlet)
    except ValueError as error:  # a period the report cannot cover
        raise CaseError(str(error), "bad_period") from error


@router.get("/surveys", summary="Satisfaction surveys of the units' clients in a period")
async def surveys(user: User, services: Services,
                  first: Annotated[WrittenDay, Query(alias="from", description="first day")],
                  last: Annotated[WrittenDay, Query(alias="to", description="last day")],
                  outlet: QueryName = None) -> SurveySummary:
    try:
        return await services.reports.surveys(user, first, last, outlet)
    except ValueError as error:  # a period the report cannot cover
        raise CaseError(str(error), "bad_period") from error


@router.get("/complaints.csv", summary="The same, as CSV (one row per dimension and value)",
            response_class=Response, responses=_file(CSV, "The report as CSV"))
async def complaints_csv(user: User, services: Services, first: From, last: To,
                         outlet: QueryName = None) -> Response:
    report = await complaints(user, services, first, last, outlet)
    return attachment(report_csv(report), CSV, f"complaints-{first}-{last}.csv")


@router.get("/complaints.xlsx", summary="The same, as an Excel workbook (the CSV's rows)",
            response_class=Response, responses=_file(XLSX, "The report as a workbook"))
async def complaints_xlsx(user: User, services: Services, first: From, last: To,
                          outlet: QueryName = None) -> Response:
    report = await complaints(user, services, first, last, outlet)
    return attachment(report_xlsx(report), XLSX, f"complaints-{first}-{last}.xlsx")


@router.get("/complaints/log", summary="An outlet's complaint log of a day (投诉登记簿)")
async def daily_log(user: User, services: Services, day: Day,
                    outlet: QueryName = None) -> list[CaseFacts]:
    return await services.reports.daily_log(user, day, outlet)


@router.get("/complaints/log.csv", summary="The day's complaint log as CSV",
            response_class=Response, responses=_file(CSV, "The log as CSV"))
async def daily_log_csv(user: User, services: Services, day: Day,
                        outlet: QueryName = None) -> Response:
    cases = await services.reports.daily_log(user, day, outlet)
    return attachment(log_csv(cases), CSV, f"complaint-log-{day}.csv")


@router.get("/complaints/log.xlsx", summary="The day's complaint log as an Excel workbook",
            response_class=Response, responses=_file(XLSX, "The log as a workbook"))
async def daily_log_xlsx(user: User, services: Services, day: Day,
                         outlet: QueryName = None) -> Response:
    cases = await services.reports.daily_log(user, day, outlet)
    return attachment(log_xlsx(cases), XLSX, f"complaint-log-{day}.xlsx")
