"""Session-wide real components: an embedded PostgreSQL and Temporal's time-skipping test server."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from caseflow.binaries import temporal_test_server
from caseflow.logs import configure_logging
from caseflow.stack import start_embedded_postgres
from eventstore import PostgresEventStore, connect_pool
from tests.complaint_stack import ComplaintStack, complaint_stack
from tests.payload_keys import CONVERTER
from worker import EVENT_SCHEMAS
from workflows.search_attributes import ensure_search_attributes

configure_logging("console", "WARNING")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """DATABASE_URL when set (an external server), else a fresh embedded PostgreSQL 18."""
    external = os.environ.get("DATABASE_URL")
    if external:
        return external
    return start_embedded_postgres(Path(tmp_path_factory.mktemp("pg")) / "data")


@pytest.fixture(scope="session")
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await connect_pool(database_url)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
def store(pool: asyncpg.Pool) -> PostgresEventStore:
    return PostgresEventStore(pool)


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=CONVERTER,
        test_server_existing_path=temporal_test_server(),
    )
    await ensure_search_attributes(env.client)
    yield env
    await env.shutdown()


@pytest.fixture
def task_queue() -> str:
    return f"tq-{uuid.uuid4()}"


@pytest.fixture
async def stack(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> AsyncIterator[ComplaintStack]:
    """A complaint worker and service on the time-skipping server (see complaint_stack)."""
    async with complaint_stack(temporal_env, PostgresEventStore(pool, schemas=EVENT_SCHEMAS)) as s:
        yield s
