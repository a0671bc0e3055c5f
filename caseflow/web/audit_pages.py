"""The auditor's pages: any case replayed as of a chosen record (a slider over its events), its
verification report, and its export. Read-only; auditors only (the same check as /audit)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from caseflow.audit.export import export_html, export_json
from caseflow.audit.replay import complaint_as_of
from caseflow.audit.verify import verify_streams
from caseflow.web.i18n import Texts
from caseflow.web.pages import Services, Signed, redirect, render, texts_for
from domain.access import check_audit
from workflows.complaint_messages import workflow_id

router = APIRouter(prefix="/web/audit", include_in_schema=False)


@router.get("")
async def audit_home(request: Request, services: Services, session: Signed,
                     case_id: str | None = None) -> Response:
    check_audit(session.user)
    if case_id:
        return redirect(f"/web/audit/complaints/{case_id.strip()}")
    return render(request, services, "audit_home.html", session)


@router.get("/complaints/{case_id}")
async def case_replay(request: Request, services: Services, session: Signed, case_id: str,
                      version: int | None = None) -> Response:
    check_audit(session.user)
    stream = workflow_id(case_id)
    everything = await complaint_as_of(services.store, stream)
    last = len(everything.timeline)
    shown = min(max(version or last, 1), last)
    as_of = await complaint_as_of(services.store, stream, version=shown)
    report = await verify_streams(services.store, [stream], services.temporal)
    t: Texts = texts_for(request, services, session)
    moments = [f"{e.version} · {t.when(e.occurred_at)} · {e.actor}" for e in everything.timeline]
    return render(request, services, "audit_case.html", session, case_id=case_id,
                  state=as_of.state, history=as_of.timeline, shown=shown, last=last,
                  at=everything.timeline[shown - 1].occurred_at, report=report,
                  moments=json.dumps(moments, ensure_ascii=False))


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
