"""The API served over real HTTP (uvicorn) on its own thread and event loop, with its own
Temporal dev server (real time), worker and database pool: what a schema-driven fuzzer needs,
since its requests are synchronous and would block the tests' event loop."""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import dataclass, field

import uvicorn
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from caseflow.bootstrap import Parts, bootstrap
from caseflow.config import Settings
from caseflow.http.app import create_app
from caseflow.identity.users import add_user
from caseflow.runtime.binaries import temporal_cli
from caseflow.store import connect_pool
from domain.access import Principal, Role
from tests.complaint_stack import SHANGHAI, calendar_around
from tests.payload_keys import CONVERTER
from workflows.search_attributes import SEARCH_ATTRIBUTES


@dataclass
class ApiServer:
    database_url: str
    url: str = ""
    outlet: str = field(default_factory=lambda: f"fuzz-{uuid.uuid4().hex[:8]}")
    tokens: dict[Role, str] = field(default_factory=dict)
    case_id: str = "C-FUZZ"
    client_id: str = "K-FUZZ"
    error: BaseException | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _stop: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="api-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout=120) or self.error is not None:
            raise RuntimeError("the API server did not start") from self.error

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout=60)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to the test thread
            self.error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        env = await WorkflowEnvironment.start_local(
            data_converter=CONVERTER, dev_server_existing_path=temporal_cli(),
            search_attributes=SEARCH_ATTRIBUTES, ui=False)
        pool = await connect_pool(self.database_url)
        try:
            task_queue = f"fuzz-{uuid.uuid4()}"
            today = (await env.get_current_time()).astimezone(SHANGHAI).date()
            parts = bootstrap(Settings(), env.client, pool, calendar=calendar_around(today),
                              task_queue=task_queue)
            for role in set(Role) - {Role.SYSTEM}:  # caseflow itself is no user
                name = f"{role.value}-{self.outlet}"
                self.tokens[role] = await add_user(pool, Principal(
                    name=name, role=role, outlet=self.outlet if role.is_staff else None),
                    created_by="fuzz")
            async with parts.worker():
                await self._seed(parts)
                server = uvicorn.Server(uvicorn.Config(
                    create_app(parts), host="127.0.0.1", port=0, log_level="warning"))
                serving = asyncio.create_task(server.serve())
                while not server.started:
                    await asyncio.sleep(0.01)
                port = server.servers[0].sockets[0].getsockname()[1]
                self.url = f"http://127.0.0.1:{port}"
                self._ready.set()
                await self._stop.wait()
                server.should_exit = True
                await serving
                await _terminate_running(env, task_queue)
        finally:
            await pool.close()
            await env.shutdown()

    async def _seed(self, parts: Parts) -> None:
        """A case and a client that fuzzed steps can reach (random ids mostly find nothing)."""
        from datetime import UTC, datetime

        from domain.client.commands import Identify
        from domain.client.model import Assessment
        from domain.complaint.commands import RegisterComplaint

        officer = Principal(name=f"case_officer-{self.outlet}", role=Role.CASE_OFFICER,
                            outlet=self.outlet)
        now = datetime.now(UTC)
        self.case_id, self.client_id = f"C-{self.outlet}", f"K-{self.outlet}"
        await parts.complaints.register(RegisterComplaint(
            actor=officer.name, at=now, case_id=self.case_id, client_id=self.client_id,
            client_tier="core_premium", channel="letter", category="bank_cards", cause="fees",
            description="fuzz", outlet=self.outlet, received_at=now), by=officer)
        await parts.clients.identify(Identify(
            actor=officer.name, at=now, client_id=self.client_id, outlet=self.outlet,
            assessment=Assessment(deposits_10k=500, loans_10k=0, intermediary_products=2,
                                  family=3, occupation=3, social_standing=3)), by=officer)



async def _terminate_running(env: WorkflowEnvironment, task_queue: str) -> None:
    del task_queue  # the dev server is this server's own: end everything on it
    async for execution in env.client.list_workflows():
        if execution.status == WorkflowExecutionStatus.RUNNING:
            await env.client.get_workflow_handle(execution.id).terminate(reason="fuzz over")

