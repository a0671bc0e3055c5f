"""The outbox table: notifications stored once each (by id) for a gateway to deliver."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg
import structlog

from domain.notifications import NotifyItem

log = structlog.get_logger(__name__)

_QUEUE = ("INSERT INTO outbox (notification_id, stream_id, kind, recipients, subject, body)"
          " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (notification_id) DO NOTHING")


async def queue_notifications(conn: asyncpg.Connection, items: Sequence[NotifyItem]) -> None:
    """Store each notification once (by id), on the caller's connection (the append's
    transaction, when there is one)."""
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
