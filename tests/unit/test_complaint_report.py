"""The complaint report (issue 15): every figure over a known set of cases, and, over random
command sequences, the facts the worklist row gives the report equal a recount from the case's
events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import given, settings

from domain.complaint import ComplaintEvent, decide, fold, initial_state
from domain.complaint.events import (
    CaseClosed,
    CaseReopened,
    ClientReplied,
    DeadlineBreached,
    HandlerAssigned,
)
from domain.complaint.report import CaseFacts, complaint_report
from domain.complaint.summary import summarize
from tests.complaint_fixtures import RULES, SHANGHAI, register
from tests.unit.test_complaint_properties import played, steps


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=SHANGHAI)  # November 2026: no holidays


def case(case_id: str, outlet: str, category: str, received: datetime, *,
         replied: datetime | None = None, closed: datetime | None = None,
         reason: str | None = None, extended: bool = False, breached: bool = False,
         reopened: int = 0) -> CaseFacts:
    return CaseFacts(case_id=case_id, outlet=outlet, handler="officer-1", category=category,
                     cause="fees", channel="letter", received_at=received, replied_at=replied,
                     closed_at=closed, close_reason=reason, extended=extended,
                     ever_breached=breached, reopened=reopened)


KNOWN = [
    case("spot", "A", "bank_cards", at(2), closed=at(2, 11), reason="resolved_on_spot"),
    case("on-time", "A", "bank_cards", at(2), replied=at(4, 15), closed=at(4, 16),
         reason="client_satisfied"),  # due at the end of Thu 5 Nov
    case("extended", "A", "loans", at(2), replied=at(10), closed=at(10, 11),
         reason="client_satisfied", extended=True),
    case("breached", "B", "loans", at(2), replied=at(9), breached=True),  # still open
    case("reopened", "B", "bank_cards", at(3), replied=at(6), closed=at(6, 11),
         reason="client_satisfied", reopened=1),
    case("withdrawn", "B", "loans", at(3), closed=at(4), reason="withdrawn"),
]


def test_every_figure_of_a_known_set() -> None:
    report = complaint_report(KNOWN, RULES.calendar, RULES.policy)
    total = report.total
    assert (total.received, total.closed, total.open) == (6, 5, 1)
    assert (total.resolved_on_spot, total.replied_in_time, total.extended) == (1, 2, 1)
    assert (total.breached, total.reopened, total.satisfied, total.withdrawn) == (1, 1, 3, 1)
    assert total.no_response == 0
    # Working days from receipt to closing: 0, 2, 6, 3, 1.
    assert (total.handling_days_average, total.handling_days_p90) == (2.4, 6)
    rows = {(b.dimension, b.value): b.figures for b in report.breakdowns}
    assert (rows["outlet", "A"].received, rows["outlet", "A"].closed) == (3, 3)
    assert (rows["outlet", "B"].received, rows["outlet", "B"].open) == (3, 1)
    assert rows["category", "loans"].breached == 1 and rows["category", "loans"].extended == 1
    assert rows["category", "bank_cards"].replied_in_time == 2
    assert rows["cause", "fees"].received == 6 and rows["channel", "letter"].received == 6
    assert report.policy_version == RULES.policy.version
    empty = complaint_report([], RULES.calendar, RULES.policy)
    assert empty.total.received == 0 and empty.total.handling_days_average is None


def recounted(events: list[ComplaintEvent], extended_by_row: bool) -> dict[str, Any]:
    """The report's facts of a case counted from its events alone."""
    facts: dict[str, Any] = {"ever_breached": False, "reopened": 0, "replied_at": None,
                             "closed_at": None, "close_reason": None, "handler": None}
    for event in events:
        match event:
            case DeadlineBreached():
                facts["ever_breached"] = True
            case CaseReopened():
                facts["reopened"] += 1
                facts["replied_at"] = None
            case ClientReplied():
                facts["replied_at"] = event.at
            case CaseClosed():
                facts["closed_at"], facts["close_reason"] = event.at, event.reason.value
            case HandlerAssigned():
                facts["handler"] = event.handler
    facts["extended"] = any(e.type == "extension_approved" for e in events)
    assert facts["extended"] == extended_by_row
    return facts


@settings(max_examples=300, deadline=None)
@given(steps)
def test_the_worklist_row_gives_the_report_what_the_events_say(sequence: list[Any]) -> None:
    events: list[ComplaintEvent] = list(decide(initial_state(), register(), RULES))
    for _, decided in played(sequence):
        events += decided
    row = summarize(fold(events))  # the state the workflow sends its worklist row from
    from_row = CaseFacts.model_validate({**row.model_dump(),
                                         "extended": row.extension == "approved"})
    recount = recounted(events, from_row.extended)
    assert {k: getattr(from_row, k) for k in recount} == recount
    assert complaint_report([from_row], RULES.calendar, RULES.policy) == complaint_report(
        [from_row.model_copy(update=recount)], RULES.calendar, RULES.policy)
