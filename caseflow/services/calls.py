"""Calling a caseflow workflow's `command` update and `view` query, with Temporal's failures
turned into caseflow's errors (shared by the complaint and client services)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from caseflow.metrics import STEPS
from domain.access import AccessDeniedError, Principal, check_read
from workflows import names
from workflows.requests import request_update_id

T = TypeVar("T")

UPDATE_WAIT = timedelta(seconds=30)
"""How long a caller waits for a step's outcome before being told to ask again."""


class CaseError(Exception):
    """A request about a case or client that caseflow refused; `rule` says which rule."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


class AccessDenied(CaseError):
    """The acting user's role or outlet does not allow the request."""


class NotFoundError(CaseError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "not_found")


class AlreadyExistsError(CaseError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "already_exists")


@dataclass(frozen=True)
class Started:
    workflow_id: str
    created: bool
    """False: the same registration had been made before (a request sent again)."""


class StoppedError(CaseError):
    """The case's (or client's) workflow stopped without finishing: failed, terminated or timed
    out. Never reported as closed: a supervisor must look at it."""

    def __init__(self, what: str, status: WorkflowExecutionStatus) -> None:
        super().__init__(f"{what}'s process stopped ({status.name.lower()}) before it was "
                         "finished: it takes no steps until IT has restored it", "process_stopped")
        self.status = status


async def started_input(client: Client, workflow_id: str, input_type: type[T]) -> T:
    """The input a workflow was started with (from the first event of its history)."""
    handle = client.get_workflow_handle(workflow_id)
    async for event in handle.fetch_history_events():
        payloads = event.workflow_execution_started_event_attributes.input.payloads
        [found] = await client.data_converter.decode(payloads, [input_type])
        return found  # type: ignore[no-any-return]
    raise RuntimeError(f"workflow {workflow_id} has no history")


async def start_once(
    client: Client, run: Any, start: T, *, workflow_id: str, task_queue: str,
    same_as_first: Callable[[T], bool], duplicate: Callable[[], CaseError],
) -> bool:
    """Start a case's or client's workflow (ids are never reused). True if this request started
    it; False if it was started before with the same content (the request sent again); a
    `duplicate()` error if it was started with other content."""
    try:
        await client.start_workflow(
            run, start, id=workflow_id, task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL)
    except WorkflowAlreadyStartedError as exc:
        if not same_as_first(await started_input(client, workflow_id, type(start))):
            raise duplicate() from exc
        return False
    return True


class StillRecordingError(Exception):
    """The step was taken in but its outcome did not come within UPDATE_WAIT (a worker or a
    database is slow or restarting). Sent again with the same request id, it answers the first
    request's outcome; it is never recorded twice."""


def refused(error: Exception) -> CaseError:
    """A domain or access error raised in this process, as a CaseError."""
    rule = getattr(error, "rule", "rejected")
    if type(error).__name__ == "AccessDeniedError":
        return AccessDenied(str(error), rule)
    return CaseError(str(error), rule)


class StepRequest(Protocol):
    @property
    def command(self) -> Any: ...
    @property
    def by(self) -> Principal | None: ...


def update_id(request: StepRequest, request_id: str | None) -> str | None:
    """The Temporal update id of a step: from the caller's request id (idempotent), or None
    (Temporal makes one up: a request sent again is a new request)."""
    if request_id is None:
        return None
    user = request.by.name if request.by is not None else request.command.actor
    return request_update_id(user, request_id,
                             request.command.model_dump(mode="json", exclude={"at"}))


async def execute_update(
    client: Client, workflow_id: str, request: StepRequest, result_type: type[T],
    not_found: Callable[[], CaseError], what: str, closed: Callable[[], CaseError],
    request_id: str | None = None,
) -> T:
    handle = client.get_workflow_handle(workflow_id)
    step = (workflow_id.partition("-")[0], str(request.command.kind))
    try:
        async with asyncio.timeout(UPDATE_WAIT.total_seconds()):
            # By name: the SDK's overloads do not type async update methods for mypy.
            result: T = await handle.execute_update(
                names.COMMAND, request, result_type=result_type,
                id=update_id(request, request_id))
        STEPS.labels(*step, "accepted", "").inc()
        return result
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as exc:
        # Our wait ran out (the SDK reports the cancelled call as its own error) or the
        # server's did: either way the outcome is not known yet, never a server error.
        raise StillRecordingError(
            f"{what}: the step was received but its outcome is not known yet; send it again "
            "with the same request id to learn it") from exc
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        if isinstance(cause, ApplicationError):
            rule = str(cause.details[0]) if cause.details else cause.type or "rejected"
            STEPS.labels(*step, "refused", rule).inc()
            if cause.type == "AccessDeniedError":
                raise AccessDenied(cause.message, rule) from exc
            raise CaseError(cause.message, rule) from exc
        raise
    except RPCError as exc:
        if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            why = await _why_not_running(client, workflow_id, not_found, what, closed)
            if why is not None:
                raise why from exc
        raise


async def query_view(
    client: Client, workflow_id: str, result_type: type[T], not_found: Callable[[], CaseError],
    by: Principal, outlet_of: Callable[[T], str | tuple[str | None, str | None] | None],
) -> T:
    """The workflow's view, if `by` may read records of its outlet (or of the unit holding
    it: `outlet_of` may give (outlet, holder))."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        view: T = await handle.query(names.VIEW, result_type=result_type)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise not_found() from exc
        raise
    units = outlet_of(view)
    outlet, holder = units if isinstance(units, tuple) else (units, None)
    try:
        check_read(by, outlet, holder)
    except AccessDeniedError as error:
        raise refused(error) from error
    return view


async def _why_not_running(
    client: Client, workflow_id: str, not_found: Callable[[], CaseError], what: str,
    closed: Callable[[], CaseError],
) -> CaseError | None:
    """Why a workflow took no update: unknown, closed, or stopped (None: it is running)."""
    try:
        description = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return not_found()
        raise
    if description.status in (None, WorkflowExecutionStatus.RUNNING):
        return None
    if description.status == WorkflowExecutionStatus.COMPLETED:
        return closed()
    return StoppedError(what, description.status)
