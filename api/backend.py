"""What the API's handlers use: the services, the event store, and the clock of record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import asyncpg
from temporalio.client import Client

from caseflow.client_policy import client_policy
from caseflow.clients import ClientService
from caseflow.complaints import ComplaintService
from caseflow.config import Settings
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


def backend_for(settings: Settings, temporal: Client, pool: asyncpg.Pool) -> Backend:
    """The production wiring: the official calendar plus the bank's entries, the bank's client
    policy file, the configured task queue."""
    from worker import EVENT_SCHEMAS

    return Backend(
        complaints=ComplaintService(temporal, settings.task_queue,
                                    bank_calendar=settings.bank_calendar),
        clients=ClientService(temporal, settings.task_queue, client_policy(settings.client_policy)),
        store=PostgresEventStore(pool, schemas=EVENT_SCHEMAS), temporal=temporal,
        zone=settings.zone)
