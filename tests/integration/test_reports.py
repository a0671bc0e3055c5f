"""Complaint reports over the API on the real stack (issue 15): cases registered and walked
through their steps, then counted from the worklist rows; the figures equal a recount from the
event store; JSON, CSV, XLSX and the daily log; who may ask."""

from __future__ import annotations

import csv
import io
import random
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from caseflow.services.reports import read_case_facts
from domain.complaint import EVENT_ADAPTER
from tests.api_stack import ApiStack, api_stack
from tests.complaint_stack import SHANGHAI, ComplaintStack
from tests.sheets import XLSX, csv_rows, workbook_rows
from tests.unit.test_complaint_report import recounted
from tests.waiting import until
from workflows.complaint_messages import workflow_id


@pytest.fixture
async def api(stack: ComplaintStack) -> AsyncIterator[ApiStack]:
    async with api_stack(stack) as a:
        yield a


async def registered(api: ApiStack, category: str, channel: str = "in_person") -> str:
    case_id = f"R-{uuid.uuid4().hex[:8]}"
    answer = await api.post("officer", "/complaints", {
        "case_id": case_id, "client_id": "K-9", "client_tier": "ordinary", "channel": channel,
        "category": category, "cause": "fees", "description": "d", "outlet": api.outlet})
    assert answer.status_code == 201, answer.text

    async def stored() -> bool:
        return await api.stack.store.stream_version(workflow_id(case_id)) > 0
    await until(stored)
    return case_id


async def step(api: ApiStack, case_id: str, path: str, who: str = "officer",
               **body: Any) -> None:
    answer = await api.post(who, f"/complaints/{case_id}/{path}", body)
    assert answer.status_code == 200, answer.text


async def test_the_report_counts_what_the_cases_did_and_equals_a_recount(api: ApiStack) -> None:
    officer = api.names["officer"]
    spot = await registered(api, "bank_cards")
    await step(api, spot, "resolve-on-spot", resolution="explained")
    satisfied = await registered(api, "bank_cards", channel="letter")
    await step(api, satisfied, "assign", handler=officer)
    await step(api, satisfied, "record-findings", summary="s", bank_at_fault=False)
    await step(api, satisfied, "reply", who="head", method="letter", content="c")
    await step(api, satisfied, "record-feedback", satisfied=True, opinion="ok")
    extended = await registered(api, "loans")
    await step(api, extended, "assign", handler=officer)
    await step(api, extended, "request-extension", reason="r")
    await step(api, extended, "decide-extension", who="supervisor", approve=True)
    withdrawn = await registered(api, "loans")
    await step(api, withdrawn, "withdraw", reason="client withdrew")

    today = (await api.stack.now()).astimezone(SHANGHAI).date().isoformat()
    answer = await api.get("supervisor", "/reports/complaints", **{"from": today, "to": today})
    assert answer.status_code == 200, answer.text
    total = answer.json()["total"]
    assert (total["received"], total["closed"], total["open"]) == (4, 3, 1)
    assert (total["resolved_on_spot"], total["replied_in_time"], total["extended"]) == (1, 1, 1)
    assert (total["satisfied"], total["withdrawn"], total["breached"]) == (1, 1, 0)
    rows = {(r["dimension"], r["value"]): r["figures"] for r in answer.json()["breakdowns"]}
    assert rows["category", "loans"]["received"] == 2 and rows["channel", "letter"]["closed"] == 1
    assert rows["handler", officer]["received"] == 2

    # Counted by the query as the domain defines it, and the rows hold what the events say.
    from domain.access import Principal, Role
    auditor = Principal(name="auditor-q", role=Role.AUDITOR)
    day = (await api.stack.now()).astimezone(SHANGHAI).date()
    assert await api.parts.reports.complaints(auditor, day, day, api.outlet) == \
        await api.parts.reports.recounted(auditor, day, day, api.outlet)
    now = await api.stack.now()
    start, end = now - timedelta(days=1), now + timedelta(days=1)
    facts = {f.case_id: f for f in await read_case_facts(api.parts.pool, start, end,
                                                          [api.outlet])}
    for case_id in (spot, satisfied, extended, withdrawn):
        events = [EVENT_ADAPTER.validate_python(e.data)
                  for e in await api.stack.store.read_stream(workflow_id(case_id))]
        recount = recounted(events, facts[case_id].extended)
        assert {k: getattr(facts[case_id], k) for k in recount} == recount, case_id

    sheet = await api.get("auditor", "/reports/complaints.csv", **{"from": today, "to": today,
                                                                   "outlet": api.outlet})
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(sheet.text)))
    assert table[0]["dimension"] == "total" and table[0]["received"] == "4"
    book = await api.get("auditor", "/reports/complaints.xlsx", **{"from": today, "to": today,
                                                                   "outlet": api.outlet})
    assert book.status_code == 200 and book.headers["content-type"] == XLSX
    assert book.headers["content-disposition"] == \
        f'attachment; filename="complaints-{today}-{today}.xlsx"'
    cells = workbook_rows(book.content)
    assert cells == csv_rows(sheet.text) and len(cells) == len(table) + 1
    assert cells[1][:3] == ["total", None, 4]  # a number, not the text "4"
    log = await api.get("head", "/reports/complaints/log", day=today)
    assert sorted(c["case_id"] for c in log.json()) == sorted(
        [spot, satisfied, extended, withdrawn])
    log_sheet = await api.get("head", "/reports/complaints/log.csv", day=today)
    log_book = await api.get("head", "/reports/complaints/log.xlsx", day=today)
    assert log_book.status_code == 200 and log_book.headers["content-type"] == XLSX
    assert log_book.headers["content-disposition"] == \
        f'attachment; filename="complaint-log-{today}.xlsx"'
    log_rows = workbook_rows(log_book.content)
    assert log_rows == csv_rows(log_sheet.text)
    assert sorted(str(r[0]) for r in log_rows[1:]) == sorted(
        [spot, satisfied, extended, withdrawn])

    assert (await api.get("officer", "/reports/complaints",
                          **{"from": today, "to": today})).status_code == 403
    assert (await api.get("officer", "/reports/complaints.xlsx",
                          **{"from": today, "to": today})).status_code == 403
    assert (await api.get("officer", "/reports/complaints/log.xlsx",
                          day=today)).status_code == 403
    assert (await api.get("stranger", "/reports/complaints",
                          **{"from": today, "to": today})).status_code == 403
    backwards = await api.get("supervisor", "/reports/complaints",
                              **{"from": today, "to": "2000-01-01"})
    assert backwards.status_code == 409 and backwards.json()["rule"] == "bad_period"
    other = await api.get("supervisor", "/reports/complaints",
                          **{"from": today, "to": today, "outlet": "elsewhere-x"})
    assert other.status_code == 403
    other = await api.get("supervisor", "/reports/complaints.xlsx",
                          **{"from": today, "to": today, "outlet": "elsewhere-x"})
    assert other.status_code == 403


async def test_the_query_counts_as_the_domain_defines_over_random_cases(
    pool: asyncpg.Pool
) -> None:
    """PostgreSQL counts the report in one query; the domain's `complaint_report` says what
    each figure means. Over 2,000 random worklist rows (a month nobody else writes into) the
    two give the same report, every figure and breakdown."""
    from caseflow.calendar.book import CalendarBook
    from caseflow.policy.calendar import official_calendar
    from caseflow.services.reports import ReportService
    from caseflow.store.read_models.complaints import write_case
    from domain.access import Principal, Role
    from domain.complaint.summary import CaseSummary
    from domain.sla import SlaPolicy, deadline_after

    rng = random.Random(2030)
    calendar, policy = official_calendar(), SlaPolicy()
    start = datetime(2030, 11, 1, tzinfo=SHANGHAI)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("DELETE FROM complaint_cases WHERE case_id LIKE 'rand-%'")
        for n in range(2000):
            received = start + timedelta(seconds=rng.randrange(30 * 86400))
            due = deadline_after(received, 3, calendar, policy).due_at
            replied = received + timedelta(hours=rng.uniform(1, 150)) \
                if rng.random() < 0.8 else None
            closed = (replied or received) + timedelta(hours=rng.uniform(0, 200)) \
                if rng.random() < 0.7 else None
            reason = rng.choice(["client_satisfied", "withdrawn", "no_response",
                                 "resolved_on_spot"]) if closed else None
            await write_case(conn, CaseSummary(
                case_id=f"rand-{n}", status="closed" if closed else "replied",
                handler=rng.choice([None, "o-1", "o-2"]), outlet=f"rand-outlet-{n % 7}",
                client_tier="ordinary", category=rng.choice(["loans", "deposits", "wealth"]),
                cause=rng.choice([None, "fees", "service"]),
                channel=rng.choice(["phone", "letter"]), received_at=received, due_at=due,
                breached=False, escalation_level=0,
                extension=rng.choice(["none", "approved", "rejected"]), close_reason=reason,
                closed_at=closed, version=5, replied_at=replied,
                ever_breached=rng.random() < 0.2, reopened=rng.choice([0, 0, 0, 1, 2])))
    service = ReportService(pool, CalendarBook(calendar, pool), policy)
    auditor = Principal(name="auditor-r", role=Role.AUDITOR)
    first, last = date(2030, 11, 1), date(2030, 11, 30)
    by_query = await service.complaints(auditor, first, last)
    assert by_query.total.received == 2000
    assert by_query == await service.recounted(auditor, first, last)
    one = await service.complaints(auditor, first, last, "rand-outlet-3")
    assert one == await service.recounted(auditor, first, last, "rand-outlet-3")
    assert one.total.received == sum(1 for n in range(2000) if n % 7 == 3)
