"""The client pages: my clients by next due contact, and a client's page (stage, tier, manager,
churn risk, the timeline, and the steps this user may take now as forms, as on a case page)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from caseflow.audit.client_replay import client_timeline
from caseflow.http.bodies import CLIENT_STEPS
from caseflow.store import StreamNotFoundError
from caseflow.store.read_models.clients import list_clients, manager_day, managers_due
from caseflow.web.forms import form_fields
from caseflow.web.pages import (
    Services,
    Signed,
    checked_form,
    outlets_of,
    record_step,
    render,
    texts_for,
    today_in,
)
from caseflow.web.sessions import WebSession
from caseflow.web.timeline_words import timeline_lines
from domain.access import (
    AccessDeniedError,
    Principal,
    Role,
    check_agenda,
    check_client_step,
    visible_outlets,
)
from domain.client import CLIENT
from domain.client.state import ClientState
from domain.errors import DomainError, IllegalStepError
from workflows.client_messages import client_workflow_id

router = APIRouter(prefix="/web/clients", include_in_schema=False)


def probe(kind: str, state: ClientState, now: datetime) -> dict[str, Any]:
    """A representative command of each client step (see pages.PROBES)."""
    account = next(iter(sorted(state.accounts)), "\u2060probe")
    probes: dict[str, dict[str, Any]] = {
        "contact_attempt": {"channel": "phone", "outcome": "no_answer", "next_step": "-"},
        "meeting": {"needs": "-", "proposals": "-", "deal": True,
                    "next_contact_at": now + timedelta(days=1)},
        "sale": {"product": "-"}, "reassign_manager": {"manager": "\u2060probe", "reason": "-"},
        "open_account": {"account": "\u2060probe"}, "request_closure": {"account": account},
        "retention": {"retained": True, "note": "-"},
        "log_contact": {"channel": "phone", "summary": "-"},
        "set_preference": {"preference": "frequent"}, "win_back": {"reason": "-"},
        "survey": {"score": 5},
        "reassess": {"assessment": {"deposits_10k": 0, "loans_10k": 0,
                                    "intermediary_products": 0, "family": 0, "occupation": 0,
                                    "social_standing": 0}},
    }
    return probes[kind]


def offered_client_steps(state: ClientState, user: Principal, services: Any, now: datetime
                         ) -> list[str]:
    offered = []
    for path, (command_type, _) in CLIENT_STEPS.items():
        kind = command_type.model_fields["kind"].default
        try:
            check_client_step(user, user.name, state.outlet, kind,
                              retention_by=state.retention_by)
            command = command_type(actor=user.name, at=now, **probe(kind, state, now))
            CLIENT.decide(state, command, services.clients.policy)  # type: ignore[arg-type]
        except (AccessDeniedError, IllegalStepError):
            continue
        except DomainError:
            pass
        offered.append(path)
    return offered


@router.get("")
async def my_clients(request: Request, services: Services, session: Signed) -> Response:
    user = session.user
    mine = user.role is Role.CASE_OFFICER
    clients = await list_clients(services.pool, manager=user.name if mine else None,
                                 outlets=outlets_of(user), limit=200)
    return render(request, services, "clients.html", session, clients=clients, mine=mine)


async def _client(request: Request, services: Any, session: WebSession, client_id: str, *,
                  done: str | None = None, failed: str | None = None,
                  error: str | None = None, problems: list[str] | None = None,
                  values: dict[str, str] | None = None, status_code: int = 200,
                  keep_request_id: str | None = None) -> Response:
    user = session.user
    view = await services.clients.view(client_id, by=user)
    try:
        events = await services.store.read_stream(client_workflow_id(client_id))
    except StreamNotFoundError:
        events = []
    now = await services.now()
    steps = {path: form_fields(CLIENT_STEPS[path][1])
             for path in offered_client_steps(view.state, user, services, now)}
    t = texts_for(request, services, session)
    return render(request, services, "client.html", session, client_id=client_id, view=view,
                  state=view.state, history=timeline_lines(events, client_timeline(events), t),
                  steps=steps, done=done,
                  failed=failed, error=error, problems=problems or [], values=values or {},
                  version=view.state.version,
                  request_id=secrets.token_urlsafe(16), kept_request_id=keep_request_id,
                  status_code=status_code)


@router.get("/{client_id}")
async def client_page(request: Request, services: Services, session: Signed, client_id: str,
                      done: str | None = None) -> Response:
    return await _client(request, services, session, client_id, done=done)


@router.post("/{client_id}/{path}")
async def take_client_step(request: Request, services: Services, session: Signed,
                           client_id: str, path: str) -> Response:
    form = await checked_form(request, session)
    user = session.user

    async def show(**outcome: Any) -> Response:
        return await _client(request, services, session, client_id, failed=path, **outcome)

    if path not in CLIENT_STEPS:
        return await show(error="error.not_found", status_code=404)
    command_type, body_type = CLIENT_STEPS[path]
    view = await services.clients.view(client_id, by=user)

    async def execute(fields: dict[str, Any], request_id: str | None) -> None:
        command = command_type(actor=user.name, at=await services.now(), **fields)
        await services.clients.execute(client_id, command, by=user,  # type: ignore[arg-type]
                                       request_id=request_id)

    return await record_step(request, services, session, form, body_type,
                             kind=command_type.model_fields["kind"].default,
                             version=view.state.version, stream=client_workflow_id(client_id),
                             page=f"/web/clients/{client_id}", execute=execute, show=show)


agenda_router = APIRouter(prefix="/web/agenda", include_in_schema=False)


@agenda_router.get("")
async def agenda(request: Request, services: Services, session: Signed,
                 manager: str | None = None) -> Response:
    """The manager's day: what is due and overdue, against the day's targets; supervisors and
    outlet heads also see every manager of their units."""
    user = session.user
    who = manager or user.name
    check_agenda(user, who)
    outlets = visible_outlets(user, None)
    today = today_in(services, await services.now())
    day = await manager_day(services.pool, who, outlets, today, services.zone,
                            services.clients.policy)
    lead = user.role in (Role.SUPERVISOR, Role.OUTLET_HEAD, Role.AUDITOR)
    managers = await managers_due(services.pool, outlets, today, services.zone) if lead else []
    surveys = await services.reports.surveys(user, today - timedelta(days=29), today) \
        if user.role == Role.OUTLET_HEAD and manager is None else None
    return render(request, services, "agenda.html", session, day=day, managers=managers,
                  surveys=surveys)
