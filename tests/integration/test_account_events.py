"""Issue 16: the core banking's account events into the clients' workflows, on the
time-skipping server with the real event store: each kind becomes what the documents ask (a
prompt contact, a contact at a maturity's lead time, a retention attempt on a closure, a
churn-risk change), and a file of 10,000 rows (duplicated, unknown clients, malformed) is
applied once each, the rest reported by line; the same file again changes nothing."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

import asyncpg

from caseflow.services.account_events import parse_lines
from domain.access import Principal, Role
from domain.client import commands as cc
from domain.client.model import Assessment, Stage
from tests.api_stack import api_stack
from tests.complaint_stack import SHANGHAI, ComplaintStack


async def identified(stack: ComplaintStack, deposits: int = 250, n: int = 1) -> list[str]:
    """Premium clients of outlet-9, each with its manager and an account."""
    officer = Principal(name="rm-1", role=Role.CASE_OFFICER, outlet="outlet-9")
    ids = []
    for _ in range(n):
        client_id = f"K-{uuid.uuid4().hex[:10]}"
        now = await stack.now()
        await stack.parts.clients.identify(cc.Identify(
            actor="rm-1", at=now, client_id=client_id, outlet="outlet-9", manager="rm-1",
            assessment=Assessment(deposits_10k=Decimal(deposits), loans_10k=Decimal(0),
                                  intermediary_products=1, family=0, occupation=0,
                                  social_standing=0)), by=officer)
        await stack.parts.clients.execute(client_id, cc.OpenAccount(
            actor="rm-1", at=now, account="ACC-1"), by=officer)
        ids.append(client_id)
    return ids


AUDITOR = Principal(name="auditor-1", role=Role.AUDITOR)


async def test_each_kind_of_account_event_asks_what_the_documents_say(
    stack: ComplaintStack,
) -> None:
    [client] = await identified(stack)
    now = await stack.now()
    matures = (now + timedelta(days=30)).astimezone(SHANGHAI).date()
    rows = [
        {"event_id": "E-1", "client_id": client, "event": "large_transaction",
         "amount": "250000.00"},
        {"event_id": "E-2", "client_id": client, "event": "maturity", "product": "三年期定期",
         "matures_on": matures.isoformat()},
        {"event_id": "E-3", "client_id": client, "event": "large_outflow", "amount": "300000"},
        {"event_id": "E-4", "client_id": client, "event": "large_transaction", "amount": "500"},
        {"event_id": "E-5", "client_id": client, "event": "account_closure",
         "account": "ACC-1"},
    ]
    before = (await stack.parts.clients.view(client, by=AUDITOR)).churn_risk
    report = await stack.parts.account_events.apply(enumerate(rows, start=1))
    assert (report.applied, report.already_applied) == (4, 0)
    assert [(p.line, p.rule) for p in report.problems] == [(4, "below_threshold")]
    view = await stack.parts.clients.view(client, by=AUDITOR)
    state = view.state
    assert state.account_events == {"E-1", "E-2", "E-3", "E-5"}
    assert view.churn_risk == before + 15  # the large outflow
    assert state.closing_account == "ACC-1" and state.retention_by == "rm-1"  # retention
    events = await stack.store.read_stream(f"client-{client}")
    recorded = {e.data["event_id"]: e for e in events if e.type == "account_event_recorded"}
    lead = datetime.combine(matures - timedelta(days=7), time(9, 0), tzinfo=SHANGHAI)
    assert datetime.fromisoformat(recorded["E-2"].data["maturity_contact_at"]) == lead
    assert recorded["E-2"].data["contact_due_at"] is None  # its own task (2026.3)
    assert datetime.fromisoformat(recorded["E-1"].data["contact_due_at"]) <= await stack.now()
    # The prompt contact is due now: the manager is told on the client's clock.
    await stack.env.sleep(timedelta(minutes=5))
    kinds = [e.type for e in await stack.store.read_stream(f"client-{client}")]
    assert "contact_due" in kinds[kinds.index("account_event_recorded"):]


async def test_ten_thousand_rows_apply_once_and_the_rest_are_reported_by_line(
    stack: ComplaintStack, pool: asyncpg.Pool
) -> None:
    clients = await identified(stack, n=100)
    lines: list[str] = []
    expected_problems: dict[int, str] = {}
    applied = 0
    for n in range(10_000):
        line = n + 1
        if n % 250 == 7:
            lines.append("{not json")
            expected_problems[line] = "malformed"
        elif n % 250 == 11:
            lines.append(json.dumps({"event_id": f"X-{n}", "client_id": clients[0],
                                     "event": "large_transaction", "amount": "-5"}))
            expected_problems[line] = "malformed"
        elif n % 250 == 13:
            lines.append(json.dumps({"event_id": f"U-{n}", "client_id": "K-nobody",
                                     "event": "large_transaction", "amount": "200000"}))
            expected_problems[line] = "unknown_client"
        elif n % 100 == 50:
            lines.append(lines[-1])  # a duplicated row: the same event id again
        else:
            lines.append(json.dumps({"event_id": f"E-{n}", "client_id": clients[n % 100],
                                     "event": "balance_change", "direction": "up"}))
            applied += 1
    text = "\n".join(lines)
    report = await stack.parts.account_events.apply(parse_lines(text, "jsonl"))
    assert report.lines == 10_000 and report.applied == applied
    assert report.already_applied == 10_000 - applied - len(expected_problems)
    assert {p.line: p.rule for p in report.problems} == expected_problems
    versions = {c: (await stack.parts.clients.view(c, by=AUDITOR)).state.version
                for c in clients}
    again = await stack.parts.account_events.apply(parse_lines(text, "jsonl"))
    assert again.applied == 0 and again.already_applied == report.applied + report.already_applied
    assert {c: (await stack.parts.clients.view(c, by=AUDITOR)).state.version
            for c in clients} == versions  # nothing changed
    stored = await pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id = ANY($1)"
        " AND type = 'account_event_recorded'",
        [f"client-{c}" for c in clients])
    assert stored == applied
    assert (await stack.parts.clients.view(clients[0], by=AUDITOR)).state.stage == Stage.MAINTAIN


async def test_the_managers_day_lists_what_is_due_with_its_targets(
    stack: ComplaintStack,
) -> None:
    """Issue 16's manager's day (API): the manager's clients due by the end of the day,
    soonest first, with what each contact is; today's contacts against the policy's targets;
    the supervisor's overview of the unit's managers; an officer reads only their own day."""
    import httpx

    from caseflow.http.app import create_app
    from caseflow.identity.users import add_user

    [prompted, quiet] = await identified(stack, n=2)
    now = await stack.now()
    matures = (now + timedelta(days=30)).astimezone(SHANGHAI).date()
    await stack.parts.account_events.apply(enumerate([
        {"event_id": f"D-{prompted}", "client_id": prompted, "event": "large_transaction",
         "amount": "150000"},
        {"event_id": f"M-{quiet}", "client_id": quiet, "event": "maturity",
         "matures_on": matures.isoformat()}], start=1))
    officer = Principal(name="rm-1", role=Role.CASE_OFFICER, outlet="outlet-9")
    await stack.parts.clients.execute(prompted, cc.LogContact(
        actor="rm-1", at=await stack.now(), channel="phone", summary="called about it"),
        by=officer)
    run = uuid.uuid4().hex[:6]
    tokens = {who: await add_user(stack.parts.pool, Principal(name=name, role=role,
                                                              outlet="outlet-9"),
                                  created_by="test")
              for who, name, role in [("rm", "rm-1", Role.CASE_OFFICER),
                                      ("other", f"rm-{run}", Role.CASE_OFFICER),
                                      ("sup", f"sup-{run}", Role.SUPERVISOR)]}
    transport = httpx.ASGITransport(app=create_app(stack.parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://caseflow") as http:
        def auth(who: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {tokens[who]}"}

        day = (await http.get("/agenda", headers=auth("rm"))).json()
        assert day["manager"] == "rm-1" and day["contacts_target"] == 8
        assert day["contacts_done"] >= 1  # the call just logged
        due_ids = [row["client_id"] for row in day["due"]]
        assert quiet not in due_ids  # its maturity contact is weeks away
        later = (matures - timedelta(days=7)).isoformat()
        then = (await http.get("/agenda", params={"day": later}, headers=auth("rm"))).json()
        assert quiet in [r["client_id"] for r in then["due"]]
        [item] = [i for i in then["items"] if i["client_id"] == quiet]
        assert (item["kind"], item["day"]) == ("maturity", matures.isoformat())
        refused = await http.get("/agenda", params={"manager": "rm-1"}, headers=auth("other"))
        assert refused.status_code == 403 and refused.json()["rule"] == "own_agenda"
        overview = (await http.get("/agenda/managers", headers=auth("sup"))).json()
        assert "rm-1" in {m["manager"] for m in overview}
        assert (await http.get("/agenda/managers", headers=auth("rm"))).status_code == 403


async def test_a_large_transaction_of_a_client_not_followed_refers_them_to_the_outlet(
    stack: ComplaintStack,
) -> None:
    newcomer = f"K-{uuid.uuid4().hex[:10]}"
    rows = [{"event_id": f"N-{newcomer}", "client_id": newcomer, "outlet": "outlet-9",
             "event": "large_transaction", "amount": "1200000"},
            {"event_id": f"O-{newcomer}", "client_id": f"{newcomer}-x",
             "event": "large_transaction", "amount": "1200000"}]  # no outlet: not referred
    report = await stack.parts.account_events.apply(enumerate(rows, start=1))
    assert (report.referred, report.applied) == (1, 1)
    assert [(p.line, p.rule) for p in report.problems] == [(2, "unknown_client")]
    state = (await stack.parts.clients.view(newcomer, by=AUDITOR)).state
    assert state.referral_status == "awaiting_follow_up" and state.outlet == "outlet-9"
    assert state.referred_by == "caseflow-core-banking" and state.tier == "ordinary_premium"
    assert state.account_events == {f"N-{newcomer}"}
    again = await stack.parts.account_events.apply(enumerate(rows, start=1))
    assert (again.referred, again.applied, again.already_applied) == (0, 0, 1)


async def test_the_api_takes_a_batch_from_an_admin_and_reports_rows_by_position(
    stack: ComplaintStack,
) -> None:
    [client] = await identified(stack)
    batch = [
        {"event_id": f"A-{client}", "client_id": client, "event": "large_outflow",
         "amount": "300000"},
        {"event_id": f"B-{client}", "client_id": "K-nobody", "event": "account_closure",
         "account": "ACC-9"},
        {"event_id": f"C-{client}", "client_id": client, "event": "balance_change",
         "direction": "sideways"},
        {"event_id": f"D-{client}", "client_id": client, "event": "balance_change",
         "direction": "down"},
    ]
    async with api_stack(stack) as api:
        before = (await stack.parts.clients.view(client, by=AUDITOR)).churn_risk
        refused = await api.http.post("/account-events", json=batch, headers=api.auth("officer"))
        assert refused.status_code == 403
        assert (await stack.parts.clients.view(client, by=AUDITOR)).state.account_events == set()
        answer = await api.http.post("/account-events", json=batch, headers=api.auth("admin"))
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert (report["lines"], report["applied"], report["already_applied"]) == (4, 2, 0)
        assert [(p["line"], p["rule"]) for p in report["problems"]] == [
            (2, "unknown_client"), (3, "malformed")]
        view = await stack.parts.clients.view(client, by=AUDITOR)
        # The outflow and the fall below a threshold each add to the churn risk.
        assert view.churn_risk == before + 30
        assert view.state.account_events == {f"A-{client}", f"D-{client}"}
        again = (await api.http.post("/account-events", json=batch,
                                     headers=api.auth("admin"))).json()
        assert (again["applied"], again["already_applied"]) == (0, 2)
        assert (await stack.parts.clients.view(client, by=AUDITOR)).churn_risk == before + 30
