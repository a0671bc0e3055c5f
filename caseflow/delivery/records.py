"""The record of deliveries (one row per notification, recipient and channel: its state,
attempts, last error, and the route an address took) and the staff's inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import asyncpg
from pydantic import BaseModel, ConfigDict

DeliveryState = Literal["queued", "delivered", "failed", "skipped"]


class DeliveryRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    notification_id: UUID
    recipient: str
    channel: str
    state: DeliveryState
    attempts: int
    last_error: str | None
    route: str | None
    updated_at: datetime
    delivered_at: datetime | None


class InboxMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    notification_id: UUID
    kind: str
    stream_id: str
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None


async def queue(conn: asyncpg.Connection, notification_id: UUID, recipient: str, channel: str,
                *, route: str | None = None, state: DeliveryState = "queued",
                error: str | None = None) -> None:
    await conn.execute(
        "INSERT INTO deliveries (notification_id, recipient, channel, state, route, last_error)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        notification_id, recipient, channel, state, route, error)


async def state_of(conn: asyncpg.Connection, notification_id: UUID, recipient: str,
                   channel: str) -> str | None:
    state: str | None = await conn.fetchval(
        "SELECT state FROM deliveries WHERE notification_id = $1 AND recipient = $2"
        " AND channel = $3", notification_id, recipient, channel)
    return state


async def delivered(conn: asyncpg.Connection, notification_id: UUID, recipient: str,
                    channel: str) -> None:
    await conn.execute(
        "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, updated_at = now(),"
        " delivered_at = now() WHERE notification_id = $1 AND recipient = $2 AND channel = $3",
        notification_id, recipient, channel)


async def attempt_failed(conn: asyncpg.Connection, notification_id: UUID, recipient: str,
                         channel: str, error: str, *, final: bool) -> None:
    await conn.execute(
        "UPDATE deliveries SET attempts = attempts + 1, last_error = $4, updated_at = now(),"
        " state = CASE WHEN $5 THEN 'failed' ELSE state END"
        " WHERE notification_id = $1 AND recipient = $2 AND channel = $3",
        notification_id, recipient, channel, error[:500], final)


async def skipped(conn: asyncpg.Connection, notification_id: UUID, recipient: str, channel: str,
                  reason: str) -> None:
    await conn.execute(
        "UPDATE deliveries SET state = 'skipped', last_error = $4, updated_at = now()"
        " WHERE notification_id = $1 AND recipient = $2 AND channel = $3 AND state = 'queued'",
        notification_id, recipient, channel, reason)


async def deliveries_of(pool: asyncpg.Pool, notification_id: UUID) -> list[DeliveryRecord]:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT * FROM deliveries WHERE notification_id = $1"
                                " ORDER BY recipient, channel", notification_id)
    return [DeliveryRecord.model_validate(dict(r)) for r in rows]


# -- the inbox ---------------------------------------------------------------------------------

async def put_in_inbox(conn: asyncpg.Connection, notification_id: UUID, user_name: str,
                       kind: str, stream_id: str, subject: str, body: str) -> None:
    await conn.execute(
        "INSERT INTO inbox (notification_id, user_name, kind, stream_id, subject, body)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        notification_id, user_name, kind, stream_id, subject, body)


async def inbox_of(pool: asyncpg.Pool, user_name: str, *, unread_only: bool = False,
                   limit: int = 50, offset: int = 0) -> list[InboxMessage]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT notification_id, kind, stream_id, subject, body, created_at, read_at"
            " FROM inbox WHERE user_name = $1 AND ($2 = false OR read_at IS NULL)"
            " ORDER BY created_at DESC, notification_id LIMIT $3 OFFSET $4",
            user_name, unread_only, limit, offset)
    return [InboxMessage.model_validate(dict(r)) for r in rows]


async def inbox_message(pool: asyncpg.Pool, user_name: str, notification_id: UUID
                        ) -> InboxMessage | None:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT notification_id, kind, stream_id, subject, body, created_at, read_at"
            " FROM inbox WHERE user_name = $1 AND notification_id = $2",
            user_name, notification_id)
    return InboxMessage.model_validate(dict(row)) if row else None


async def unread_count(pool: asyncpg.Pool, user_name: str) -> int:
    async with pool.acquire() as conn:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM inbox WHERE user_name = $1 AND read_at IS NULL", user_name)
    return count


async def mark_read(pool: asyncpg.Pool, user_name: str, notification_id: UUID) -> bool:
    """Mark one of the user's own messages read (again: no change). False: not theirs."""
    async with pool.acquire() as conn:
        found = await conn.fetchval(
            "UPDATE inbox SET read_at = coalesce(read_at, now()) WHERE user_name = $1"
            " AND notification_id = $2 RETURNING 1", user_name, notification_id)
    return found is not None
