"""The complaint service: what the CLI, the API and tests call. It checks a registration before
starting anything, and turns Temporal's failures into caseflow's errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from zoneinfo import ZoneInfo

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from caseflow.services.calls import (
    AccessDenied,
    AlreadyExistsError,
    CaseError,
    NotFoundError,
    Started,
    execute_update,
    query_view,
    refused,
    start_once,
)
from domain.access import AccessDeniedError, Principal, check_complaint_step
from domain.calendar import BusinessCalendar
from domain.complaint import Rules, decide, initial_state
from domain.complaint.categories import Taxonomy
from domain.complaint.commands import (
    Escalate,
    OfficerCommand,
    RecordFeedback,
    RecordFollowUp,
    RegisterComplaint,
)
from domain.errors import DomainError
from domain.sla import SlaPolicy, local_date
from workflows.client_messages import client_workflow_id
from workflows.complaint import ComplaintWorkflow
from workflows.complaint_messages import (
    CommandRequest,
    ComplaintInput,
    ComplaintView,
    workflow_id,
)

__all__ = ["AccessDenied", "CaseError", "CaseNotFoundError", "ComplaintService",
           "DuplicateCaseError", "Started"]


CalendarSource = Callable[[Iterable[int]], Awaitable[BusinessCalendar]]
"""The working-day calendar in force for the given years (what a new case counts on)."""
UnitLookup = Callable[[str], Awaitable[bool]]
"""Whether the organisation has this unit."""


class CaseNotFoundError(NotFoundError):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"no complaint case {case_id!r}")


class DuplicateCaseError(AlreadyExistsError):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"complaint case {case_id!r} already exists with other content")


def _closed(case_id: str) -> CaseError:
    return CaseError(f"complaint case {case_id!r} is closed: it takes no more steps",
                     "case_closed")


def same_registration(first: RegisterComplaint, again: RegisterComplaint,
                      received_at_given: bool) -> bool:
    """The same complaint: every field the caller gave, whoever sends it and whenever; the time
    of receipt only when the caller gave it (else each request defaults it to its own now)."""
    ignored = {"actor", "at"} | (set() if received_at_given else {"received_at"})
    return first.model_dump(exclude=ignored) == again.model_dump(exclude=ignored)


class ComplaintService:
    def __init__(self, client: Client, task_queue: str, *, policy: SlaPolicy,
                 calendar: CalendarSource, categories: Taxonomy,
                 known_unit: UnitLookup | None = None) -> None:
        """`known_unit`: the organisation's units, which escalations go to (None: a process
        without the organisation's database, which checks no escalation target)."""
        self._client = client
        self._known_unit = known_unit
        self._task_queue = task_queue
        self._policy = policy
        self._calendar = calendar
        self.categories = categories

    async def rules_for(self, command: RegisterComplaint) -> Rules:
        """The receipt year and the next: enough for any deadline of the case, small enough to
        travel in the workflow's input. A year the calendar does not cover yet makes the
        deadline provisional; it never refuses the complaint."""
        return await self.rules_on(local_date(command.received_at,
                                              ZoneInfo(self._policy.time_zone)))

    async def rules_on(self, day: date) -> Rules:
        """The calendar in force for `day`'s year and the next, and the SLA policy."""
        return Rules(calendar=await self._calendar([day.year, day.year + 1]), policy=self._policy)

    async def register(
        self, command: RegisterComplaint, by: Principal, *,
        received_at_given: bool = True,
    ) -> Started:
        """Start the case's workflow. Access and domain errors (bad dates) are raised here,
        before anything is started. A case that exists with the same content is that case (a
        registration sent again); with other content, a DuplicateCaseError."""
        try:
            check_complaint_step(by, command.actor, command.outlet, command.kind)
        except AccessDeniedError as error:
            raise refused(error) from error
        rules = await self.rules_for(command)
        try:
            self.categories.check(command.category, command.cause)
            decide(initial_state(), command, rules)
        except DomainError as error:
            raise refused(error) from error
        followed = await self._client_followed(command.client_id)
        case_workflow = workflow_id(command.case_id)
        created = await start_once(
            self._client, ComplaintWorkflow.run,
            ComplaintInput(registration=command, calendar=rules.calendar, policy=rules.policy,
                           client_followed=followed),
            workflow_id=case_workflow, task_queue=self._task_queue,
            same_as_first=lambda first: same_registration(first.registration, command,
                                                          received_at_given),
            duplicate=lambda: DuplicateCaseError(command.case_id))
        if not created:
            await self.view(command.case_id, by)  # shown only to whom may read it
        return Started(case_workflow, created)

    async def _client_followed(self, client_id: str) -> bool:
        """Does the client have a running relationship workflow? Most complainants do not, and
        their cases then make no call to it (each call cost throughput: README, benchmarks)."""
        try:
            description = await self._client.get_workflow_handle(
                client_workflow_id(client_id)).describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return False
            raise
        return description.status == WorkflowExecutionStatus.RUNNING

    async def execute(
        self, case_id: str, command: OfficerCommand, by: Principal,
        request_id: str | None = None,
    ) -> ComplaintView:
        """One officer step; `by` (the authenticated user) is checked by the case's workflow.
        With a `request_id`, the same request sent again answers the first one's outcome. An
        escalation to a unit the organisation does not have is refused here (`unknown_unit`)."""
        target = escalation_target(command)
        if target is not None and self._known_unit is not None \
                and not await self._known_unit(target):
            raise CaseError(f"there is no unit {target!r} in the organisation: a case is "
                            "escalated to one of its units (e.g. branch-sh-csm)", "unknown_unit")
        return await execute_update(
            self._client, workflow_id(case_id), CommandRequest(command=command, by=by),
            ComplaintView, lambda: CaseNotFoundError(case_id), f"complaint case {case_id!r}",
            lambda: _closed(case_id), request_id=request_id)

    async def view(self, case_id: str, by: Principal) -> ComplaintView:
        return await query_view(self._client, workflow_id(case_id), ComplaintView,
                                lambda: CaseNotFoundError(case_id),
                                by, lambda v: (v.state.outlet, v.state.held_by))


def escalation_target(command: OfficerCommand) -> str | None:
    """The unit a step sends the case to, if it escalates it."""
    if isinstance(command, Escalate):
        return command.to
    if isinstance(command, RecordFeedback | RecordFollowUp) and command.follow_up == "escalate":
        return command.escalate_to
    return None
