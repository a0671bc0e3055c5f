"""A complaint stack for workflow tests: worker + service on the time-skipping server, with a
calendar built around the test server's own "today"."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from caseflow.complaints import ComplaintService, Started
from domain.access import Principal
from domain.calendar import BusinessCalendar
from domain.complaint import Rules
from domain.complaint.commands import RegisterComplaint
from domain.sla import SlaPolicy
from eventstore import PostgresEventStore
from worker import build_worker

SHANGHAI = ZoneInfo("Asia/Shanghai")


def calendar_around(today: date) -> BusinessCalendar:
    """Every day a working day (weekends declared make-up days) except tomorrow, a holiday: the
    same shape as the official calendar, placed where the test server's clock is."""
    years = frozenset({today.year, today.year + 1})
    days = [date(y, 1, 1) + timedelta(days=n) for y in years for n in range(366)]
    weekends = {d for d in days if d.year in years and d.weekday() >= 5}
    holiday = today + timedelta(days=1)
    return BusinessCalendar(version="test-calendar-1", years=years, holidays=frozenset({holiday}),
                            makeup_workdays=frozenset(weekends - {holiday}))


class TestService(ComplaintService):
    """The real service, with the test calendar in place of the official one."""

    def __init__(self, client: Any, task_queue: str, calendar: BusinessCalendar) -> None:
        super().__init__(client, task_queue)
        self._calendar = calendar
        self.started: list[str] = []

    def rules_for(self, command: RegisterComplaint) -> Rules:
        return Rules(calendar=self._calendar, policy=SlaPolicy())

    async def register(self, command: RegisterComplaint, by: Principal | None = None, *,
                       received_at_given: bool = True) -> Started:
        started = await super().register(command, by, received_at_given=received_at_given)
        self.started.append(started.workflow_id)
        return started


@dataclass
class ComplaintStack:
    env: WorkflowEnvironment
    store: PostgresEventStore
    service: TestService
    task_queue: str
    today: date

    async def now(self) -> datetime:
        return await self.env.get_current_time()

    def worker(self, *, cached: bool = True) -> Worker:
        """`cached=False`: no sticky cache. A stopped worker's sticky queue is never handed back
        by the time-skipping server (a real one does so after 5 s), so restart tests use this;
        it also makes every task a full replay of the history."""
        return build_worker(self.env.client, self.store, task_queue=self.task_queue,
                            max_cached_workflows=1000 if cached else 0)


@asynccontextmanager
async def complaint_stack(
    env: WorkflowEnvironment, store: PostgresEventStore, *, with_worker: bool = True
) -> AsyncIterator[ComplaintStack]:
    """`with_worker=False`: the test runs its own workers (stack.worker())."""
    task_queue = f"tq-{uuid.uuid4()}"
    now = await env.get_current_time()
    today = now.astimezone(SHANGHAI).date()
    service = TestService(env.client, task_queue, calendar_around(today))
    stack = ComplaintStack(env, store, service, task_queue, today)
    try:
        if with_worker:
            async with stack.worker():
                yield stack
        else:
            yield stack
    finally:
        await _terminate_open(env, service.started)


async def _terminate_open(env: WorkflowEnvironment, workflow_ids: list[str]) -> None:
    """A case left open with no worker holds a workflow task nobody runs, and the shared
    time-skipping server stops skipping time for every later test: end what a test left open."""
    for workflow_id in workflow_ids:
        handle = env.client.get_workflow_handle(workflow_id)
        description = await handle.describe()
        if description.status == WorkflowExecutionStatus.RUNNING:
            await handle.terminate(reason="test finished with the case open")
