"""The messages of ClientWorkflow (kept out of the sandbox-re-executed workflow module)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from domain.access import Principal, check_client_step
from domain.client import ClientPolicy, ClientState
from domain.client.commands import ClientCommand, Identify


def client_workflow_id(client_id: str) -> str:
    return f"client-{client_id}"


class ClientInput(BaseModel):
    """`carried` is the state handed over by continue-as-new (None on the first run)."""

    model_config = ConfigDict(frozen=True)

    identify: Identify
    policy: ClientPolicy
    carried: ClientState | None = None
    max_history_events: int = 10_000


class ClientCommandRequest(BaseModel):
    """`by`: the authenticated user (see CommandRequest of the complaint workflow)."""

    model_config = ConfigDict(frozen=True)

    command: ClientCommand
    by: Principal | None = None


def authorize_client(request: ClientCommandRequest, state: ClientState) -> None:
    """Raise AccessDeniedError unless `request.by` may take this step (a request that names no
    sender never may)."""
    command = request.command
    check_client_step(request.by, command.actor, state.outlet, command.kind,
                      retention_by=state.retention_by)


class ClientView(BaseModel):
    model_config = ConfigDict(frozen=True)

    state: ClientState
    churn_risk: int
    next_alarm: str | None
    next_alarm_at: datetime | None
