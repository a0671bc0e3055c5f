"""The complaint SLA as data, and the pure deadline arithmetic it drives.

Bank rule (seed 001, slide 62): resolve on the spot where possible; otherwise reply to the client
within 3 working days; with the supervising department's approval, at most 7 working days. The
deadline is the end of the N-th working day after the day of receipt, in the bank's time zone; the
day of receipt is day 0 whether or not it is a working day (policy sla-2026.2 on; sla-2026.1
counted from the first working day on or after receipt, and cases opened under it keep that).
Days in a year the calendar does not cover are counted on weekends alone, and the deadline says
so (`provisional_years`) until the bank's calendar for that year reaches the case.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.calendar import BusinessCalendar


class Rung(StrEnum):
    """Who is alerted, in order, while a case stays open past its deadline."""

    SUPERVISOR = "supervisor"
    OUTLET_HEAD = "outlet_head"
    SERVICE_MANAGEMENT = "service_management_department"


class DayZero(StrEnum):
    """Which day the working days are counted after."""

    RECEIPT = "receipt"
    """The day of receipt, whether or not it is a working day (the bank's rule as stated)."""
    FIRST_WORKING_DAY = "first_working_day"
    """The first working day on or after receipt (sla-2026.1, before the rule was stated)."""


FIRST_POLICY_VERSION = "sla-2026.1"
VERSIONS_BEFORE_FEEDBACK = frozenset({FIRST_POLICY_VERSION, "sla-2026.2"})
VERSIONS_BEFORE_OUTER_CLOCKS = VERSIONS_BEFORE_FEEDBACK | {"sla-2026.3"}
"""Policies before sla-2026.4: no regulator's clock, no satisfaction follow-up, corrective
actions and media details not followed (their cases replay as they ran)."""


class SlaPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str = "sla-2026.4"
    day_zero: DayZero = DayZero.RECEIPT
    time_zone: str = "Asia/Shanghai"
    reply_working_days: int = Field(default=3, ge=1, le=60)
    max_extended_working_days: int = Field(default=7, ge=1, le=60)
    warning_local_time: time = time(9, 0)
    """The warning comes on the deadline's last working day at this local time."""
    escalation_ladder: tuple[Rung, ...] = Field(
        default=(Rung.OUTLET_HEAD, Rung.SERVICE_MANAGEMENT), min_length=1
    )
    """At breach the handler and supervisor are alerted and the case escalates to the first rung;
    each further `escalation_every_working_days` it climbs one more (seed 000 L541)."""
    escalation_every_working_days: int = Field(default=1, ge=1, le=60)
    phone_window: tuple[time, time] = (time(8, 0), time(21, 0))
    """Phone replies outside this local window are night calls: only with consent or urgency."""
    feedback_reminder_working_days: int | None = Field(default=2, ge=1, le=60)
    """After the reply, the handler is reminded at the warning time of this working day if the
    client's opinion is not recorded yet (None: no reminder; policies before sla-2026.3)."""
    no_response_close_working_days: int | None = Field(default=5, ge=1, le=60)
    """After the reply, a case whose client's opinion never came is closed as "no response" at
    the end of this working day (None: it waits; policies before sla-2026.3)."""

    regulatory_days: int | None = Field(default=15, ge=1, le=90)
    """The regulator's outer clock: the bank decides and tells the client within this many
    calendar days after the day of receipt (day 0), whatever the working-day SLA says; it stops
    at the first reply (None: no such clock; policies before sla-2026.4)."""
    regulatory_extended_days: int = Field(default=30, ge=1, le=180)
    """With a supervisor's approval, for a complex case: at most this many calendar days."""
    regulatory_warning_days: int = Field(default=3, ge=0, le=30)
    """The regulator's clock warns at the warning time this many calendar days before its
    last day."""
    satisfaction_follow_up_working_days: int | None = Field(default=5, ge=1, le=60)
    """After a case closes on a reply (client satisfied, or no response), the handler follows
    up whether the client is satisfied with the result, this many working days later (seed 000;
    None: no follow-up, policies before sla-2026.4)."""
    corrective_actions_followed: bool = True
    """A fault needs its responsible party, apology, remedy and a corrective action with a due
    date, whose own clock raises an alarm when it is overdue (False before sla-2026.4)."""
    media_details_required: bool = True
    """A media-attention escalation records the media outlet, the questions and who was
    informed (False before sla-2026.4)."""

    @field_validator("time_zone")
    @classmethod
    def _a_real_time_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ValueError, ZoneInfoNotFoundError) as exc:
            raise ValueError(f"{zone!r} is not a time zone (e.g. Asia/Shanghai)") from exc
        return zone

    @model_validator(mode="before")
    @classmethod
    def _earlier_versions_keep_their_rules(cls, data: Any) -> Any:
        """Cases recorded under sla-2026.1 carry no `day_zero`: they keep its counting. Cases
        recorded before sla-2026.3 carry no after-reply periods: they keep waiting for the
        client's opinion (so their histories replay as they ran)."""
        if not isinstance(data, dict) or data.get("version") not in VERSIONS_BEFORE_OUTER_CLOCKS:
            return data
        data = {"regulatory_days": None, "satisfaction_follow_up_working_days": None,
                "corrective_actions_followed": False, "media_details_required": False, **data}
        if data.get("version") not in VERSIONS_BEFORE_FEEDBACK:
            return data
        data = {"feedback_reminder_working_days": None, "no_response_close_working_days": None,
                **data}
        if "day_zero" not in data and data.get("version") == FIRST_POLICY_VERSION:
            data["day_zero"] = DayZero.FIRST_WORKING_DAY
        return data

    @model_validator(mode="after")
    def _close_after_the_reminder(self) -> SlaPolicy:
        remind, close = self.feedback_reminder_working_days, self.no_response_close_working_days
        if remind is not None and close is not None and close <= remind:
            raise ValueError("the no-response close comes after the feedback reminder")
        if self.regulatory_days is not None and (
                self.regulatory_extended_days <= self.regulatory_days
                or self.regulatory_warning_days >= self.regulatory_days):
            raise ValueError("the regulator's extended period is longer than its period, and "
                             "its warning comes before the period ends")
        return self


class Deadline(BaseModel):
    """A deadline in force, with what computed it, so replay shows the same instants."""

    model_config = ConfigDict(frozen=True)

    working_days: int
    due_date: date
    due_at: AwareDatetime
    warning_at: AwareDatetime
    counted_from: date
    """Day 0 of the count."""
    calendar_version: str
    policy_version: str
    received_on: date | None = None
    """The local day the count starts from (receipt, or reopening); deadlines recorded before
    this field start from `counted_from`."""
    provisional_years: tuple[int, ...] = ()
    """Years the calendar did not cover, counted on weekends alone: the deadline is provisional
    until the bank's schedule for them reaches the case."""

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def start_day(self) -> date:
        return self.received_on or self.counted_from


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _at_local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    """Midnight after `day`, local: a deadline "by the end of" that day."""
    return _at_local(day + timedelta(days=1), time(0, 0), zone)


def deadline_after(
    start: datetime, working_days: int, calendar: BusinessCalendar, policy: SlaPolicy
) -> Deadline:
    """The end of the `working_days`-th working day after the local day of `start`."""
    return deadline_from(local_date(start, ZoneInfo(policy.time_zone)), working_days, calendar,
                         policy)


def deadline_from(
    start_day: date, working_days: int, calendar: BusinessCalendar, policy: SlaPolicy
) -> Deadline:
    zone = ZoneInfo(policy.time_zone)
    assumed: tuple[int, ...] = ()
    day0 = start_day
    if policy.day_zero == DayZero.FIRST_WORKING_DAY:
        day0, assumed = calendar.first_working_day_or_assumed(start_day)
    due_date, counted = calendar.count_working_days(day0, working_days)
    return Deadline(
        working_days=working_days,
        due_date=due_date,
        due_at=_end_of(due_date, zone),
        warning_at=_at_local(due_date, policy.warning_local_time, zone),
        counted_from=day0,
        calendar_version=calendar.version,
        policy_version=policy.version,
        received_on=start_day,
        provisional_years=tuple(sorted(set(assumed) | set(counted))),
    )


def regulatory_period(received_at: datetime, days: int, policy: SlaPolicy
                      ) -> tuple[datetime, datetime]:
    """(due, warning) of the regulator's clock: the end of the `days`-th calendar day after
    the local day of receipt (day 0), and the warning time `regulatory_warning_days` before
    that last day."""
    zone = ZoneInfo(policy.time_zone)
    last_day = local_date(received_at, zone) + timedelta(days=days)
    warning_day = last_day - timedelta(days=policy.regulatory_warning_days)
    return _end_of(last_day, zone), _at_local(warning_day, policy.warning_local_time, zone)


def end_of_local_day(day: date, policy: SlaPolicy) -> datetime:
    return _end_of(day, ZoneInfo(policy.time_zone))


def recomputed(deadline: Deadline, calendar: BusinessCalendar, policy: SlaPolicy) -> Deadline:
    """The same deadline (same start, same number of working days) on another calendar."""
    return deadline_from(deadline.start_day, deadline.working_days, calendar, policy)


def escalation_times(
    deadline: Deadline, calendar: BusinessCalendar, policy: SlaPolicy
) -> list[datetime]:
    """When each rung of the ladder is alerted: rung 0 at breach, then one every N working days."""
    zone = ZoneInfo(policy.time_zone)
    times = [deadline.due_at]
    day = deadline.due_date
    for _ in policy.escalation_ladder[1:]:
        day, _assumed = calendar.count_working_days(day, policy.escalation_every_working_days)
        times.append(_end_of(day, zone))
    return times


def is_night_call(moment: datetime, policy: SlaPolicy) -> bool:
    local = moment.astimezone(ZoneInfo(policy.time_zone)).time()
    start, end = policy.phone_window
    return not (start <= local < end)
