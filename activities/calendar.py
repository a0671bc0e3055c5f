"""The activities of CalendarChangeWorkflow: find a page of the cases a change can touch; bring
the change to each of them, as an update of its workflow with the revision as its id (sent
again after a crash, Temporal answers it once; the case ignores a revision it holds)."""

from __future__ import annotations

import asyncio

import asyncpg
import structlog
from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from activities.outage import DependencyWatch, reaching
from caseflow.calendar.finders import CaseFinder
from caseflow.calendar.versions import calendar_in_force
from domain.access import CALENDAR
from domain.calendar import BusinessCalendar
from domain.complaint.commands import RecomputeDeadline
from workflows import names
from workflows.complaint_messages import CommandRequest, ComplaintView
from workflows.ports import (
    CalendarBatchOutcome,
    CalendarChange,
    CasePage,
    FindCasesRequest,
    RecomputeRequest,
)

log = structlog.get_logger(__name__)
IN_FLIGHT = 16
"""Updates sent at once: enough to keep a batch short, few enough for the cases' worker."""


class CalendarActivities:
    def __init__(self, pool: asyncpg.Pool, temporal: Client, official: BusinessCalendar,
                 finder: CaseFinder, database: DependencyWatch) -> None:
        self._pool = pool
        self._temporal = temporal
        self._official = official
        self._finder = finder
        self._database = database

    @activity.defn(name=names.FIND_AFFECTED_CASES)
    async def find_affected_cases(self, request: FindCasesRequest) -> CasePage:
        async with reaching(self._database):
            return await self._finder.page(request.from_day, request.page, request.size)

    @activity.defn(name=names.RECOMPUTE_DEADLINES)
    async def recompute_deadlines(self, request: RecomputeRequest) -> CalendarBatchOutcome:
        change = request.change
        async with reaching(self._database):
            calendar = (await calendar_in_force(self._pool, self._official,
                                                revision=change.revision)
                        ).only_years(change.years)
        # A retried attempt starts where the last one said it was (the rest is re-sent with
        # the same update ids, which is harmless, but not needed).
        done, outcome = 0, CalendarBatchOutcome()
        if activity.info().heartbeat_details:
            done, counts = activity.info().heartbeat_details
            outcome = CalendarBatchOutcome.model_validate(counts)
        ids = request.workflow_ids
        while done < len(ids):
            chunk = ids[done:done + IN_FLIGHT]
            results = await asyncio.gather(*(self._recompute(wid, calendar, change)
                                             for wid in chunk))
            for result in results:
                outcome = outcome.model_copy(update={result: getattr(outcome, result) + 1})
            done += len(chunk)
            activity.heartbeat(done, outcome.model_dump())
        log.info("calendar change reached cases", revision=change.revision, cases=len(ids),
                 recomputed=outcome.recomputed, unchanged=outcome.unchanged,
                 skipped=outcome.skipped)
        return outcome

    async def _recompute(self, workflow_id: str, calendar: BusinessCalendar,
                         change: CalendarChange) -> str:
        command = RecomputeDeadline(actor=CALENDAR.name, at=activity.info().started_time,
                                    calendar=calendar)
        handle = self._temporal.get_workflow_handle(workflow_id)
        try:
            view = await handle.execute_update(
                names.COMMAND, CommandRequest(command=command, by=CALENDAR),
                result_type=ComplaintView, id=f"calendar-r{change.revision}")
        except WorkflowUpdateFailedError:
            return "skipped"  # the case refused it (closed meanwhile)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return "skipped"  # the case's workflow has ended
            raise
        state = view.state
        if not state.clock_running or state.deadline is None:
            return "skipped"
        if state.deadline.calendar_version == change.calendar_version:
            return "recomputed"
        return "unchanged"
