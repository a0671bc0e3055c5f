"""Messages over HTTP: each user's inbox shows what was addressed to them and nothing else; the
delivery record of a notification is for its unit's staff and auditors; the organisation is
read by everyone signed in and changed by admins only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from caseflow.identity.organisation import Unit, UnitKind, put_units
from caseflow.identity.users import add_user
from domain.access import Principal, Role
from tests.api_stack import ApiStack, api_stack
from tests.complaint_stack import complaint_stack
from tests.waiting import until


@pytest.fixture
async def api(temporal_env: WorkflowEnvironment, pool: asyncpg.Pool) -> AsyncIterator[ApiStack]:
    async with complaint_stack(temporal_env, pool, deliver=True) as stack, \
            api_stack(stack) as api:
        elsewhere = api.outlet.replace("outlet-", "elsewhere-")
        await put_units(pool, [
            Unit(unit_id=api.outlet, kind=UnitKind.OUTLET, name_zh="网点", name_en="Outlet"),
            Unit(unit_id=elsewhere, kind=UnitKind.OUTLET, name_zh="他行网点", name_en="Other")])
        yield api


async def test_each_inbox_holds_only_its_owners_messages(api: ApiStack) -> None:
    case_id = f"C-{uuid.uuid4().hex[:10]}"
    received = (await api.stack.now()) - timedelta(days=10)  # long past its deadline
    response = await api.post("officer", "/complaints", {
        "case_id": case_id, "client_id": "K-1", "client_tier": "ordinary",
        "channel": "in_person", "category": "bank_cards", "cause": "fees",
        "description": "charged twice",
        "outlet": api.outlet, "received_at": received.isoformat(),
        "contact": {"mobile": "13900000001", "preferred": "sms"}})
    assert response.status_code == 201, response.text

    async def breach_in_inbox() -> bool:
        messages = (await api.get("supervisor", "/inbox")).json()
        return any(m["kind"] == "sla_breach" and case_id in m["stream_id"] for m in messages)

    await until(breach_in_inbox)
    [breach] = [m for m in (await api.get("supervisor", "/inbox")).json()
                if m["kind"] == "sla_breach" and case_id in m["stream_id"]]
    assert "超过答复期限" in breach["subject"] and breach["read_at"] is None
    assert (await api.get("supervisor", "/inbox/unread-count")).json()["unread"] >= 1
    # An officer of another outlet, the auditor and the admin have nothing of it.
    for who in ("stranger", "auditor", "admin"):
        theirs = (await api.get(who, "/inbox")).json()
        assert not [m for m in theirs if case_id in m["stream_id"]], who
    # Nobody marks a message read for someone else; the owner does.
    notification = breach["notification_id"]

    async def unread_ids() -> set[str]:
        messages = (await api.get("supervisor", "/inbox", unread=True, limit=200)).json()
        return {m["notification_id"] for m in messages}

    for who in ("auditor", "officer2"):
        marked = await api.http.post(f"/inbox/{notification}/read", headers=api.auth(who))
        assert marked.status_code == 404, who
    assert notification in await unread_ids()
    marked = await api.http.post(f"/inbox/{notification}/read", headers=api.auth("supervisor"))
    assert marked.status_code == 204
    assert notification not in await unread_ids()
    again = await api.http.post(f"/inbox/{notification}/read", headers=api.auth("supervisor"))
    assert again.status_code == 204  # marking again changes nothing

    # The auditor sees how each delivery went; an officer of another outlet may not.
    record = (await api.get("auditor", f"/notifications/{notification}")).json()
    states = {(d["recipient"], d["channel"]): d["state"] for d in record["deliveries"]}
    assert states[(api.names["supervisor"], "inbox")] == "delivered"
    assert states[(api.names["supervisor"], "email")] == "skipped"  # no SMTP server configured
    assert (await api.get("stranger", f"/notifications/{notification}")).status_code == 403
    assert (await api.get("auditor", f"/notifications/{uuid.uuid4()}")).status_code == 404

    # The client was told by SMS (the log-only gateway), and the case says so.
    async def told() -> bool:
        case = (await api.get("officer", f"/complaints/{case_id}")).json()
        return bool(case["view"]["state"]["client_notices"])

    await until(told)
    case = (await api.get("officer", f"/complaints/{case_id}")).json()
    [notice] = case["view"]["state"]["client_notices"]
    assert notice["delivered"] and notice["channel"] == "sms"
    assert any("client told (acknowledgement) by sms" in e["summary"]
               for e in case["history"]), case["history"]
    assert "13900000001" not in str(case)


async def test_the_organisation_is_read_by_all_and_changed_by_admins(api: ApiStack) -> None:
    units = (await api.get("officer", "/units")).json()
    assert api.outlet in {u["unit_id"] for u in units}
    new = {"unit_id": f"sub-{uuid.uuid4().hex[:6]}", "kind": "sub_branch", "name_zh": "支行",
           "name_en": "Sub-branch"}
    refused = await api.http.put("/units", json=[new], headers=api.auth("supervisor"))
    assert refused.status_code == 403
    orphan = {**new, "parent": "no-such-unit"}
    bad = await api.http.put("/units", json=[orphan], headers=api.auth("admin"))
    assert bad.status_code == 409 and "does not exist" in bad.json()["detail"]
    assert bad.json()["rule"] == "bad_organisation"
    moved = {"unit_id": api.outlet, "kind": "outlet", "parent": new["unit_id"],
             "name_zh": "网点", "name_en": "Outlet"}
    done = await api.http.put("/units", json=[moved, new], headers=api.auth("admin"))
    assert done.status_code == 200, done.text
    assert {u["unit_id"]: u["parent"] for u in done.json()}[api.outlet] == new["unit_id"]
    cycle = {**new, "parent": api.outlet}  # the sub-branch under its own outlet
    looped = await api.http.put("/units", json=[cycle], headers=api.auth("admin"))
    assert looped.status_code == 409 and "own ancestor" in looped.json()["detail"]
    assert looped.json()["rule"] == "bad_organisation"


async def test_admins_give_users_an_e_mail_and_a_language(api: ApiStack) -> None:
    name = f"sup-{uuid.uuid4().hex[:6]}"
    body = {"name": name, "role": "supervisor", "outlet": api.outlet,
            "email": f"{name}@bank.example", "language": "en"}
    created = await api.post("admin", "/users", body)
    assert created.status_code == 201, created.text
    bad = await api.post("admin", "/users", {**body, "name": name + "x", "email": "not-mail"})
    assert bad.status_code == 422


async def test_a_role_at_a_unit_acts_on_its_whole_subtree(api: ApiStack, pool: asyncpg.Pool
                                                          ) -> None:
    """A sub-branch's supervisor sees and acts on the cases of its outlets; an officer of a
    sibling outlet does not."""
    tag = uuid.uuid4().hex[:6]
    sub_branch, sibling = f"sub-{tag}", f"sibling-{tag}"
    await put_units(pool, [
        Unit(unit_id=sub_branch, kind=UnitKind.SUB_BRANCH, name_zh="支行", name_en="Sub"),
        Unit(unit_id=api.outlet, kind=UnitKind.OUTLET, parent=sub_branch, name_zh="网点",
             name_en="Outlet"),
        Unit(unit_id=sibling, kind=UnitKind.OUTLET, parent=sub_branch, name_zh="网点二",
             name_en="Sibling")])
    above = await add_user(pool, Principal(name=f"subsup-{tag}", role=Role.SUPERVISOR,
                                           outlet=sub_branch), created_by="test")
    beside = await add_user(pool, Principal(name=f"sibling-officer-{tag}",
                                            role=Role.CASE_OFFICER, outlet=sibling),
                            created_by="test")
    case_id = f"C-{uuid.uuid4().hex[:10]}"
    response = await api.post("officer", "/complaints", {
        "case_id": case_id, "client_id": "K-1", "client_tier": "ordinary",
        "channel": "in_person", "category": "bank_cards", "cause": "fees",
        "description": "charged twice", "outlet": api.outlet})
    assert response.status_code == 201, response.text
    as_above = {"Authorization": f"Bearer {above}"}
    as_beside = {"Authorization": f"Bearer {beside}"}
    assert (await api.http.get(f"/complaints/{case_id}", headers=as_above)).status_code == 200
    note = await api.http.post(f"/complaints/{case_id}/add-note", json={"text": "支行已关注"},
                               headers=as_above)
    assert note.status_code == 200, note.text
    worklist = (await api.http.get("/complaints", headers=as_above)).json()
    assert case_id in {row["case_id"] for row in worklist}
    refused = await api.http.get(f"/complaints/{case_id}", headers=as_beside)
    assert refused.status_code == 403 and refused.json()["rule"] == "other_outlet"
    assert case_id not in {r["case_id"] for r in
                           (await api.http.get("/complaints", headers=as_beside)).json()}
    stepped = await api.http.post(f"/complaints/{case_id}/add-note", json={"text": "x"},
                                  headers=as_beside)
    assert stepped.status_code == 403
