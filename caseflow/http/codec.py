"""/codec: the Temporal UI's remote codec (the Codec Server protocol, as samples-python's
`encryption` sample serves it, with caseflow's key ring), so the bank's staff can read a case
in the Temporal UI.

Only signed-in staff decode (the web app's session cookie, which the UI sends when its codec
setting "include cross-origin credentials" is on, or an API bearer token for `temporal
workflow show --codec-endpoint … --codec-auth 'Bearer cf_…'`). The UI says only the namespace
of what it decodes, so caseflow finds the records each request's payloads name (a case, a
client, a stream) once opened: an auditor reads every one; staff only those of their units
(any payload naming another unit's record refuses the whole request, 403); payloads naming no
record are opened for staff only beside one of their own records, and otherwise handed back
still sealed. Every decode is kept as a read of personal data (who, which workflows, when;
never the content) in `payload_reads` and the log. Encoding is refused: caseflow's steps go
through its own API. CORS admits the Temporal UI's origin only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import structlog
from fastapi import APIRouter, Request, status
from fastapi.responses import Response
from google.protobuf import json_format
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload, Payloads

from caseflow.bootstrap import Parts
from caseflow.http.auth import Services
from caseflow.identity.users import authenticate
from caseflow.runtime.codec import PayloadKeyError
from caseflow.web.sessions import COOKIE, find_session
from domain.access import AccessDeniedError, Principal, Role, check_read

router = APIRouter(prefix="/codec", include_in_schema=False)
log = structlog.get_logger("caseflow.codec")
MAX_PAYLOADS = 1000
ALLOWED_HEADERS = "content-type,x-namespace,authorization"


def _cors(request: Request, services: Parts, response: Response) -> Response:
    origin = request.headers.get("origin")
    if origin is not None and origin == services.settings.ui_origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    return response


@router.options("/decode")
async def preflight(request: Request, services: Services) -> Response:
    """The browser's CORS preflight: the UI's origin only, POST with its headers."""
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    if request.headers.get("origin") == services.settings.ui_origin:
        response.headers["Access-Control-Allow-Methods"] = "POST"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return _cors(request, services, response)


@router.post("/encode")
async def encode(request: Request, services: Services) -> Response:
    return _cors(request, services, _refusal(
        status.HTTP_403_FORBIDDEN, "caseflow takes steps through its own API: the codec only "
        "decodes", "decode_only"))


@router.post("/decode")
async def decode(request: Request, services: Services) -> Response:
    user = await _reader(request, services)
    if user is None:
        return _cors(request, services, _refusal(
            status.HTTP_401_UNAUTHORIZED, "sign in to caseflow first (or send a bearer token)",
            "sign_in"))
    try:
        sealed = json_format.Parse(await request.body(), Payloads()).payloads
    except (json_format.ParseError, DecodeError, UnicodeDecodeError) as exc:
        return _cors(request, services, _refusal(
            status.HTTP_400_BAD_REQUEST, f"not a list of payloads: {exc}", "bad_payloads"))
    if len(sealed) > MAX_PAYLOADS:
        return _cors(request, services, _refusal(
            status.HTTP_400_BAD_REQUEST, f"at most {MAX_PAYLOADS} payloads at a time",
            "bad_payloads"))
    try:
        opened = await services.codec.decode(sealed)
    except (PayloadKeyError, ValueError) as exc:
        return _cors(request, services, _refusal(
            status.HTTP_400_BAD_REQUEST, f"cannot open these payloads: {exc}", "bad_payloads"))
    records = {stream for payload in opened for stream in records_named(payload)}
    try:
        shown = await _readable(services, user, records)
    except AccessDeniedError as exc:
        log.warning("payload_read_refused", user=user.name, role=user.role.value,
                    records=sorted(records), namespace=request.headers.get("x-namespace"))
        return _cors(request, services, _refusal(status.HTTP_403_FORBIDDEN, str(exc),
                                                 exc.rule or "other_outlet"))
    answer = opened if shown else list(sealed)
    await _keep_read(services, user, request.headers.get("x-namespace"), records,
                     opened=len(answer) if shown else 0, payloads=len(sealed))
    body = json_format.MessageToJson(Payloads(payloads=answer))
    return _cors(request, services, Response(body, media_type="application/json"))


async def _reader(request: Request, services: Parts) -> Principal | None:
    """The staff member asking: a bearer token, else the web app's session."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return await authenticate(services.pool, token.strip())
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    found = await find_session(services.pool, session_id, await services.now(),
                               timedelta(minutes=services.settings.web_idle_minutes),
                               touch=False)
    return found.user if found else None


def records_named(payload: Payload) -> Iterator[str]:
    """The streams an opened payload names: `complaint-<id>` for a case_id, `client-<id>` for
    a client_id, and any stream_id or workflow id of either kind."""
    try:
        value = json.loads(payload.data)
    except (ValueError, UnicodeDecodeError):
        return
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(inner, str):
                    if key == "case_id":
                        yield f"complaint-{inner}"
                    elif key == "client_id":
                        yield f"client-{inner}"
                    elif key in ("stream_id", "workflow_id") and inner.startswith(
                            ("complaint-", "client-")):
                        yield inner
                else:
                    stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)


async def _readable(services: Parts, user: Principal, records: set[str]) -> bool:
    """Whether the payloads are opened for the user: an auditor, always; staff, when they name
    a case or client caseflow holds and every one they name is within the user's units
    (raises for one that is not); anyone else is refused."""
    if user.role == Role.AUDITOR:
        return True
    if not user.role.is_staff:
        raise AccessDeniedError(f"{user.name} is a {user.role.value}: no access to cases or "
                                "clients", rule="role_required")
    placed = 0
    for stream in sorted(records):
        outlet, holder = await _owner(services, stream)
        if outlet is not None:  # (a client a complaint names may have no relationship here)
            check_read(user, outlet, holder)
            placed += 1
    return placed > 0


async def _owner(services: Parts, stream: str) -> tuple[str | None, str | None]:
    kind, _, record = stream.partition("-")
    if kind == "complaint":
        row = await services.pool.fetchrow(
            "SELECT outlet, held_by FROM complaint_cases WHERE case_id = $1", record)
        return (row["outlet"], row["held_by"]) if row else (None, None)
    row = await services.pool.fetchrow(
        "SELECT outlet FROM client_profiles WHERE client_id = $1", record)
    return (row["outlet"], None) if row else (None, None)


async def _keep_read(services: Parts, user: Principal, namespace: str | None,
                     records: set[str], *, opened: int, payloads: int) -> None:
    log.info("payload_read", user=user.name, role=user.role.value, namespace=namespace,
             records=sorted(records), opened=opened, payloads=payloads)
    await services.pool.execute(
        "INSERT INTO payload_reads (reader, role, unit, namespace, records, opened, payloads)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)", user.name, user.role.value, user.outlet,
        namespace, sorted(records), opened, payloads)


def _refusal(code: int, detail: str, rule: str) -> Response:
    return Response(json.dumps({"detail": detail, "rule": rule}), status_code=code,
                    media_type="application/json")

