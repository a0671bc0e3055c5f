"""The complaint service: what the CLI, the API and tests call. It checks a registration before
starting anything, and turns Temporal's failures into caseflow's errors."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from caseflow.calendar_source import calendar_for
from domain.complaint import Rules, decide, initial_state
from domain.complaint.commands import OfficerCommand, RegisterComplaint
from domain.sla import SlaPolicy, local_date
from workflows.complaint import ComplaintWorkflow
from workflows.complaint_messages import (
    CommandRequest,
    ComplaintInput,
    ComplaintView,
    workflow_id,
)


class CaseError(Exception):
    """A request about a case that caseflow refused; `rule` says which rule."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


class CaseNotFoundError(CaseError):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"no complaint case {case_id!r}", "not_found")


class DuplicateCaseError(CaseError):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"complaint case {case_id!r} already exists", "duplicate_case")


class ComplaintService:
    def __init__(
        self,
        client: Client,
        task_queue: str,
        policy: SlaPolicy | None = None,
        bank_calendar: Path | None = None,
    ) -> None:
        self._client = client
        self._task_queue = task_queue
        self._policy = policy or SlaPolicy()
        self._bank_calendar = bank_calendar

    def rules_for(self, command: RegisterComplaint) -> Rules:
        """The receipt year and the next: enough for any deadline of the case, small enough to
        travel in the workflow's input."""
        from zoneinfo import ZoneInfo

        year = local_date(command.received_at, ZoneInfo(self._policy.time_zone)).year
        return Rules(calendar=calendar_for([year, year + 1], self._bank_calendar),
                     policy=self._policy)

    async def register(self, command: RegisterComplaint) -> str:
        """Start the case's workflow; return its workflow id. Domain errors (bad dates, a year
        without calendar data) are raised here, before anything is started or recorded."""
        rules = self.rules_for(command)
        decide(initial_state(), command, rules)
        try:
            handle = await self._client.start_workflow(
                ComplaintWorkflow.run,
                ComplaintInput(registration=command, calendar=rules.calendar, policy=rules.policy),
                id=workflow_id(command.case_id),
                task_queue=self._task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            )
        except WorkflowAlreadyStartedError as exc:
            raise DuplicateCaseError(command.case_id) from exc
        return handle.id

    async def execute(self, case_id: str, command: OfficerCommand) -> ComplaintView:
        handle = self._client.get_workflow_handle(workflow_id(case_id))
        try:
            # By name: the SDK's overloads do not type async update methods for mypy.
            view: ComplaintView = await handle.execute_update(
                "command", CommandRequest(command=command), result_type=ComplaintView
            )
            return view
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError):
                rule = str(cause.details[0]) if cause.details else cause.type or "rejected"
                raise CaseError(cause.message, rule) from exc
            raise
        except RPCError as exc:
            if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise await self._why_not_running(case_id) from exc
            raise

    async def _why_not_running(self, case_id: str) -> CaseError:
        try:
            await self._client.get_workflow_handle(workflow_id(case_id)).describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return CaseNotFoundError(case_id)
            raise
        return CaseError(f"complaint case {case_id!r} is closed: it takes no more steps",
                         "case_closed")

    async def view(self, case_id: str) -> ComplaintView:
        handle = self._client.get_workflow_handle(workflow_id(case_id))
        try:
            return await handle.query(ComplaintWorkflow.view)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise CaseNotFoundError(case_id) from exc
            raise
