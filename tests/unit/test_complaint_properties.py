"""Random command sequences never reach an inconsistent complaint state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.access import SLA_CLOCK
from domain.complaint import (
    ComplaintEvent,
    ComplaintState,
    decide,
    evolve,
    fold,
    initial_state,
    next_alarm,
)
from domain.complaint import commands as c
from domain.complaint.model import CloseReason, ExtensionStatus, Status
from domain.errors import DomainError
from domain.sla import deadline_after
from tests.complaint_fixtures import RULES, T0, register

ACTORS = st.sampled_from(["officer-1", "officer-2", "supervisor-1"])


def command_at(kind: str, actor: str, at: Any, flag: bool) -> Any:
    base = {"actor": actor, "at": at}
    match kind:
        case "assign":
            return c.AssignHandler(**base, handler=actor)
        case "findings":
            return c.RecordFindings(**base, summary="s", bank_at_fault=flag,
                                    corrective_action="fix" if flag else None,
                                    corrective_action_owner="head" if flag else None)
        case "ask":
            return c.RequestExtension(**base, reason="r")
        case "decide":
            return c.DecideExtension(**base, approve=flag)
        case "reply":
            return c.ReplyToClient(**base, method="phone", content="x", urgent=flag)
        case "feedback":
            return c.RecordFeedback(**base, satisfied=flag, opinion="o",
                                    follow_up=None if flag else "reopen")
        case "withdraw":
            return c.Withdraw(**base, reason="r")
        case "spot":
            return c.ResolveOnSpot(**base, resolution="r")
        case "escalate":
            return c.Escalate(**base, reason="beyond_authority", to="dept", details="d")
        case "clock":
            return None  # filled in from next_alarm
    raise AssertionError(kind)


steps = st.lists(
    st.tuples(
        # Weighted so that long cases are common: closing steps are rare, handling steps frequent.
        st.sampled_from(["assign", "assign", "assign", "findings", "findings", "ask", "ask", "ask",
                         "decide", "decide", "decide", "reply", "reply", "feedback", "feedback",
                         "escalate", "clock", "clock", "clock"] * 4 + ["withdraw", "spot"]),
        ACTORS,
        st.integers(min_value=0, max_value=30),  # hours to advance
        st.booleans(),
    ),
    max_size=40,
)


def check_invariants(state: ComplaintState, approvals: int) -> None:
    assert approvals <= 1, "two approved extensions"
    if state.status == Status.CLOSED:
        assert state.close_reason is not None
        if state.close_reason == CloseReason.CLIENT_SATISFIED:
            assert state.replies >= 1 and state.satisfied, "closed satisfied with no reply"
    assert state.deadline is not None
    assert state.received_at is not None
    if state.reopened == 0:
        ceiling = deadline_after(state.received_at, RULES.policy.max_extended_working_days,
                                 RULES.calendar, RULES.policy)
        assert state.deadline.due_at <= ceiling.due_at, "deadline past 7 working days"
    if state.extension == ExtensionStatus.APPROVED and state.reopened == 0:
        assert state.deadline.working_days == 7
    if state.status == Status.REPLIED:
        assert state.reply is not None
    if state.breached:
        assert state.escalation_level >= 1


def played(sequence: list[Any]) -> Iterator[tuple[ComplaintState, list[ComplaintEvent]]]:
    """Take a generated sequence on a registered case: after each step the domain accepted,
    the state and the events it decided (refused steps change nothing and are skipped; the
    "clock" steps take whatever alarm is due)."""
    state = fold(decide(initial_state(), register(), RULES))
    now = T0
    for kind, actor, hours, flag in sequence:
        now = now + timedelta(hours=hours)
        if now.year > 2026:
            return
        command = command_at(kind, actor, now, flag)
        if command is None:
            alarm = next_alarm(state, now, RULES)
            if alarm is None or alarm.at > now:
                continue
            command = alarm.command(actor=SLA_CLOCK.name, at=now)
        try:
            events = decide(state, command, RULES)
        except DomainError:
            continue
        for event in events:
            state = evolve(state, event)
        yield state, events


@settings(max_examples=1000, deadline=None)
@given(steps)
def test_random_sequences_keep_the_case_consistent(sequence: list[Any]) -> None:
    first = fold(decide(initial_state(), register(), RULES))
    approvals = 0
    due = first.deadline.due_at if first.deadline else None
    rounds = 0  # a reopening starts a new handling round with its own fresh 3-day deadline
    for state, events in played(sequence):
        approvals += sum(event.type == "extension_approved" for event in events)
        check_invariants(state, approvals)
        assert state.deadline is not None and due is not None
        if state.reopened == rounds:
            assert state.deadline.due_at >= due, "the deadline moved earlier within a round"
        rounds = state.reopened
        due = state.deadline.due_at
