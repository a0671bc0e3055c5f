"""Calling a caseflow workflow's `command` update and `view` query, with Temporal's failures
turned into caseflow's errors (shared by the complaint and client services)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain.access import AccessDeniedError, Principal, check_read

T = TypeVar("T")


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


def refused(error: Exception) -> CaseError:
    """A domain or access error raised in this process, as a CaseError."""
    rule = getattr(error, "rule", "rejected")
    if type(error).__name__ == "AccessDeniedError":
        return AccessDenied(str(error), rule)
    return CaseError(str(error), rule)


async def execute_update(
    client: Client, workflow_id: str, request: Any, result_type: type[T],
    not_found: Callable[[], CaseError], closed: Callable[[], CaseError],
) -> T:
    handle = client.get_workflow_handle(workflow_id)
    try:
        # By name: the SDK's overloads do not type async update methods for mypy.
        result: T = await handle.execute_update("command", request, result_type=result_type)
        return result
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        if isinstance(cause, ApplicationError):
            rule = str(cause.details[0]) if cause.details else cause.type or "rejected"
            if cause.type == "AccessDeniedError":
                raise AccessDenied(cause.message, rule) from exc
            raise CaseError(cause.message, rule) from exc
        raise
    except RPCError as exc:
        if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            raise await _why_not_running(client, workflow_id, not_found, closed) from exc
        raise


async def query_view(
    client: Client, workflow_id: str, result_type: type[T], not_found: Callable[[], CaseError],
    by: Principal | None, outlet_of: Callable[[T], str | None],
) -> T:
    """The workflow's view, if `by` may read records of its outlet."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        view: T = await handle.query("view", result_type=result_type)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise not_found() from exc
        raise
    if by is not None:
        try:
            check_read(by, outlet_of(view))
        except AccessDeniedError as error:
            raise refused(error) from error
    return view


async def _why_not_running(
    client: Client, workflow_id: str, not_found: Callable[[], CaseError],
    closed: Callable[[], CaseError],
) -> CaseError:
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return not_found()
        raise
    return closed()
