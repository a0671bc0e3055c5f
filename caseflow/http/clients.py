"""/clients: identify, every officer step, one client with their history, a manager's list."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel

from caseflow.audit.client_replay import client_timeline
from caseflow.audit.replay import TimelineEntry
from caseflow.http.auth import Services, User
from caseflow.http.bodies import CLIENT_STEPS, Body, IdentifyBody, fields_of
from caseflow.http.paths import ClientId, IdempotencyKey, QueryName
from caseflow.http.problems import SENT_AGAIN
from caseflow.store import StreamNotFoundError
from caseflow.store.read_models.clients import list_clients
from domain.access import visible_outlets
from domain.client.commands import Identify
from domain.client.summary import ClientSummary
from domain.messages import Command
from workflows.client_messages import ClientView, client_workflow_id

router = APIRouter(prefix="/clients", tags=["clients"])


class ClientRecord(BaseModel):
    view: ClientView
    history: list[TimelineEntry]


@router.post("", status_code=status.HTTP_201_CREATED, summary="Identify a client",
             responses={200: {"model": ClientView, "description": SENT_AGAIN}})
async def identify(
    body: IdentifyBody,  # type: ignore[valid-type]
    user: User, services: Services, response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ClientView:
    """Assesses the client's tier and starts their relationship workflow. A client already
    identified with the same content answers 200 with that client; with other content, 409."""
    del idempotency_key  # an identification is recognised by its content (and its client id)
    command = Identify(actor=user.name, at=await services.now(), **fields_of(body))
    started = await services.clients.identify(command, by=user)
    if not started.created:
        response.status_code = status.HTTP_200_OK
    return await services.clients.view(command.client_id, by=user)


@router.get("/{client_id}", summary="One client: profile, plan, churn risk and history")
async def get_client(client_id: ClientId, user: User, services: Services) -> ClientRecord:
    view = await services.clients.view(client_id, by=user)
    try:
        events = await services.store.read_stream(client_workflow_id(client_id))
    except StreamNotFoundError:
        events = []
    return ClientRecord(view=view, history=client_timeline(events))


@router.get("", summary="Clients by their next due contact, soonest first")
async def client_list(
    user: User, services: Services,
    manager: QueryName = None,
    outlet: QueryName = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[ClientSummary]:
    """Filter by relationship manager; staff see their own outlet's clients."""
    return await list_clients(services.pool, manager=manager,
                              outlets=visible_outlets(user, outlet), limit=limit)


def _add_step(path: str, command_type: type[Command], body_type: type[Body]) -> None:
    async def step(
        client_id: ClientId,
        body: body_type,  # type: ignore[valid-type]
        user: User, services: Services, idempotency_key: IdempotencyKey = None,
    ) -> ClientView:
        fields: dict[str, Any] = fields_of(body)
        command = command_type(actor=user.name, at=await services.now(), **fields)
        return await services.clients.execute(
            client_id, command, by=user, request_id=idempotency_key)  # type: ignore[arg-type]

    step.__name__ = f"client_{path.replace('-', '_')}"
    router.add_api_route(f"/{{client_id}}/{path}", step, methods=["POST"],
                         summary=(command_type.__doc__ or path).strip().splitlines()[0],
                         response_model=ClientView)


for _path, (_command, _body) in CLIENT_STEPS.items():
    _add_step(_path, _command, _body)
