"""Requests sent again (a lost answer, a second press of the button, a client timeout): with
the same Idempotency-Key they answer the first answer and record nothing new; the same key with
another body is refused. A registration sent again answers the case. Ids that could not name a
URL are refused before anything starts."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from caseflow.services import calls
from tests.api_stack import ApiStack, api_stack
from tests.complaint_fixtures import register
from tests.complaint_stack import ComplaintStack, complaint_stack
from tests.integration.test_api import complaint, registered, stored_version


@pytest.fixture
async def api(stack: ComplaintStack) -> AsyncIterator[ApiStack]:
    async with api_stack(stack) as a:
        yield a


def keyed(api: ApiStack, who: str, key: str) -> dict[str, str]:
    return {**api.auth(who), "Idempotency-Key": key}


async def test_a_step_sent_again_with_its_key_is_recorded_once(api: ApiStack) -> None:
    case_id = await registered(api)
    before = await stored_version(api.stack.store, case_id)
    key = str(uuid.uuid4())
    note = {"text": "called the client back"}
    path = f"/complaints/{case_id}/add-note"
    first = await api.http.post(path, json=note, headers=keyed(api, "officer", key))
    again = await api.http.post(path, json=note, headers=keyed(api, "officer", key))
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()  # the first answer, not a new one
    # sent twice at once (two API processes, two presses): still once
    both = await asyncio.gather(*(api.http.post(path, json={"text": "at once"},
                                                headers=keyed(api, "officer", "same-moment"))
                                  for _ in range(2)))
    assert [r.status_code for r in both] == [200, 200]
    assert await stored_version(api.stack.store, case_id) == before + 2
    # without a key, a request sent again is a new request (a second note)
    await api.post("officer", path, note)
    assert await stored_version(api.stack.store, case_id) == before + 3


async def test_a_key_used_again_for_another_body_is_refused_and_records_nothing(
    api: ApiStack,
) -> None:
    case_id = await registered(api)
    path = f"/complaints/{case_id}/add-note"
    key = str(uuid.uuid4())
    assert (await api.http.post(path, json={"text": "first"},
                                headers=keyed(api, "officer", key))).status_code == 200
    before = await stored_version(api.stack.store, case_id)
    other = await api.http.post(path, json={"text": "something else"},
                                headers=keyed(api, "officer", key))
    assert (other.status_code, other.json()["rule"]) == (422, "idempotency_key_reused")
    assert await stored_version(api.stack.store, case_id) == before


async def test_the_last_step_sent_again_after_the_case_closed_answers_its_outcome(
    api: ApiStack,
) -> None:
    case_id = await registered(api)
    case = f"/complaints/{case_id}"
    await api.post("officer", f"{case}/assign", {"handler": api.names["officer"]})
    await api.post("officer", f"{case}/record-findings",
                   {"summary": "ok", "bank_at_fault": False})
    await api.post("officer", f"{case}/reply", {"method": "in_person", "content": "explained"})
    key = str(uuid.uuid4())
    feedback = {"satisfied": True, "opinion": "thanks"}
    first = await api.http.post(f"{case}/record-feedback", json=feedback,
                                headers=keyed(api, "officer", key))
    assert first.json()["state"]["status"] == "closed"
    again = await api.http.post(f"{case}/record-feedback", json=feedback,
                                headers=keyed(api, "officer", key))
    assert (again.status_code, again.json()) == (200, first.json())  # not "case_closed"
    events = await api.stack.store.read_stream(f"complaint-{case_id}")
    assert [e.type for e in events].count("feedback_recorded") == 1


async def test_a_registration_sent_again_answers_the_case(api: ApiStack) -> None:
    body = complaint(api)
    first = await api.post("officer", "/complaints", body)
    again = await api.post("officer", "/complaints", body)  # received_at defaulted both times
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["state"]["case_id"] == body["case_id"]
    other = await api.post("officer", "/complaints", {**body, "description": "another thing"})
    assert (other.status_code, other.json()["rule"]) == (409, "already_exists")
    stranger = await api.post("stranger", "/complaints", body)
    assert stranger.status_code == 403  # the existing case is not shown to another outlet


async def test_an_identification_sent_again_answers_the_client(api: ApiStack) -> None:
    body = {"client_id": f"K-{uuid.uuid4().hex[:8]}", "outlet": api.outlet,
            "assessment": {"deposits_10k": 50, "loans_10k": 0, "intermediary_products": 1,
                           "family": 1, "occupation": 1, "social_standing": 1}}
    first = await api.post("officer", "/clients", body)
    again = await api.post("officer", "/clients", body)
    assert (first.status_code, again.status_code) == (201, 200)
    other = await api.post("officer", "/clients", {**body, "referred_by": "teller-9"})
    assert (other.status_code, other.json()["rule"]) == (409, "already_exists")


@pytest.mark.parametrize("bad", ["C/../x", "C 1", "C\t1", ".hidden", "C?1", "x" * 65])
async def test_an_id_that_cannot_name_a_url_is_refused_naming_the_rule(
    api: ApiStack, bad: str
) -> None:
    response = await api.post("officer", "/complaints", complaint(api, case_id=bad))
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "case_id"] and "an id is 1 to 64 characters" in problem["msg"]
    client = await api.post("officer", "/clients", {
        "client_id": bad, "assessment": {"deposits_10k": 1, "loans_10k": 0,
                                         "intermediary_products": 0, "family": 0,
                                         "occupation": 0, "social_standing": 0}})
    assert client.status_code == 422


async def test_ids_with_chinese_characters_are_welcome(api: ApiStack) -> None:
    case_id = f"投诉-{uuid.uuid4().hex[:6]}.2026_12"
    response = await api.post("officer", "/complaints", complaint(api, case_id=case_id))
    assert response.status_code == 201, response.text
    assert (await api.get("officer", f"/complaints/{case_id}")).status_code == 200


async def test_a_step_whose_outcome_is_late_answers_503_then_its_outcome_once(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No worker runs, so the step cannot finish within the API's wait (shortened here): the
    officer is told to retry (503 still_recording, Retry-After), never a 500; sent again with
    its key once a worker runs, it answers its outcome and is recorded once. (Found by the API
    bench on a slow machine: the SDK reports our cancelled wait as its own error.)"""
    monkeypatch.setattr(calls, "UPDATE_WAIT", timedelta(seconds=1))
    async with complaint_stack(temporal_env, pool, with_worker=False) as stack, \
            api_stack(stack) as api:
        now = await stack.now()
        case_id = f"late-{uuid.uuid4().hex[:8]}"
        await stack.register(register(actor=api.names["officer"], at=now, received_at=now,
                                      case_id=case_id, outlet=api.outlet))
        path, note = f"/complaints/{case_id}/add-note", {"text": "called back"}
        late = await api.http.post(path, json=note, headers=keyed(api, "officer", "late-1"))
        assert late.status_code == 503, late.text
        assert late.json()["rule"] == "still_recording"
        assert late.headers["Retry-After"] == "5"
        async with stack.worker(cached=False):
            again = await api.http.post(path, json=note, headers=keyed(api, "officer", "late-1"))
            assert again.status_code == 200, again.text
            types = [e.type for e in await stack.store.read_stream(f"complaint-{case_id}")]
    assert types.count("note_added") == 1
