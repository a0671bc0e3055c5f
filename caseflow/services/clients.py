"""The client service: what the CLI, the API and tests call to identify a client and take the
officer steps of their relationship."""

from __future__ import annotations

from temporalio.client import Client

from caseflow.services.calls import (
    AlreadyExistsError,
    CaseError,
    NotFoundError,
    Started,
    execute_update,
    query_view,
    refused,
    start_once,
)
from domain.access import AccessDeniedError, Principal, check_client_step
from domain.client import ClientPolicy, decide, initial_state
from domain.client.commands import ClientCommand, Identify
from domain.errors import DomainError
from workflows.client import ClientWorkflow
from workflows.client_messages import (
    ClientCommandRequest,
    ClientInput,
    ClientView,
    client_workflow_id,
)


class ClientNotFoundError(NotFoundError):
    def __init__(self, client_id: str) -> None:
        super().__init__(f"no client {client_id!r}")


class DuplicateClientError(AlreadyExistsError):
    def __init__(self, client_id: str) -> None:
        super().__init__(f"client {client_id!r} is already identified, with other content")


def _lost(client_id: str) -> CaseError:
    return CaseError(f"client {client_id!r} was lost: the relationship takes no more steps",
                     "client_lost")


class ClientService:
    def __init__(self, client: Client, task_queue: str, policy: ClientPolicy) -> None:
        self._client = client
        self._task_queue = task_queue
        self.policy = policy

    async def identify(self, command: Identify, by: Principal) -> Started:
        """Start the client's workflow; refused (nothing started) on an access or domain error.
        A client identified without an outlet belongs to the identifying user's outlet. The same
        identification sent again is that client; other content for an identified client, a
        DuplicateClientError."""
        if command.outlet is None:
            command = command.model_copy(update={"outlet": by.outlet})
        try:
            check_client_step(by, command.actor, command.outlet, command.kind)
            decide(initial_state(), command, self.policy)
        except (AccessDeniedError, DomainError) as error:
            raise refused(error) from error
        client_workflow = client_workflow_id(command.client_id)
        ignored = {"actor", "at"}
        created = await start_once(
            self._client, ClientWorkflow.run, ClientInput(identify=command, policy=self.policy),
            workflow_id=client_workflow, task_queue=self._task_queue,
            same_as_first=lambda first: (first.identify.model_dump(exclude=ignored)
                                         == command.model_dump(exclude=ignored)),
            duplicate=lambda: DuplicateClientError(command.client_id))
        if not created:
            await self.view(command.client_id, by)
        return Started(client_workflow, created)

    async def execute(
        self, client_id: str, command: ClientCommand, by: Principal,
        request_id: str | None = None,
    ) -> ClientView:
        return await execute_update(
            self._client, client_workflow_id(client_id),
            ClientCommandRequest(command=command, by=by), ClientView,
            lambda: ClientNotFoundError(client_id), f"client {client_id!r}",
            lambda: _lost(client_id), request_id=request_id)

    async def view(self, client_id: str, by: Principal) -> ClientView:
        return await query_view(self._client, client_workflow_id(client_id), ClientView,
                                lambda: ClientNotFoundError(client_id),
                                by, lambda v: v.state.outlet)
