"""What the worklist shows of a case: derived from its state, so it can never disagree with it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from domain.complaint.decider import binding_deadline
from domain.complaint.state import ComplaintState


class CaseSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    status: str
    handler: str | None
    outlet: str
    client_tier: str
    category: str
    channel: str
    received_at: datetime
    due_at: datetime | None
    breached: bool
    escalation_level: int
    extension: str
    close_reason: str | None
    closed_at: datetime | None
    version: int
    deadline_provisional: bool = False
    """The deadline counts days of a year without a working-day calendar (weekends alone)."""
    deadline_working_days: int | None = None
    replied_at: datetime | None = None
    warning_at: datetime | None = None
    """When the deadline in force warns (rows written before: None until the next step)."""
    cause: str | None = None
    ever_breached: bool = False
    reopened: int = 0
    held_by: str | None = None
    """The higher unit an escalated case is with (its worklist shows it too)."""
    regulatory_due_at: datetime | None = None
    regulatory_breached: bool = False
    binding_clock: str | None = None
    """The running clock that runs out first: "sla" (the working-day reply) or "regulatory"."""
    binding_due_at: datetime | None = None
    open_corrective_actions: int = 0
    corrective_action_due: datetime | None = None
    """The earliest due date of the case's open corrective actions, and its owner."""
    corrective_action_owner: str | None = None
    corrective_action_overdue: bool = False
    follow_up_pending: bool = False
    """The satisfaction follow-up after closing is due and its outcome not recorded."""


def summarize(state: ComplaintState) -> CaseSummary:
    assert state.case_id and state.outlet and state.client_tier and state.channel
    assert state.category and state.received_at
    binding = binding_deadline(state)
    actions = sorted(state.open_corrective_actions, key=lambda a: (a.due_at, a.number))
    return CaseSummary(
        case_id=state.case_id, status=state.status.value, handler=state.handler,
        outlet=state.outlet, client_tier=state.client_tier.value, category=state.category,
        channel=state.channel.value, received_at=state.received_at,
        due_at=state.deadline.due_at if state.deadline else None, breached=state.breached,
        escalation_level=state.escalation_level, extension=state.extension.value,
        close_reason=state.close_reason.value if state.close_reason else None,
        closed_at=state.closed_at, version=state.version,
        deadline_provisional=bool(state.deadline and state.deadline.provisional),
        deadline_working_days=state.deadline.working_days if state.deadline else None,
        replied_at=state.reply.at if state.reply else None,
        warning_at=state.deadline.warning_at if state.deadline else None,
        cause=state.cause, ever_breached=state.ever_breached, reopened=state.reopened,
        held_by=state.held_by,
        regulatory_due_at=state.regulatory.due_at if state.regulatory else None,
        regulatory_breached=state.regulatory_breached,
        binding_clock=binding[0] if binding else None,
        binding_due_at=binding[1] if binding else None,
        open_corrective_actions=len(actions),
        corrective_action_due=actions[0].due_at if actions else None,
        corrective_action_owner=actions[0].owner if actions else None,
        corrective_action_overdue=any(a.overdue for a in actions),
        follow_up_pending=state.follow_up_pending,
    )
