"""The messages of ComplaintWorkflow: its input, its update payload, its view.

Kept out of the workflow module on purpose: the sandbox re-executes a workflow's module for every
run, and building pydantic models there cost about 2,000 code compilations per 40 runs (measured
with bench/complaint_throughput.py). This module is shared with the sandbox instead.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from temporalio.exceptions import ApplicationError

from domain.calendar import BusinessCalendar
from domain.complaint import ComplaintState
from domain.complaint.commands import OfficerCommand, RegisterComplaint
from domain.errors import DomainError
from domain.sla import SlaPolicy


def workflow_id(case_id: str) -> str:
    return f"complaint-{case_id}"


class ComplaintInput(BaseModel):
    """Everything a case needs to decide on its own, fixed at start so replay reproduces it."""

    model_config = ConfigDict(frozen=True)

    registration: RegisterComplaint
    calendar: BusinessCalendar
    policy: SlaPolicy


class CommandRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    command: OfficerCommand


class ComplaintView(BaseModel):
    model_config = ConfigDict(frozen=True)

    state: ComplaintState
    next_alarm: str | None
    next_alarm_at: datetime | None


def rejection(error: DomainError) -> ApplicationError:
    return ApplicationError(str(error), error.rule, type=type(error).__name__, non_retryable=True)
