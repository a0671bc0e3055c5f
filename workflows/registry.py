"""The workflows a worker runs, and the sandbox they run in: what workers register and what
the audit replays histories against."""

from __future__ import annotations

from typing import Any

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from workflows.calendar_change import CalendarChangeWorkflow
from workflows.client import ClientWorkflow
from workflows.complaint import ComplaintWorkflow
from workflows.delivery import DeliveryWorkflow

WORKFLOWS: list[type[Any]] = [ComplaintWorkflow, ClientWorkflow, DeliveryWorkflow,
                              CalendarChangeWorkflow]

# domain/ is pure, so it is safe (and much faster) to share it with the sandbox instead of
# re-importing it for every workflow run; pydantic likewise; and the workflows' own helpers,
# which keep no state of their own (each call works on the current workflow through
# temporalio.workflow). Only the workflow classes' modules are re-executed per run.
SANDBOX_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules(
        "domain", "pydantic", "workflows.names", "workflows.ports",
        "workflows.recording", "workflows.timing", "workflows.requests")
)
