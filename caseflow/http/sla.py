"""/sla/what-if: how many past cases would have breached under a proposed SLA policy and/or
calendar (supervisors and outlet heads: their units; auditors: all). Read-only."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from caseflow.http.auth import Services, User
from domain.calendar import YearSchedule
from domain.sla_whatif import WhatIfReport

router = APIRouter(prefix="/sla", tags=["sla"])


class WhatIfBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    received_from: date = Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))
    received_to: date = Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))
    policy: dict[str, Any] | None = None
    """Fields of a proposed SLA policy; the rest keep the policy in force."""
    schedules: list[YearSchedule] = Field(default=[], max_length=10)
    outlet: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")


@router.post("/what-if", summary="Past cases' deadlines under a proposed policy or calendar")
async def what_if(body: WhatIfBody, user: User, services: Services) -> WhatIfReport:
    if body.received_to < body.received_from:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                            "received_to is before received_from")
    policy = None
    if body.policy is not None:
        # A bad field is a ValidationError: answered 422 like any body (caseflow.http.app).
        policy = services.what_if.proposed_policy(body.policy)
    return await services.what_if.report(user, body.received_from, body.received_to,
                                         await services.now(), policy=policy,
                                         schedules=body.schedules, outlet=body.outlet)
