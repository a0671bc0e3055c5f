"""The client's row in the managers' list: what a manager plans the day with."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain.client.clock import next_contact
from domain.client.decider import churn_risk
from domain.client.policy import ClientPolicy
from domain.client.state import ClientState


class ClientTask(BaseModel):
    """A task of the manager's beside the next contact (client-policy-2026.3): a maturity to
    contact the client about, a care occasion to greet them on, a satisfaction survey."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["maturity", "care", "survey"]
    due_at: datetime
    day: date | None = None
    """The maturity's or the occasion's day (the task is gone after it)."""
    detail: str | None = None
    """The product, or the occasion."""


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
    tasks: list[ClientTask] = []
    next_task_due: datetime | None = None
    """The soonest of the tasks (for the manager's day)."""


def client_tasks(state: ClientState) -> list[ClientTask]:
    tasks = [ClientTask(kind="maturity", due_at=m.contact_at, day=m.matures_on,
                        detail=m.product) for m in state.maturities]
    if state.care_pending is not None and state.care_reminded is not None:
        occasion, day = state.care_pending
        tasks.append(ClientTask(kind="care", due_at=state.care_reminded[0], day=day,
                                detail=occasion))
    if state.survey_due_at is not None:
        tasks.append(ClientTask(kind="survey", due_at=state.survey_due_at))
    return sorted(tasks, key=lambda t: t.due_at)


def summarize_client(state: ClientState, policy: ClientPolicy) -> ClientSummary:
    assert state.client_id is not None, "a client is summarised once identified"
    due = next_contact(state, policy)
    tasks = client_tasks(state)
    return ClientSummary(
        tasks=tasks, next_task_due=tasks[0].due_at if tasks else None,
        client_id=state.client_id, outlet=state.outlet,
        tier=state.tier.value if state.tier else None, stage=state.stage.value,
        manager=state.manager, next_contact_due=due[0] if due else None,
        next_contact_kind=due[1] if due else None,
        churn_risk=churn_risk(state, policy), open_complaints=len(state.open_complaints),
        version=state.version,
        retention_by=state.retention_by if state.closing_account is not None else None)
