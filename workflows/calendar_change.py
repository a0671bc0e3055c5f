"""CalendarChangeWorkflow: one per confirmed calendar revision (id `calendar-change-r<n>`). It
pages through the open cases whose deadline falls on or after the first day the revision
changed (an activity asks Temporal's visibility, by the cases' search attributes), and brings
the revision to each page in one activity, which updates every case's workflow.

Resumable after any crash: the workflow's place is its history (the page it reached), a page
sent again after a crash re-sends updates with the same id (Temporal answers them once), and a
case holding the revision already ignores it. Progress is its `progress` query; long changes
continue as new, carrying it.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from workflows import names
    from workflows.ports import (
        CalendarBatchOutcome,
        CalendarChangeProgress,
        CalendarChangeRun,
        CasePage,
        FindCasesRequest,
        RecomputeRequest,
    )

STEADY = RetryPolicy(maximum_interval=timedelta(minutes=1))
"""Finding and recomputing retry until Temporal and the database are back."""
PAGES_PER_RUN = 50
HEARTBEAT = timedelta(seconds=20)
"""A batch says how far it came after every few cases; a worker lost mid-batch is noticed
within this, and the batch retried from there."""


@workflow.defn(name=names.CALENDAR_CHANGE_WORKFLOW)
class CalendarChangeWorkflow:
    def __init__(self) -> None:
        self._progress = CalendarChangeProgress()

    @workflow.run
    async def run(self, run: CalendarChangeRun) -> CalendarChangeProgress:
        change, page, self._progress = run.change, run.page, run.progress
        for _ in range(PAGES_PER_RUN):
            found = await workflow.execute_activity(
                names.FIND_AFFECTED_CASES,
                FindCasesRequest(from_day=change.from_day, page=page, size=change.batch_size),
                result_type=CasePage, start_to_close_timeout=timedelta(minutes=1),
                retry_policy=STEADY)
            if found.workflow_ids:
                outcome = await workflow.execute_activity(
                    names.RECOMPUTE_DEADLINES,
                    RecomputeRequest(change=change, workflow_ids=found.workflow_ids),
                    result_type=CalendarBatchOutcome,
                    start_to_close_timeout=timedelta(minutes=10),
                    heartbeat_timeout=HEARTBEAT, retry_policy=STEADY)
                self._progress = self._progress.plus(outcome)
            page = found.next_page
            if page is None:
                self._progress = self._progress.model_copy(update={"done": True})
                return self._progress
        workflow.continue_as_new(CalendarChangeRun(change=change, progress=self._progress,
                                                   page=page))

    @workflow.query(name=names.PROGRESS)
    def progress(self) -> CalendarChangeProgress:
        return self._progress
