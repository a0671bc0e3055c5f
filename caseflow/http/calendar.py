"""/calendar: the working-day calendar's versions (admins enter, withdraw and confirm them, two
different admins per version) and the progress of a confirmed revision's fan-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import BaseModel

from caseflow.calendar.versions import CalendarVersion
from caseflow.http.auth import Services, User
from caseflow.services.calendar import CalendarService, FanOut
from domain.calendar import CalendarProposal
from workflows.ports import CalendarChangeProgress

router = APIRouter(prefix="/calendar", tags=["calendar"])
Number = Annotated[int, Path(ge=1, le=2_147_483_647)]
Year = Annotated[int | None, Query(ge=2000, le=2100)]


class FanOutOut(BaseModel):
    workflow_id: str
    running: bool
    progress: CalendarChangeProgress

    @classmethod
    def of(cls, fan_out: FanOut) -> FanOutOut:
        return cls(workflow_id=fan_out.workflow_id, running=fan_out.running,
                   progress=fan_out.progress)


class Confirmation(BaseModel):
    version: CalendarVersion
    fan_out: FanOutOut


def _service(services: Services) -> CalendarService:
    if services.calendar is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "no database")
    return services.calendar


@router.get("/versions", summary="Every calendar version (of a year), oldest first")
async def versions(user: User, services: Services, year: Year = None) -> list[CalendarVersion]:
    return await _service(services).list(user, year)


@router.post("/versions", status_code=status.HTTP_201_CREATED,
             summary="Enter a year's schedule or an amendment (admins; takes effect once "
                     "another admin confirms it)")
async def propose(body: CalendarProposal, user: User, services: Services) -> CalendarVersion:
    return await _service(services).propose(body, user)


@router.get("/versions/{number}", summary="One calendar version")
async def version(number: Number, user: User, services: Services) -> CalendarVersion:
    return await _service(services).get(number, user)


@router.post("/versions/{number}/confirm",
             summary="Confirm another admin's version: it takes effect and reaches the open "
                     "cases it touches (sent again, it starts only what is missing)")
async def confirm(number: Number, user: User, services: Services) -> Confirmation:
    found, fan_out = await _service(services).confirm(number, user)
    return Confirmation(version=found, fan_out=FanOutOut.of(fan_out))


@router.post("/versions/{number}/withdraw", summary="Withdraw a version awaiting confirmation")
async def withdraw(number: Number, user: User, services: Services) -> CalendarVersion:
    return await _service(services).withdraw(number, user)


@router.get("/revisions/{revision}/fan-out",
            summary="How far a confirmed revision has come in reaching the open cases")
async def fan_out(revision: Number, user: User, services: Services) -> FanOutOut:
    return FanOutOut.of(await _service(services).fan_out(revision, user))
