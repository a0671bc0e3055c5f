"""Real components: a session-wide embedded PostgreSQL and, per test, Temporal's time-skipping
test server, each started only when a test asks for it; and the markers of the three kinds of
test, from the folder a test lives in:

- `unit` (tests/unit): pure, no server; `./dev.sh test -m unit` runs them in seconds;
- `integration` (tests/integration): PostgreSQL and the time-skipping Temporal test server;
- `e2e` (tests/e2e): caseflow's own processes (worker, API, CLI, a Temporal dev server),
  killed and restarted where the test is about faults."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from caseflow.bootstrap import event_store
from caseflow.logs import configure_logging
from caseflow.runtime.binaries import temporal_test_server
from caseflow.runtime.embedded import start_embedded_postgres
from caseflow.store import PostgresEventStore, connect_pool
from tests.complaint_stack import ComplaintStack, complaint_stack
from tests.payload_keys import CONVERTER
from workflows.search_attributes import ensure_search_attributes

configure_logging("console", "WARNING")

KINDS = ("unit", "integration", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        kind = item.path.parent.name
        if kind not in KINDS:
            raise pytest.UsageError(f"{item.nodeid}: every test lives in tests/unit, "
                                    "tests/integration or tests/e2e")
        item.add_marker(kind)


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
    return event_store(pool)


@pytest.fixture
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping test server of the test's own (started in about 0.12 s), not one per
    session: that server holds its clock while any activity is scheduled and not finished, and
    an activity a test leaves scheduled, or a workflow terminated mid-task, holds it for good
    (terminating or cancelling the workflow does not release it, and the server reports no
    pending workflow task to wait for). On a shared server one such test makes every later test
    that lets time pass fail with "Timeout expired"; on its own server it harms nobody."""
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
    async with complaint_stack(temporal_env, pool) as s:
        yield s


async def fresh_database(database_url: str, name: str) -> str:
    """A new, empty database `name` on the same server (dropped first if a previous run left
    it): for tests whose data would change what every other test sees (the calendar in force)."""
    from urllib.parse import urlsplit, urlunsplit

    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
