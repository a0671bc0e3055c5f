"""Tells a client's workflow about its complaints (opened, breached, closed): the churn risk
rises, and a breach makes a care contact due. A client without a workflow (not enrolled in
relationship management) is skipped, and the result says so."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import structlog
from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain.client.commands import LinkComplaint
from workflows.client_messages import ClientCommandRequest, ClientView, client_workflow_id

log = structlog.get_logger(__name__)
ACTOR = "caseflow-complaints"


class LinkClientRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    client_id: str
    case_id: str
    change: Literal["opened", "breached", "closed"]
    at: datetime
    link_id: str | None = None
    """The update id on the client's workflow: a link sent again is taken once (None in
    histories from before it)."""


class ClientLinkActivities:
    def __init__(self, client: Client) -> None:
        self._client = client

    @activity.defn(name="link_client")
    async def link_client(self, request: LinkClientRequest) -> bool:
        handle = self._client.get_workflow_handle(client_workflow_id(request.client_id))
        command = LinkComplaint(actor=ACTOR, at=request.at, case_id=request.case_id,
                                change=request.change)
        try:
            await handle.execute_update("command", ClientCommandRequest(command=command),
                                        result_type=ClientView, id=request.link_id)
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            # Most complainants have no relationship workflow (ordinary clients): not news.
            log.debug("client has no relationship workflow", case_id=request.case_id)
            return False
        return True
