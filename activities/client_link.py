"""Tells a client's workflow about its complaints (opened, breached, closed): the churn risk
rises, and a breach makes a care contact due. A client without a workflow (not enrolled in
relationship management) is skipped, and the result says so."""

from __future__ import annotations

import structlog
from temporalio import activity
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain.access import COMPLAINT_LINK
from domain.client.commands import LinkComplaint
from workflows import names
from workflows.client_messages import ClientCommandRequest, ClientView, client_workflow_id
from workflows.ports import LinkClientRequest

log = structlog.get_logger(__name__)
ACTOR = COMPLAINT_LINK.name


class ClientLinkActivities:
    def __init__(self, client: Client) -> None:
        self._client = client

    @activity.defn(name=names.LINK_CLIENT)
    async def link_client(self, request: LinkClientRequest) -> bool:
        handle = self._client.get_workflow_handle(client_workflow_id(request.client_id))
        command = LinkComplaint(actor=ACTOR, at=request.at, case_id=request.case_id,
                                change=request.change)
        try:
            await handle.execute_update(
                names.COMMAND, ClientCommandRequest(command=command, by=COMPLAINT_LINK),
                result_type=ClientView, id=request.link_id)
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            # Most complainants have no relationship workflow (ordinary clients): not news.
            log.debug("client has no relationship workflow", case_id=request.case_id)
            return False
        return True
