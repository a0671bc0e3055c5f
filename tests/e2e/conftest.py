"""Fixtures of the e2e tests: a Temporal dev server (with visibility) per test module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from caseflow.runtime.processes import TemporalDevServer
from tests.payload_keys import CONVERTER


@pytest.fixture(scope="module")
async def dev_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TemporalDevServer]:
    folder = tmp_path_factory.mktemp("temporal")
    server = TemporalDevServer(db_file=folder / "temporal.sqlite", log_file=folder / "server.log")
    server.start()
    await server.connect(CONVERTER)
    yield server
    server.stop()
