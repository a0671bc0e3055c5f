"""Handing recorded notifications to their delivery: one DeliveryWorkflow each (id
`notification-<id>`), started once the step that calls for them is stored. Starting one again
(a retried append or notify activity) finds it already there, so nothing is delivered twice."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Protocol

from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from caseflow.store import EventStore
from domain.notifications import NotifyItem
from workflows import names
from workflows.ports import DeliveryInput, NotifyRequest, delivery_workflow_id


class Dispatcher(Protocol):
    async def dispatch(self, items: Sequence[NotifyItem]) -> None: ...


class DeliveryDispatcher:
    """Starts a DeliveryWorkflow per notification on the task queue."""

    STARTS_AT_ONCE = 32
    """Starts in flight per process: a burst (a minute's breaches) queues here instead of
    timing out at the server."""

    def __init__(self, temporal: Client, task_queue: str) -> None:
        self._temporal = temporal
        self._task_queue = task_queue
        self._gate = asyncio.Semaphore(self.STARTS_AT_ONCE)

    async def dispatch(self, items: Sequence[NotifyItem]) -> None:
        await asyncio.gather(*(self._start(item) for item in items))

    async def _start(self, item: NotifyItem) -> None:
        async with self._gate:
            await self._start_now(item)

    async def _start_now(self, item: NotifyItem) -> None:
        # Started by an earlier attempt: its delivery is under way or done.
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await self._temporal.start_workflow(
                names.DELIVERY_WORKFLOW, DeliveryInput(item=item),
                id=delivery_workflow_id(item.notification_id), task_queue=self._task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE)


class OutboxOnly:
    """No delivery: notifications stay queued in the outbox (parts wired without a database,
    whose deliveries and inboxes live there)."""

    async def dispatch(self, items: Sequence[NotifyItem]) -> None:
        return None


class NotifyActivities:
    """Notifications that are not part of a step (a stopped process, a failed delivery): stored
    in the outbox once each, then delivered."""

    def __init__(self, store: EventStore, dispatcher: Dispatcher) -> None:
        self._store = store
        self._dispatcher = dispatcher

    @activity.defn(name=names.NOTIFY)
    async def notify(self, request: NotifyRequest) -> None:
        await self._store.queue_notifications(request.items)
        await self._dispatcher.dispatch(request.items)
