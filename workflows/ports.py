"""What the workflows ask of their activities: the requests and results of each, called by the
names in workflows/names.py. The workflows own this contract; activities/ implements it (the
workflows never import an activity)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from caseflow.store.records import NewEvent
from domain.notifications import NotifyItem


class AppendRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    expected_version: int
    events: list[NewEvent]
    read_model: dict[str, Any] | None = None
    """The stream's read-model row after these events, for its category's writer."""
    notifications: list[NotifyItem] = []
    """Queued in the outbox with the events, so that they exist if and only if the step does."""


class AppendResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_version: int
    global_positions: list[int]
    event_ids: list[UUID] = []
    """Recorded in the workflow's history: what an auditor compares the store against. Empty
    in histories recorded before the field existed: they must still decode (replay)."""


class NotifyRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    items: list[NotifyItem]


class LinkClientRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    client_id: str
    case_id: str
    change: Literal["opened", "breached", "closed"]
    at: datetime
    link_id: str | None = None
    """The update id on the client's workflow: a link sent again is taken once (None in
    histories from before it)."""
