"""The production worker (`worker.main`) with a kill switch for fault tests.

CASEFLOW_KILL_AT="<before|after>:<activity type>:<n>" makes the process SIGKILL itself right
before the n-th execution of that activity starts, or right after it returned (its effects
committed, its result not yet reported to Temporal): a crash at the worst moment, on demand.
"""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

from temporalio import activity
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

import worker


class KillSwitch(Interceptor):
    def __init__(self, spec: str) -> None:
        when, self.activity_type, count = spec.split(":")
        self.before = when == "before"
        self.at = int(count)
        self.seen = 0

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Inbound(next, self)


class _Inbound(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, switch: KillSwitch) -> None:
        super().__init__(next)
        self._switch = switch

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        switch = self._switch
        armed = False
        if activity.info().activity_type == switch.activity_type:
            switch.seen += 1
            armed = switch.seen == switch.at
        if armed and switch.before:
            os.kill(os.getpid(), signal.SIGKILL)
        result = await super().execute_activity(input)
        if armed:
            os.kill(os.getpid(), signal.SIGKILL)
        return result


if __name__ == "__main__":
    spec = os.environ.get("CASEFLOW_KILL_AT")
    asyncio.run(worker.main(interceptors=[KillSwitch(spec)] if spec else []))
