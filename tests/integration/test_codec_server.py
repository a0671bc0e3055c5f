"""The codec for the Temporal UI (/codec/decode), asked as the UI asks it (a JSON body of
proto3-JSON payloads, `X-Namespace`, the UI's origin, the user's session cookie): a complaint's
sealed history opened for an auditor and for its outlet's officer, refused without a session
and to another unit's officer, every decode kept as a read without its content."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from caseflow.http.app import create_app
from domain.access import Principal, Role
from tests.complaint_fixtures import register
from tests.complaint_stack import ComplaintStack
from tests.web_stack import WebUsers, sign_in, web_users
from workflows.complaint_messages import workflow_id

DESCRIPTION = "信用卡年费多收了两次，要求退还"


@pytest.fixture
async def web(stack: ComplaintStack) -> AsyncIterator[tuple[ComplaintStack, WebUsers]]:
    yield stack, await web_users(stack)


def browser(stack: ComplaintStack, origin: str | None = None) -> httpx.AsyncClient:
    headers = {"Origin": origin or stack.parts.settings.ui_origin}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(stack.parts)),
                             base_url="http://caseflow", headers=headers)


async def sealed_history(stack: ComplaintStack, users: WebUsers) -> tuple[str, dict[str, Any]]:
    """A complaint of the users' outlet, and the UI's decode request for its history's
    payloads (every input and result, as the server stores them: sealed)."""
    officer = users.names["officer"]
    case_id = f"U-{uuid.uuid4().hex[:8]}"
    now = await stack.now()
    await stack.register(register(actor=officer, at=now, received_at=now, case_id=case_id,
                                  outlet=users.outlet, description=DESCRIPTION),
                         by=Principal(name=officer, role=Role.CASE_OFFICER, outlet=users.outlet))
    history = await stack.env.client.get_workflow_handle(workflow_id(case_id)).fetch_history()
    payloads: list[Payload] = []
    for event in history.events:
        for attributes in (event.workflow_execution_started_event_attributes.input,
                           event.activity_task_scheduled_event_attributes.input):
            payloads.extend(attributes.payloads)
    assert payloads and all(p.metadata["encoding"] == b"binary/encrypted" for p in payloads)
    assert DESCRIPTION.encode() not in b"".join(p.data for p in payloads)
    return case_id, json.loads(json_format.MessageToJson(Payloads(payloads=payloads)))


def opened_text(answer: httpx.Response) -> str:
    payloads = json_format.Parse(answer.text, Payloads()).payloads
    return "".join(p.data.decode("utf-8", "replace") for p in payloads)


async def decode(http: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await http.post("/codec/decode", json=body, headers={"X-Namespace": "default"})


async def test_an_auditor_reads_a_case_and_the_read_is_kept(
    web: tuple[ComplaintStack, WebUsers],
) -> None:
    stack, users = web
    case_id, body = await sealed_history(stack, users)
    async with browser(stack) as http:
        await sign_in(http, users.names["auditor"])
        answer = await decode(http, body)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Access-Control-Allow-Origin"] == stack.parts.settings.ui_origin
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert DESCRIPTION in opened_text(answer) and case_id in opened_text(answer)
    [read] = await stack.parts.pool.fetch(
        "SELECT * FROM payload_reads WHERE reader = $1", users.names["auditor"])
    assert workflow_id(case_id) in read["records"] and read["namespace"] == "default"
    assert read["opened"] == read["payloads"] == len(body["payloads"])
    assert DESCRIPTION not in json.dumps(dict(read), default=str)  # who and what, no content


async def test_the_outlets_officer_reads_it_another_units_officer_may_not(
    web: tuple[ComplaintStack, WebUsers],
) -> None:
    stack, users = web
    _, body = await sealed_history(stack, users)
    async with browser(stack) as own, browser(stack) as stranger:
        await sign_in(own, users.names["officer2"])
        assert DESCRIPTION in opened_text(await decode(own, body))
        await sign_in(stranger, users.names["stranger"])
        refused = await decode(stranger, body)
    assert refused.status_code == 403 and refused.json()["rule"] == "other_outlet"
    assert DESCRIPTION not in refused.text
    assert await stack.parts.pool.fetchval(
        "SELECT count(*) FROM payload_reads WHERE reader = $1", users.names["stranger"]) == 0


async def test_no_session_no_decode_and_no_encoding_at_all(
    web: tuple[ComplaintStack, WebUsers],
) -> None:
    stack, users = web
    _, body = await sealed_history(stack, users)
    async with browser(stack) as http:
        unsigned = await decode(http, body)
        assert unsigned.status_code == 401 and unsigned.json()["rule"] == "sign_in"
        await sign_in(http, users.names["supervisor"])
        refused = await http.post("/codec/encode", json=body)
        assert refused.status_code == 403 and refused.json()["rule"] == "decode_only"
        junk = await http.post("/codec/decode", content=b"{not json")
        assert junk.status_code == 400


async def test_cors_admits_the_temporal_uis_origin_only(
    web: tuple[ComplaintStack, WebUsers],
) -> None:
    stack, _ = web
    ui = stack.parts.settings.ui_origin
    async with browser(stack) as http, browser(stack, "http://evil.example") as other:
        ok = await http.options("/codec/decode", headers={
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-namespace"})
        assert ok.headers["Access-Control-Allow-Origin"] == ui
        assert "x-namespace" in ok.headers["Access-Control-Allow-Headers"]
        elsewhere = await other.options("/codec/decode", headers={
            "Access-Control-Request-Method": "POST"})
        assert "Access-Control-Allow-Origin" not in elsewhere.headers
