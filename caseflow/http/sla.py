"""/sla/what-if: how many past cases would have breached under a proposed SLA policy and/or
calendar (supervisors and outlet heads: their units; auditors: all). Read-only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from caseflow.http.auth import Services, User
from caseflow.http.paths import Day
from caseflow.services.calls import CaseError
from domain.calendar import YearSchedule
from domain.sla_whatif import WhatIfReport

router = APIRouter(prefix="/sla", tags=["sla"])


class WhatIfBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    received_from: Day
    received_to: Day
    policy: dict[str, Any] | None = None
    """Fields of a proposed SLA policy; the rest keep the policy in force."""
    schedules: list[YearSchedule] = Field(default=[], max_length=10)
    outlet: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")


@router.post("/what-if", summary="Past cases' deadlines under a proposed policy or calendar")
async def what_if(body: WhatIfBody, user: User, services: Services) -> WhatIfReport:
    if body.received_to < body.received_from:
        raise CaseError("received_to is before received_from", "bad_period")
    policy = None
    if body.policy is not None:
        # A bad field is a ValidationError: answered 422 like any body (caseflow.http.app).
        policy = services.what_if.proposed_policy(body.policy)
    return await services.what_if.report(user, body.received_from, body.received_to,
                                         await services.now(), policy=policy,
                                         schedules=body.schedules, outlet=body.outlet)
