"""Who is told what when the client's clock raises an alarm. Facts carry ids only."""

from __future__ import annotations

from collections.abc import Sequence

from domain.client.events import (
    CareDue,
    ClientEvent,
    ClosureRequested,
    ContactDue,
    ContactOverdue,
    MaturityContactDue,
    MaturityMissed,
    MeetingMissed,
    MeetingReminder,
    ReassessmentDue,
    RetentionAttempted,
    ReviewDue,
    SurveyDue,
)
from domain.client.state import ClientState
from domain.notifications import Notification, role_at


def recipient(address: str, state: ClientState) -> str:
    """An address the organisation can resolve: older histories' placeholders ("outlet-head",
    "supervisor-of:<manager>") and a retention's bare "outlet_head" read as the outlet's."""
    if address in ("outlet-head", "outlet_head"):
        return role_at("outlet_head", state.outlet)
    if address.startswith("supervisor-of:"):
        return role_at("supervisor", state.outlet)
    return address


def notifications_for(
    state: ClientState, events: Sequence[ClientEvent], stream_id: str
) -> list[Notification]:
    out: list[Notification] = []
    client = state.client_id or ""

    def note(kind: str, to: Sequence[str], **facts: str) -> None:
        out.append(Notification(
            kind=kind, stream_id=stream_id, unit=state.outlet,
            recipients=tuple(dict.fromkeys(recipient(a, state) for a in to)),
            facts={"client_id": client, **facts}))

    for event in events:
        if isinstance(event, ContactDue | ContactOverdue | ReviewDue | ReassessmentDue
                      | SurveyDue):
            note(event.type, event.alerted, due_at=event.due_at.isoformat())
        elif isinstance(event, CareDue):
            note(event.type, event.alerted, occasion=event.occasion.value,
                 day=event.day.isoformat(), **({"written_only": "yes"} if event.written_only
                                               else {}))
        elif isinstance(event, MeetingReminder | MeetingMissed):
            note(event.type, event.alerted, meeting_at=event.meeting_at.isoformat(),
                 **({"place": event.place} if isinstance(event, MeetingReminder)
                    and event.place else {}))
        elif isinstance(event, MaturityContactDue | MaturityMissed):
            note(event.type, event.alerted, day=event.matures_on.isoformat(),
                 **({"product": event.product} if event.product else {}))
        elif isinstance(event, ClosureRequested) and event.retention_by != "none":
            note("retention_needed", (event.retention_by,), account=event.account)
        elif isinstance(event, RetentionAttempted) and event.level == "manager" and \
                not event.retained and state.closing_account is not None:
            # The manager's attempt failed: the second one is the outlet head's.
            note("retention_needed", (role_at("outlet_head", state.outlet),),
                 account=state.closing_account, second="yes")
    return out
