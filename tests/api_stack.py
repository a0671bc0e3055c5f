"""The HTTP API on the test stack: the real app, services and store, over httpx's ASGI transport,
with users of every role (names made unique per test, the database is shared)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from caseflow.bootstrap import Parts
from caseflow.http.app import create_app
from caseflow.identity.users import add_user
from domain.access import Principal, Role
from tests.complaint_stack import ComplaintStack


@dataclass
class ApiStack:
    stack: ComplaintStack
    http: httpx.AsyncClient
    tokens: dict[str, str]
    names: dict[str, str]
    outlet: str
    parts: Parts

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def post(self, who: str, path: str, body: Mapping[str, object]) -> httpx.Response:
        return await self.http.post(path, json=body, headers=self.auth(who))

    async def get(self, who: str, path: str, **params: str | int | bool) -> httpx.Response:
        return await self.http.get(path, params=params, headers=self.auth(who))


USERS: dict[str, tuple[Role, bool | str]] = {  # who: (role, same outlet as the cases? or a unit)
    "officer": (Role.CASE_OFFICER, True),
    "officer2": (Role.CASE_OFFICER, True),
    "supervisor": (Role.SUPERVISOR, True),
    "head": (Role.OUTLET_HEAD, True),
    "stranger": (Role.CASE_OFFICER, False),  # an officer of another outlet
    "csm": (Role.SUPERVISOR, "branch-sh-csm"),  # the branch's service management (demo units)
    "auditor": (Role.AUDITOR, False),
    "admin": (Role.ADMIN, False),
}


@asynccontextmanager
async def api_stack(stack: ComplaintStack) -> AsyncIterator[ApiStack]:
    run = uuid.uuid4().hex[:8]
    outlet = f"outlet-{run}"
    parts = stack.parts
    tokens, names = {}, {}
    for who, (role, local) in USERS.items():
        name = f"{who}-{run}"
        bound = (local if isinstance(local, str) else outlet if local else f"elsewhere-{run}"
                 ) if role.is_staff else None
        tokens[who] = await add_user(parts.pool, Principal(name=name, role=role,
                                                                 outlet=bound), created_by="test")
        names[who] = name
    transport = httpx.ASGITransport(app=create_app(parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://caseflow") as http:
        yield ApiStack(stack, http, tokens, names, outlet, parts)
