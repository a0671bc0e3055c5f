"""A complaint as of a moment: its events folded with the domain's `evolve`, up to a time or a
version, with a readable timeline. Deadlines are the ones the events recorded (with the calendar
and policy versions that computed them), never recomputed with today's calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from caseflow.store import EventStore, RecordedEvent
from domain.complaint import COMPLAINT, EVENT_ADAPTER, ComplaintState
from domain.complaint.timeline import describe
from domain.decider import Decider

E = TypeVar("E")
S = TypeVar("S")


class TimelineEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    type: str
    summary: str


class CaseAsOf(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    as_of: datetime | None
    up_to_version: int | None
    state: ComplaintState
    timeline: list[TimelineEntry]


def complaint_summary(data: dict[str, Any]) -> str:
    return describe(EVENT_ADAPTER.validate_python(data))


def timeline(
    events: list[RecordedEvent], summary_of: Callable[[dict[str, Any]], str] = complaint_summary
) -> list[TimelineEntry]:
    """Who did what when; `summary_of` puts a stored event's data into words."""
    return [
        TimelineEntry(version=e.version, occurred_at=e.occurred_at, recorded_at=e.recorded_at,
                      actor=e.actor, type=e.type, summary=summary_of(e.data))
        for e in events
    ]


async def state_as_of(
    store: EventStore, stream_id: str, decider: Decider[Any, E, S, Any],
    adapter: TypeAdapter[E], *, at: datetime | None, version: int | None,
) -> tuple[list[RecordedEvent], S]:
    """A stream's events up to a time or a version, and the state their fold makes (the
    aggregate's own `evolve`: what the workflow folded when it decided)."""
    events = await store.read_stream(stream_id, up_to_version=version, as_of=at)
    return events, decider.fold(adapter.validate_python(e.data) for e in events)


async def complaint_as_of(
    store: EventStore,
    stream_id: str,
    *,
    at: datetime | None = None,
    version: int | None = None,
) -> CaseAsOf:
    events, state = await state_as_of(store, stream_id, COMPLAINT, EVENT_ADAPTER, at=at,
                                      version=version)
    return CaseAsOf(stream_id=stream_id, as_of=at, up_to_version=version, state=state,
                    timeline=timeline(events))
