"""The staff web app's pages, on the API service under /web. Each page acts as the signed-in
user through the same services as the API (so the same role and unit checks apply), every form
carries the session's CSRF token and a one-time request id (sent twice, it records once), and a
form that worked answers with a redirect (the back button never posts it again). A refused step
shows its rule in words, keeps what the user typed, and records nothing."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from caseflow.audit.replay import timeline
from caseflow.bootstrap import Parts
from caseflow.http.bodies import COMPLAINT_STEPS, Body, RegisterComplaintBody
from caseflow.identity.passwords import (
    PasswordSignIn,
    SignInRefused,
    password_problem,
    set_password,
)
from caseflow.identity.users import UserError
from caseflow.services.calls import (
    AccessDenied,
    CaseError,
    NotFoundError,
    StillRecordingError,
)
from caseflow.store import StreamNotFoundError
from caseflow.store.read_models.complaints import list_cases
from caseflow.web.forms import form_fields, parsed
from caseflow.web.i18n import LANGUAGES, Texts
from caseflow.web.sessions import (
    COOKIE,
    WebSession,
    end_session,
    find_session,
    form_was_posted,
    remember_form_post,
    set_language,
    start_session,
)
from caseflow.web.timeline_words import timeline_lines
from domain.access import (
    AccessDeniedError,
    Principal,
    Role,
    check_complaint_step,
    visible_outlets,
)
from domain.complaint import binding_deadline, decide
from domain.complaint.commands import RegisterComplaint
from domain.complaint.state import ComplaintState
from domain.complaint.summary import CaseSummary
from domain.errors import DomainError, IllegalStepError
from domain.notifications import ClientContact
from workflows.complaint_messages import confirm_letter, workflow_id

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter(prefix="/web", include_in_schema=False)
LANGUAGE_COOKIE = "cf_lang"
SIGN_IN_COOKIE = "cf_signin"
"""The sign-in form's token before there is a session (double submit)."""
PAGE_SIZE = 50


class SignInNeeded(Exception):
    def __init__(self, expired: bool) -> None:
        super().__init__("sign in")
        self.expired = expired


class FormRefused(Exception):
    """A form without the session's CSRF token: nothing is done."""


async def _parts(request: Request) -> Parts:
    found: Parts = request.app.state.parts
    return found


Services = Annotated[Parts, Depends(_parts)]


async def web_session(request: Request, services: Services) -> WebSession:
    return await _session(request, services, touch=True)


async def polling_session(request: Request, services: Services) -> WebSession:
    """The session of a page looking for changes by itself: it does not count as the user
    being active (an open worklist must not keep an unattended session alive)."""
    return await _session(request, services, touch=False)


async def _session(request: Request, services: Parts, *, touch: bool) -> WebSession:
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        raise SignInNeeded(expired=False)
    found = await find_session(services.pool, session_id, await services.now(),
                               timedelta(minutes=services.settings.web_idle_minutes),
                               touch=touch)
    if found is None:
        raise SignInNeeded(expired=True)
    return found


Signed = Annotated[WebSession, Depends(web_session)]
Polling = Annotated[WebSession, Depends(polling_session)]


def texts_for(request: Request, services: Parts, session: WebSession | None) -> Texts:
    language = session.language if session else request.cookies.get(LANGUAGE_COOKIE, "zh")
    return Texts(language, services.zone)


def render(request: Request, services: Parts, template: str, session: WebSession | None, *,
           status_code: int = 200, **context: Any) -> HTMLResponse:
    t = texts_for(request, services, session)
    return TEMPLATES.TemplateResponse(
        request, template, {"t": t, "session": session, "user": session.user if session else None,
                            "csrf": session.csrf if session else "", **context},
        status_code=status_code)


async def checked_form(request: Request, session: WebSession) -> dict[str, str]:
    """The posted form, if it carries this session's CSRF token."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    if not secrets.compare_digest(form.get("csrf", ""), session.csrf):
        raise FormRefused
    return form


def secure(request: Request) -> bool:
    """Behind TLS (directly or through the bank's proxy): cookies are Secure."""
    return (request.url.scheme == "https"
            or request.headers.get("x-forwarded-proto", "").lower() == "https")


def redirect(path: str, **query: str) -> RedirectResponse:
    target = f"{path}?{urlencode(query)}" if query else path
    return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)


# -- signing in and out -------------------------------------------------------------------------


@router.get("/signin")
async def signin_page(request: Request, services: Services, expired: bool = False,
                      signed_out: bool = False) -> Response:
    notice = "signin.expired" if expired else "signin.signed_out" if signed_out else None
    return _signin_form(request, services, notice=notice)


def _signin_form(request: Request, services: Parts, *, notice: str | None = None,
                 error: str | None = None, name: str = "", status_code: int = 200
                 ) -> HTMLResponse:
    """The sign-in page with a fresh form token, set beside it in a cookie (double submit)."""
    token = secrets.token_urlsafe(32)
    page = render(request, services, "signin.html", None, token=token, notice=notice,
                  error=error, name=name, status_code=status_code)
    page.set_cookie(SIGN_IN_COOKIE, token, httponly=True, samesite="strict",
                    secure=secure(request), path="/web/signin")
    return page


@router.post("/signin")
async def signin(request: Request, services: Services) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    cookie = request.cookies.get(SIGN_IN_COOKIE, "")
    if not cookie or not secrets.compare_digest(form.get("csrf", ""), cookie):
        raise FormRefused
    name = form.get("name", "").strip()
    try:
        user = await PasswordSignIn(services.pool).sign_in(name, form.get("password", ""),
                                                           await services.now())
    except SignInRefused:
        # The same words whether the name is unknown, the password wrong or the user locked:
        # the page tells nobody which names exist.
        return _signin_form(request, services, error="signin.refused", name=name,
                            status_code=status.HTTP_401_UNAUTHORIZED)
    response = redirect("/web/")
    _set_session_cookie(request, response,
                        await start_session(services.pool, user, await services.now()))
    response.delete_cookie(SIGN_IN_COOKIE, path="/web/signin")
    return response


@router.post("/signout")
async def signout(request: Request, services: Services, session: Signed) -> Response:
    await checked_form(request, session)
    await end_session(services.pool, request.cookies[COOKIE], await services.now())
    response = redirect("/web/signin", signed_out="1")
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/language")
async def language(request: Request, services: Services, session: Signed) -> Response:
    form = await checked_form(request, session)
    chosen = form.get("language", "zh")
    back = form.get("back", "/web/")
    if not back.startswith("/web/") or back.startswith("//"):
        back = "/web/"
    # A page shown after a post (a refused step) goes back to the page it belongs to.
    page = re.match(r"^(/web/(?:complaints|clients)/[^/?]+)/[a-z-]+$", back)
    response = RedirectResponse(page.group(1) if page and not back.endswith("/new") else back,
                                status_code=status.HTTP_303_SEE_OTHER)
    if chosen in LANGUAGES:
        await set_language(services.pool, session.user.name, chosen)
        # Also for the pages shown before signing in and the error pages.
        response.set_cookie(LANGUAGE_COOKIE, chosen, samesite="lax", secure=secure(request),
                            path="/web", max_age=365 * 24 * 3600)
    return response


@router.get("/password")
async def password_page(request: Request, services: Services, session: Signed,
                        changed: bool = False) -> Response:
    return render(request, services, "password.html", session, error=None,
                  notice="password.changed" if changed else None)


@router.post("/password")
async def change_password(request: Request, services: Services, session: Signed) -> Response:
    form = await checked_form(request, session)
    name = session.user.name
    error: str | None = None
    try:
        await PasswordSignIn(services.pool).sign_in(name, form.get("current", ""),
                                                    await services.now())
    except SignInRefused as refused:
        error = f"signin.{refused.reason}"
    new = form.get("new", "")
    if error is None and new != form.get("again", ""):
        error = "password.mismatch"
    error = error or password_problem(name, new)
    if error is not None:
        return render(request, services, "password.html", session, error=error, notice=None,
                      status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    try:
        await set_password(services.pool, name, new, set_by=name)  # (ends every session)
    except UserError as problem:
        return render(request, services, "password.html", session, error=str(problem),
                      notice=None, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    response = redirect("/web/password", changed="1")
    _set_session_cookie(request, response,
                        await start_session(services.pool, session.user, await services.now()))
    return response


def _set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(COOKIE, session_id, httponly=True, samesite="lax",
                        secure=secure(request), path="/")


# -- the worklist -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkRow:
    case: CaseSummary
    group: str
    days_left: int | None


def due_day(due: datetime, zone: ZoneInfo) -> date:
    """The local day a deadline ends: one at midnight is the end of the day before."""
    return (due - timedelta(microseconds=1)).astimezone(zone).date()


def _group(due: datetime | None, breached: bool, now: datetime, services: Parts) -> str:
    if due is None:
        return "later"
    if breached or due <= now:
        return "overdue"
    today = today_in(services, now)
    due_day_ = due_day(due, services.zone)
    if due_day_ == today:
        return "today"
    return "week" if due_day_ <= today + timedelta(days=7) else "later"


@router.get("/")
async def worklist(request: Request, services: Services, session: Signed, mine: bool = False,
                   breached: bool = False, page: int = 1) -> Response:
    user = session.user
    if user.role is Role.AUDITOR:
        return redirect("/web/audit")
    if user.role is Role.ADMIN:
        return redirect("/web/admin/users")
    page = max(page, 1)
    now = await services.now()
    cases = await _worklist_cases(services, user, mine, breached, page)
    calendar = await services.calendar_book.in_force()
    today = today_in(services, now)
    rows = [WorkRow(case=c, group=_group(c.due_at, c.breached, now, services),
                    days_left=(calendar.working_days_after(today, due_day(c.due_at, services.zone))
                        if c.due_at and not c.breached and c.due_at > now else None))
            for c in cases[:PAGE_SIZE]]
    query = {"mine": "1"} if mine else {}
    if breached:
        query["breached"] = "1"
    return render(request, services, "worklist.html", session, rows=rows, mine=mine,
                  refresh_seconds=services.settings.web_refresh_seconds,
                  breached=breached, page=page, more=len(cases) > PAGE_SIZE,
                  stamp=_stamp(cases), query=query)


@router.get("/worklist/stamp")
async def worklist_stamp(services: Services, session: Polling, mine: bool = False,
                         breached: bool = False, page: int = 1) -> Response:
    """What the open worklist page polls: it reloads when this changes."""
    cases = await _worklist_cases(services, session.user, mine, breached, max(page, 1))
    return Response(_stamp(cases), media_type="text/plain")


async def _worklist_cases(services: Parts, user: Principal, mine: bool, breached: bool,
                          page: int) -> list[CaseSummary]:
    """One page of the user's open cases, and one more row (there is a next page)."""
    return await list_cases(
        services.pool, open_only=True, outlets=outlets_of(user),
        handler=user.name if mine else None, breached=True if breached else None,
        limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)


def _stamp(cases: list[CaseSummary]) -> str:
    """The same for the same rows in every API process (unlike `hash`)."""
    rows = ";".join(f"{c.case_id}:{c.version}" for c in cases)
    return hashlib.sha256(rows.encode()).hexdigest()[:16]


def outlets_of(user: Principal) -> list[str] | None:
    """The units whose cases and clients the user's lists show (refused to roles that read
    none: an admin)."""
    return visible_outlets(user, None)


# -- registering a complaint ------------------------------------------------------------------


REGISTER_FIELDS = form_fields(RegisterComplaintBody)


@router.get("/complaints/new")
async def register_page(request: Request, services: Services, session: Signed) -> Response:
    return _register_form(request, services, session, {}, None)


def _register_form(request: Request, services: Parts, session: WebSession,
                   values: Mapping[str, str], error: str | None, *,
                   problems: list[str] | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, services, "register.html", session, fields=REGISTER_FIELDS,
                  categories=services.complaints.categories,
                  values=values, error=error, problems=problems or [],
                  outlets=outlets_of(session.user) or [], status_code=status_code,
                  request_id=values.get("request_id") or secrets.token_urlsafe(16))


@router.post("/complaints/new")
async def register(request: Request, services: Services, session: Signed) -> Response:
    form = await checked_form(request, session)
    user = session.user
    now = await services.now()
    try:
        contact = (ClientContact(mobile=form.get("mobile") or None,
                                 email=form.get("email") or None)
                   if form.get("mobile") or form.get("email") else None)
        command = RegisterComplaint(actor=user.name, at=now, received_at=now, contact=contact,
                                    **parsed(RegisterComplaintBody, form))
        await services.complaints.register(command, by=user, received_at_given=False)
    except ValidationError as invalid:
        return _register_form(request, services, session, form, "form.invalid",
                              problems=_problems(invalid, texts_for(request, services, session)),
                              status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    except (CaseError, DomainError) as refused:
        return _register_form(request, services, session, form, _rule_of(refused),
                              problems=[str(refused)], status_code=_code_of(refused))
    return redirect(f"/web/complaints/{command.case_id}", done="register")


def _problems(invalid: ValidationError, t: Texts) -> list[str]:
    return [f"{t.field(str(e['loc'][0])) if e['loc'] else ''}: {e['msg']}"
            for e in invalid.errors(include_url=False, include_input=False)]


def _rule_of(error: Exception) -> str:
    return f"rule.{getattr(error, 'rule', 'domain_rule')}"


def _code_of(error: Exception) -> int:
    if isinstance(error, AccessDeniedError | AccessDenied):
        return status.HTTP_403_FORBIDDEN
    if isinstance(error, NotFoundError):
        return status.HTTP_404_NOT_FOUND
    return status.HTTP_409_CONFLICT


# -- the case page ----------------------------------------------------------------------------


PROBES: dict[str, dict[str, Any]] = {
    "resolve_on_spot": {"resolution": "-"}, "assign": {"handler": "\u2060probe"},
    "record_findings": {"summary": "-", "bank_at_fault": False},
    "request_extension": {"reason": "-"}, "decide_extension": {"approve": False},
    "escalate": {"reason": "beyond_authority", "to": "-", "details": "-"},
    "reply": {"method": "in_person", "content": "-"},
    "record_feedback": {"satisfied": True, "opinion": "-"}, "withdraw": {"reason": "-"},
    "add_note": {"text": "-"}, "accept_escalation": {}, "answer_escalation": {"answer": "-"},
    "extend_regulatory_deadline": {"reason": "-"},
    "record_follow_up": {"outcome": "satisfied", "opinion": "-"},
    "complete_corrective_action": {"number": 1, "outcome": "-"},
}
"""A representative command of each step, to ask the domain whether the step applies to the
case as it is now (an IllegalStepError: it does not; anything else: it does, content aside)."""


def offered_steps(state: ComplaintState, user: Principal, rules: Any, now: datetime
                  ) -> list[str]:
    """The steps this user may take on the case now: their role allows it, and the case's
    status admits it (decided by the domain itself, so the page cannot drift from the rules)."""
    offered = []
    for path, (command_type, _) in COMPLAINT_STEPS.items():
        kind = command_type.model_fields["kind"].default
        try:
            check_complaint_step(user, user.name, state.outlet, kind, holder=state.held_by)
        except AccessDeniedError:
            if not (kind == "reply" and user.role is Role.OUTLET_HEAD):
                continue
        fields = PROBES[kind]
        if kind == "complete_corrective_action" and state.open_corrective_actions:
            fields = {**fields, "number": state.open_corrective_actions[0].number}
        try:
            probe = command_type(actor=user.name, at=now, **fields)
            decide(state, probe, rules)  # type: ignore[arg-type]
        except IllegalStepError:
            continue
        except DomainError:
            pass
        offered.append(path)
    return offered


@router.get("/complaints/{case_id}")
async def case_page(request: Request, services: Services, session: Signed, case_id: str,
                    done: str | None = None) -> Response:
    return await _case(request, services, session, case_id, done=done)


async def _case(request: Request, services: Parts, session: WebSession, case_id: str, *,
                done: str | None = None, failed: str | None = None,
                error: str | None = None, problems: list[str] | None = None,
                values: Mapping[str, str] | None = None, status_code: int = 200,
                keep_request_id: str | None = None) -> Response:
    user = session.user
    view = await services.complaints.view(case_id, by=user)
    try:
        events = await services.store.read_stream(workflow_id(case_id))
    except StreamNotFoundError:
        events = []
    now = await services.now()
    today = today_in(services, now)
    rules = await services.complaints.rules_on(today)
    steps = {path: form_fields(COMPLAINT_STEPS[path][1])
             for path in offered_steps(view.state, user, rules, now)}
    deadline = view.state.deadline
    days_left = (rules.calendar.working_days_after(today, deadline.due_date)
        if deadline and view.state.clock_running and deadline.due_at > now else None)
    t = texts_for(request, services, session)
    return render(request, services, "case.html", session, case_id=case_id, view=view,
                  binding=binding_deadline(view.state),
                  categories=services.complaints.categories,
                  state=view.state, history=timeline_lines(events, timeline(events), t),
                  steps=steps, days_left=days_left, done=done, failed=failed, error=error,
                  problems=problems or [],
                  values=values or {}, version=view.state.version,
                  request_id=secrets.token_urlsafe(16), kept_request_id=keep_request_id,
                  status_code=status_code)


@router.post("/complaints/{case_id}/{path}")
async def take_step(request: Request, services: Services, session: Signed, case_id: str,
                    path: str) -> Response:
    form = await checked_form(request, session)
    user = session.user

    async def show(**outcome: Any) -> Response:
        return await _case(request, services, session, case_id, failed=path, **outcome)

    if path not in COMPLAINT_STEPS:
        return await show(error="error.not_found", status_code=404)
    command_type, body_type = COMPLAINT_STEPS[path]
    view = await services.complaints.view(case_id, by=user)

    async def execute(fields: dict[str, Any], request_id: str | None) -> None:
        command = command_type(actor=user.name, at=await services.now(),
                               **confirm_letter(fields, user))
        await services.complaints.execute(case_id, command, by=user,  # type: ignore[arg-type]
                                          request_id=request_id)

    return await record_step(request, services, session, form, body_type,
                             kind=command_type.model_fields["kind"].default,
                             version=view.state.version, stream=workflow_id(case_id),
                             page=f"/web/complaints/{case_id}", execute=execute, show=show)


async def record_step(request: Request, services: Parts, session: WebSession,
                      form: dict[str, str], body_type: type[Body], *, kind: str, version: int,
                      stream: str, page: str,
                      execute: Callable[[dict[str, Any], str | None], Awaitable[None]],
                      show: Callable[..., Awaitable[Response]]) -> Response:
    """Take one step posted from a case or client page: once per form (its one-time id), only
    on the version the page showed, with the refusal shown on the page and nothing recorded."""
    request_id = form.get("request_id", "")
    # A form sent before (a double click, a reload, a retry after "still recording") is the
    # same step: sent again under the same id it answers the first one's outcome, whatever the
    # case's version is now. A new form must be from the version it was shown.
    again = await form_was_posted(services.pool, request_id)
    if not again and str(version) != form.get("version"):
        return await show(error="case.stale", values=form, status_code=409)
    try:
        fields = body_type.model_validate(parsed(body_type, form, services.zone)).model_dump()
        await remember_form_post(services.pool, request_id, stream)
        # Two posts of one form at once: Temporal takes one update per id.
        await execute(fields, f"web:{request_id}" if request_id else None)
    except ValidationError as invalid:
        return await show(error="form.invalid", values=form, status_code=422,
                          problems=_problems(invalid, texts_for(request, services, session)))
    except (CaseError, DomainError) as refused:
        return await show(error=_rule_of(refused), problems=[str(refused)], values=form,
                          status_code=_code_of(refused))
    except StillRecordingError:
        return await show(error="case.still_recording", values=form, status_code=503,
                          keep_request_id=request_id)
    return redirect(page, done=kind)


def today_in(services: Parts, now: datetime) -> date:
    return now.astimezone(services.zone).date()
