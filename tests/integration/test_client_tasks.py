"""client-policy-2026.3 on the time-skipping server with the real event store: a maturity 30
days ahead asks for its contact at the policy's lead time (and, not contacted, alerts the
supervisor at the end of its day), the manager's day lists it on its own; a maintained client's
satisfaction survey falls due at its tier's cadence, its answer goes to the outlet head's
summary."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import pytest

from caseflow.services.calls import CaseError
from domain.access import AccessDeniedError, Principal, Role
from domain.client import commands as cc
from tests.complaint_stack import SHANGHAI, ComplaintStack
from tests.integration.test_account_events import AUDITOR, identified

TOLERANCE = timedelta(seconds=2)
OFFICER = Principal(name="rm-1", role=Role.CASE_OFFICER, outlet="outlet-9")


async def kinds_of(stack: ComplaintStack, client: str) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for e in await stack.store.read_stream(f"client-{client}"):
        found.setdefault(e.type, []).append({**e.data, "occurred_at": e.occurred_at})
    return found


async def test_a_maturity_30_days_ahead_asks_for_the_contact_at_the_lead_time(
    stack: ComplaintStack,
) -> None:
    from caseflow.store.read_models.clients import manager_day

    [client] = await identified(stack)
    now = await stack.now()
    matures = (now + timedelta(days=30)).astimezone(SHANGHAI).date()
    report = await stack.parts.account_events.apply(enumerate([
        {"event_id": f"M-{client}", "client_id": client, "event": "maturity",
         "product": "三年期定期", "matures_on": matures.isoformat()}], start=1))
    assert report.applied == 1
    lead = datetime.combine(matures - timedelta(days=7), time(9, 0), tzinfo=SHANGHAI)
    [task] = (await stack.parts.clients.view(client, by=AUDITOR)).state.maturities
    assert task.contact_at == lead

    await stack.env.sleep(lead - await stack.now() - timedelta(minutes=1))
    assert "maturity_contact_due" not in await kinds_of(stack, client)
    await stack.env.sleep(timedelta(minutes=2))
    [due] = (await kinds_of(stack, client))["maturity_contact_due"]
    assert lead <= due["occurred_at"] < lead + TOLERANCE  # type: ignore[operator]
    assert due["alerted"] == ["rm-1"] and due["product"] == "三年期定期"
    day = await manager_day(stack.parts.pool, "rm-1", ["outlet-9"], lead.date(), SHANGHAI,
                            stack.parts.clients.policy)
    [item] = [i for i in day.items if i.client_id == client and i.kind == "maturity"]
    assert (item.day, item.detail, item.due_at) == (matures, "三年期定期", lead)

    end = datetime.combine(matures + timedelta(days=1), time(0, 0), tzinfo=SHANGHAI)
    await stack.env.sleep(end - await stack.now() + timedelta(minutes=1))
    [missed] = (await kinds_of(stack, client))["maturity_missed"]
    assert end <= missed["occurred_at"] < end + TOLERANCE  # type: ignore[operator]
    assert missed["alerted"] == ["rm-1", "supervisor@outlet-9"]
    assert (await stack.parts.clients.view(client, by=AUDITOR)).state.maturities == ()
    kinds = [r["kind"] for r in await stack.parts.pool.fetch(
        "SELECT kind FROM outbox WHERE stream_id = $1 ORDER BY position", f"client-{client}")]
    assert [k for k in kinds if k.startswith("maturity_")] == ["maturity_contact_due",
                                                               "maturity_missed"]


async def test_a_maturity_contacted_in_time_raises_no_alert(stack: ComplaintStack) -> None:
    [client] = await identified(stack)
    matures = (await stack.now() + timedelta(days=20)).astimezone(SHANGHAI).date()
    await stack.parts.account_events.apply(enumerate([
        {"event_id": f"M-{client}", "client_id": client, "event": "maturity",
         "matures_on": matures.isoformat()}], start=1))
    lead = datetime.combine(matures - timedelta(days=7), time(9, 0), tzinfo=SHANGHAI)
    await stack.env.sleep(lead - await stack.now() + timedelta(hours=1))
    await stack.parts.clients.execute(client, cc.LogContact(
        actor="rm-1", at=await stack.now(), channel="phone", summary="续存"), by=OFFICER)
    await stack.env.sleep(timedelta(days=9))
    kinds = await kinds_of(stack, client)
    assert len(kinds["maturity_contact_due"]) == 1 and "maturity_missed" not in kinds


async def test_a_survey_falls_due_at_the_tiers_cadence_and_reaches_the_outlet_heads_summary(
    stack: ComplaintStack,
) -> None:
    [client] = await identified(stack)  # core premium, maintained by rm-1
    identified_at = (await stack.parts.clients.view(client, by=AUDITOR)).state.assessed_at
    assert identified_at is not None
    due_at = identified_at + timedelta(days=180)
    with pytest.raises(CaseError) as refused:
        await stack.parts.clients.execute(client, cc.RecordSurvey(
            actor="rm-1", at=await stack.now(), score=4), by=OFFICER)
    assert refused.value.rule == "no_survey_due"
    while await stack.now() < due_at:  # the manager keeps up the cadence meanwhile
        await stack.env.sleep(min(timedelta(days=25), due_at - await stack.now()
                                  + timedelta(minutes=1)))
        await stack.parts.clients.execute(client, cc.LogContact(
            actor="rm-1", at=await stack.now(), channel="phone", summary="月度联系"),
            by=OFFICER)
    [due] = (await kinds_of(stack, client))["survey_due"]
    assert due_at <= due["occurred_at"] < due_at + TOLERANCE  # type: ignore[operator]
    assert due["alerted"] == ["rm-1"]
    recorded = await stack.parts.clients.execute(client, cc.RecordSurvey(
        actor="rm-1", at=await stack.now(), score=2, remarks="理财收益说明不清"), by=OFFICER)
    assert recorded.state.survey_due_at is None

    head = Principal(name="head-9", role=Role.OUTLET_HEAD, outlet="outlet-9")
    today = (await stack.now()).astimezone(SHANGHAI).date()
    summary = await stack.parts.reports.surveys(head, today - timedelta(days=29), today)
    assert summary.outlets == ["outlet-9"]
    assert (client, 2, "理财收益说明不清") in [(low.client_id, low.score, low.remarks)
                                          for low in summary.low_scores]
    assert summary.surveys >= 1 and summary.by_score[2] >= 1
    assert summary.by_tier["core_premium"].surveys >= 1
    other = Principal(name="head-x", role=Role.OUTLET_HEAD, outlet=f"outlet-{uuid.uuid4().hex}")
    elsewhere = await stack.parts.reports.surveys(other, today, today)
    assert client not in [low.client_id for low in elsewhere.low_scores]
    with pytest.raises(AccessDeniedError):  # the summary is for outlet heads and supervisors
        await stack.parts.reports.surveys(OFFICER, today, today)

    # The same summary over HTTP, for the outlet head only.
    import httpx

    from caseflow.http.app import create_app
    from caseflow.identity.users import add_user

    tokens = {p.name: await add_user(stack.parts.pool, p, created_by="test")
              for p in (Principal(name=f"head-{client}", role=Role.OUTLET_HEAD,
                                  outlet="outlet-9"),
                        Principal(name=f"rm-{client}", role=Role.CASE_OFFICER,
                                  outlet="outlet-9"))}
    period = {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()}
    transport = httpx.ASGITransport(app=create_app(stack.parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://cf") as api:
        answer = await api.get("/reports/surveys", params=period,
                               headers={"Authorization": f"Bearer {tokens[f'head-{client}']}"})
        assert answer.status_code == 200, answer.text
        assert [(low["client_id"], low["score"]) for low in answer.json()["low_scores"]
                if low["client_id"] == client] == [(client, 2)]
        officer = await api.get("/reports/surveys", params=period,
                                headers={"Authorization": f"Bearer {tokens[f'rm-{client}']}"})
        assert officer.status_code == 403

