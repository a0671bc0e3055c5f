"""/healthz and /readyz against real servers: a Temporal dev server of the test session and a
PostgreSQL of the test's own, which the test stops and starts again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.http.app import create_app
from caseflow.runtime.processes import (
    CaseflowProcess,
    StoppablePostgres,
    TemporalDevServer,
    free_port,
)
from caseflow.store import connect_pool
from domain.access import Principal, Role
from tests.complaint_fixtures import register
from tests.payload_keys import CONVERTER, PAYLOAD_KEYS
from tests.waiting import until


async def test_ready_with_the_database_temporal_and_a_worker_and_not_without(
    dev_server: TemporalDevServer, tmp_path: Path
) -> None:
    postgres = StoppablePostgres(tmp_path / "pg")
    pool = await connect_pool(postgres.start())
    try:
        client = await dev_server.connect(CONVERTER)
        parts = bootstrap(Settings(), client, pool, task_queue=f"ready-{uuid.uuid4()}")
        transport = httpx.ASGITransport(app=create_app(parts))
        async with httpx.AsyncClient(transport=transport, base_url="http://cf") as api:
            async def ready() -> dict[str, Any]:
                answer = await api.get("/readyz")
                body: dict[str, Any] = answer.json()
                assert answer.status_code == (200 if body["ready"] else 503)
                return body

            assert (await api.get("/healthz")).json() == {"status": "alive"}
            alone = await ready()  # nobody polls the task queue yet
            assert not alone["ready"] and not alone["checks"]["worker"]["ok"]
            assert alone["checks"]["database"]["ok"] and alone["checks"]["temporal"]["ok"]

            async def is_ready() -> bool:
                return bool((await ready())["ready"])

            async with parts.worker():
                await until(is_ready, timeout=60)
                postgres.stop()
                down = await ready()
                assert not down["checks"]["database"]["ok"]
                assert down["checks"]["temporal"]["ok"] and down["checks"]["worker"]["ok"]
                assert (await api.get("/healthz")).status_code == 200  # alive all the same
                postgres.restart()
                await until(is_ready, timeout=60)

                await pool.execute("DELETE FROM schema_migrations WHERE name = $1",
                                   "0016_payload_reads.sql")
                behind = await ready()
                assert "0016_payload_reads.sql" in behind["checks"]["database"]["detail"]
                await pool.execute("INSERT INTO schema_migrations (name) VALUES ($1)",
                                   "0016_payload_reads.sql")
                assert (await ready())["ready"]
    finally:
        await pool.close()
        postgres.stop()


async def test_a_worker_serves_caseflows_figures_and_the_sdks(
    dev_server: TemporalDevServer, database_url: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    """`python worker.py` with CASEFLOW_METRICS_PORT and CASEFLOW_TEMPORAL_METRICS_PORT: after a
    registration, its appends on the one, Temporal's workflow task latency on the other."""
    queue = f"metrics-{uuid.uuid4()}"
    ours, sdks = free_port(), free_port()
    worker = CaseflowProcess(["-m", "tests.fault_worker"], {
        "TEMPORAL_ADDRESS": dev_server.address, "DATABASE_URL": database_url,
        "CASEFLOW_TASK_QUEUE": queue, "CASEFLOW_PAYLOAD_KEYS": PAYLOAD_KEYS,
        "CASEFLOW_METRICS_PORT": str(ours), "CASEFLOW_TEMPORAL_METRICS_PORT": str(sdks),
        "CASEFLOW_LOG_FORMAT": "console"}, tmp_path / "worker.log").start()
    try:
        client = await dev_server.connect(CONVERTER)
        parts = bootstrap(Settings(), client, pool, task_queue=queue)
        officer = Principal(name="officer-w", role=Role.CASE_OFFICER, outlet="outlet-9")
        now = datetime.now(UTC)
        await parts.complaints.register(register(
            actor=officer.name, at=now, received_at=now, case_id=f"W-{uuid.uuid4().hex[:8]}"),
            officer)
        async with httpx.AsyncClient() as http:
            async def shows(port: int, name: str) -> bool:
                try:
                    text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
                except httpx.TransportError:
                    return False
                return name in text

            async def appended() -> bool:
                return await shows(ours, 'caseflow_appends_total{outcome="written"}')

            async def sdk_latency() -> bool:
                return await shows(sdks, "temporal_workflow_task_execution_latency")

            await until(appended, timeout=60)
            await until(sdk_latency, timeout=60)
    finally:
        worker.kill()
