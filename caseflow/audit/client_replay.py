"""A client relationship as of a moment: its events folded with the domain's `evolve` up to a
time or a version, with a timeline of who did what (as audit/replay.py does for complaints)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from caseflow.audit.replay import TimelineEntry, state_as_of, timeline
from caseflow.store import EventStore, RecordedEvent
from domain.client import CLIENT, EVENT_ADAPTER, ClientEvent, ClientState

_NOT_DETAILS = frozenset({"type", "schema_version", "actor", "at"})


class ClientAsOf(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    as_of: datetime | None
    up_to_version: int | None
    state: ClientState
    timeline: list[TimelineEntry]


def describe_client_event(event: ClientEvent) -> str:
    """The event's type in words and its recorded facts, e.g. `sale recorded: product=fund`."""
    details = ", ".join(
        f"{name}={value}" for name, value in event.model_dump(mode="json").items()
        if name not in _NOT_DETAILS and value not in (None, [], ""))
    words = event.type.replace("_", " ")
    return f"{words}: {details}" if details else words


def client_timeline(events: list[RecordedEvent]) -> list[TimelineEntry]:
    return timeline(events, lambda data: describe_client_event(EVENT_ADAPTER.validate_python(data)))


async def client_as_of(
    store: EventStore, stream_id: str, *, at: datetime | None = None,
    version: int | None = None,
) -> ClientAsOf:
    events, state = await state_as_of(store, stream_id, CLIENT, EVENT_ADAPTER, at=at,
                                      version=version)
    return ClientAsOf(stream_id=stream_id, as_of=at, up_to_version=version, state=state,
                      timeline=client_timeline(events))
