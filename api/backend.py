"""What the API's handlers use: the services, the event store, and the clock of record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import asyncpg
from temporalio.client import Client

from caseflow.clients import ClientService
from caseflow.complaints import ComplaintService
from eventstore import PostgresEventStore


async def wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Backend:
    complaints: ComplaintService
    clients: ClientService
    store: PostgresEventStore
    temporal: Client
    zone: ZoneInfo
    now: Callable[[], Awaitable[datetime]] = wall_clock
    """When a request happens (tests use the time-skipping server's clock)."""

    @property
    def pool(self) -> asyncpg.Pool:
        return self.store.pool
