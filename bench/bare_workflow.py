"""The baseline for the complaint benchmark: a bare workflow that takes the same updates and calls
a no-op activity for its start and for each update. Nothing else: no domain, no store."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import activity, workflow


@activity.defn(name="noop")
async def noop(step: str) -> None:
    return None


@workflow.defn(name="BareWorkflow")
class BareWorkflow:
    def __init__(self) -> None:
        self._closed = False
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, case_id: str) -> None:
        await workflow.execute_activity(noop, "start", start_to_close_timeout=timedelta(seconds=30))
        await workflow.wait_condition(lambda: self._closed)
        await workflow.wait_condition(workflow.all_handlers_finished)

    @workflow.update(name="command")
    async def command(self, step: str) -> str:
        async with self._lock:
            await workflow.execute_activity(noop, step,
                                            start_to_close_timeout=timedelta(seconds=30))
            if step == "close":
                self._closed = True
        return step

    @command.validator
    def validate_command(self, step: str) -> None:
        if self._closed:
            raise ValueError("closed")


@workflow.defn(name="BareLongLivedWorkflow")
class BareLongLivedWorkflow:
    """Baseline for the client benchmark: open for a long time, one timer, nothing else."""

    @workflow.run
    async def run(self, client_id: str) -> None:
        await workflow.sleep(timedelta(days=30))


@workflow.defn(name="BareTimerWorkflow")
class BareTimerWorkflow:
    """The baseline: sleep until an instant, then complete."""

    @workflow.run
    async def run(self, at: datetime) -> None:
        await workflow.sleep(max(at - workflow.now(), timedelta(0)))


@workflow.defn(name="BareSendWorkflow")
class BareSendWorkflow:
    """Baseline for the alert benchmark: a workflow whose one activity sends one e-mail (the
    activity is the bench's own, registered with the recipient and text): Temporal's floor for
    "a message delivered through a workflow", without resolving, records or templates."""

    @workflow.run
    async def run(self, key: str) -> None:
        await workflow.execute_activity("bare_send", key,
                                        start_to_close_timeout=timedelta(seconds=60))
