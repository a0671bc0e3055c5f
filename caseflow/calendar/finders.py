"""Which open cases a calendar change can touch: those whose SLA clock runs and whose deadline
falls on or after the first day it changed. Two finders keep one contract
(tests/integration/test_calendar_change.py runs both): Temporal's visibility, by the search
attributes every case publishes (production); and the PostgreSQL worklist, for a Temporal
without visibility queries (the time-skipping test server has none). Pages are stable while
the cases they found change."""

from __future__ import annotations

import base64
from datetime import date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

import asyncpg
from temporalio.client import Client

from domain.complaint.model import CLOCK_RUNNING
from workflows.complaint_messages import workflow_id
from workflows.ports import CasePage

STATUSES = [status.value for status in CLOCK_RUNNING]


class CaseFinder(Protocol):
    async def page(self, from_day: date, page: str | None, size: int) -> CasePage: ...


def _after_start_of(day: date, zone: ZoneInfo) -> datetime:
    """Deadlines end at local midnight: one due on `day` or later ends after its start."""
    return datetime.combine(day, time(0, 0), tzinfo=zone)


class VisibilityFinder:
    def __init__(self, temporal: Client, zone: ZoneInfo) -> None:
        self._temporal = temporal
        self._zone = zone

    def query(self, from_day: date) -> str:
        statuses = ", ".join(f"'{s}'" for s in STATUSES)
        after = _after_start_of(from_day, self._zone).isoformat()
        return ("WorkflowType = 'ComplaintWorkflow' AND ExecutionStatus = 'Running' "
                f"AND CaseStatus IN ({statuses}) AND CaseDeadline > '{after}'")

    async def page(self, from_day: date, page: str | None, size: int) -> CasePage:
        token = base64.b64decode(page) if page else None
        found = self._temporal.list_workflows(self.query(from_day), page_size=size,
                                              next_page_token=token)
        await found.fetch_next_page()
        following = found.next_page_token
        return CasePage(workflow_ids=tuple(w.id for w in found.current_page or ()),
                        next_page=base64.b64encode(following).decode() if following else None)


class WorklistFinder:
    def __init__(self, pool: asyncpg.Pool, zone: ZoneInfo) -> None:
        self._pool = pool
        self._zone = zone

    async def page(self, from_day: date, page: str | None, size: int) -> CasePage:
        rows = await self._pool.fetch(
            """SELECT case_id FROM complaint_cases
               WHERE status = ANY($1) AND due_at > $2 AND case_id > $3
               ORDER BY case_id LIMIT $4""",
            STATUSES, _after_start_of(from_day, self._zone), page or "", size)
        ids = [r["case_id"] for r in rows]
        return CasePage(workflow_ids=tuple(workflow_id(i) for i in ids),
                        next_page=ids[-1] if len(ids) == size else None)
