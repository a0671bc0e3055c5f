"""/audit: read-only, for auditors. A case's or client's record as of a moment, its
verification (chain, gaps, store against Temporal history, replay), and its export."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from caseflow.audit.client_replay import ClientAsOf, client_as_of
from caseflow.audit.export import export_html, export_json
from caseflow.audit.replay import CaseAsOf, complaint_as_of
from caseflow.audit.verify import AuditReport, verify_streams
from caseflow.http.auth import Services, User
from caseflow.http.paths import CaseId, ClientId, Moment
from caseflow.http.problems import ERRORS_AS_JSON
from domain.access import Principal, check_audit
from workflows.client_messages import client_workflow_id
from workflows.complaint_messages import workflow_id


async def auditor(user: User) -> Principal:
    check_audit(user)
    return user


router = APIRouter(prefix="/audit", tags=["audit"], dependencies=[Depends(auditor)])
At = Annotated[Moment | None, Query(description="The moment to show (ISO 8601 with "
                                           "offset); default: now.")]
Version = Annotated[int | None, Query(ge=1, le=2**31 - 1,
                                      description="Or: up to this stream version.")]


@router.get("/complaints/{case_id}", summary="A case as it stood at a moment")
async def case_as_of(case_id: CaseId, services: Services, at: At = None,
                     version: Version = None) -> CaseAsOf:
    return await complaint_as_of(services.store, workflow_id(case_id), at=at, version=version)


@router.get("/clients/{client_id}", summary="A client relationship as it stood at a moment")
async def client_record_as_of(client_id: ClientId, services: Services, at: At = None,
                              version: Version = None) -> ClientAsOf:
    return await client_as_of(services.store, client_workflow_id(client_id), at=at,
                              version=version)


@router.get("/complaints/{case_id}/verify", summary="Verify a case's record")
async def verify_case(case_id: CaseId, services: Services) -> AuditReport:
    """Hash chain and versions; the store against the workflow's Temporal history both ways;
    the history replayed against the current code. Lists the checks it could not run."""
    return await verify_streams(services.store, [workflow_id(case_id)], services.temporal)


@router.get("/clients/{client_id}/verify", summary="Verify a client's record")
async def verify_client(client_id: ClientId, services: Services) -> AuditReport:
    return await verify_streams(services.store, [client_workflow_id(client_id)],
                                services.temporal)


@router.get("/complaints/{case_id}/export", summary="A case's full record, with chain hashes")
async def export_case(case_id: CaseId, services: Services) -> dict[str, Any]:
    """Re-verifiable with `tools/verify_export.py` (standard library only)."""
    return await export_json(services.store, workflow_id(case_id))


@router.get("/complaints/{case_id}/export.html", response_class=HTMLResponse,
            responses=ERRORS_AS_JSON,
            summary="A case's full record, for people")
async def export_case_html(case_id: CaseId, services: Services) -> str:
    return export_html(await export_json(services.store, workflow_id(case_id)))
