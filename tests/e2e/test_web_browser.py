"""The staff web app in a real browser: Playwright driving Debian's Chromium against the app
served by uvicorn on the test stack (time-skipping Temporal, PostgreSQL). Every step is taken
through the pages only. Each page listens for dialogs and console errors: none may happen.

Screenshots of the main pages (in Chinese) go to $CASEFLOW_SCREENSHOTS when it is set (the
README's come from `CASEFLOW_SCREENSHOTS=docs/screenshots ./dev.sh test -k browser`)."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
from temporalio.testing import WorkflowEnvironment

from caseflow.config import Settings
from caseflow.http.app import create_app
from tests.complaint_stack import ComplaintStack, complaint_stack
from tests.web_stack import PASSWORD, WebUsers, identified_client, web_users
from workflows.complaint_messages import workflow_id

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
"""As the machine's notes say: without the background-networking flags Chromium keeps trying
hosts this closed network refuses."""
WAIT_MS = 20_000
REFUSAL_LOGGED = "Failed to load resource: the server responded with a status of 4"
"""How Chromium logs a page answered 403 or 409 (the refusals this test provokes); any other
console error (a script error, a Content-Security-Policy violation) fails the test."""


@dataclass
class Site:
    stack: ComplaintStack
    users: WebUsers
    url: str
    browser: Browser
    problems: list[str]
    shots: Path | None

    async def signed_in(self, who: str) -> Page:
        context: BrowserContext = await self.browser.new_context(locale="zh-CN")
        page = await context.new_page()
        page.on("dialog", lambda d: self.problems.append(f"dialog: {d.message}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("console", lambda m: self.problems.append(f"console: {m.text}")
                if m.type == "error" and not m.text.startswith(REFUSAL_LOGGED) else None)
        await page.goto(f"{self.url}/web/")
        await self.shot(page, "signin")
        await page.fill("input[name=name]", self.users.names[who])
        await page.fill("input[name=password]", PASSWORD)
        await page.click("button[type=submit]")
        await expect(page.locator("#signout")).to_be_visible()
        return page

    async def shot(self, page: Page, name: str) -> None:
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)


@pytest.fixture
async def site(temporal_env: WorkflowEnvironment, pool: asyncpg.Pool) -> AsyncIterator[Site]:
    # Sessions last across the days these tests skip; the worklist looks every second.
    settings = Settings(web_refresh_seconds=1, web_idle_minutes=60 * 24 * 30)
    async with complaint_stack(temporal_env, pool, settings=settings) as stack:
        users = await web_users(stack)
        server = uvicorn.Server(uvicorn.Config(create_app(stack.parts), host="127.0.0.1",
                                               port=0, log_level="warning", lifespan="off"))
        serving = asyncio.create_task(server.serve())
        while not server.started:  # a poll for a state, not a timing
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        shots = os.environ.get("CASEFLOW_SCREENSHOTS")
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS)
            yield Site(stack, users, f"http://127.0.0.1:{port}", browser, [],
                       Path(shots) if shots else None)
            await browser.close()
        server.should_exit = True
        await serving


async def register(site: Site, page: Page, description: str, channel: str = "letter") -> str:
    case_id = f"B-{uuid.uuid4().hex[:8]}"
    await page.click("text=登记投诉")
    await page.fill("input[name=case_id]", case_id)
    await page.fill("input[name=client_id]", "K-browser-1")
    await page.select_option("select[name=client_tier]", "ordinary")
    await page.select_option("select[name=channel]", channel)
    await page.select_option("select[name=category]", "bank_cards")
    await page.select_option("select[name=cause]", "fees")
    await page.fill("textarea[name=client_request]", "退还多收的年费")
    await page.fill("textarea[name=description]", description)
    await page.fill("input[name=mobile]", "13800138000")
    await site.shot(page, "register")
    await page.click("form.step button[type=submit]")
    await expect(page.locator(".notice")).to_contain_text("投诉已登记")
    return case_id


async def step(page: Page, path: str, fields: dict[str, str], *, expect_text: str) -> None:
    """Open the step's form on the case page, fill it in, send it, and wait for the answer."""
    form = page.locator(f"#step-{path}")
    if await form.get_attribute("open") is None:  # (a refused form comes back open)
        await form.locator("summary").click()
    for name, value in fields.items():
        control = form.locator(f"[name={name}]")
        if await control.evaluate("e => e.tagName") == "SELECT":
            await control.select_option(value)
        else:
            await control.fill(value)
    await form.locator("button[type=submit]").click()
    await expect(page.locator("main")).to_contain_text(expect_text, timeout=WAIT_MS)


async def stored_kinds(site: Site, case_id: str) -> list[str]:
    return [e.type for e in await site.stack.store.read_stream(workflow_id(case_id))]


async def test_a_complaint_walked_to_closed_through_the_pages(site: Site) -> None:
    officer = await site.signed_in("officer")
    hostile = '<script>alert("x")</script><img src=x onerror="alert(1)"> 多收年费'
    case_id = await register(site, officer, hostile)
    # Shown as text: the tags appear as typed, and no dialog opens (checked at the end).
    await expect(officer.locator(".description")).to_have_text(hostile)
    await expect(officer.locator("main")).to_contain_text("银行卡 · 收费")
    await expect(officer.locator(".client-request")).to_have_text("退还多收的年费")
    assert await officer.locator(".description img").count() == 0

    await step(officer, "assign", {"handler": site.users.names["officer"]},
               expect_text="已记录：分派经办人")
    # A refused step: the bank is at fault but no corrective action is given.
    before = await stored_kinds(site, case_id)
    await step(officer, "record-findings", {"summary": "重复收取年费", "bank_at_fault": "true"},
               expect_text="未能办理")
    await expect(officer.locator("#step-record-findings textarea[name=summary]")
                 ).to_have_value("重复收取年费")  # what was typed is kept
    assert await stored_kinds(site, case_id) == before
    due = (site.stack.today + timedelta(days=20)).isoformat()
    await step(officer, "record-findings", {
        "summary": "重复收取年费", "bank_at_fault": "true", "corrective_action": "退还并修正规则",
        "corrective_action_owner": "运营部", "corrective_action_due": due,
        "responsible": "柜台3", "apology": "当面致歉", "remedy": "退还年费"},
        expect_text="已记录：记录调查结果")
    await expect(officer.locator(".corrective")).to_contain_text("退还并修正规则")
    await step(officer, "request-extension", {"reason": "需核对三个月流水"},
               expect_text="已记录：申请延期")
    assert await officer.locator("#step-decide-extension").count() == 0  # never their own
    await site.shot(officer, "case")

    supervisor = await site.signed_in("supervisor")
    await supervisor.goto(f"{site.url}/web/complaints/{case_id}")
    await step(supervisor, "decide-extension", {"approve": "true", "note": "同意"},
               expect_text="已记录：审批延期")
    await expect(supervisor.locator("main")).to_contain_text("经批准延长，受理后 7 个工作日内答复")
    await supervisor.click("text=本单位")
    await expect(supervisor.locator("#by-handler")).to_contain_text(site.users.names["officer"])
    await site.shot(supervisor, "unit")
    await supervisor.click("text=统计报表")
    await expect(supervisor.locator("h1")).to_have_text("投诉统计")
    await expect(supervisor.locator("tr.total")).to_be_visible()
    await site.shot(supervisor, "report")

    # A letter reply goes out through the outlet head; the officer is not offered it.
    await officer.reload()
    head = await site.signed_in("head")
    await head.goto(f"{site.url}/web/complaints/{case_id}")
    await step(head, "reply", {"method": "letter", "content": "已退还多收年费"},
               expect_text="已记录：答复客户")
    await officer.reload()
    await step(officer, "record-feedback", {"satisfied": "true", "opinion": "满意"},
               expect_text="已记录：记录客户反馈")
    await expect(officer.locator(".status")).to_have_text("已结案")
    kinds = await stored_kinds(site, case_id)
    assert kinds.count("extension_approved") == 1 and kinds[-1] == "case_closed"

    # Another outlet's officer sees none of it.
    stranger = await site.signed_in("stranger")
    await expect(stranger.locator("main")).not_to_contain_text(case_id)
    refused = await stranger.goto(f"{site.url}/web/complaints/{case_id}")
    assert refused is not None and refused.status == 403
    await expect(stranger.locator("main")).to_contain_text("您无权查看或办理此内容")
    assert hostile not in await stranger.content()

    # A form posted without its CSRF token is refused, and records nothing.
    posted = await officer.request.post(f"{site.url}/web/complaints/{case_id}/add-note",
                                        form={"text": "forged", "version": str(len(kinds))})
    assert posted.status == 403 and await stored_kinds(site, case_id) == kinds

    # The auditor replays the case at three moments.
    auditor = await site.signed_in("auditor")
    seen = {}
    for version in (3, kinds.index("findings_recorded") + 1, len(kinds)):
        await auditor.goto(f"{site.url}/web/audit/complaints/{case_id}?version={version}")
        seen[version] = await auditor.locator(".status").inner_text()
        await expect(auditor.locator("#as-of")).to_contain_text(f"回放至第 {version} 条记录")
    assert list(seen.values()) == ["已登记", "已调查", "已结案"]
    await expect(auditor.locator(".verified")).to_be_visible()
    await site.shot(auditor, "audit")
    assert site.problems == []


async def test_the_worklist_soonest_first_and_marked_when_breached(site: Site) -> None:
    officer = await site.signed_in("officer")
    first = await register(site, officer, "柜台排队过久", channel="letter")
    due = (await site.stack.view(first)).state.deadline
    assert due is not None
    # Half a day before the first is due, a second complaint comes in (due days later).
    await site.stack.env.sleep(due.due_at - timedelta(hours=12) - await site.stack.now())
    second = await register(site, officer, "手续费疑问", channel="letter")
    await officer.goto(f"{site.url}/web/")
    rows = officer.locator("tr.case")
    await expect(rows).to_have_count(2, timeout=WAIT_MS)
    assert [await r.get_attribute("data-case") for r in await rows.all()] == [first, second]
    await expect(officer.locator(".breach")).to_have_count(0)
    # The first case's deadline passes: the page, left open, shows its breach by itself.
    await site.stack.env.sleep(due.due_at - await site.stack.now() + timedelta(minutes=5))
    breached = officer.locator(f"tr.case[data-case='{first}']")
    await expect(breached.locator(".breach")).to_be_visible(timeout=WAIT_MS)
    await expect(officer.locator("tbody.group-overdue")).to_contain_text(first)
    await expect(officer.locator("tbody.group-overdue")).not_to_contain_text(second)
    await site.shot(officer, "worklist")
    # In English on request; the times stay in the bank's zone.
    await officer.click("text=English")
    await expect(officer.locator("h1")).to_have_text("My work")
    assert re.search(r"\d{2}:\d{2}", await officer.locator("tr.case").first.inner_text())
    assert site.problems == []


async def test_my_clients_by_next_contact_and_a_clients_steps(site: Site) -> None:
    officer_name = site.users.names["officer"]
    client_id = await identified_client(site.stack, site.users)
    page = await site.signed_in("officer")
    await page.goto(f"{site.url}/web/clients/{client_id}")
    await expect(page.locator(".stage")).to_have_text("关系维护", timeout=WAIT_MS)
    await step(page, "sale", {"product": "基金"}, expect_text="已记录：记录销售")
    await expect(page.locator(".manager")).to_have_text(officer_name)
    await step(page, "log-contact", {"channel": "phone", "summary": "约好下周回访"},
               expect_text="已记录：记录联系")
    assert await page.locator("#step-reassign-manager").count() == 0  # the outlet head's step
    await page.click("text=我的客户")
    await expect(page.locator(f"tr.client[data-client='{client_id}']")).to_be_visible()
    await site.shot(page, "clients")

    head = await site.signed_in("head")
    await head.goto(f"{site.url}/web/clients/{client_id}")
    await step(head, "reassign-manager", {"manager": site.users.names["officer2"],
                                          "reason": "原客户经理调岗"},
               expect_text="已记录：更换客户经理")
    await expect(head.locator(".manager")).to_have_text(site.users.names["officer2"])
    kinds = [e.type for e in await site.stack.store.read_stream(f"client-{client_id}")]
    assert kinds.count("manager_assigned") == 2 and "contact_logged" in kinds
    stranger = await site.signed_in("stranger")
    refused = await stranger.goto(f"{site.url}/web/clients/{client_id}")
    assert refused is not None and refused.status == 403
    # The auditor finds the client and replays it before and after the reassignment.
    auditor = await site.signed_in("auditor")
    await auditor.fill("input[name=client_id]", client_id)
    await auditor.locator("input[name=client_id] >> xpath=../..").locator("button").click()
    await expect(auditor.locator(".manager")).to_have_text(site.users.names["officer2"])
    before = kinds.index("manager_assigned", kinds.index("manager_assigned") + 1)
    await auditor.goto(f"{site.url}/web/audit/clients/{client_id}?version={before}")
    await expect(auditor.locator(".manager")).to_have_text(officer_name)
    await expect(auditor.locator(".verified")).to_be_visible()
    assert site.problems == []
