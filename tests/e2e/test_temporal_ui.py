"""The Temporal UI reads a complaint through caseflow's codec, in a real browser: a Temporal
dev server with its UI pointed at caseflow's /codec (as `./dev.sh up` starts it), the API over
real HTTP, Playwright driving Debian's Chromium. An auditor signs in to the web app, turns on the
UI's codec setting "include cross-origin credentials" (as a user does in the UI's settings), and
the UI shows the complaint's sealed input decoded, in Chinese. The screenshot goes to
$CASEFLOW_SCREENSHOTS when it is set (docs/screenshots/temporal-ui.png in the README)."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

import asyncpg
import uvicorn
from playwright.async_api import async_playwright, expect
from temporalio.testing import WorkflowEnvironment

from caseflow.config import Settings
from caseflow.http.app import create_app
from caseflow.runtime.binaries import temporal_cli
from caseflow.runtime.processes import free_port
from domain.access import Principal, Role
from tests.complaint_fixtures import register
from tests.complaint_stack import complaint_stack
from tests.e2e.test_web_browser import CHROMIUM, CHROMIUM_ARGS
from tests.payload_keys import CONVERTER
from tests.web_stack import PASSWORD, web_users
from workflows.complaint_messages import workflow_id
from workflows.search_attributes import SEARCH_ATTRIBUTES

DESCRIPTION = "信用卡年费被重复扣收两次，客户要求退还并致歉"


async def test_an_auditor_reads_a_decoded_complaint_in_the_temporal_ui(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    api_port, ui_port = free_port(), free_port()
    codec = f"http://127.0.0.1:{api_port}/codec"
    env = await WorkflowEnvironment.start_local(
        data_converter=CONVERTER, dev_server_existing_path=temporal_cli(),
        search_attributes=SEARCH_ATTRIBUTES, ui=True, ui_port=ui_port,
        dev_server_extra_args=["--ui-codec-endpoint", codec])
    settings = Settings(temporal_ui_port=ui_port, web_idle_minutes=60)
    try:
        async with complaint_stack(env, pool, settings=settings) as stack:
            users = await web_users(stack)
            officer = Principal(name=users.names["officer"], role=Role.CASE_OFFICER,
                                outlet=users.outlet)
            case_id = f"UI-{uuid.uuid4().hex[:8]}"
            now = await stack.now()
            await stack.register(register(actor=officer.name, at=now, received_at=now,
                                          case_id=case_id, outlet=users.outlet,
                                          description=DESCRIPTION), by=officer)
            server = uvicorn.Server(uvicorn.Config(create_app(stack.parts), host="127.0.0.1",
                                                   port=api_port, log_level="warning",
                                                   lifespan="off"))
            serving = asyncio.create_task(server.serve())
            while not server.started:  # a poll for a state, not a timing
                await asyncio.sleep(0.01)
            try:
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                               args=CHROMIUM_ARGS)
                    context = await browser.new_context(locale="zh-CN",
                                                        viewport={"width": 1400, "height": 1000})
                    await context.add_init_script(  # the UI's own codec settings, switched on
                        "localStorage.setItem('overrideRemoteCodecConfiguration', 'true');"
                        f"localStorage.setItem('endpoint', {json.dumps(json.dumps(codec))});"
                        "localStorage.setItem('includeCredentials', 'true');")
                    page = await context.new_page()
                    await page.goto(f"http://127.0.0.1:{api_port}/web/")
                    await page.fill("input[name=name]", users.names["auditor"])
                    await page.fill("input[name=password]", PASSWORD)
                    await page.click("button[type=submit]")
                    await expect(page.locator("#signout")).to_be_visible()
                    await page.goto(f"http://127.0.0.1:{ui_port}/namespaces/default/workflows/"
                                    f"{workflow_id(case_id)}")
                    await expect(page.get_by_text(DESCRIPTION).first).to_be_visible(
                        timeout=30_000)
                    shots = Path(os.environ.get("CASEFLOW_SCREENSHOTS") or tmp_path)
                    shots.mkdir(parents=True, exist_ok=True)
                    await page.screenshot(path=str(shots / "temporal-ui.png"), full_page=True)
                    await browser.close()
            finally:
                server.should_exit = True
                await serving
            reads = await pool.fetch("SELECT records FROM payload_reads WHERE reader = $1",
                                     users.names["auditor"])
            assert any(workflow_id(case_id) in r["records"] for r in reads)
    finally:
        await env.shutdown()
