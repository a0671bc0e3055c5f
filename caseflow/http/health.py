"""/healthz and /readyz, for the bank's load balancer and orchestrator (no sign-in: they say
nothing of any case). Alive is the process answering; ready is PostgreSQL answering with every
migration applied, the Temporal server answering, and a worker polling caseflow's task queue
within the last minute."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest, GetSystemInfoRequest

from caseflow.bootstrap import Parts
from caseflow.http.auth import Services
from caseflow.store.migrate import pending_migrations

router = APIRouter(tags=["operations"])
CHECK_TIMEOUT_SECONDS = 2.0
POLLED_WITHIN = timedelta(minutes=1)


class Alive(BaseModel):
    status: Literal["alive"] = "alive"


class Check(BaseModel):
    ok: bool
    detail: str


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, Check]


@router.get("/healthz", summary="The process is alive")
async def healthz() -> Alive:
    return Alive()


@router.get("/readyz", summary="PostgreSQL and Temporal reachable, migrations applied, a worker "
            "polling", responses={503: {"model": Readiness, "description": "Not ready"}})
async def readyz(services: Services) -> JSONResponse:
    checks = dict(zip(("database", "temporal", "worker"), await asyncio.gather(
        _checked(_database(services)), _checked(_temporal(services)),
        _checked(_worker(services))), strict=True))
    ready = Readiness(ready=all(c.ok for c in checks.values()), checks=checks)
    return JSONResponse(ready.model_dump(), status_code=200 if ready.ready else 503)


async def _checked(check: Awaitable[str]) -> Check:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            return Check(ok=True, detail=await check)
    except TimeoutError:
        return Check(ok=False, detail=f"no answer within {CHECK_TIMEOUT_SECONDS:g} s")
    except Exception as exc:  # any failure is "not ready", said in words
        return Check(ok=False, detail=f"{type(exc).__name__}: {exc}"[:300])


async def _database(services: Parts) -> str:
    async with services.pool.acquire() as conn:
        pending = await pending_migrations(conn)
    if pending:
        raise RuntimeError(f"migrations not applied: {', '.join(pending)}")
    return "PostgreSQL answers; every migration applied"


async def _temporal(services: Parts) -> str:
    info = await services.temporal.workflow_service.get_system_info(GetSystemInfoRequest())
    return f"Temporal {info.server_version or 'server'} answers"


async def _worker(services: Parts) -> str:
    """A worker polled the task queue for workflow tasks within the last minute."""
    answer = await services.temporal.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=services.temporal.namespace,
            task_queue=TaskQueue(name=services.task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW))
    since = datetime.now(UTC) - POLLED_WITHIN
    recent = [p for p in answer.pollers if p.last_access_time.ToDatetime(UTC) >= since]
    if not recent:
        raise RuntimeError(f"no worker polled task queue {services.task_queue!r} in the last "
                           "minute")
    return f"{len(recent)} worker(s) polling {services.task_queue!r}"
