"""Notifications through a port. The default adapter writes to the outbox table and the log;
the bank plugs its SMS / e-mail gateway in behind the same `Notifier` protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

import asyncpg
import structlog
from pydantic import BaseModel, ConfigDict
from temporalio import activity

from domain.notifications import Notification

log = structlog.get_logger(__name__)


class NotifyItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    notification_id: UUID
    """Made in the workflow: a retried activity sends nothing twice."""
    notification: Notification


class NotifyRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    items: list[NotifyItem]


class Notifier(Protocol):
    async def send(self, notification_id: UUID, notification: Notification) -> None: ...


class OutboxNotifier:
    """Stores each notification once (by id) in the outbox for a gateway to deliver."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def send(self, notification_id: UUID, notification: Notification) -> None:
        async with self._pool.acquire() as conn:
            await queue_notifications(conn, [NotifyItem(notification_id=notification_id,
                                                        notification=notification)])


_QUEUE = ("INSERT INTO outbox (notification_id, stream_id, kind, recipients, subject, body)"
          " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (notification_id) DO NOTHING")


async def queue_notifications(conn: asyncpg.Connection, items: Sequence[NotifyItem]) -> None:
    """Store each notification once (by id) in the outbox, on the caller's connection (the
    append's transaction)."""
    if not items:
        return
    await conn.executemany(_QUEUE, [
        (item.notification_id, item.notification.stream_id, item.notification.kind,
         list(item.notification.recipients), item.notification.subject, item.notification.body)
        for item in items])
    for item in items:  # no message text or recipient names in the log: they may identify a client
        log.info("notification queued", kind=item.notification.kind,
                 stream_id=item.notification.stream_id,
                 recipients=len(item.notification.recipients),
                 notification_id=str(item.notification_id))


class NotifyActivities:
    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    @activity.defn(name="notify")
    async def notify(self, request: NotifyRequest) -> None:
        for item in request.items:
            await self._notifier.send(item.notification_id, item.notification)
