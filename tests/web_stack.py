"""The staff web app on the test stack: users of every role with passwords, and signing in
through the sign-in page itself (its form token and cookies), over any HTTP client."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import httpx

from caseflow.identity.passwords import set_password
from caseflow.identity.users import add_user
from domain.access import Principal, Role
from tests.complaint_stack import ComplaintStack

PASSWORD = "Sunrise-2026-east"
USERS: dict[str, tuple[Role, bool | str]] = {  # who: (role, of the cases' outlet? or a unit)
    "officer": (Role.CASE_OFFICER, True),
    "officer2": (Role.CASE_OFFICER, True),
    "supervisor": (Role.SUPERVISOR, True),
    "head": (Role.OUTLET_HEAD, True),
    "stranger": (Role.CASE_OFFICER, False),
    "csm": (Role.SUPERVISOR, "branch-sh-csm"),  # the branch's service management (demo units)
    "auditor": (Role.AUDITOR, False),
}


@dataclass
class WebUsers:
    names: dict[str, str]
    outlet: str
    elsewhere: str


async def web_users(stack: ComplaintStack) -> WebUsers:
    run = uuid.uuid4().hex[:8]
    outlet, elsewhere = f"outlet-{run}", f"elsewhere-{run}"
    names = {}
    for who, (role, local) in USERS.items():
        name = f"{who}-{run}"
        unit = (local if isinstance(local, str) else outlet if local else elsewhere
                ) if role.is_staff else None
        await add_user(stack.parts.pool, Principal(name=name, role=role, outlet=unit),
                       created_by="test")
        await set_password(stack.parts.pool, name, PASSWORD, set_by="test-admin")
        names[who] = name
    return WebUsers(names, outlet, elsewhere)


async def identified_client(stack: ComplaintStack, users: WebUsers) -> str:
    """A core-premium client of the users' outlet, identified by their officer (a relationship
    workflow of its own, in maintenance): its id."""
    from domain.client.commands import Identify
    from domain.client.model import Assessment

    officer = users.names["officer"]
    client_id = f"K-{uuid.uuid4().hex[:8]}"
    await stack.parts.clients.identify(Identify(
        actor=officer, at=await stack.now(), client_id=client_id, outlet=users.outlet,
        assessment=Assessment(deposits_10k=600, loans_10k=0, intermediary_products=2,
                              family=3, occupation=4, social_standing=3)),
        by=Principal(name=officer, role=Role.CASE_OFFICER, outlet=users.outlet))
    return client_id


def form_token(html: str, name: str = "csrf") -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} in the page"
    return found.group(1)


async def sign_in(http: httpx.AsyncClient, name: str, password: str = PASSWORD
                  ) -> httpx.Response:
    page = await http.get("/web/signin")
    return await http.post("/web/signin", data={"csrf": form_token(page.text), "name": name,
                                                "password": password})
