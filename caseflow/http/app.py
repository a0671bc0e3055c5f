"""The FastAPI application: routers, and the one place where caseflow's errors become HTTP
statuses. Anything a caller sent that caseflow refuses is a 4xx naming the field or the rule; a
5xx is caseflow's own fault (or an unreachable server: 503)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request, status
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from temporalio.service import RPCError

from caseflow.bootstrap import Parts
from caseflow.http import (
    account_events,
    agenda,
    audit,
    calendar,
    clients,
    codec,
    complaints,
    health,
    messages,
    metrics,
    organisation,
    reports,
    sla,
    users,
)
from caseflow.http.bodies import strict_json
from caseflow.http.problems import ERRORS
from caseflow.identity.users import UserError
from caseflow.services.calls import (
    AccessDenied,
    AlreadyExistsError,
    CaseError,
    NotFoundError,
    StillRecordingError,
)
from caseflow.store import CONNECTION_LOST, DatabaseUnavailableError, StreamNotFoundError
from caseflow.web.install import add_web_app, is_web, web_error
from domain.access import AccessDeniedError
from domain.errors import DomainError
from workflows.requests import REUSED

PartsFactory = Callable[[], AbstractAsyncContextManager[Parts]]


def create_app(parts: Parts | PartsFactory) -> FastAPI:
    """`parts`: ready-made (tests, `caseflow up`), or a factory the app enters at startup
    (`caseflow api`: `bootstrap.connected`)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if isinstance(parts, Parts):
            app.state.parts = parts
            yield
            return
        async with parts() as made:
            app.state.parts = made
            yield

    app = FastAPI(
        title="caseflow",
        version="1",
        summary="Complaint cases and client relationships, durable and auditable.",
        description="Authenticate with `Authorization: Bearer <token>` (tokens from "
                    "`caseflow user add`). A refused step answers 409 with the rule it breaks; "
                    "a role or outlet that may not act, 403; nothing is recorded either way.",
        lifespan=lifespan,
        responses=ERRORS,
        dependencies=[Depends(strict_json)],
    )
    if isinstance(parts, Parts):
        app.state.parts = parts  # usable without the lifespan (httpx's ASGI transport)
    for router in (complaints.router, clients.router, audit.router, users.router,
                   organisation.router, messages.inbox, messages.notifications,
                   calendar.router, sla.router, reports.router, account_events.router,
                   agenda.router, health.router, codec.router, metrics.router):
        app.include_router(router)
    metrics.measure_requests(app)
    add_web_app(app)
    _error_handlers(app)
    _links_from_registration(app)
    return app


def _links_from_registration(app: FastAPI) -> None:
    """OpenAPI links from a registration (of a complaint, of a client) to every operation on
    what it registered, so an integrator's client and schemathesis's stateful phase can walk
    from one to the next: the id is the one the registration's body named."""
    made = app.openapi

    def with_links() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = made()
        paths = schema["paths"]
        for create, key in (("/complaints", "case_id"), ("/clients", "client_id")):
            targets = {
                f"{method}_{path.rsplit('/', 1)[-1].replace('-', '_').strip('{}')}": {
                    "operationId": operation["operationId"],
                    "parameters": {key: f"$request.body#/{key}"}}
                for path, operations in paths.items()
                if path.startswith(f"{create}/{{{key}}}")
                for method, operation in operations.items()}
            for code, answer in paths[create]["post"]["responses"].items():
                if code in ("200", "201"):
                    answer["links"] = targets
        return schema

    app.openapi = with_links  # type: ignore[method-assign]


def _methods_of(app: FastAPI, request: Request) -> list[str]:
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches({**request.scope, "method": "\u0000"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


RETRY_AFTER_SECONDS = 5
"""What a 503 tells the caller to wait before trying again (with the same Idempotency-Key)."""


def _answer(request: Request, code: int, detail: str, rule: str | None = None) -> Response:
    """The refusal as JSON, or as a page of the staff web app for its own paths."""
    if is_web(request):
        return web_error(request, code, _web_message(code, rule), detail)
    return _problem(code, detail, rule)


def _web_message(code: int, rule: str | None) -> str:
    if code == status.HTTP_403_FORBIDDEN:
        return "error.forbidden"
    if code == status.HTTP_404_NOT_FOUND:
        return "error.not_found"
    if code == status.HTTP_503_SERVICE_UNAVAILABLE:
        return "error.unavailable"
    return f"rule.{rule or 'domain_rule'}"


def _problem(code: int, detail: str, rule: str | None = None) -> JSONResponse:
    body: dict[str, str] = {"detail": detail}
    if rule is not None:
        body["rule"] = rule
    headers = ({"Retry-After": str(RETRY_AFTER_SECONDS)}
               if code == status.HTTP_503_SERVICE_UNAVAILABLE else None)
    return JSONResponse(status_code=code, content=body, headers=headers)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """FastAPI's answer, except that a 405 names every method of its path in Allow (the
        router names only those of the first route that matched the path); the web app's own
        paths answer a page."""
        if is_web(request) and exc.status_code in (404, 405):
            return web_error(request, exc.status_code, "error.not_found")
        answer = await http_exception_handler(request, exc)
        if exc.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
            answer.headers["Allow"] = ", ".join(_methods_of(app, request))
        return answer

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        """422 names each bad field. Fields each well formed that together break a rule (a
        model's own check: an amendment without its reason, a contact with neither number nor
        address) are a refusal by rule instead: 409, as the OpenAPI document cannot say it."""
        if is_web(request):  # a hand-typed address with a bad value (?page=x)
            return web_error(request, status.HTTP_404_NOT_FOUND, "error.not_found")
        errors = exc.errors()
        if errors and all(e.get("type") == "value_error" and isinstance(e.get("input"), dict)
                          for e in errors):
            detail = "; ".join(str(e.get("msg", "")).removeprefix("Value error, ")
                               for e in errors)
            return _problem(status.HTTP_409_CONFLICT, detail, "fields_disagree")
        return await request_validation_exception_handler(request, exc)

    @app.exception_handler(CaseError)
    async def case_error(request: Request, exc: CaseError) -> Response:
        code = (status.HTTP_403_FORBIDDEN if isinstance(exc, AccessDenied)
                else status.HTTP_404_NOT_FOUND if isinstance(exc, NotFoundError)
                else status.HTTP_422_UNPROCESSABLE_CONTENT if exc.rule == REUSED
                else status.HTTP_409_CONFLICT)
        return _answer(request, code, str(exc), exc.rule)

    @app.exception_handler(AccessDeniedError)
    async def access_denied(request: Request, exc: AccessDeniedError) -> Response:
        return _answer(request, status.HTTP_403_FORBIDDEN, str(exc), exc.rule)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        return _answer(request, status.HTTP_409_CONFLICT, str(exc), exc.rule)

    @app.exception_handler(ValidationError)
    async def invalid(request: Request, exc: ValidationError) -> Response:
        """A body that parsed but makes no valid command (a rule across fields)."""
        if is_web(request):
            return web_error(request, status.HTTP_422_UNPROCESSABLE_CONTENT, "form.invalid",
                             str(exc))
        errors = exc.errors(include_url=False, include_input=False)
        if all(e["type"] == "value_error" and not e["loc"] for e in errors):
            return _problem(status.HTTP_409_CONFLICT, "; ".join(
                e["msg"].removeprefix("Value error, ") for e in errors), "fields_disagree")
        problems = [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                    for e in errors]
        return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                            content={"detail": problems})

    @app.exception_handler(StreamNotFoundError)
    async def no_stream(request: Request, exc: StreamNotFoundError) -> Response:
        return _answer(request, status.HTTP_404_NOT_FOUND, str(exc), "not_found")

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        return _answer(request, status.HTTP_409_CONFLICT, str(exc), "user")

    @app.exception_handler(AlreadyExistsError)
    async def exists(request: Request, exc: AlreadyExistsError) -> Response:
        return _answer(request, status.HTTP_409_CONFLICT, str(exc), exc.rule)

    @app.exception_handler(StillRecordingError)
    async def still_recording(request: Request, exc: StillRecordingError) -> Response:
        return _answer(request, status.HTTP_503_SERVICE_UNAVAILABLE, str(exc), "still_recording")

    @app.exception_handler(RPCError)
    async def temporal_down(request: Request, exc: RPCError) -> Response:
        return _answer(request, status.HTTP_503_SERVICE_UNAVAILABLE, f"Temporal: {exc.message}")

    @app.exception_handler(DatabaseUnavailableError)
    async def database_down(request: Request, exc: DatabaseUnavailableError) -> Response:
        return _answer(request, status.HTTP_503_SERVICE_UNAVAILABLE, str(exc))

    async def database_lost(request: Request, exc: Exception) -> Response:
        """The connection broke (server restarting, pool closed): nothing was changed; retry."""
        return _answer(request, status.HTTP_503_SERVICE_UNAVAILABLE,
                        f"the database is unavailable ({type(exc).__name__}); try again")

    for lost in CONNECTION_LOST:
        if not issubclass(lost, OSError | TimeoutError | DatabaseUnavailableError):
            app.add_exception_handler(lost, database_lost)

    @app.exception_handler(OSError)
    async def connection_lost(request: Request, exc: OSError) -> Response:
        return _answer(request, status.HTTP_503_SERVICE_UNAVAILABLE,
                        f"a server caseflow needs is unavailable ({type(exc).__name__}); "
                        "try again")
