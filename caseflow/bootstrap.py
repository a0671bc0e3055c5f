"""The composition root: the one place where caseflow is wired.

`bootstrap` builds, from `Settings`, a Temporal client and a database pool, everything a process
needs: the event store, the services, the clock of record, the worker. `worker.py`, the API,
the CLI, the benches and the tests all take their parts from here; tests pass overrides (a
store, a calendar, a clock, a notifier) instead of subclassing what production runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from temporalio.client import Client
from temporalio.converter import PayloadCodec
from temporalio.worker import Interceptor, Worker

from activities.calendar import CalendarActivities
from activities.client_link import ClientLinkActivities
from activities.delivery import Channels, DeliveryActivities
from activities.eventstore import EventStoreActivities
from activities.notify import DeliveryDispatcher, Dispatcher, NotifyActivities, OutboxOnly
from activities.outage import DependencyWatch
from caseflow.calendar.book import CalendarBook
from caseflow.calendar.finders import CaseFinder, VisibilityFinder, WorklistFinder
from caseflow.config import Settings
from caseflow.delivery.channels import (
    EmailChannel,
    LogOnlySms,
    SmsGateway,
    SmtpSettings,
    WebhookChannel,
    WebhookSettings,
)
from caseflow.identity.organisation import unit_exists
from caseflow.messages import MessageTemplates
from caseflow.policy.calendar import official_calendar
from caseflow.policy.categories import complaint_categories
from caseflow.policy.channels import ChannelPolicy, channel_policy
from caseflow.policy.client import client_policy as load_client_policy
from caseflow.runtime.embedded import connect_temporal, database_dsn
from caseflow.services.account_events import AccountEventImport
from caseflow.services.calendar import CalendarService
from caseflow.services.clients import ClientService
from caseflow.services.complaints import ComplaintService
from caseflow.services.reports import ReportService
from caseflow.services.sla_whatif import WhatIfService
from caseflow.store import EventStore, PostgresEventStore, connect_pool
from caseflow.store.read_models import WRITERS
from domain.calendar import BusinessCalendar
from domain.client import ClientPolicy
from domain.event_types import EVENT_TYPES
from domain.sla import SlaPolicy
from workflows.registry import SANDBOX_RUNNER, WORKFLOWS

Clock = Callable[[], Awaitable[datetime]]
"""When a request happens (the workflow's clock is the time of record; tests pass the
time-skipping server's clock)."""


async def wall_clock() -> datetime:
    return datetime.now(UTC)


def event_store(pool: asyncpg.Pool) -> PostgresEventStore:
    """The event store on PostgreSQL, validating every event type caseflow records and keeping
    the complaint and client read models: the only place one is constructed."""
    return PostgresEventStore(pool, EVENT_TYPES, read_models=WRITERS)


@dataclass(frozen=True)
class Parts:
    """Everything a caseflow process uses, wired once."""

    settings: Settings
    temporal: Client
    store: EventStore
    complaints: ComplaintService
    clients: ClientService
    calendar: CalendarService | None
    """Calendar versions and their fan-out (only with a database)."""
    calendar_book: CalendarBook
    sla_what_if: WhatIfService | None
    complaint_reports: ReportService | None
    """Complaint statistics (from the worklist: needs the database)."""
    dispatcher: Dispatcher
    """Hands recorded notifications to their delivery (a DeliveryWorkflow each)."""
    channels: Channels
    templates: MessageTemplates
    channel_policy: ChannelPolicy
    now: Clock
    task_queue: str
    database: asyncpg.Pool | None = field(default=None, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    @property
    def reports(self) -> ReportService:
        if self.complaint_reports is None:
            raise RuntimeError("these parts were wired without a database")
        return self.complaint_reports

    @property
    def account_events(self) -> AccountEventImport:
        """The core banking's account events, into the clients' workflows."""
        return AccountEventImport(self.clients, self.now)

    @property
    def what_if(self) -> WhatIfService:
        """The SLA what-if report (on the worklist: needs the database)."""
        if self.sla_what_if is None:
            raise RuntimeError("these parts were wired without a database")
        return self.sla_what_if

    @property
    def codec(self) -> PayloadCodec:
        """The codec sealing this process's Temporal payloads (the Temporal UI's, via /codec)."""
        codec = self.temporal.data_converter.payload_codec
        if codec is None:
            raise RuntimeError("this Temporal client does not seal payloads")
        return codec

    @property
    def pool(self) -> asyncpg.Pool:
        """The database of users and read models (the worklist, the managers' lists)."""
        if self.database is None:
            raise RuntimeError("these parts were wired without a database")
        return self.database

    def worker(
        self,
        *,
        task_queue: str | None = None,
        workflows: Sequence[type[Any]] = WORKFLOWS,
        max_cached_workflows: int = 1000,
        interceptors: Sequence[Interceptor] = (),
    ) -> Worker:
        """A worker of every workflow and activity. `max_cached_workflows=0` makes every
        workflow task replay its history from scratch (no sticky cache)."""
        postgres = DependencyWatch("PostgreSQL")  # one per worker: an outage is said once
        store_activities = EventStoreActivities(self.store, self.dispatcher, postgres)
        notify = NotifyActivities(self.store, self.dispatcher)
        links = ClientLinkActivities(self.temporal)
        activities: list[Any] = [store_activities.append_events, notify.notify,
                                 links.link_client]
        if self.database is not None:
            delivery = DeliveryActivities(self.database, self.temporal, self.templates,
                                          self.channel_policy, self.channels, postgres)
            activities += [delivery.resolve_recipients, delivery.deliver,
                           delivery.record_client_notice]
            finder: CaseFinder = (WorklistFinder(self.database, self.zone)
                                  if self.settings.case_finder == "worklist"
                                  else VisibilityFinder(self.temporal, self.zone))
            calendar = CalendarActivities(self.database, self.temporal,
                                          self.calendar_book.official, finder, postgres)
            activities += [calendar.find_affected_cases, calendar.recompute_deadlines]
        return Worker(
            self.temporal,
            task_queue=task_queue or self.task_queue,
            workflows=list(workflows),
            activities=activities,
            workflow_runner=SANDBOX_RUNNER,
            max_cached_workflows=max_cached_workflows,
            interceptors=interceptors,
        )


def bootstrap(
    settings: Settings,
    temporal: Client,
    pool: asyncpg.Pool | None = None,
    *,
    store: EventStore | None = None,
    calendar: BusinessCalendar | None = None,
    sla_policy: SlaPolicy | None = None,
    client_policy: ClientPolicy | None = None,
    dispatcher: Dispatcher | None = None,
    sms: SmsGateway | None = None,
    clock: Clock = wall_clock,
    task_queue: str | None = None,
) -> Parts:
    """Production wiring unless overridden: the store on `pool`; the official calendar plus
    the bank's entries (`calendar`: a fixed calendar, or a function of the years a case needs);
    the shipped or configured SLA and client policies; notifications stored in the outbox and
    delivered by a DeliveryWorkflow each (only stored when there is no database), through the
    channels the settings configure (`sms`: the bank's gateway; default: log only)."""
    if store is None:
        if pool is None:
            raise ValueError("bootstrap needs a database pool or a store")
        store = event_store(pool)
    queue = task_queue or settings.task_queue
    book = _calendar_book(calendar, settings, pool)
    policy = sla_policy or SlaPolicy()
    if dispatcher is None:
        dispatcher = DeliveryDispatcher(temporal, queue) if pool is not None else OutboxOnly()
    return Parts(
        settings=settings,
        temporal=temporal,
        store=store,
        complaints=ComplaintService(temporal, queue, policy=policy,
                                    calendar=book.for_years,
                                    categories=complaint_categories(
                                        settings.complaint_categories),
                                    known_unit=partial(unit_exists, pool)
                                    if pool is not None else None),
        calendar=CalendarService(pool, temporal, queue, book, settings.calendar_batch_size)
        if pool is not None else None,
        calendar_book=book,
        sla_what_if=WhatIfService(pool, book, policy) if pool is not None else None,
        complaint_reports=ReportService(pool, book, policy) if pool is not None else None,
        clients=ClientService(temporal, queue,
                              client_policy or load_client_policy(settings.client_policy)),
        dispatcher=dispatcher,
        channels=channels_from(settings, sms or LogOnlySms()),
        templates=MessageTemplates(settings.zone, settings.message_templates),
        channel_policy=channel_policy(settings.channel_policy),
        now=clock,
        task_queue=queue,
        database=pool,
    )


def channels_from(settings: Settings, sms: SmsGateway) -> Channels:
    """The channel adapters the settings configure."""
    email = webhook = None
    if settings.smtp_host:
        email = EmailChannel(SmtpSettings(
            host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_sender,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password
            else None, starttls=settings.smtp_starttls, tls=settings.smtp_tls,
            ca_file=str(settings.smtp_ca_file) if settings.smtp_ca_file else None))
    if settings.webhook_url:
        if settings.webhook_secret is None:
            raise ValueError("CASEFLOW_WEBHOOK_URL needs CASEFLOW_WEBHOOK_SECRET (its signature)")
        webhook = WebhookChannel(WebhookSettings(
            url=settings.webhook_url, secret=settings.webhook_secret.get_secret_value()))
    return Channels(sms=sms, email=email, webhook=webhook)


def _calendar_book(given: BusinessCalendar | None, settings: Settings,
                   pool: asyncpg.Pool | None) -> CalendarBook:
    """The official data (or a test's fixed calendar) with the bank's confirmed versions
    laid over it."""
    return CalendarBook(given or official_calendar(settings.bank_calendar), pool)


@asynccontextmanager
async def database(settings: Settings, *, max_size: int = 10) -> AsyncIterator[asyncpg.Pool]:
    """A pool on DATABASE_URL, or on the embedded PostgreSQL of the data folder."""
    pool = await connect_pool(database_dsn(settings), max_size=max_size)
    try:
        yield pool
    finally:
        await pool.close()


@asynccontextmanager
async def connected(settings: Settings, *, max_size: int = 10, **overrides: Any
                    ) -> AsyncIterator[Parts]:
    """The parts of a process that joins running servers (a worker, the API, a CLI command)."""
    async with database(settings, max_size=max_size) as pool:
        temporal = await connect_temporal(settings)
        yield bootstrap(settings, temporal, pool, **overrides)
