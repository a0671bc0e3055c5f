"""The client's row in the managers' list: what a manager plans the day with."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from domain.client.clock import next_contact
from domain.client.decider import churn_risk
from domain.client.policy import ClientPolicy
from domain.client.state import ClientState


class ClientSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    client_id: str
    outlet: str | None
    tier: str | None
    stage: str
    manager: str | None
    next_contact_due: datetime | None
    churn_risk: int
    open_complaints: int
    version: int
    retention_by: str | None = None
    """Whose retention attempt a closing account awaits (a manager's name, "outlet_head")."""
    next_contact_kind: str | None = None
    """What the next contact is: meeting, follow_up, planned, cadence, after_sale."""


def summarize_client(state: ClientState, policy: ClientPolicy) -> ClientSummary:
    assert state.client_id is not None, "a client is summarised once identified"
    due = next_contact(state, policy)
    return ClientSummary(
        client_id=state.client_id, outlet=state.outlet,
        tier=state.tier.value if state.tier else None, stage=state.stage.value,
        manager=state.manager, next_contact_due=due[0] if due else None,
        next_contact_kind=due[1] if due else None,
        churn_risk=churn_risk(state, policy), open_complaints=len(state.open_complaints),
        version=state.version,
        retention_by=state.retention_by if state.closing_account is not None else None)
