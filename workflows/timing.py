"""Time inside workflows: the one updatable timer every workflow sleeps on, and the stamp that
makes the workflow's clock the time of record. Runs in the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel
from temporalio import workflow

T = TypeVar("T", bound=BaseModel)


async def sleep_until(at: datetime | None, woken: Callable[[], bool]) -> bool:
    """Sleep until `at` (forever when None) unless `woken()` turns true first. True when the time
    came, False when woken: the caller recomputes its next alarm and sleeps again."""
    if at is None:
        await workflow.wait_condition(woken)
        return False
    delay = at - workflow.now()
    if delay > timedelta(0):
        try:
            await workflow.wait_condition(woken, timeout=delay)
            return False
        except TimeoutError:
            pass
    return True


def stamped(command: T) -> T:
    """The workflow's clock is the time of record: nobody backdates a step."""
    return command.model_copy(update={"at": workflow.now()})
