"""The client's clock: which reminder or alert is due next, and when. Pure; the workflow sleeps
until the earliest and then sends a ClockTick, which `decide` turns into these events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.client.events import (
    ClientEvent,
    ContactDue,
    ContactOverdue,
    ReassessmentDue,
    ReviewDue,
)
from domain.client.model import Stage
from domain.client.policy import ClientPolicy
from domain.client.state import ClientState


@dataclass(frozen=True)
class ClientAlarm:
    at: datetime
    kind: type[ContactDue] | type[ContactOverdue] | type[ReviewDue] | type[ReassessmentDue]
    due_at: datetime


def next_contact_due(state: ClientState, policy: ClientPolicy) -> datetime | None:
    """When the manager must next contact the client, or None when nothing is planned."""
    if state.stage == Stage.CONTACT and not state.follow_up_abandoned and not state.meeting_agreed:
        if state.attempts < len(state.follow_up_due):
            due = state.follow_up_due[state.attempts]
            assert state.assessed_at is not None
            return datetime.combine(due, state.assessed_at.timetz())
        return None
    if state.next_contact_at is not None and (
        state.last_contact_at is None or state.next_contact_at > state.last_contact_at
    ):
        return state.next_contact_at
    cadence = policy.cadences.get(state.tier) if state.tier else None
    if state.stage == Stage.MAINTAIN and cadence is not None:
        since = state.last_contact_at or state.assessed_at
        assert since is not None
        return since + timedelta(days=cadence.contact_every_days)
    return None


def supervisor(state: ClientState) -> str:
    return f"supervisor-of:{state.manager or 'unassigned'}"


def pending_alarms(state: ClientState, policy: ClientPolicy) -> list[ClientAlarm]:
    if state.stage in (Stage.NEW, Stage.LOST):
        return []
    alarms: list[ClientAlarm] = []
    due = next_contact_due(state, policy)
    if due is not None:
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
    assert state.assessed_at is not None
    reassess = state.assessed_at + timedelta(days=policy.reassess_every_days)
    if state.reassess_reminded_for != reassess:
        alarms.append(ClientAlarm(reassess, ReassessmentDue, reassess))
    return sorted(alarms, key=lambda a: a.at)


def next_client_alarm(state: ClientState, policy: ClientPolicy) -> ClientAlarm | None:
    alarms = pending_alarms(state, policy)
    return alarms[0] if alarms else None


def due_now(
    state: ClientState, policy: ClientPolicy, now: datetime, actor: str
) -> list[ClientEvent]:
    """Events for every alarm due at `now` (a late wake raises them all, in order)."""
    events: list[ClientEvent] = []
    manager = (state.manager or "outlet-head",)
    for alarm in pending_alarms(state, policy):
        if alarm.at > now:
            break
        alerted = (*manager, supervisor(state)) if alarm.kind is ContactOverdue else manager
        events.append(alarm.kind(actor=actor, at=now, due_at=alarm.due_at, alerted=alerted))
    return events
