"""Opening the event store for a CLI command: DATABASE_URL, or the embedded PostgreSQL of the
data folder (found running under `./dev.sh up`, else started for the command and stopped)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer

from caseflow.bootstrap import database, event_store
from caseflow.config import Settings
from caseflow.store import EventStoreError, PostgresEventStore

T = TypeVar("T")


def with_store(work: Callable[[PostgresEventStore, Settings], Awaitable[T]]) -> T:
    settings = Settings()

    async def go() -> T:
        async with database(settings, max_size=2) as pool:
            return await work(event_store(pool), settings)

    try:
        return asyncio.run(go())
    except EventStoreError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
