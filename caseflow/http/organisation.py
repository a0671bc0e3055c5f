"""/units: the bank's organisation. Everyone signed in reads it; admins change it."""

from __future__ import annotations

from fastapi import APIRouter

from caseflow.http.auth import Services, User
from caseflow.identity.organisation import OrganisationError, Unit, list_units, put_units
from caseflow.services.calls import CaseError
from domain.access import check_admin

router = APIRouter(prefix="/units", tags=["organisation"])


@router.get("", summary="Every unit of the bank, with its parent")
async def all_units(user: User, services: Services) -> list[Unit]:
    del user  # any signed-in user: the tree names no person
    return await list_units(services.pool)


@router.put("", summary="Create or change units (admins)")
async def change_units(body: list[Unit], user: User, services: Services) -> list[Unit]:
    check_admin(user)
    try:
        await put_units(services.pool, body)
    except OrganisationError as exc:
        raise CaseError(str(exc), "bad_organisation") from None
    return await list_units(services.pool)
