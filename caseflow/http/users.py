"""/users: admins create users and issue their tokens (shown once)."""

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from caseflow.http.auth import Services, User
from caseflow.identity.users import NewUser, add_user, list_users
from domain.access import Principal, check_admin


async def admin(user: User) -> Principal:
    check_admin(user)
    return user


router = APIRouter(prefix="/users", tags=["users"], dependencies=[Depends(admin)])


class IssuedToken(BaseModel):
    user: Principal
    token: str
    """Shown once: caseflow keeps only its SHA-256."""


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a user and their token")
async def create_user(body: NewUser, user: User, services: Services) -> IssuedToken:
    created = Principal(name=body.name, role=body.role, outlet=body.outlet)
    token = await add_user(services.pool, created, created_by=user.name, email=body.email,
                           mobile=body.mobile, language=body.language)
    return IssuedToken(user=created, token=token)


@router.get("", summary="All users")
async def all_users(services: Services) -> list[Principal]:
    return await list_users(services.pool)
