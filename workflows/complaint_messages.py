"""The messages of ComplaintWorkflow: its input, its update payload, its view.

Kept out of the workflow module on purpose: the sandbox re-executes a workflow's module for every
run, and building pydantic models there cost about 2,000 code compilations per 40 runs (measured
with bench/complaint_throughput.py). This module is shared with the sandbox instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from domain.access import Principal, check_complaint_step
from domain.calendar import BusinessCalendar
from domain.complaint import ComplaintState
from domain.complaint.commands import OfficerCommand, RegisterComplaint, ReplyToClient
from domain.complaint.model import ReplyMethod
from domain.sla import SlaPolicy


def workflow_id(case_id: str) -> str:
    return f"complaint-{case_id}"


class ComplaintInput(BaseModel):
    """Everything a case needs to decide on its own, fixed at start so replay reproduces it."""

    model_config = ConfigDict(frozen=True)

    registration: RegisterComplaint
    calendar: BusinessCalendar
    policy: SlaPolicy
    client_followed: bool = True
    """Whether the client had a running relationship workflow when the case was registered:
    only then does the case tell it of its changes (cases from before this field: True)."""


class CommandRequest(BaseModel):
    """`by`: who sends the step (the authenticated user, set by the API or CLI from a token, or
    one of caseflow's own principals); the workflow checks their role and outlet against the
    case. Optional only so that histories recorded before roles still decode: a new request
    without it is refused (`no_principal`)."""

    model_config = ConfigDict(frozen=True)

    command: OfficerCommand
    by: Principal | None = None


LETTER_METHODS = (ReplyMethod.LETTER, ReplyMethod.FAX)


def confirm_letter(fields: dict[str, Any], by: Principal) -> dict[str, Any]:
    """A reply's fields as the acting user sends it: a letter or fax is confirmed by its sender,
    whom `authorize` then requires to be the outlet head (never a name the caller types)."""
    if fields.get("method") in LETTER_METHODS:
        return {**fields, "confirmed_by_outlet_head": by.name}
    return fields


def authorize(request: CommandRequest, state: ComplaintState) -> None:
    """Raise AccessDeniedError unless `request.by` may take this step on this case (a request
    that names no sender never may)."""
    command = request.command
    letter = isinstance(command, ReplyToClient) and command.method in LETTER_METHODS
    check_complaint_step(request.by, command.actor, state.outlet, command.kind,
                         letter_reply=letter, holder=state.held_by)


class ComplaintView(BaseModel):
    model_config = ConfigDict(frozen=True)

    state: ComplaintState
    next_alarm: str | None
    next_alarm_at: datetime | None
