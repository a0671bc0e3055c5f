"""Pages about a unit and its people rather than one case: the supervisor's dashboard (who
carries what, extension requests, warnings due today, breaches, escalations) with reassigning
an absent officer's cases; every user's inbox; the admin's users and their passwords."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from uuid import UUID

from fastapi import APIRouter, Request, status
from fastapi.responses import Response
from pydantic import ValidationError
from temporalio.service import RPCError

from caseflow.delivery import records
from caseflow.identity.passwords import password_problem, set_password
from caseflow.identity.users import NewUser, UserError, add_user, list_users
from caseflow.services.calls import CaseError, StillRecordingError
from caseflow.store.read_models.clients import client_managers, list_clients
from caseflow.store.read_models.complaints import (
    awaiting_extension_decision,
    escalated_cases,
    held_cases,
    list_cases,
    open_by_handler,
    warnings_due,
)
from caseflow.web.pages import (
    Services,
    Signed,
    checked_form,
    outlets_of,
    redirect,
    render,
    today_in,
)
from domain.access import AccessDeniedError, Principal, Role, check_admin
from domain.client.commands import ReassignManager
from domain.complaint.commands import AssignHandler
from domain.errors import DomainError

router = APIRouter(prefix="/web", include_in_schema=False)
LEADS = frozenset({Role.SUPERVISOR, Role.OUTLET_HEAD})
REASSIGN_AT_ONCE = 500
"""Open cases one reassignment moves at most (a second one moves the rest)."""


def _require_lead(user: Principal) -> None:
    if user.role not in LEADS:
        raise AccessDeniedError(f"{user.name} is a {user.role.value}: the unit's dashboard is "
                                "for supervisors and outlet heads")


@router.get("/unit")
async def dashboard(request: Request, services: Services, session: Signed,
                    moved: int | None = None, refused: int | None = None) -> Response:
    user = session.user
    _require_lead(user)
    outlets = outlets_of(user)
    now = await services.now()
    today = today_in(services, now)
    start_of_today = datetime.combine(today, time(0, 0), services.zone)
    end_of_today = start_of_today + timedelta(days=1)
    # Due by the end of today (a deadline at midnight ends the day before), not yet passed.
    due_today = await list_cases(
        services.pool, open_only=True, outlets=outlets, breached=False,
        due_after=start_of_today, due_before=end_of_today + timedelta(microseconds=1),
        limit=50)
    warnings = await warnings_due(services.pool, outlets, start_of_today, end_of_today)
    head = user.role is Role.OUTLET_HEAD
    return render(
        request, services, "unit.html", session, head=head,
        # The outlet head's own work: replies ready to go out (a letter or fax is sent by the
        # head), second retention attempts, clients without a manager yet.
        to_reply=(await list_cases(services.pool, status="investigated", outlets=outlets,
                                   limit=50) if head else []),
        retention=(await list_clients(services.pool, outlets=outlets,
                                      retention_by="outlet_head", limit=50) if head else []),
        unmanaged=(await list_clients(services.pool, outlets=outlets, unmanaged=True, limit=50)
                   if head else []),
        managers=await client_managers(services.pool, outlets) if head else [],
        by_handler=await open_by_handler(services.pool, outlets),
        extensions=await awaiting_extension_decision(services.pool, outlets),
        due_today=due_today, warnings=warnings,
        breached=await list_cases(services.pool, open_only=True, outlets=outlets,
                                  breached=True, limit=50),
        escalated=await escalated_cases(services.pool, outlets),
        held=await held_cases(services.pool, outlets),
        corrective=await list_cases(services.pool, outlets=outlets, corrective_open=True,
                                    limit=50),
        follow_ups=await list_cases(services.pool, outlets=outlets, follow_up_pending=True,
                                    limit=50),
        moved=moved, refused=refused, request_id=secrets.token_urlsafe(16))


@router.post("/unit/reassign")
async def reassign(request: Request, services: Services, session: Signed) -> Response:
    """Every open case of an absent officer to another, each as its own assignment step by
    the supervisor (sent again with the same form id, each records once)."""
    form = await checked_form(request, session)
    user = session.user
    _require_lead(user)
    absent, to = form.get("from", "").strip(), form.get("to", "").strip()
    cases = await list_cases(services.pool, open_only=True, outlets=outlets_of(user),
                             handler=absent or None, limit=REASSIGN_AT_ONCE)

    async def assign(case_id: str, request_id: str) -> None:
        command = AssignHandler(actor=user.name, at=await services.now(), handler=to)
        await services.complaints.execute(case_id, command, by=user, request_id=request_id)

    moved, refused = await _each(
        [c.case_id for c in cases] if absent and to and absent != to else [], assign, form)
    return redirect("/web/unit", moved=str(moved), refused=str(refused))


@router.post("/unit/hand-over-clients")
async def hand_over_clients(request: Request, services: Services, session: Signed) -> Response:
    """Every client of an absent manager to another (the outlet head's step), each as its own
    reassignment (sent again with the same form id, each records once)."""
    form = await checked_form(request, session)
    user = session.user
    _require_lead(user)
    absent, to = form.get("from", "").strip(), form.get("to", "").strip()
    reason = form.get("reason", "").strip() or "absent"
    clients = await list_clients(services.pool, manager=absent or None,
                                 outlets=outlets_of(user), limit=REASSIGN_AT_ONCE)

    async def reassign_manager(client_id: str, request_id: str) -> None:
        command = ReassignManager(actor=user.name, at=await services.now(), manager=to,
                                  reason=reason)
        await services.clients.execute(client_id, command, by=user, request_id=request_id)

    moved, refused = await _each(
        [c.client_id for c in clients] if absent and to and absent != to else [],
        reassign_manager, form)
    return redirect("/web/unit", moved=str(moved), refused=str(refused))


async def _each(ids: list[str], step: Callable[[str, str], Awaitable[None]],
                form: dict[str, str]) -> tuple[int, int]:
    """Take `step` for each id, each with its own request id from the form's: (taken, not
    taken). One that is refused, or whose answer does not come (still recording, a server
    unavailable), does not stop the others; the same form sent again takes the rest and
    records none twice."""
    taken = refused = 0
    for stream_id in ids:
        try:
            await step(stream_id, f"web:{form.get('request_id', '')}:{stream_id}")
            taken += 1
        except (CaseError, DomainError, ValidationError, StillRecordingError, RPCError,
                OSError):
            refused += 1
    return taken, refused


# -- the inbox --------------------------------------------------------------------------------


@router.get("/inbox")
async def inbox(request: Request, services: Services, session: Signed) -> Response:
    messages = await records.inbox_of(services.pool, session.user.name, limit=100)
    return render(request, services, "inbox.html", session, messages=messages)


@router.post("/inbox/{notification_id}/read")
async def read(request: Request, services: Services, session: Signed,
               notification_id: UUID) -> Response:
    await checked_form(request, session)
    await records.mark_read(services.pool, session.user.name, notification_id)
    return redirect("/web/inbox")


# -- users (admins) ---------------------------------------------------------------------------


@router.get("/admin/users")
async def users(request: Request, services: Services, session: Signed) -> Response:
    check_admin(session.user)
    return await _users_page(request, services, session, None, {})


async def _users_page(request: Request, services: Services, session: Signed,
                      message: str | None, values: dict[str, str], *, error: bool = False,
                      status_code: int = 200) -> Response:
    return render(request, services, "users.html", session, users=await list_users(services.pool),
                  roles=[r.value for r in Role if r is not Role.SYSTEM], message=message,
                  failed=error, values=values, status_code=status_code)


@router.post("/admin/users")
async def add(request: Request, services: Services, session: Signed) -> Response:
    form = await checked_form(request, session)
    admin = session.user
    check_admin(admin)
    try:
        problem_key = password_problem(form.get("name", ""), form.get("password", ""))
        if problem_key is not None:
            raise UserError(problem_key)
        given = NewUser(name=form.get("name", "").strip(), role=form.get("role", ""),
                        outlet=form.get("outlet", "").strip() or None,
                        language=form.get("language", "zh"))
        await add_user(services.pool, Principal(name=given.name, role=given.role,
                                                outlet=given.outlet),
                       created_by=admin.name, language=given.language)
        await set_password(services.pool, given.name, form.get("password", ""),
                           set_by=admin.name)
    except (ValidationError, UserError) as problem:
        text = (problem.errors()[0]["msg"] if isinstance(problem, ValidationError)
                else str(problem))
        return await _users_page(request, services, session, text, form, error=True,
                                 status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    return redirect("/web/admin/users")


@router.post("/admin/users/{name}/password")
async def password(request: Request, services: Services, session: Signed, name: str
                   ) -> Response:
    """An admin sets a user's password (their first one, or after they forgot it)."""
    form = await checked_form(request, session)
    check_admin(session.user)
    try:
        await set_password(services.pool, name, form.get("password", ""),
                           set_by=session.user.name)
    except UserError as problem:
        return await _users_page(request, services, session, str(problem), {}, error=True,
                                 status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    return redirect("/web/admin/users")
