"""Bearer tokens: `Authorization: Bearer cf_…` names the user who acts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from caseflow.bootstrap import Parts
from caseflow.identity.users import authenticate
from domain.access import Principal

bearer = HTTPBearer(auto_error=False, description="A token from `caseflow user add`.")


async def parts(request: Request) -> Parts:
    """Async on purpose, like every dependency here: FastAPI runs a plain `def` dependency in a
    thread pool, a thread hop per request for nothing."""
    found: Parts = request.app.state.parts
    return found


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
    user = await authenticate(request.app.state.parts.pool, credentials.credentials)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown or revoked token",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


User = Annotated[Principal, Depends(current_user)]
Services = Annotated[Parts, Depends(parts)]
