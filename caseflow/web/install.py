"""Adding the staff web app to the API's FastAPI application: its pages, its static files, the
security headers of every page, and its answers to a missing session or a forged form."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from caseflow.web.audit_pages import router as audit_router
from caseflow.web.client_pages import agenda_router
from caseflow.web.client_pages import router as client_router
from caseflow.web.i18n import Texts
from caseflow.web.pages import TEMPLATES, FormRefused, SignInNeeded, router
from caseflow.web.report_pages import router as report_router
from caseflow.web.unit_pages import router as unit_router

PREFIX = "/web"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'")
"""No inline script or style, no framing, forms only to caseflow itself."""
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
SHOWN_DETAIL = frozenset({status.HTTP_409_CONFLICT, status.HTTP_422_UNPROCESSABLE_CONTENT})
"""Refusals whose technical detail a page shows under the message (never for 403/404/503: they
could name another unit's case or a server)."""


def is_web(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def web_error(request: Request, code: int, message: str, detail: str | None = None
              ) -> HTMLResponse:
    parts = request.app.state.parts
    texts = Texts(request.cookies.get("cf_lang", "zh"), parts.zone)
    return TEMPLATES.TemplateResponse(
        request, "error.html",
        {"t": texts, "session": None, "user": None, "csrf": "", "message": message,
         "detail": detail if code in SHOWN_DETAIL else None},
        status_code=code)


def add_web_app(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(audit_router)
    app.include_router(unit_router)
    app.include_router(client_router)
    app.include_router(agenda_router)
    app.include_router(report_router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=Path(__file__).parent / "static"),
              name="web-static")

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=status.HTTP_303_SEE_OTHER)

    @app.middleware("http")
    async def page_headers(request: Request,
                           call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        if is_web(request):
            response.headers.update(PAGE_HEADERS)
            if not request.url.path.startswith(f"{PREFIX}/static/"):
                # Personal data: never kept by the browser or a proxy.
                response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
        target = f"{PREFIX}/signin" + ("?expired=1" if exc.expired else "")
        return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)

    @app.exception_handler(FormRefused)
    async def form_refused(request: Request, exc: FormRefused) -> Response:
        return web_error(request, status.HTTP_403_FORBIDDEN, "form.stale_token")
