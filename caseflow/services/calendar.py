"""The calendar service: admins enter, confirm and withdraw calendar versions; a confirmation
starts the durable fan-out that brings the revision to the open cases (`CalendarChangeWorkflow`),
and anyone who may read cases follows its progress."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

import asyncpg
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from caseflow.calendar import versions
from caseflow.calendar.book import CalendarBook
from caseflow.calendar.versions import CalendarChangeError, CalendarVersion, Confirmed
from caseflow.services.calls import CaseError, NotFoundError
from domain.access import AccessDeniedError, Principal, Role, check_admin
from domain.calendar import CalendarProposal
from workflows import names
from workflows.calendar_change import CalendarChangeWorkflow
from workflows.ports import (
    CalendarChange,
    CalendarChangeProgress,
    CalendarChangeRun,
    calendar_change_workflow_id,
)

READERS = frozenset({Role.ADMIN, Role.AUDITOR, Role.SUPERVISOR, Role.OUTLET_HEAD})


@dataclass(frozen=True)
class FanOut:
    workflow_id: str
    progress: CalendarChangeProgress
    running: bool


def _refused(error: CalendarChangeError) -> CaseError:
    if isinstance(error, versions.CalendarVersionNotFoundError):
        return NotFoundError(str(error))
    return CaseError(str(error), error.rule)


def change_of(confirmed: Confirmed, batch_size: int) -> CalendarChange:
    """What the fan-out brings: the revision's year, from its first changed day (the whole
    year for a new schedule: provisional deadlines there counted weekends alone)."""
    version = confirmed.version
    assert version.revision is not None
    new_year = date(version.year, 1, 1)
    first = new_year if version.kind == "schedule" else min(version.changed_days,
                                                             default=new_year)
    return CalendarChange(revision=version.revision,
                          calendar_version=confirmed.calendar_version,
                          years=(version.year,), from_day=first, batch_size=batch_size)


class CalendarService:
    def __init__(self, pool: asyncpg.Pool, temporal: Client, task_queue: str,
                 book: CalendarBook, batch_size: int) -> None:
        self._pool = pool
        self._batch_size = batch_size
        self._temporal = temporal
        self._task_queue = task_queue
        self._book = book

    async def propose(self, proposal: CalendarProposal, by: Principal) -> CalendarVersion:
        check_admin(by, "the working-day calendar is kept")
        try:
            return await versions.propose(self._pool, proposal, by.name, self._book.official)
        except CalendarChangeError as error:
            raise _refused(error) from error

    async def confirm(self, number: int, by: Principal) -> tuple[CalendarVersion, FanOut]:
        """Put version `number` in force and start bringing it to the open cases. Sent again
        (after a lost answer, or a fan-out that could not start), it starts what is missing."""
        check_admin(by, "the working-day calendar is kept")
        try:
            confirmed = await versions.confirm(self._pool, number, by.name, self._book.official)
        except CalendarChangeError as error:
            raise _refused(error) from error
        change = change_of(confirmed, self._batch_size)
        workflow_id = calendar_change_workflow_id(change.revision)
        # Already started: by the first confirmation (and maybe finished since).
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await self._temporal.start_workflow(
                CalendarChangeWorkflow.run, CalendarChangeRun(change=change), id=workflow_id,
                task_queue=self._task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING)
        return confirmed.version, await self.fan_out(change.revision, by)

    async def withdraw(self, number: int, by: Principal) -> CalendarVersion:
        check_admin(by, "the working-day calendar is kept")
        try:
            return await versions.withdraw(self._pool, number, by.name)
        except CalendarChangeError as error:
            raise _refused(error) from error

    async def list(self, by: Principal, year: int | None = None) -> list[CalendarVersion]:
        _check_reader(by)
        return await versions.list_versions(self._pool, year)

    async def get(self, number: int, by: Principal) -> CalendarVersion:
        _check_reader(by)
        try:
            return await versions.get_version(self._pool, number)
        except CalendarChangeError as error:
            raise _refused(error) from error

    async def fan_out(self, revision: int, by: Principal) -> FanOut:
        """How far bringing `revision` to the open cases has come."""
        _check_reader(by)
        workflow_id = calendar_change_workflow_id(revision)
        handle = self._temporal.get_workflow_handle_for(CalendarChangeWorkflow.run, workflow_id)
        try:
            description = await handle.describe()
            if description.status == WorkflowExecutionStatus.COMPLETED:
                progress = await handle.result()
            else:
                progress = await handle.query(names.PROGRESS,
                                              result_type=CalendarChangeProgress)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise NotFoundError(f"calendar revision {revision} has no fan-out") from exc
            raise
        return FanOut(workflow_id, progress,
                      running=description.status == WorkflowExecutionStatus.RUNNING)


def _check_reader(by: Principal) -> None:
    if by.role not in READERS:
        raise AccessDeniedError(f"{by.name} is a {by.role.value}: the calendar's versions are "
                                "read by admins, auditors, supervisors and outlet heads")
