"""One log line per outage of a dependency, not a traceback per retry: the worker says when it
lost PostgreSQL and when it has it again; Temporal's retries do the waiting in between."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from caseflow.store import CONNECTION_LOST

log = structlog.get_logger(__name__)


class DependencyWatch:
    def __init__(self, name: str) -> None:
        self._name = name
        self._down_since: float | None = None

    def lost(self, error: BaseException) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning("dependency unavailable; work waits and retries", dependency=self._name,
                        error=type(error).__name__)

    def reached(self) -> None:
        if self._down_since is not None:
            log.info("dependency available again", dependency=self._name,
                     down_seconds=round(time.monotonic() - self._down_since, 1))
            self._down_since = None


@asynccontextmanager
async def reaching(database: DependencyWatch) -> AsyncIterator[None]:
    """Work on PostgreSQL inside an activity: a lost connection becomes a benign, retried
    failure (said once per outage by `database`), not a traceback per attempt."""
    try:
        yield
    except CONNECTION_LOST as exc:
        database.lost(exc)
        raise ApplicationError(f"PostgreSQL unavailable: {type(exc).__name__}",
                               type="DatabaseUnavailable",
                               category=ApplicationErrorCategory.BENIGN) from exc
    database.reached()
