"""The complaint SLA as data, and the pure deadline arithmetic it drives.

Bank rule (seed 001, slide 62): resolve on the spot where possible; otherwise reply to the client
within 3 working days; with the supervising department's approval, at most 7 working days. Day of
receipt is day 0; a complaint received on a non-working day counts from the next working day. The
deadline is the end of the N-th following working day in the bank's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.calendar import BusinessCalendar


class Rung(StrEnum):
    """Who is alerted, in order, while a case stays open past its deadline."""

    SUPERVISOR = "supervisor"
    OUTLET_HEAD = "outlet_head"
    SERVICE_MANAGEMENT = "service_management_department"


class SlaPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str = "sla-2026.1"
    time_zone: str = "Asia/Shanghai"
    reply_working_days: int = Field(default=3, ge=1)
    max_extended_working_days: int = Field(default=7, ge=1)
    warning_local_time: time = time(9, 0)
    """The warning comes on the deadline's last working day at this local time."""
    escalation_ladder: tuple[Rung, ...] = Field(
        default=(Rung.OUTLET_HEAD, Rung.SERVICE_MANAGEMENT), min_length=1
    )
    """At breach the handler and supervisor are alerted and the case escalates to the first rung;
    each further `escalation_every_working_days` it climbs one more (seed 000 L541)."""
    escalation_every_working_days: int = Field(default=1, ge=1)
    phone_window: tuple[time, time] = (time(8, 0), time(21, 0))
    """Phone replies outside this local window are night calls: only with consent or urgency."""


class Deadline(BaseModel):
    """A deadline in force, with what computed it, so replay shows the same instants."""

    model_config = ConfigDict(frozen=True)

    working_days: int
    due_date: date
    due_at: AwareDatetime
    warning_at: AwareDatetime
    counted_from: date
    calendar_version: str
    policy_version: str


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _at_local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def deadline_after(
    start: datetime, working_days: int, calendar: BusinessCalendar, policy: SlaPolicy
) -> Deadline:
    """The end of the `working_days`-th working day after the (working) day of `start`."""
    zone = ZoneInfo(policy.time_zone)
    day0 = calendar.first_working_day_from(local_date(start, zone))
    due_date = calendar.add_working_days(day0, working_days)
    return Deadline(
        working_days=working_days,
        due_date=due_date,
        due_at=_at_local(due_date + timedelta(days=1), time(0, 0), zone),
        warning_at=_at_local(due_date, policy.warning_local_time, zone),
        counted_from=day0,
        calendar_version=calendar.version,
        policy_version=policy.version,
    )


def escalation_times(
    deadline: Deadline, calendar: BusinessCalendar, policy: SlaPolicy
) -> list[datetime]:
    """When each rung of the ladder is alerted: rung 0 at breach, then one every N working days."""
    zone = ZoneInfo(policy.time_zone)
    times = [deadline.due_at]
    day = deadline.due_date
    for _ in policy.escalation_ladder[1:]:
        day = calendar.add_working_days(day, policy.escalation_every_working_days)
        times.append(_at_local(day + timedelta(days=1), time(0, 0), zone))
    return times


def is_night_call(moment: datetime, policy: SlaPolicy) -> bool:
    local = moment.astimezone(ZoneInfo(policy.time_zone)).time()
    start, end = policy.phone_window
    return not (start <= local < end)
