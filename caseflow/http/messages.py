"""/inbox: every user's own messages (list, unread count, mark read); /notifications: what was
sent about a case or client and how each delivery went (its unit's staff and auditors)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel

from caseflow.delivery import records
from caseflow.http.auth import Services, User
from domain.access import check_read

inbox = APIRouter(prefix="/inbox", tags=["inbox"])
notifications = APIRouter(prefix="/notifications", tags=["notifications"])


class UnreadCount(BaseModel):
    unread: int


@inbox.get("", summary="My messages, newest first")
async def my_inbox(
    user: User, services: Services,
    unread: Annotated[bool, Query(description="Only the unread ones.")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[records.InboxMessage]:
    return await records.inbox_of(services.pool, user.name, unread_only=unread, limit=limit,
                                  offset=offset)


@inbox.get("/unread-count", summary="How many of my messages are unread")
async def my_unread_count(user: User, services: Services) -> UnreadCount:
    return UnreadCount(unread=await records.unread_count(services.pool, user.name))


@inbox.post("/{notification_id}/read", status_code=status.HTTP_204_NO_CONTENT,
            summary="Mark one of my messages read")
async def mark_read(notification_id: UUID, user: User, services: Services) -> Response:
    """Only the user's own messages: nobody marks anything read for someone else."""
    if not await records.mark_read(services.pool, user.name, notification_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            f"no message {notification_id} in your inbox")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class NotificationRecord(BaseModel):
    notification_id: UUID
    kind: str
    stream_id: str
    unit: str | None
    recipients: list[str]
    deliveries: list[records.DeliveryRecord]


@notifications.get("/{notification_id}", summary="A notification and how each delivery went")
async def one_notification(notification_id: UUID, user: User, services: Services
                           ) -> NotificationRecord:
    """For auditors, and for the staff of the unit it concerns (queued, delivered per channel,
    failed, skipped; attempts; last error; the route a fallback took)."""
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT notification_id, kind, stream_id, unit, recipients"
                                  " FROM outbox WHERE notification_id = $1", notification_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no notification {notification_id}")
    check_read(user, row["unit"])
    return NotificationRecord(**dict(row),
                              deliveries=await records.deliveries_of(services.pool,
                                                                     notification_id))
