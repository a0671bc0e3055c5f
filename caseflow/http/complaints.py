"""/complaints: register, every officer step, one case with its history, the worklist."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel

from caseflow.audit.replay import TimelineEntry, timeline
from caseflow.http.auth import Services, User
from caseflow.http.bodies import COMPLAINT_STEPS, Body, RegisterComplaintBody, fields_of
from caseflow.http.paths import CaseId, IdempotencyKey, Moment, QueryName
from caseflow.http.problems import SENT_AGAIN
from caseflow.store import StreamNotFoundError
from caseflow.store.read_models.complaints import list_cases
from domain.access import visible_outlets
from domain.complaint.commands import RegisterComplaint
from domain.complaint.model import Status
from domain.complaint.summary import CaseSummary
from domain.messages import Command
from workflows.complaint_messages import ComplaintView, confirm_letter, workflow_id

router = APIRouter(prefix="/complaints", tags=["complaints"])


class CaseRecord(BaseModel):
    view: ComplaintView
    history: list[TimelineEntry]
    """Every recorded event of the case: who did what, when."""


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a complaint",
             responses={200: {"model": ComplaintView, "description": SENT_AGAIN}})
async def register(
    body: RegisterComplaintBody,  # type: ignore[valid-type]
    user: User, services: Services, response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ComplaintView:
    """Starts the case and its SLA clock; the acting user is recorded as who registered it.
    `received_at` defaults to now. A case that already exists with the same content answers
    200 with that case (a registration sent again); with other content, 409."""
    del idempotency_key  # a registration is recognised by its content (and its case id)
    now = await services.now()
    fields = fields_of(body)
    given = fields["received_at"] is not None
    fields["received_at"] = fields["received_at"] or now
    command = RegisterComplaint(actor=user.name, at=now, **fields)
    started = await services.complaints.register(command, by=user, received_at_given=given)
    if not started.created:
        response.status_code = status.HTTP_200_OK
    return await services.complaints.view(command.case_id, by=user)


@router.get("/{case_id}", summary="One case: state, deadline, next alarm and history")
async def get_case(case_id: CaseId, user: User, services: Services) -> CaseRecord:
    view = await services.complaints.view(case_id, by=user)
    try:
        events = await services.store.read_stream(workflow_id(case_id))
    except StreamNotFoundError:  # registered a moment ago, not stored yet
        events = []
    return CaseRecord(view=view, history=timeline(events))


@router.get("", summary="The worklist: cases by deadline, soonest first")
async def worklist(
    user: User, services: Services,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    outlet: QueryName = None,
    handler: QueryName = None,
    due_before: Annotated[Moment | None, Query()] = None,
    breached: bool | None = None,
    corrective_open: bool = False,
    follow_up_due: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[CaseSummary]:
    """Staff see the cases of their unit and every unit below it (or of one of them, with
    `outlet`), and the cases escalated to them; auditors see every outlet.
    `corrective_open`: only cases with an open corrective action (the unit's list of them,
    soonest due first); `follow_up_due`: only closed cases whose satisfaction follow-up is
    due."""
    return await list_cases(services.pool, status=status_.value if status_ else None,
                            outlets=visible_outlets(user, outlet), handler=handler,
                            due_before=due_before, breached=breached, limit=limit,
                            corrective_open=corrective_open, follow_up_pending=follow_up_due)


def _add_step(path: str, command_type: type[Command], body_type: type[Body]) -> None:
    async def step(
        case_id: CaseId,
        body: body_type,  # type: ignore[valid-type]
        user: User, services: Services, idempotency_key: IdempotencyKey = None,
    ) -> ComplaintView:
        fields = confirm_letter(fields_of(body), user)
        command = command_type(actor=user.name, at=await services.now(), **fields)
        return await services.complaints.execute(
            case_id, command, by=user, request_id=idempotency_key)  # type: ignore[arg-type]

    step.__name__ = f"complaint_{path.replace('-', '_')}"
    router.add_api_route(f"/{{case_id}}/{path}", step, methods=["POST"],
                         summary=(command_type.__doc__ or path).strip().splitlines()[0],
                         response_model=ComplaintView)


for _path, (_command, _body) in COMPLAINT_STEPS.items():
    _add_step(_path, _command, _body)

