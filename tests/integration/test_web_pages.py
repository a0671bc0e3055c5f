"""The staff web app over HTTP (the real app, services, store and time-skipping server): signing
in and its refusals, CSRF, security headers, text shown as text, and steps that record once or
not at all. The same flows in a real browser: tests/e2e/test_web_browser.py."""

from __future__ import annotations

import asyncio
import html
import re
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from caseflow.http.app import create_app
from caseflow.identity import passwords
from caseflow.identity.passwords import PasswordSignIn, SignInRefused
from caseflow.identity.users import add_user, list_users
from domain.access import Principal, Role
from tests.complaint_stack import ComplaintStack
from tests.sheets import XLSX, csv_rows, workbook_rows
from tests.waiting import until
from tests.web_stack import (
    PASSWORD,
    WebUsers,
    form_token,
    identified_client,
    sign_in,
    web_users,
)
from workflows.complaint_messages import workflow_id


@pytest.fixture
async def web(stack: ComplaintStack) -> AsyncIterator[tuple[ComplaintStack, WebUsers]]:
    yield stack, await web_users(stack)


def browser(stack: ComplaintStack) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(stack.parts)),
                             base_url="http://caseflow")


async def register(http: httpx.AsyncClient, stack: ComplaintStack, outlet: str,
                   description: str = "多收了年费") -> str:
    case_id = f"W-{uuid.uuid4().hex[:8]}"
    page = await http.get("/web/complaints/new")
    answer = await http.post("/web/complaints/new", data={
        "csrf": form_token(page.text), "request_id": form_token(page.text, "request_id"),
        "case_id": case_id, "client_id": "K-web-1", "client_tier": "ordinary",
        "channel": "letter", "category": "bank_cards", "cause": "fees", "description": description,
        "outlet": outlet, "mobile": "13800138000"})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/web/complaints/{case_id}?done=register"
    async def stored() -> bool:  # the workflow stores its registration
        return await stack.store.stream_version(workflow_id(case_id)) > 0
    await until(stored)
    return case_id


def error_of(html: str) -> str:
    start = html.index('class="error"')
    return html[start:html.index("</p>", start)]


def step_form(html: str, path: str) -> dict[str, str]:
    """The hidden fields of one step's form on a case page."""
    start = html.index(f'id="step-{path}"')
    part = html[start:html.index("</form>", start)]
    return {"csrf": form_token(part), "version": form_token(part, "version"),
            "request_id": form_token(part, "request_id")}


async def test_sign_in_refusals_slow_down_then_lock(
    web: tuple[ComplaintStack, WebUsers]
) -> None:
    stack, users = web
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    sign_in_port = PasswordSignIn(stack.parts.pool, pause=pause)
    now = await stack.now()
    name = users.names["officer"]
    # Wrong guesses sent all at once each count (one statement per count): the fifth locks.
    answers = await asyncio.gather(*(sign_in_port.sign_in(name, f"not-the-password-{n}", now)
                                     for n in range(passwords.LOCK_AFTER)),
                                   return_exceptions=True)
    reasons = sorted(str(a) for a in answers if isinstance(a, SignInRefused))
    assert reasons == ["locked"] + ["wrong"] * (passwords.LOCK_AFTER - 1)
    assert pauses == [passwords.FAILURE_DELAY] * passwords.LOCK_AFTER  # each one waited
    with pytest.raises(SignInRefused, match="locked"):  # even with the right password
        await sign_in_port.sign_in(name, PASSWORD, now)
    later = now + passwords.LOCK_FOR + timedelta(seconds=1)
    assert (await sign_in_port.sign_in(name, PASSWORD, later)).name == name
    with pytest.raises(SignInRefused, match="wrong"):  # unknown users are told the same
        await sign_in_port.sign_in("nobody-at-all", PASSWORD, later)

    async with browser(stack) as http:
        wrong = await sign_in(http, name, "not-the-password-1")
        assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
        for _ in range(passwords.LOCK_AFTER):  # lock the user, then compare the answers
            await sign_in(http, name, "not-the-password-2")
        locked = await sign_in(http, name, PASSWORD)
        unknown = await sign_in(http, "nobody-at-all", PASSWORD)
        assert locked.status_code == unknown.status_code == 401
        assert error_of(locked.text) == error_of(unknown.text)  # no name is told apart
        assert "cf_session" not in http.cookies
        assert (await http.get("/web/")).headers["location"] == "/web/signin"


async def test_pages_need_a_session_and_forms_their_token(
    web: tuple[ComplaintStack, WebUsers]
) -> None:
    stack, users = web
    async with browser(stack) as http:
        page = await http.get("/web/signin")
        forged = await http.post("/web/signin", data={"name": users.names["officer"],
                                                      "password": PASSWORD})
        assert forged.status_code == 403 and "安全令牌" in forged.text
        assert (await sign_in(http, users.names["officer"])).status_code == 303
        case_id = await register(http, stack, users.outlet)
        before = await stack.store.read_stream(workflow_id(case_id))
        no_token = await http.post(f"/web/complaints/{case_id}/add-note",
                                   data={"text": "forged", "version": "3"})
        assert no_token.status_code == 403
        assert await stack.store.read_stream(workflow_id(case_id)) == before
        # Headers of every page: no inline script, no framing, nothing cached.
        pages = [page, await http.get("/web/"), await http.get(f"/web/complaints/{case_id}")]
        for answer in pages:
            policy = answer.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy
            assert "frame-ancestors 'none'" in policy
            assert answer.headers["x-frame-options"] == "DENY"
            assert answer.headers["cache-control"] == "no-store"
            assert "<script>" not in answer.text and "onclick" not in answer.text
        session_cookie = next(c for c in http.cookies.jar if c.name == "cf_session")
        assert session_cookie.has_nonstandard_attr("HttpOnly")
        unknown = await http.get("/web/no-such-page")
        assert unknown.status_code == 404 and "找不到该内容" in unknown.text
        assert (await http.get("/web/", params={"page": "x"})).status_code == 404
        # Idle for longer than the bank allows: the session has ended, even though an open
        # worklist kept looking for changes meanwhile (that is not the user being active).
        idle = timedelta(minutes=stack.parts.settings.web_idle_minutes)
        await stack.env.sleep(idle - timedelta(minutes=1))
        assert (await http.get("/web/worklist/stamp")).status_code == 200
        await stack.env.sleep(timedelta(minutes=2))
        expired = await http.get("/web/")
        assert expired.status_code == 303 and expired.headers["location"].endswith("expired=1")
        again = await http.get(expired.headers["location"])
        assert "长时间未操作" in again.text


async def test_text_is_text_and_a_step_records_once_or_not_at_all(
    web: tuple[ComplaintStack, WebUsers]
) -> None:
    stack, users = web
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> & 年费'
    async with browser(stack) as http, browser(stack) as stranger:
        await sign_in(http, users.names["officer"])
        case_id = await register(http, stack, users.outlet, hostile)
        page = (await http.get(f"/web/complaints/{case_id}")).text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert "<img src=x" not in page
        form = step_form(page, "assign")
        assign = {**form, "handler": users.names["officer"]}
        first = await http.post(f"/web/complaints/{case_id}/assign", data=assign)
        again = await http.post(f"/web/complaints/{case_id}/assign", data=assign)  # twice
        assert first.status_code == again.status_code == 303
        kinds = [e.type for e in await stack.store.read_stream(workflow_id(case_id))]
        assert kinds.count("handler_assigned") == 1
        # A form from before that step (the case moved on): refused, what was typed kept.
        stale = await http.post(f"/web/complaints/{case_id}/add-note", data={
            **step_form(page, "add-note"), "text": "我的备注 kept"})
        assert stale.status_code == 409 and "已有变化" in stale.text
        assert "我的备注 kept" in stale.text
        # A step the page does not offer now (a reply before any findings), posted anyway: the
        # rule in words, nothing recorded.
        fresh = (await http.get(f"/web/complaints/{case_id}")).text
        assert 'id="step-reply"' not in fresh and 'id="step-record-findings"' in fresh
        refused = await http.post(f"/web/complaints/{case_id}/reply", data={
            **step_form(fresh, "add-note"), "request_id": "reply-anyway",
            "method": "in_person", "content": "答复"})
        assert refused.status_code == 409 and "未能办理" in refused.text
        assert [e.type for e in await stack.store.read_stream(workflow_id(case_id))] == kinds
        # Another outlet's officer sees none of it and can do nothing to it.
        await sign_in(stranger, users.names["stranger"])
        assert case_id not in (await stranger.get("/web/")).text
        hidden = await stranger.get(f"/web/complaints/{case_id}")
        assert hidden.status_code == 403 and users.outlet not in hidden.text
        token = form_token((await stranger.get("/web/")).text)
        posted = await stranger.post(f"/web/complaints/{case_id}/add-note", data={
            "csrf": token, "version": "3", "request_id": "x", "text": "intrusion"})
        assert posted.status_code == 403
        assert [e.type for e in await stack.store.read_stream(workflow_id(case_id))] == kinds


async def test_password_change_and_language(web: tuple[ComplaintStack, WebUsers]) -> None:
    stack, users = web
    name = users.names["supervisor"]
    async with browser(stack) as http:
        await sign_in(http, name)
        page = await http.get("/web/password")
        token = form_token(page.text)
        short = await http.post("/web/password", data={"csrf": token, "current": PASSWORD,
                                                       "new": "abc1", "again": "abc1"})
        assert short.status_code == 422 and "至少 10 位" in short.text
        changed = await http.post("/web/password", data={
            "csrf": token, "current": PASSWORD, "new": "Harbour-lights-77",
            "again": "Harbour-lights-77"})
        assert changed.status_code == 303
        page = await http.get("/web/password")  # a new session (the change ended the old one)
        assert page.status_code == 200 and "密码已修改" in (
            await http.get("/web/password", params={"changed": "1"})).text
        token = form_token(page.text)
        english = await http.post("/web/language", data={"csrf": token, "language": "en",
                                                         "back": "/web/"})
        assert english.status_code == 303 and http.cookies.get("cf_lang") == "en"
        assert "My work" in (await http.get("/web/")).text
        await http.post("/web/signout", data={"csrf": token})
        assert "Sign in" in (await http.get("/web/signin")).text  # before signing in too
    async with browser(stack) as http:
        assert (await sign_in(http, name)).status_code == 401
        assert (await sign_in(http, name, "Harbour-lights-77")).status_code == 303


async def test_the_unit_dashboard_hands_over_an_absent_officers_cases(
    web: tuple[ComplaintStack, WebUsers]
) -> None:
    stack, users = web
    officer, officer2 = users.names["officer"], users.names["officer2"]
    async with browser(stack) as http, browser(stack) as lead:
        await sign_in(http, officer)
        cases = [await register(http, stack, users.outlet) for _ in range(2)]
        for case_id in cases:
            page = (await http.get(f"/web/complaints/{case_id}")).text
            await http.post(f"/web/complaints/{case_id}/assign",
                            data={**step_form(page, "assign"), "handler": officer})
        page = (await http.get(f"/web/complaints/{cases[0]}")).text
        await http.post(f"/web/complaints/{cases[0]}/record-findings", data={
            **step_form(page, "record-findings"), "summary": "核实", "bank_at_fault": "false"})
        page = (await http.get(f"/web/complaints/{cases[0]}")).text
        await http.post(f"/web/complaints/{cases[0]}/request-extension", data={
            **step_form(page, "request-extension"), "reason": "需调取录像"})
        assert (await http.get("/web/unit")).status_code == 403  # officers have no dashboard

        await sign_in(lead, users.names["supervisor"])
        board = await lead.get("/web/unit")
        assert board.status_code == 200
        extensions = board.text[board.text.index('id="extensions"'):board.text.index(
            'id="warnings"')]
        assert cases[0] in extensions and cases[1] not in extensions
        early = board.text[board.text.index('id="warnings"'):board.text.index('id="due-today"')]
        assert not any(case_id in early for case_id in cases)  # registered today: no warning
        form = {"csrf": form_token(board.text), "request_id": form_token(board.text,
                                                                         "request_id"),
                "from": officer, "to": officer2}
        moved = await lead.post("/web/unit/reassign", data=form)
        assert moved.headers["location"] == "/web/unit?moved=2&refused=0"
        again = await lead.post("/web/unit/reassign", data=form)  # the same form, again
        assert again.headers["location"] == "/web/unit?moved=0&refused=0"
        for case_id in cases:
            events = await stack.store.read_stream(workflow_id(case_id))
            handed = [e for e in events if e.type == "handler_assigned"]
            assert [e.data["handler"] for e in handed] == [officer, officer2]
            assert handed[-1].actor == users.names["supervisor"]
        # On the day the cases warn (both on the same deadline), they are the day's warnings.
        deadline = (await stack.view(cases[1])).state.deadline
        assert deadline is not None
        await stack.env.sleep(deadline.warning_at - await stack.now() + timedelta(minutes=1))
        await sign_in(lead, users.names["supervisor"])  # (the long pause ended the session)
        board = await lead.get("/web/unit")
        warnings = board.text[board.text.index('id="warnings"'):board.text.index(
            'id="due-today"')]
        assert all(case_id in warnings for case_id in cases)


async def test_admins_add_users_and_set_passwords_and_nobody_else_does(
    web: tuple[ComplaintStack, WebUsers]
) -> None:
    stack, users = web
    admin = f"admin-{uuid.uuid4().hex[:6]}"
    await add_user(stack.parts.pool, Principal(name=admin, role=Role.ADMIN), created_by="test")
    await passwords.set_password(stack.parts.pool, admin, PASSWORD, set_by="test")
    newcomer = f"new-{uuid.uuid4().hex[:6]}"
    async with browser(stack) as http, browser(stack) as officer:
        await sign_in(http, admin)
        page = await http.get("/web/admin/users")
        token = form_token(page.text)
        weak = await http.post("/web/admin/users", data={
            "csrf": token, "name": newcomer, "role": "case_officer", "outlet": users.outlet,
            "password": "short1"})
        assert weak.status_code == 422 and "至少 10 位" in weak.text
        assert newcomer not in {u.name for u in await list_users(stack.parts.pool)}
        added = await http.post("/web/admin/users", data={
            "csrf": token, "name": newcomer, "role": "case_officer", "outlet": users.outlet,
            "password": "First-password-9"})
        assert added.status_code == 303
        assert (await sign_in(officer, newcomer, "First-password-9")).status_code == 303
        assert (await officer.get("/web/admin/users")).status_code == 403
        reset = await http.post(f"/web/admin/users/{newcomer}/password",
                                data={"csrf": token, "password": "Second-password-9"})
        assert reset.status_code == 303
        shut_out = await officer.get("/web/")  # a reset ends the user's sessions
        assert shut_out.status_code == 303 and "signin" in shut_out.headers["location"]
    async with browser(stack) as http:
        assert (await sign_in(http, newcomer, "First-password-9")).status_code == 401
        assert (await sign_in(http, newcomer, "Second-password-9")).status_code == 303


async def test_the_outlet_heads_work_retention_and_clients_handed_over(
    web: tuple[ComplaintStack, WebUsers]
) -> None:
    stack, users = web
    officer, officer2 = users.names["officer"], users.names["officer2"]
    by = Principal(name=officer, role=Role.CASE_OFFICER, outlet=users.outlet)
    clients = [await identified_client(stack, users) for _ in range(2)]

    async def stored(client_id: str) -> bool:
        return await stack.store.stream_version(f"client-{client_id}") > 0

    async def take(http: httpx.AsyncClient, client_id: str, path: str, **fields: str
                   ) -> httpx.Response:
        await until(lambda: stored(client_id))
        page = (await http.get(f"/web/clients/{client_id}")).text
        return await http.post(f"/web/clients/{client_id}/{path}",
                               data={**step_form(page, path), **fields})

    async with browser(stack) as http, browser(stack) as head:
        await sign_in(http, officer)
        first = clients[0]
        for path, fields in (("sale", {"product": "基金"}), ("open-account", {"account": "A1"}),
                             ("request-closure", {"account": "A1"}),
                             ("retention", {"retained": "false", "note": "客户坚持销户"})):
            answer = await take(http, first, path, **fields)
            assert answer.status_code == 303, answer.text
        reassess = await take(http, first, "reassess", **{
            "assessment.deposits_10k": "800", "assessment.loans_10k": "0",
            "assessment.intermediary_products": "3", "assessment.family": "3",
            "assessment.occupation": "4", "assessment.social_standing": "3",
            "assessment.main_bank_elsewhere": "false"})
        assert reassess.status_code == 303, reassess.text

        await sign_in(head, users.names["head"])
        board = (await head.get("/web/unit")).text
        part = board[board.index('id="retention"'):board.index('id="unmanaged"')]
        assert first in part and clients[1] not in part
        part = board[board.index('id="unmanaged"'):board.index('id="extensions"')]
        assert clients[1] in part and first not in part
        handed = await head.post("/web/unit/hand-over-clients", data={
            "csrf": form_token(board), "request_id": "hand-over-1", "from": officer,
            "to": officer2, "reason": "调岗"})
        assert handed.headers["location"] == "/web/unit?moved=1&refused=0"
        view = await stack.parts.clients.view(first, by=by)
        assert view.state.manager == officer2
        kinds = [e.type for e in await stack.store.read_stream(f"client-{first}")]
        assert "tier_reassessed" in kinds and kinds.count("retention_attempted") == 1


async def test_the_report_page_for_the_units_leads(web: tuple[ComplaintStack, WebUsers]) -> None:
    stack, users = web
    async with browser(stack) as http, browser(stack) as lead:
        await sign_in(http, users.names["officer"])
        cases = [await register(http, stack, users.outlet) for _ in range(2)]
        assert (await http.get("/web/reports")).status_code == 403  # officers: no reports
        await sign_in(lead, users.names["supervisor"])
        page = await lead.get("/web/reports", params={"outlet": users.outlet})
        assert page.status_code == 200 and "投诉统计" in page.text
        total = page.text[page.text.index('class="total"'):page.text.index("</tr>",
                                                                          page.text.index(
                                                                              'class="total"'))]
        assert '<td class="num">2</td>' in total  # received (and open): the two cases
        assert 'data-dimension="category" data-value="bank_cards"' in page.text
        sheet = await lead.get("/web/reports.csv", params={"outlet": users.outlet})
        assert sheet.headers["content-type"].startswith("text/csv")
        assert sheet.text.splitlines()[1].startswith("total,,2,")
        link = re.search(r'<a href="(/web/reports\.xlsx\?[^"]*)">下载 Excel</a>', page.text)
        assert link is not None, "the page links its Excel download"
        book = await lead.get(html.unescape(link[1]))  # the link as the page gives it
        assert book.status_code == 200 and book.headers["content-type"] == XLSX
        assert book.headers["content-disposition"].endswith('.xlsx"')
        assert workbook_rows(book.content) == csv_rows(sheet.text)
        assert (await http.get("/web/reports.xlsx")).status_code == 403
        assert len(cases) == 2


async def test_escalations_corrective_actions_and_the_follow_up_on_the_pages(
    web: tuple[ComplaintStack, WebUsers]
) -> None:
    """Issue 15 in the browser's forms: a fault with its corrective action; an escalation the
    branch's service management finds in its worklist, accepts and answers; the unit's list of
    open corrective actions; after the close, the follow-up falls due and is recorded."""
    stack, users = web
    officer, head = users.names["officer"], users.names["head"]
    async with browser(stack) as http, browser(stack) as csm, browser(stack) as lead:
        await sign_in(http, officer)
        case_id = await register(http, stack, users.outlet)
        page = (await http.get(f"/web/complaints/{case_id}")).text
        assert "监管处理期限" in page and "15 个自然日" in page
        await http.post(f"/web/complaints/{case_id}/assign",
                        data={**step_form(page, "assign"), "handler": officer})
        page = (await http.get(f"/web/complaints/{case_id}")).text
        fault = {"summary": "重复收取年费", "bank_at_fault": "true",
                 "corrective_action": "修正收费规则", "corrective_action_owner": head,
                 "responsible": "柜台3", "apology": "当面致歉", "remedy": "退还年费"}
        refused = await http.post(f"/web/complaints/{case_id}/record-findings", data={
            **step_form(page, "record-findings"), **fault})
        assert refused.status_code == 409 and "整改完成期限" in error_of(refused.text)
        assert (await stack.view(case_id)).state.findings is None  # nothing recorded
        due = (stack.today + timedelta(days=20)).isoformat()
        page = (await http.get(f"/web/complaints/{case_id}")).text
        assert 'type="date" name="corrective_action_due"' in page
        done = await http.post(f"/web/complaints/{case_id}/record-findings", data={
            **step_form(page, "record-findings"), **fault, "corrective_action_due": due})
        assert done.status_code == 303, done.text
        page = (await http.get(f"/web/complaints/{case_id}")).text
        assert "修正收费规则" in page and "柜台3" in page and "退还年费" in page
        # Escalated with the media fields left empty (not a media case): accepted.
        await http.post(f"/web/complaints/{case_id}/escalate", data={
            **step_form(page, "escalate"), "reason": "beyond_authority", "to": "branch-sh-csm",
            "details": "退费超出网点权限"})
        assert (await stack.view(case_id)).state.held_by == "branch-sh-csm"

        await sign_in(csm, users.names["csm"])
        assert case_id in (await csm.get("/web/")).text
        page = (await csm.get(f"/web/complaints/{case_id}")).text
        assert "当前承办单位" in page and "待受理" in page and 'id="step-accept-escalation"' in page
        await csm.post(f"/web/complaints/{case_id}/accept-escalation",
                       data=step_form(page, "accept-escalation"))
        page = (await csm.get(f"/web/complaints/{case_id}")).text
        answered = await csm.post(f"/web/complaints/{case_id}/answer-escalation", data={
            **step_form(page, "answer-escalation"), "answer": "同意退费，三日内办理"})
        assert answered.status_code == 303, answered.text
        page = (await http.get(f"/web/complaints/{case_id}")).text
        assert "同意退费，三日内办理" in page and 'id="step-accept-escalation"' not in page

        await sign_in(lead, users.names["supervisor"])
        board = (await lead.get("/web/unit")).text
        corrective = board[board.index('id="corrective"'):]
        assert case_id in corrective and head in corrective

        page = (await http.get(f"/web/complaints/{case_id}")).text
        await http.post(f"/web/complaints/{case_id}/reply", data={
            **step_form(page, "reply"), "method": "in_person", "content": "已退还年费"})
        page = (await http.get(f"/web/complaints/{case_id}")).text
        assert 'id="step-record-follow-up"' not in page  # not due: not offered
        await http.post(f"/web/complaints/{case_id}/record-feedback", data={
            **step_form(page, "record-feedback"), "satisfied": "true", "opinion": "满意"})
        await stack.env.sleep(timedelta(days=8))  # past the follow-up's working day
        await sign_in(http, officer)  # (the long pause ended the session)
        page = (await http.get(f"/web/complaints/{case_id}")).text
        assert "回访已到期" in page and 'id="step-record-follow-up"' in page
        recorded = await http.post(f"/web/complaints/{case_id}/record-follow-up", data={
            **step_form(page, "record-follow-up"), "outcome": "satisfied",
            "opinion": "对处理结果满意"})
        assert recorded.status_code == 303, recorded.text
        state = (await stack.view(case_id)).state
        assert state.follow_up_outcome == "satisfied" and state.open_corrective_actions
        page = (await http.get(f"/web/complaints/{case_id}")).text
        assert "回访结果" in page and 'id="step-complete-corrective-action"' in page


async def test_the_managers_day_page(web: tuple[ComplaintStack, WebUsers]) -> None:
    """Issue 16's manager's day in the web app: the officer's own day with the targets; the
    supervisor's overview of the unit's managers; an officer may not read another's day."""
    stack, users = web
    officer = users.names["officer"]
    client_id = await identified_client(stack, users)
    from domain.client.commands import RecordSale
    await stack.parts.clients.execute(client_id, RecordSale(
        actor=officer, at=await stack.now(), product="基金"),  # the officer manages the client
        by=Principal(name=officer, role=Role.CASE_OFFICER, outlet=users.outlet))
    await stack.parts.account_events.apply([(1, {  # a large transaction: a contact due now
        "event_id": f"W-{client_id}", "client_id": client_id, "event": "large_transaction",
        "amount": "300000"})])
    async with browser(stack) as http, browser(stack) as lead:
        await sign_in(http, officer)
        page = await http.get("/web/agenda")
        assert page.status_code == 200 and "的今日日程" in page.text
        due = page.text[page.text.index('id="due"'):]
        assert client_id in due
        assert f'data-client="{client_id}" data-kind="planned"' in due  # each task on its own
        assert "约定或账户动态提示的联系" in due
        assert 'id="targets"' in page.text and "/8" in page.text  # the daily contacts target
        assert 'id="surveys"' not in page.text  # the survey summary is the outlet head's
        other = await http.get("/web/agenda", params={"manager": users.names["officer2"]})
        assert other.status_code == 403
        await sign_in(lead, users.names["supervisor"])
        board = await lead.get("/web/agenda", params={"manager": officer})
        assert board.status_code == 200 and client_id in board.text
        managers = board.text[board.text.index('id="managers"'):]
        assert f'data-manager="{officer}"' in managers
    async with browser(stack) as head:
        await sign_in(head, users.names["head"])
        own = (await head.get("/web/agenda")).text
        assert 'id="surveys"' in own and "近30天客户满意度回访" in own
