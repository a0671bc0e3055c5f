"""A notification to people, by address. Addresses are names of users or role mailboxes
("supervisor@outlet-9", "client:K1"); the bank's gateway adapter resolves them."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict


class Notification(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    stream_id: str
    recipients: tuple[str, ...]
    subject: str
    body: str


class NotifyItem(BaseModel):
    """A notification with its id, made in the workflow: a retried write stores it once."""

    model_config = ConfigDict(frozen=True)

    notification_id: UUID
    notification: Notification
