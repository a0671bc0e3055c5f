"""Who is told what when the client's clock raises an alarm. Texts carry ids only."""

from __future__ import annotations

from collections.abc import Sequence

from domain.client.events import (
    CareDue,
    ClientEvent,
    ClosureRequested,
    ContactDue,
    ContactOverdue,
    ReassessmentDue,
    ReviewDue,
)
from domain.client.state import ClientState
from domain.notifications import Notification

_SUBJECTS = {
    ContactDue: "Contact due",
    ContactOverdue: "Contact OVERDUE",
    ReviewDue: "Portfolio review due",
    ReassessmentDue: "Tier re-assessment due",
}


def notifications_for(
    state: ClientState, events: Sequence[ClientEvent], stream_id: str
) -> list[Notification]:
    out: list[Notification] = []
    for event in events:
        if isinstance(event, ContactDue | ContactOverdue | ReviewDue | ReassessmentDue):
            out.append(Notification(
                kind=event.type, stream_id=stream_id, recipients=event.alerted,
                subject=f"{_SUBJECTS[type(event)]}: client {state.client_id}",
                body=f"Due {event.due_at.isoformat()}."))
        elif isinstance(event, CareDue):
            out.append(Notification(
                kind=event.type, stream_id=stream_id, recipients=event.alerted,
                subject=f"Care: {event.occasion.value.replace('_', ' ')} of client "
                        f"{state.client_id} on {event.day.isoformat()}",
                body="Prepare a greeting (respect the client's contact preference)."))
        elif isinstance(event, ClosureRequested) and event.retention_by != "none":
            out.append(Notification(
                kind="retention_needed", stream_id=stream_id, recipients=(event.retention_by,),
                subject=f"Client {state.client_id} asked to close {event.account}",
                body="A premium client's closure: attempt retention and record the outcome."))
    return out
