"""A complaint stack for workflow tests: the bootstrap's parts on the time-skipping server, with a
calendar built around the test server's own "today"."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from temporalio import client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.notify import OutboxOnly
from caseflow.bootstrap import Parts, bootstrap
from caseflow.cli.main import DEMO_ORGANISATION
from caseflow.config import Settings
from caseflow.identity.organisation import OrganisationFile, put_units
from caseflow.services.complaints import ComplaintService, Started
from caseflow.store import EventStore
from domain.access import Principal, Role
from domain.calendar import BusinessCalendar
from domain.complaint.commands import OfficerCommand, RegisterComplaint
from workflows.complaint_messages import LETTER_METHODS, ComplaintView

SHANGHAI = ZoneInfo("Asia/Shanghai")
OUTLET = "outlet-9"
"""The outlet of the test cases (complaint_fixtures.register)."""
READER = Principal(name="auditor-1", role=Role.AUDITOR)


def acting_as(command: Any, outlet: str) -> Principal:
    """The user a test's command comes from, when the test is not about access: its actor, in
    the role the step needs (a supervisor decides extensions, the outlet head sends letters)."""
    role = Role.CASE_OFFICER
    if command.kind in ("decide_extension", "extend_regulatory_deadline"):
        role = Role.SUPERVISOR
    elif command.kind == "reassign_manager" or getattr(command, "method", None) in LETTER_METHODS:
        role = Role.OUTLET_HEAD
    return Principal(name=command.actor, role=role, outlet=outlet)


def calendar_around(today: date) -> BusinessCalendar:
    """Every day a working day (weekends declared make-up days) except tomorrow, a holiday: the
    same shape as the official calendar, placed where the test server's clock is."""
    years = frozenset({today.year, today.year + 1})
    days = [date(y, 1, 1) + timedelta(days=n) for y in years for n in range(366)]
    weekends = {d for d in days if d.year in years and d.weekday() >= 5}
    holiday = today + timedelta(days=1)
    return BusinessCalendar(version="test-calendar-1", years=years, holidays=frozenset({holiday}),
                            makeup_workdays=frozenset(weekends - {holiday}))


@dataclass
class ComplaintStack:
    env: WorkflowEnvironment
    parts: Parts
    today: date

    @property
    def store(self) -> EventStore:
        return self.parts.store

    @property
    def service(self) -> ComplaintService:
        return self.parts.complaints

    @property
    def task_queue(self) -> str:
        return self.parts.task_queue

    async def now(self) -> datetime:
        return await self.env.get_current_time()

    async def register(self, command: RegisterComplaint, by: Principal | None = None, *,
                       received_at_given: bool = True) -> Started:
        return await self.service.register(command, by or acting_as(command, command.outlet),
                                           received_at_given=received_at_given)

    async def execute(self, case_id: str, command: OfficerCommand, by: Principal | None = None,
                      request_id: str | None = None) -> ComplaintView:
        return await self.service.execute(case_id, command, by or acting_as(command, OUTLET),
                                          request_id=request_id)

    async def view(self, case_id: str, by: Principal | None = None) -> ComplaintView:
        return await self.service.view(case_id, by or READER)

    def worker(self, *, cached: bool = True) -> Worker:
        """`cached=False`: no sticky cache. A stopped worker's sticky queue is never handed back
        by the time-skipping server (a real one does so after 5 s), so restart tests use this;
        it also makes every task a full replay of the history."""
        return self.parts.worker(max_cached_workflows=1000 if cached else 0)


def parts_for(temporal: client.Client, pool: asyncpg.Pool | None, *,
              task_queue: str | None = None, settings: Settings | None = None,
              **overrides: Any) -> Parts:
    """The production wiring on a test's servers, on its own task queue unless given one."""
    return bootstrap(settings or Settings(), temporal, pool,
                     task_queue=task_queue or f"tq-{uuid.uuid4()}", **overrides)


async def put_demo_units(pool: asyncpg.Pool) -> None:
    """The demo organisation's units (not its staff): escalations go to units that exist."""
    demo = OrganisationFile.model_validate_json(DEMO_ORGANISATION.read_text("utf-8"))
    await put_units(pool, demo.units)


@asynccontextmanager
async def complaint_stack(
    env: WorkflowEnvironment, pool: asyncpg.Pool | None, *, store: EventStore | None = None,
    with_worker: bool = True, deliver: bool = False, **overrides: Any,
) -> AsyncIterator[ComplaintStack]:
    """The production wiring on the time-skipping server, on its own task queue, with the test
    calendar (overrides go to `bootstrap`). `with_worker=False`: the test runs its own workers
    (stack.worker()). `deliver=True`: notifications are delivered as in production (a
    DeliveryWorkflow each, which records on the case what became of its notices to the client);
    otherwise they are only stored in the outbox, so that a test about the case sees its own
    steps alone (tests/integration/test_delivery.py is about delivery)."""
    if not deliver:
        overrides.setdefault("dispatcher", OutboxOnly())
    now = await env.get_current_time()
    today = now.astimezone(SHANGHAI).date()
    if pool is not None:
        await put_demo_units(pool)
    parts = parts_for(env.client, pool, store=store,
                      calendar=overrides.pop("calendar", calendar_around(today)),
                      clock=overrides.pop("clock", env.get_current_time), **overrides)
    stack = ComplaintStack(env, parts, today)
    if with_worker:
        async with stack.worker():
            yield stack
    else:
        yield stack
