"""The outbox table: every notification stored once (by id) with the step that calls for it,
its facts and the unit it concerns (never the client's contact); its deliveries are recorded
beside it (caseflow/delivery/records.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import asyncpg
import structlog

from domain.notifications import NotifyItem

log = structlog.get_logger(__name__)

_QUEUE = ("INSERT INTO outbox (notification_id, stream_id, kind, recipients, subject, body,"
          " facts, unit) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)"
          " ON CONFLICT (notification_id) DO NOTHING")


async def queue_notifications(conn: asyncpg.Connection, items: Sequence[NotifyItem]) -> None:
    """Store each notification once (by id), on the caller's connection (the append's
    transaction, when there is one)."""
    if not items:
        return
    await conn.executemany(_QUEUE, [
        (item.notification_id, item.notification.stream_id, item.notification.kind,
         list(item.notification.recipients), item.notification.subject, item.notification.body,
         json.dumps(item.notification.facts, ensure_ascii=False), item.notification.unit)
        for item in items])
    for item in items:  # no message text or recipient names in the log: they may identify a client
        log.info("notification queued", kind=item.notification.kind,
                 stream_id=item.notification.stream_id,
                 recipients=len(item.notification.recipients),
                 notification_id=str(item.notification_id))
