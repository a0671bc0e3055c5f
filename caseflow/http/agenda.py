"""/agenda: the manager's day (what is due and overdue, soonest first, against the policy's
daily targets), and the unit's managers with their due and overdue counts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from caseflow.bootstrap import Parts
from caseflow.http.auth import Services, User
from caseflow.http.paths import Day, QueryName
from caseflow.store.read_models.clients import ManagerDay, manager_day, managers_due
from domain.access import AccessDeniedError, Role, check_agenda, visible_outlets

router = APIRouter(prefix="/agenda", tags=["clients"])


class ManagerLoad(BaseModel):
    manager: str
    due_today: int
    overdue: int


async def _day(services: Parts, day: date | None) -> date:
    return day or (await services.now()).astimezone(services.zone).date()


@router.get("", summary="A manager's day: due and overdue contacts, targets and what is done")
async def day_of(user: User, services: Services, manager: QueryName = None,
                 day: Annotated[Day | None, Query()] = None) -> ManagerDay:
    who = manager or user.name
    check_agenda(user, who)
    outlets = visible_outlets(user, None)
    return await manager_day(services.pool, who, outlets, await _day(services, day),
                             services.zone, services.clients.policy)


@router.get("/managers", summary="The unit's managers: contacts due today and overdue")
async def managers(user: User, services: Services,
                   day: Annotated[Day | None, Query()] = None) -> list[ManagerLoad]:
    if user.role not in (Role.SUPERVISOR, Role.OUTLET_HEAD, Role.AUDITOR):
        raise AccessDeniedError(f"{user.name}: the managers' overview is for supervisors and "
                                "outlet heads", rule="role_required")
    rows = await managers_due(services.pool, visible_outlets(user, None),
                              await _day(services, day), services.zone)
    return [ManagerLoad(manager=m, due_today=t, overdue=o) for m, t, o in rows]
