"""What the workflows ask of their activities: the requests and results of each, called by the
names in workflows/names.py. The workflows own this contract; activities/ implements it (the
workflows never import an activity)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from caseflow.store.records import NewEvent
from domain.notifications import Channel, NotifyItem


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


# -- delivering a notification ---------------------------------------------------------------

def delivery_workflow_id(notification_id: UUID) -> str:
    return f"notification-{notification_id}"


class DeliveryInput(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: NotifyItem


class Route(BaseModel):
    """One recipient of a notification and the channels to reach them by. Holds contact details
    (personal data): it lives only in sealed Temporal payloads."""

    model_config = ConfigDict(frozen=True)

    recipient: str
    """A user name, "client:<id>" or "webhook": the key of the recipient's delivery records."""
    channels: tuple[Channel, ...]
    first_that_works: bool = False
    """Try the channels in order and stop at the first that delivers (the client), instead of
    every channel at once (staff)."""
    language: str = "zh"
    email: str | None = Field(default=None, repr=False)
    mobile: str | None = Field(default=None, repr=False)
    route: str | None = None
    """How the address reached this recipient, when it fell back (recorded)."""


class Unresolved(BaseModel):
    model_config = ConfigDict(frozen=True)

    address: str
    reason: str


class RetrySchedule(BaseModel):
    model_config = ConfigDict(frozen=True)

    attempts: int
    first_interval: timedelta
    max_interval: timedelta


class DeliveryPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    routes: list[Route]
    unresolved: list[Unresolved] = []
    retry: RetrySchedule


class DeliverRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: NotifyItem
    route: Route
    channel: Channel
    at: datetime
    """When the workflow sent it (the message's date on every attempt)."""
    attempts: int


class DeliveryOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    recipient: str
    channel: Channel
    delivered: bool
    skipped: bool = False
    reason: str | None = None


class DeliveryReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    notification_id: UUID
    outcomes: list[DeliveryOutcome]
    unresolved: list[Unresolved] = []

    @property
    def failures(self) -> list[str]:
        """What went wrong, in words (ids and channels, never contact details)."""
        tried = [o for o in self.outcomes if not o.delivered and not o.skipped]
        failed = [f"{o.recipient} ({o.channel.value}): {o.reason}" for o in tried]
        # Reached by no channel, though none failed (every one skipped): said once per person.
        accounted = {o.recipient for o in self.outcomes if o.delivered} | {
            o.recipient for o in tried}
        unreached = [f"{r}: no channel reached them" for r in
                     dict.fromkeys(o.recipient for o in self.outcomes) if r not in accounted]
        return [*(f"{u.address}: {u.reason}" for u in self.unresolved), *failed, *unreached]


class ClientNoticeRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    notice: str
    notification_id: UUID
    delivered: bool
    channel: Channel | None
    reason: str | None
    at: datetime


def calendar_change_workflow_id(revision: int) -> str:
    return f"calendar-change-r{revision}"


class CalendarChange(BaseModel):
    """A confirmed calendar revision, to be brought to the open cases whose deadline can
    depend on a day it changed (due on or after `from_day`)."""

    model_config = ConfigDict(frozen=True)

    revision: int
    calendar_version: str
    years: tuple[int, ...]
    from_day: date
    batch_size: int = Field(default=200, ge=1, le=1000)


class CalendarChangeProgress(BaseModel):
    """How far a calendar change has come: cases found, and what became of each."""

    model_config = ConfigDict(frozen=True)

    found: int = 0
    recomputed: int = 0
    """Cases now counting on the new revision whose deadline moved or became definitive."""
    unchanged: int = 0
    skipped: int = 0
    """Cases no longer open, or whose clock has stopped, by the time they were reached."""
    batches: int = 0
    done: bool = False

    def plus(self, batch: CalendarBatchOutcome) -> CalendarChangeProgress:
        return self.model_copy(update={
            "found": self.found + batch.recomputed + batch.unchanged + batch.skipped,
            "recomputed": self.recomputed + batch.recomputed,
            "unchanged": self.unchanged + batch.unchanged,
            "skipped": self.skipped + batch.skipped, "batches": self.batches + 1})


class CalendarChangeRun(BaseModel):
    """The workflow's input: the change, and where a continued run picks up."""

    model_config = ConfigDict(frozen=True)

    change: CalendarChange
    progress: CalendarChangeProgress = CalendarChangeProgress()
    page: str | None = None


class FindCasesRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    from_day: date
    page: str | None = None
    size: int


class CasePage(BaseModel):
    model_config = ConfigDict(frozen=True)

    workflow_ids: tuple[str, ...]
    next_page: str | None
    """None: that was the last page."""


class RecomputeRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    change: CalendarChange
    workflow_ids: tuple[str, ...]


class CalendarBatchOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    recomputed: int = 0
    unchanged: int = 0
    skipped: int = 0
