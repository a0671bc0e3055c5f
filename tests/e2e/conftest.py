"""Fixtures of the e2e tests: a Temporal dev server (with visibility) per test module; the
caseflow CLI as a subprocess against the test's database and time-skipping server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from caseflow.runtime.processes import TemporalDevServer
from tests.e2e.test_cli_complaints import bank_calendar_for_server_years, caseflow
from tests.payload_keys import CONVERTER


@pytest.fixture(scope="module")
async def dev_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TemporalDevServer]:
    folder = tmp_path_factory.mktemp("temporal")
    server = TemporalDevServer(db_file=folder / "temporal.sqlite", log_file=folder / "server.log")
    server.start()
    await server.connect(CONVERTER)
    yield server
    server.stop()


@dataclass(frozen=True)
class Cli:
    """`python -m caseflow ARGS…` on the test's database and Temporal server; a worker for
    the commands that need one runs on `task_queue`."""

    env: WorkflowEnvironment
    calendar: Path
    task_queue: str

    async def __call__(self, *args: str) -> tuple[int, str, str]:
        return await caseflow(self.env, self.task_queue, self.calendar, *args)


@pytest.fixture
async def cli(temporal_env: WorkflowEnvironment, tmp_path: Path, database_url: str,
              monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("CASEFLOW_TEST_DATABASE_URL", database_url)
    return Cli(temporal_env, await bank_calendar_for_server_years(temporal_env, tmp_path),
               f"tq-{uuid.uuid4()}")
