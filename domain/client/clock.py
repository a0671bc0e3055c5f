"""The client's clock: which reminder or alert is due next, and when. Pure; the workflow sleeps
until the earliest and then sends a ClockTick, which `decide` turns into these events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from domain.client.events import (
    CareDue,
    ClientEvent,
    ContactDue,
    ContactOverdue,
    MaturityContactDue,
    MaturityMissed,
    MeetingMissed,
    MeetingReminder,
    ReassessmentDue,
    ReviewDue,
    SurveyDue,
)
from domain.client.model import (
    CareOccasion,
    ContactPreference,
    Maturity,
    Stage,
    month_day_date,
)
from domain.client.policy import ClientPolicy
from domain.client.state import ClientState
from domain.notifications import role_at


@dataclass(frozen=True)
class ClientAlarm:
    at: datetime
    kind: (type[ContactDue] | type[ContactOverdue] | type[ReviewDue] | type[ReassessmentDue]
           | type[CareDue] | type[MeetingReminder] | type[MeetingMissed]
           | type[MaturityContactDue] | type[MaturityMissed] | type[SurveyDue])
    due_at: datetime
    occasion: CareOccasion | None = None
    day: date | None = None
    maturity: Maturity | None = None


ContactKind = Literal["meeting", "follow_up", "planned", "cadence", "after_sale"]


def next_contact_due(state: ClientState, policy: ClientPolicy) -> datetime | None:
    """When the manager must next contact the client, or None when nothing is planned."""
    due = next_contact(state, policy)
    return due[0] if due else None


def next_contact(state: ClientState, policy: ClientPolicy
                 ) -> tuple[datetime, ContactKind] | None:
    """The next contact and what it is: the agreed meeting, the follow-up plan's next attempt,
    a contact planned at a meeting or asked by an account event, the tier's cadence, or the
    after-sale care of a client in serve."""
    if state.stage == Stage.CONTACT and state.meeting_at is not None:
        return state.meeting_at, "meeting"
    if state.stage == Stage.CONTACT and not state.follow_up_abandoned and not state.meeting_agreed:
        if state.attempts < len(state.follow_up_due):
            day = state.follow_up_due[state.attempts]
            assert state.assessed_at is not None
            return datetime.combine(day, state.assessed_at.timetz()), "follow_up"
        return None
    if state.next_contact_at is not None and (
        state.last_contact_at is None or state.next_contact_at > state.last_contact_at
    ):
        return state.next_contact_at, "planned"
    every = policy.contact_every_days(state.tier, state.preference) if state.tier else None
    kind: ContactKind = "cadence"
    if state.stage == Stage.SERVE and policy.serve_contact_every_days is not None:
        kind = "cadence" if every else "after_sale"
        every = every or policy.serve_contact_every_days
    elif state.stage == Stage.CONTACT and policy.after_meeting_contact_every_days is not None:
        kind, every = "follow_up", policy.after_meeting_contact_every_days
    elif state.stage != Stage.MAINTAIN:
        every = None  # (the first client policy planned no contact in serve)
    if every is None:
        return None
    since = state.last_contact_at or state.assessed_at
    assert since is not None
    return since + timedelta(days=every), kind


def supervisor(state: ClientState) -> str:
    """The supervisors of the client's outlet (the manager's supervisors)."""
    return role_at("supervisor", state.outlet)


def pending_alarms(state: ClientState, policy: ClientPolicy) -> list[ClientAlarm]:
    if state.stage in (Stage.NEW, Stage.LOST):
        return []
    alarms: list[ClientAlarm] = []
    due = next_contact_due(state, policy)
    if due is not None and due == state.meeting_at and policy.meeting_reminder_hours:
        # An agreed meeting: the manager is reminded before it; not recorded by the end of its
        # day, it is missed.
        if state.meeting_reminded_for != due:
            alarms.append(ClientAlarm(due - timedelta(hours=policy.meeting_reminder_hours),
                                      MeetingReminder, due))
        alarms.append(ClientAlarm(_end_of_day(due, policy), MeetingMissed, due))
    elif due is not None:
        if state.reminded_for != due:
            alarms.append(ClientAlarm(due, ContactDue, due))
        elif state.escalated_for != due:
            late = due + timedelta(days=policy.overdue_escalation_days)
            alarms.append(ClientAlarm(late, ContactOverdue, due))
    cadence = policy.cadences.get(state.tier) if state.tier else None
    if state.stage == Stage.MAINTAIN and cadence is not None:
        since = state.last_review_at or state.assessed_at
        assert since is not None
        review = since + timedelta(days=cadence.review_every_days)
        if state.review_reminded_for != review:
            alarms.append(ClientAlarm(review, ReviewDue, review))
    if state.stage == Stage.MAINTAIN and state.tier is not None and state.tier.is_premium:
        care = next_care(state, policy)
        if care is not None:
            alarms.append(care)
    for maturity in state.maturities:  # (client-policy-2026.3)
        if not maturity.reminded:
            alarms.append(ClientAlarm(maturity.contact_at, MaturityContactDue,
                                      maturity.contact_at, maturity=maturity))
        else:
            end = _end_of_day(datetime.combine(maturity.matures_on, time(12, 0),
                                               ZoneInfo(policy.care.time_zone)), policy)
            alarms.append(ClientAlarm(end, MaturityMissed, end, maturity=maturity))
    survey = next_survey_due(state, policy)
    if survey is not None:
        alarms.append(ClientAlarm(survey, SurveyDue, survey))
    assert state.assessed_at is not None
    reassess = state.assessed_at + timedelta(days=policy.reassess_every_days)
    if state.reassess_reminded_for != reassess:
        alarms.append(ClientAlarm(reassess, ReassessmentDue, reassess))
    return sorted(alarms, key=lambda a: a.at)


def next_survey_due(state: ClientState, policy: ClientPolicy) -> datetime | None:
    """When the tier's next satisfaction survey of a maintained client falls due (None while
    one is due and not recorded): the policy's days after the last one fell due, or after the
    assessment."""
    every = policy.survey_every_days.get(state.tier) if state.tier else None
    if every is None or state.stage != Stage.MAINTAIN or state.survey_due_at is not None:
        return None
    since = state.survey_reminded_for or state.assessed_at
    assert since is not None
    return since + timedelta(days=every)


def next_care(state: ClientState, policy: ClientPolicy) -> ClientAlarm | None:
    """The next care reminder after the last one raised (or after identification): the
    client's birthday and the festivals of the policy, `remind_days_before` at `remind_hour`."""
    plan = policy.care
    zone = ZoneInfo(plan.time_zone)
    assert state.assessed_at is not None
    after = state.care_reminded or (state.assessed_at, "~")  # "~": after every occasion name
    first_year = after[0].astimezone(zone).year
    candidates: list[tuple[datetime, str, date]] = []
    for year in (first_year, first_year + 1, first_year + 2):
        days = [(CareOccasion(o), d) for o, dates in plan.festivals.items()
                for d in dates if d.year == year]
        if state.birthday is not None:
            days.append((CareOccasion.BIRTHDAY, month_day_date(state.birthday, year)))
        for occasion, day in days:
            at = plan.reminder_at(day, plan.remind_days_before)
            if (at, occasion.value) > after:
                candidates.append((at, occasion.value, day))
    if not candidates:
        return None
    at, name, day = min(candidates)
    return ClientAlarm(at, CareDue, at, CareOccasion(name), day)


def _end_of_day(moment: datetime, policy: ClientPolicy) -> datetime:
    zone = ZoneInfo(policy.care.time_zone)
    day = moment.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def next_client_alarm(state: ClientState, policy: ClientPolicy) -> ClientAlarm | None:
    alarms = pending_alarms(state, policy)
    return alarms[0] if alarms else None


def due_now(
    state: ClientState, policy: ClientPolicy, now: datetime, actor: str
) -> list[ClientEvent]:
    """Events for every alarm due at `now` (a late wake raises them all, in order)."""
    events: list[ClientEvent] = []
    manager = (state.manager or role_at("outlet_head", state.outlet),)
    for alarm in pending_alarms(state, policy):
        if alarm.at > now:
            break
        if alarm.kind is CareDue:
            assert alarm.occasion is not None and alarm.day is not None
            written = (policy.do_not_disturb_care_written
                       and state.preference == ContactPreference.DO_NOT_DISTURB)
            events.append(CareDue(actor=actor, at=now, occasion=alarm.occasion, day=alarm.day,
                                  due_at=alarm.due_at, alerted=manager, written_only=written))
            continue
        if alarm.kind is MaturityContactDue or alarm.kind is MaturityMissed:
            m = alarm.maturity
            assert m is not None
            if alarm.kind is MaturityContactDue:
                events.append(MaturityContactDue(
                    actor=actor, at=now, event_id=m.event_id, product=m.product,
                    matures_on=m.matures_on, due_at=alarm.due_at, alerted=manager))
            else:
                events.append(MaturityMissed(
                    actor=actor, at=now, event_id=m.event_id, product=m.product,
                    matures_on=m.matures_on, alerted=(*manager, supervisor(state))))
            continue
        if alarm.kind is SurveyDue:
            events.append(SurveyDue(actor=actor, at=now, due_at=alarm.due_at, alerted=manager))
            continue
        if alarm.kind is MeetingReminder:
            events.append(MeetingReminder(actor=actor, at=now, meeting_at=alarm.due_at,
                                          place=state.meeting_place, alerted=manager))
            continue
        if alarm.kind is MeetingMissed:
            zone = ZoneInfo(policy.care.time_zone)
            events.append(MeetingMissed(
                actor=actor, at=now, meeting_at=alarm.due_at,
                next_attempt_on=now.astimezone(zone).date(),
                alerted=(*manager, supervisor(state))))
            break  # the plan changed: what is due next is counted again on the next tick
        alerted = (*manager, supervisor(state)) if alarm.kind is ContactOverdue else manager
        reminder: type[ContactDue | ContactOverdue | ReviewDue | ReassessmentDue]
        reminder = alarm.kind  # type: ignore[assignment]  # the others were handled above
        events.append(reminder(actor=actor, at=now, due_at=alarm.due_at, alerted=alerted))
    return events
