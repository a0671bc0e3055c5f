"""Notifications through a port. The default adapter writes to the outbox table and the log;
the bank plugs its SMS / e-mail gateway in behind the same `Notifier` protocol."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from temporalio import activity

from caseflow.store import EventStore
from domain.notifications import Notification, NotifyItem
from workflows import names
from workflows.ports import NotifyRequest


class Notifier(Protocol):
    async def send(self, notification_id: UUID, notification: Notification) -> None: ...


class OutboxNotifier:
    """Stores each notification once (by id) in the store's outbox for a gateway to deliver."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    async def send(self, notification_id: UUID, notification: Notification) -> None:
        await self._store.queue_notifications(
            [NotifyItem(notification_id=notification_id, notification=notification)])


class NotifyActivities:
    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    @activity.defn(name=names.NOTIFY)
    async def notify(self, request: NotifyRequest) -> None:
        for item in request.items:
            await self._notifier.send(item.notification_id, item.notification)
