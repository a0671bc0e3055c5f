"""Waiting for a condition that another process brings about (a workflow storing a step): asked
again until it holds, within a bound, never a fixed sleep."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def until(condition: Callable[[], Awaitable[bool]], timeout: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        if loop.time() > deadline:
            raise TimeoutError(f"not reached within {timeout} s")
        await asyncio.sleep(0.02)
