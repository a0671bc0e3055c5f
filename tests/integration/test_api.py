"""The HTTP API against the real stack (time-skipping Temporal, embedded PostgreSQL): every
endpoint, every role refusal, malformed bodies, unknown ids, and a complaint from registration
to close driven only through HTTP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.http.app import create_app
from caseflow.store import EventStore, StreamNotFoundError, connect_pool
from tests.api_stack import ApiStack, api_stack
from tests.complaint_stack import ComplaintStack


@pytest.fixture
async def api(stack: ComplaintStack) -> AsyncIterator[ApiStack]:
    async with api_stack(stack) as a:
        yield a


def complaint(api: ApiStack, **overrides: Any) -> dict[str, Any]:
    case_id = f"C-{uuid.uuid4().hex[:10]}"
    return {"case_id": case_id, "client_id": "K-1", "client_tier": "ordinary",
            "channel": "in_person", "category": "bank_cards", "cause": "fees",
            "description": "charged twice",
            "outlet": api.outlet, **overrides}


async def registered(api: ApiStack) -> str:
    """A case registered through HTTP, and stored: the answer to a registration comes at once
    (the workflow stores it durably), so the test waits for a first step, which is taken only
    after the registration is stored, before it counts stored events."""
    body = complaint(api)
    response = await api.post("officer", "/complaints", body)
    assert response.status_code == 201, response.text
    response = await api.post("officer", f"/complaints/{body['case_id']}/add-note",
                              {"text": "registered"})
    assert response.status_code == 200, response.text
    return str(body["case_id"])


async def stored_version(store: EventStore, case_id: str) -> int:
    try:
        return len(await store.read_stream(f"complaint-{case_id}"))
    except StreamNotFoundError:
        return 0


async def test_a_complaint_from_registration_to_close_only_through_http(api: ApiStack) -> None:
    body = complaint(api)
    response = await api.post("officer", "/complaints", body)
    assert response.status_code == 201, response.text
    assert response.json()["state"]["status"] == "registered"
    assert response.json()["state"]["deadline"]["working_days"] == 3
    case = f"/complaints/{body['case_id']}"

    steps: list[tuple[str, str, dict[str, Any], str]] = [
        ("officer", "assign", {"handler": api.names["officer"]}, "assigned"),
        ("officer", "request-extension", {"reason": "need head office records"}, "assigned"),
        ("supervisor", "decide-extension", {"approve": True}, "assigned"),
        ("officer", "record-findings", {"summary": "duplicate fee", "bank_at_fault": True,
                                        "corrective_action": "refund",
                                        "corrective_action_owner": api.names["head"],
                                        "corrective_action_due": "2099-01-31",
                                        "responsible": "counter 3", "apology": "in person",
                                        "remedy": "fee refunded"},
         "investigated"),
        ("head", "reply", {"method": "letter", "content": "refunded"}, "replied"),
        ("officer", "record-feedback", {"satisfied": True, "opinion": "thanks"}, "closed"),
    ]
    for who, step, payload, status in steps:
        response = await api.post(who, f"{case}/{step}", payload)
        assert response.status_code == 200, (step, response.text)
        assert response.json()["state"]["status"] == status, step

    record = (await api.get("officer", case)).json()
    assert record["view"]["state"]["deadline"]["working_days"] == 7  # the approved extension
    history = record["history"]
    assert [e["version"] for e in history] == list(range(1, len(history) + 1))
    # The actor of every event is the user whose token sent the step, or caseflow's own clock.
    by_type = {e["type"]: e["actor"] for e in history}
    assert by_type["complaint_registered"] == api.names["officer"]
    assert by_type["extension_approved"] == api.names["supervisor"]
    assert by_type["client_replied"] == api.names["head"]
    replied = next(e for e in await api.stack.store.read_stream(f"complaint-{body['case_id']}")
                   if e.type == "client_replied")
    assert replied.data["confirmed_by_outlet_head"] == api.names["head"]


async def test_only_a_supervisor_approves_and_never_their_own_request(api: ApiStack) -> None:
    case = f"/complaints/{await registered(api)}"
    await api.post("officer", f"{case}/assign", {"handler": api.names["officer"]})
    assert (await api.post("supervisor", f"{case}/request-extension",
                           {"reason": "records"})).status_code == 200
    before = await stored_version(api.stack.store, case.rsplit("/", 1)[1])
    for who, code, rule in [("officer", 403, "role_required"), ("head", 403, "role_required"),
                            ("supervisor", 409, "four_eyes")]:
        response = await api.post(who, f"{case}/decide-extension", {"approve": True})
        assert (response.status_code, response.json()["rule"]) == (code, rule), who
        assert response.json()["detail"]
    assert await stored_version(api.stack.store, case.rsplit("/", 1)[1]) == before


async def test_only_the_outlet_head_sends_a_letter(api: ApiStack) -> None:
    case = f"/complaints/{await registered(api)}"
    for who in ("officer", "supervisor"):
        response = await api.post(who, f"{case}/reply", {"method": "fax", "content": "x"})
        assert (response.status_code, response.json()["rule"]) == (403, "role_required")
    await api.post("officer", f"{case}/assign", {"handler": api.names["officer"]})
    await api.post("officer", f"{case}/record-findings", {"summary": "ok",
                                                          "bank_at_fault": False})
    for who in ("officer", "supervisor"):
        response = await api.post(who, f"{case}/reply", {"method": "letter", "content": "x"})
        assert (response.status_code, response.json()["rule"]) == (403, "role_required")
    response = await api.post("officer", f"{case}/reply", {"method": "in_person",
                                                           "content": "explained"})
    assert response.status_code == 200, response.text


async def test_auditors_admins_and_other_outlets_change_nothing(api: ApiStack) -> None:
    case_id = await registered(api)
    case = f"/complaints/{case_id}"
    before = await stored_version(api.stack.store, case_id)
    for who, rule in [("auditor", "forbidden"), ("admin", "forbidden"),
                      ("stranger", "other_outlet")]:
        response = await api.post(who, f"{case}/add-note", {"text": "hello"})
        assert (response.status_code, response.json()["rule"]) == (403, rule), who
    assert await stored_version(api.stack.store, case_id) == before
    assert (await api.get("stranger", case)).status_code == 403
    assert (await api.get("admin", case)).status_code == 403
    assert (await api.get("auditor", case)).status_code == 200  # auditors read everything

    body = complaint(api)
    response = await api.post("stranger", "/complaints", body)  # not their outlet
    assert (response.status_code, response.json()["rule"]) == (403, "other_outlet")
    assert (await api.get("officer", f"/complaints/{body['case_id']}")).status_code == 404


async def test_a_token_is_required_and_must_be_live(api: ApiStack) -> None:
    case = f"/complaints/{await registered(api)}"
    assert (await api.http.get(case)).status_code == 401
    response = await api.http.get(case, headers={"Authorization": "Bearer cf_not-a-token"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    response = await api.http.get(case, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401


async def test_bad_input_names_the_field_and_records_nothing(api: ApiStack) -> None:
    body = complaint(api)
    cases = [
        ({k: v for k, v in body.items() if k != "outlet"}, ["body", "outlet"], "missing"),
        ({**body, "actor": "someone-else"}, ["body", "actor"], "extra_forbidden"),
        ({**body, "channel": "pigeon"}, ["body", "channel"], "enum"),
        ({**body, "description": "a\x00b"}, ["body", "description"], "string_pattern_mismatch"),
        ({**body, "description": "   "}, ["body", "description"], "string_too_short"),
        ({**body, "received_at": "2026-11-20T10:00:00"}, ["body", "received_at"],
         "timezone_aware"),
    ]
    for payload, loc, kind in cases:
        response = await api.post("officer", "/complaints", payload)
        assert response.status_code == 422, (payload, response.text)
        assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [(loc, kind)]
    response = await api.http.post("/complaints", content=b"{not json",
                                   headers={**api.auth("officer"),
                                            "Content-Type": "application/json"})
    assert response.status_code == 422
    assert (await api.get("officer", f"/complaints/{body['case_id']}")).status_code == 404

    case_id = await registered(api)
    response = await api.post("officer", f"/complaints/{case_id}/assign", {"handler": ""})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "handler"]


async def test_an_illegal_step_names_its_rule_and_records_nothing(api: ApiStack) -> None:
    case_id = await registered(api)
    before = await stored_version(api.stack.store, case_id)
    response = await api.post("officer", f"/complaints/{case_id}/record-feedback",
                              {"satisfied": True, "opinion": "fine"})
    assert response.status_code == 409
    assert response.json()["rule"] == "illegal_step"
    assert await stored_version(api.stack.store, case_id) == before
    response = await api.post("officer", "/complaints",
                              complaint(api, case_id=case_id, description="another"))
    assert (response.status_code, response.json()["rule"]) == (409, "already_exists")


async def test_unknown_ids_are_404(api: ApiStack) -> None:
    for path in ["/complaints/no-such-case", "/clients/no-such-client"]:
        assert (await api.get("officer", path)).status_code == 404
    assert (await api.post("officer", "/complaints/no-such-case/add-note",
                           {"text": "x"})).status_code == 404
    assert (await api.post("officer", "/clients/no-such-client/sale",
                           {"product": "fund"})).status_code == 404
    for path in ["/audit/complaints/no-such-case", "/audit/clients/no-such-client",
                 "/audit/complaints/no-such-case/export"]:
        assert (await api.get("auditor", path)).status_code == 404


async def test_the_worklist_filters_by_outlet_and_orders_by_deadline(api: ApiStack) -> None:
    first, second = await registered(api), await registered(api)
    await api.post("officer", f"/complaints/{second}/assign", {"handler": api.names["officer2"]})
    mine = (await api.get("officer", "/complaints")).json()
    assert {r["case_id"] for r in mine} >= {first, second}
    assert all(r["outlet"] == api.outlet for r in mine)
    dues = [r["due_at"] for r in mine]
    assert dues == sorted(dues)
    handled = (await api.get("officer", "/complaints", handler=api.names["officer2"])).json()
    assert [r["case_id"] for r in handled] == [second]
    assert (await api.get("stranger", "/complaints", outlet=api.outlet)).status_code == 403
    assert all(r["case_id"] not in (first, second)
               for r in (await api.get("stranger", "/complaints")).json())
    audited = (await api.get("auditor", "/complaints", outlet=api.outlet)).json()
    assert {r["case_id"] for r in audited} == {r["case_id"] for r in mine}
    response = await api.get("officer", "/complaints", status="sleeping")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "status"]


async def test_clients_through_http(api: ApiStack) -> None:
    client_id = f"K-{uuid.uuid4().hex[:10]}"
    identify = {"client_id": client_id, "outlet": api.outlet, "referred_by": "teller-3",
                "birthday": "05-20",
                "assessment": {"deposits_10k": "600", "loans_10k": "0",
                               "intermediary_products": 2, "family": 3, "occupation": 4,
                               "social_standing": 3}}
    response = await api.post("officer", "/clients", identify)
    assert response.status_code == 201, response.text
    state = response.json()["state"]
    assert (state["tier"], state["stage"], state["referral_status"], state["birthday"]) == (
        "core_premium", "maintain", "referred", "05-20")
    bad_birthday = await api.post("officer", "/clients", {**identify, "birthday": "02-30"})
    assert bad_birthday.status_code == 422
    assert bad_birthday.json()["detail"][0]["loc"] == ["body", "birthday"]
    path = f"/clients/{client_id}"
    assert (await api.post("officer", f"{path}/sale", {"product": "fund"})).status_code == 200
    response = await api.post("officer", f"{path}/open-account", {"account": "ACC-9"})
    assert response.status_code == 200 and response.json()["state"]["accounts"] == ["ACC-9"]
    response = await api.post("officer", f"{path}/open-account", {"account": "ACC-9"})
    assert (response.status_code, response.json()["rule"]) == (409, "account_already_open")
    response = await api.post("officer", f"{path}/reassign-manager",
                              {"manager": api.names["officer2"], "reason": "moved desks"})
    assert (response.status_code, response.json()["rule"]) == (403, "role_required")
    response = await api.post("head", f"{path}/reassign-manager",
                              {"manager": api.names["officer2"], "reason": "moved desks"})
    assert response.status_code == 200, response.text
    assert response.json()["state"]["manager"] == api.names["officer2"]
    response = await api.post("officer", f"{path}/log-contact",
                              {"channel": "phone", "summary": "birthday wishes"})
    assert response.status_code == 200
    assert (await api.post("stranger", f"{path}/log-contact",
                           {"channel": "phone", "summary": "x"})).status_code == 403

    record = (await api.get("officer", path)).json()
    assert [e["actor"] for e in record["history"]][-2:] == [api.names["head"],
                                                           api.names["officer"]]
    listed = (await api.get("officer", "/clients", manager=api.names["officer2"])).json()
    assert [(r["client_id"], r["tier"]) for r in listed] == [(client_id, "core_premium")]
    assert listed[0]["next_contact_due"] is not None
    assert (await api.post("officer", "/clients", identify)).status_code == 200  # the same
    assert (await api.post("officer", "/clients", {**identify, "referred_by": "teller-8"})
            ).status_code == 409
    no_outlet = {**{k: v for k, v in identify.items() if k != "outlet"},
                 "client_id": f"{client_id}b"}
    response = await api.post("officer", "/clients", no_outlet)
    assert response.status_code == 201 and response.json()["state"]["outlet"] == api.outlet
    assert (await api.post("stranger", f"/clients/{client_id}b/sale",
                           {"product": "fund"})).status_code == 403
    response = await api.post("officer", "/clients",
                              {**identify, "client_id": "K-x", "referred_by": None,
                               "referral_status": "awaiting_follow_up"})
    assert (response.status_code, response.json()["rule"]) == (409, "referral_needs_referrer")


async def test_audit_endpoints_are_for_auditors_and_read_only(api: ApiStack) -> None:
    case_id = await registered(api)
    await api.post("officer", f"/complaints/{case_id}/assign", {"handler": api.names["officer"]})
    for who in ("officer", "supervisor", "head", "admin"):
        assert (await api.get(who, f"/audit/complaints/{case_id}")).status_code == 403, who
    first = (await api.get("auditor", f"/audit/complaints/{case_id}", version=3)).json()
    now = (await api.get("auditor", f"/audit/complaints/{case_id}")).json()
    assert (first["state"]["status"], now["state"]["status"]) == ("registered", "assigned")
    assert now["timeline"][-1]["actor"] == api.names["officer"]
    report = (await api.get("auditor", f"/audit/complaints/{case_id}/verify")).json()
    assert report["problems"] == [] and report["events_checked"] == len(now["timeline"])
    exported = await api.get("auditor", f"/audit/complaints/{case_id}/export")
    assert [e["hash"] for e in exported.json()["events"]] == [
        e.hash for e in await api.stack.store.read_stream(f"complaint-{case_id}")]
    html = await api.get("auditor", f"/audit/complaints/{case_id}/export.html")
    assert html.headers["content-type"].startswith("text/html") and case_id in html.text
    assert (await api.post("auditor", f"/audit/complaints/{case_id}", {})).status_code == 405


async def test_admins_create_users_whose_tokens_work(api: ApiStack) -> None:
    name = f"new-officer-{uuid.uuid4().hex[:6]}"
    user = {"name": name, "role": "case_officer", "outlet": api.outlet}
    assert (await api.post("officer", "/users", user)).status_code == 403
    response = await api.post("admin", "/users", user)
    assert response.status_code == 201
    token = response.json()["token"]
    assert (await api.post("admin", "/users", user)).status_code == 409
    response = await api.post("admin", "/users", {"name": "x", "role": "supervisor"})
    assert response.status_code == 409  # staff are bound to an outlet: the fields disagree
    assert response.json()["rule"] == "fields_disagree"
    for posing in ({"name": "mallory", "role": "system"},
                   {"name": "caseflow-complaints", "role": "system"}):
        response = await api.post("admin", "/users", posing)
        assert response.status_code in (409, 422), response.text  # caseflow itself is no user
    assert "mallory" not in {u["name"] for u in (await api.get("admin", "/users")).json()}
    case_id = await registered(api)
    response = await api.http.post(f"/complaints/{case_id}/add-note", json={"text": "hi"},
                                   headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["state"]["version"] > 0
    stored = await api.stack.store.read_stream(f"complaint-{case_id}")
    assert stored[-1].actor == name
    async with api.stack.parts.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM api_tokens WHERE token_sha256 = $1",
                                   token) == 0  # only its hash is stored


async def test_a_database_that_went_away_is_a_503_not_a_500(
    api: ApiStack, database_url: str
) -> None:
    """The token check reads PostgreSQL first: with the pool gone, the caller is told to retry."""
    gone = await connect_pool(database_url, max_size=1)
    await gone.close()
    parts = bootstrap(Settings(), api.parts.temporal, gone)
    transport = httpx.ASGITransport(app=create_app(parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://caseflow") as http:
        response = await http.get("/complaints", headers=api.auth("officer"))
    assert response.status_code == 503
    assert "database is unavailable" in response.json()["detail"]


async def test_the_remaining_complaint_steps(api: ApiStack) -> None:
    spot = complaint(api)
    assert (await api.post("officer", "/complaints", spot)).status_code == 201
    response = await api.post("officer", f"/complaints/{spot['case_id']}/resolve-on-spot",
                              {"resolution": "explained the fee"})
    assert response.status_code == 200, response.text
    assert response.json()["state"]["close_reason"] == "resolved_on_spot"

    case_id = await registered(api)
    case = f"/complaints/{case_id}"
    version = (await api.get("officer", case)).json()["view"]["state"]["version"]
    for body, rule in [
        ({"reason": "beyond_authority", "to": "service-dept", "details": "x"}, "unknown_unit"),
        ({"reason": "media_attention", "to": "branch-sh-csm", "details": "a journalist called"},
         "media_details_required")]:
        response = await api.post("officer", f"{case}/escalate", body)
        assert response.status_code == 409 and response.json()["rule"] == rule, response.text
    assert (await api.get("officer", case)).json()["view"]["state"]["version"] == version
    media = {"media_outlet": "新民晚报", "questions": "为何重复扣费？",
             "informed": [api.names["head"]]}
    response = await api.post("officer", f"{case}/escalate", {
        "reason": "media_attention", "to": "branch-sh-csm", "details": "a journalist called",
        "media": media})
    assert response.status_code == 200, response.text
    assert response.json()["state"]["escalations"][0]["media"] == media
    assert response.json()["state"]["held_by"] == "branch-sh-csm"
    # The unit it went to sees it in its worklist and on its page, accepts it and answers.
    listed = (await api.get("csm", "/complaints")).json()
    assert case_id in {row["case_id"] for row in listed}
    assert (await api.get("stranger", case)).status_code == 403
    response = await api.post("officer", f"{case}/accept-escalation", {})
    assert response.status_code == 403 and response.json()["rule"] == "other_outlet"
    response = await api.post("csm", f"{case}/accept-escalation", {})
    assert response.status_code == 200, response.text
    assert response.json()["state"]["escalation_accepted_by"] == api.names["csm"]
    response = await api.post("csm", f"{case}/answer-escalation", {"answer": "先退费再核查"})
    assert response.status_code == 200 and response.json()["state"]["held_by"] is None
    response = await api.post("officer", f"{case}/extend-regulatory-deadline",
                              {"reason": "complex"})
    assert response.status_code == 403 and response.json()["rule"] == "role_required"
    response = await api.post("supervisor", f"{case}/extend-regulatory-deadline",
                              {"reason": "complex"})
    assert response.status_code == 200, response.text
    assert response.json()["state"]["regulatory"]["days"] == 30
    response = await api.post("officer", f"{case}/record-follow-up",
                              {"outcome": "satisfied", "opinion": "ok"})
    assert response.status_code == 409 and response.json()["rule"] == "no_follow_up_due"
    response = await api.post("officer", f"{case}/withdraw", {"reason": "client withdrew"})
    assert response.status_code == 200
    assert response.json()["state"]["close_reason"] == "withdrawn"


async def test_the_remaining_client_steps_and_reads(api: ApiStack) -> None:
    potential = f"K-{uuid.uuid4().hex[:10]}"
    assessment: dict[str, Any] = {"deposits_10k": "50", "loans_10k": "0",
                                  "intermediary_products": 0, "family": 0, "occupation": 0,
                                  "social_standing": 0}
    body = {"client_id": potential, "outlet": api.outlet, "assessment": assessment}
    assert (await api.post("officer", "/clients", body)).status_code == 201
    path = f"/clients/{potential}"
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("officer", "contact-attempt", {"channel": "phone", "outcome": "meeting_agreed",
                                        "next_step": "meet on Friday",
                                        "meeting_at": "2030-01-04T10:00:00+08:00",
                                        "meeting_place": "陆家嘴支行贵宾室"}),
        ("officer", "meeting", {"needs": "retirement", "proposals": "pension fund", "deal": True,
                                "next_contact_at": "2030-01-05T10:00:00+08:00"}),
        ("officer", "set-preference", {"preference": "do_not_disturb"}),
        ("officer", "reassess", {"assessment": {**assessment, "deposits_10k": "300"}}),
        ("officer", "sale", {"product": "pension fund"}),
        ("officer", "request-closure", {"account": "ACC-1"}),
        ("officer", "retention", {"retained": False, "note": "moving abroad"}),
    ]
    for who, step, payload in steps:
        response = await api.post(who, f"{path}/{step}", payload)
        assert response.status_code == 200, (step, response.text)
    state = response.json()["state"]
    assert (state["tier"], state["preference"], state["retention_by"]) == (
        "core_premium", "do_not_disturb", "outlet_head")
    response = await api.post("officer", f"{path}/retention", {"retained": True, "note": "x"})
    assert (response.status_code, response.json()["rule"]) == (403, "role_required")
    response = await api.post("head", f"{path}/retention", {"retained": True, "note": "stays"})
    assert response.status_code == 200 and response.json()["state"]["closing_account"] is None

    as_of = (await api.get("auditor", f"/audit/clients/{potential}", version=2)).json()
    assert as_of["state"]["stage"] == "contact" and len(as_of["timeline"]) == 2
    report = (await api.get("auditor", f"/audit/clients/{potential}/verify")).json()
    assert report["problems"] == [] and report["streams_checked"] == 1
    users = (await api.get("admin", "/users")).json()
    assert {api.names["officer"], api.names["auditor"]} <= {u["name"] for u in users}
    assert (await api.get("auditor", "/users")).status_code == 403
