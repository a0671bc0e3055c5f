"""/metrics: the API process's figures in Prometheus's text format (no sign-in, like /healthz:
it names no person, case or client), and the middleware that counts and times every request by
its route template."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from caseflow.http.auth import Services
from caseflow.http.problems import ERRORS_AS_JSON
from caseflow.metrics import HTTP_REQUESTS, HTTP_SECONDS, OPEN_CASES, exposition

router = APIRouter(tags=["operations"])


@router.get("/metrics", summary="Figures for Prometheus", response_class=Response,
            responses={**ERRORS_AS_JSON, 200: {"description": "Prometheus text format",
                             "content": {"text/plain": {"schema": {"type": "string"}}}}})
async def metrics(services: Services) -> Response:
    rows = await services.pool.fetch(
        "SELECT status, count(*) AS n FROM complaint_cases WHERE status <> 'closed'"
        " GROUP BY status")
    OPEN_CASES.clear()
    for row in rows:
        OPEN_CASES.labels(row["status"]).set(row["n"])
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)


def measure_requests(app: FastAPI) -> None:
    @app.middleware("http")
    async def measured(request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started, status = time.perf_counter(), "500"  # unless an answer comes
        try:
            response = await call_next(request)
            status = str(response.status_code)
            return response
        finally:
            route = request.scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            HTTP_REQUESTS.labels(request.method, template, status).inc()
            HTTP_SECONDS.labels(request.method, template).observe(time.perf_counter() - started)
