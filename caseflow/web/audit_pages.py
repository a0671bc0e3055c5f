"""The auditor's pages: any case replayed as of a chosen record (a slider over its events), its
verification report, and its export. Read-only; auditors only (the same check as /audit)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from caseflow.audit.client_replay import client_as_of
from caseflow.audit.export import export_html, export_json
from caseflow.audit.replay import complaint_as_of
from caseflow.audit.verify import verify_streams
from caseflow.bootstrap import Parts
from caseflow.web.i18n import Texts
from caseflow.web.pages import Services, Signed, redirect, render, texts_for
from caseflow.web.sessions import WebSession
from caseflow.web.timeline_words import timeline_lines
from domain.access import check_audit
from workflows.client_messages import client_workflow_id
from workflows.complaint_messages import workflow_id

router = APIRouter(prefix="/web/audit", include_in_schema=False)


@router.get("")
async def audit_home(request: Request, services: Services, session: Signed,
                     case_id: str | None = None, client_id: str | None = None) -> Response:
    check_audit(session.user)
    if case_id:
        return redirect(f"/web/audit/complaints/{case_id.strip()}")
    if client_id:
        return redirect(f"/web/audit/clients/{client_id.strip()}")
    return render(request, services, "audit_home.html", session)


@router.get("/complaints/{case_id}")
async def case_replay(request: Request, services: Services, session: Signed, case_id: str,
                      version: int | None = None) -> Response:
    return await _replay(request, services, session, workflow_id(case_id), complaint_as_of,
                         "audit_case.html", case_id, f"/web/audit/complaints/{case_id}", version)


@router.get("/clients/{client_id}")
async def client_replay(request: Request, services: Services, session: Signed, client_id: str,
                        version: int | None = None) -> Response:
    return await _replay(request, services, session, client_workflow_id(client_id),
                         client_as_of, "audit_client.html", client_id,
                         f"/web/audit/clients/{client_id}", version)


async def _replay(request: Request, services: Parts, session: WebSession, stream: str,
                  as_of: Callable[..., Awaitable[Any]], template: str, subject: str, base: str,
                  version: int | None) -> Response:
    """A stream as of one of its records (default: the last), the slider over all of them,
    and its verification report."""
    check_audit(session.user)
    everything = await as_of(services.store, stream)
    last = len(everything.timeline)
    shown = min(max(version or last, 1), last)
    then = await as_of(services.store, stream, version=shown)
    report = await verify_streams(services.store, [stream], services.temporal)
    t: Texts = texts_for(request, services, session)
    moments = [f"{e.version} · {t.when(e.occurred_at)} · {e.actor}" for e in everything.timeline]
    events = await services.store.read_stream(stream, up_to_version=shown)
    return render(request, services, template, session, subject=subject, base=base,
                  state=then.state, history=timeline_lines(events, then.timeline, t),
                  shown=shown, last=last, at=everything.timeline[shown - 1].occurred_at,
                  report=report, moments=json.dumps(moments, ensure_ascii=False))


@router.get("/complaints/{case_id}/export.json")
async def case_export_json(services: Services, session: Signed, case_id: str) -> Response:
    check_audit(session.user)
    record: dict[str, Any] = await export_json(services.store, workflow_id(case_id))
    return JSONResponse(record, headers={
        "Content-Disposition": f'attachment; filename="{case_id}.json"'})


@router.get("/complaints/{case_id}/export.html")
async def case_export_html(services: Services, session: Signed, case_id: str) -> Response:
    check_audit(session.user)
    page = export_html(await export_json(services.store, workflow_id(case_id)))
    return HTMLResponse(page, headers={
        "Content-Disposition": f'attachment; filename="{case_id}.html"'})
