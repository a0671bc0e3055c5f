"""A local SMTP server for the alert bench, in its own process (so that receiving mail does not
share the bench's cores' Python interpreter with the sender): each message it accepts appends
one line, "<unix time> <X-Caseflow-Delivery>", to the file named on the command line."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from typing import Any

from aiosmtpd.controller import Controller

KEY = re.compile(rb"^X-Caseflow-Delivery: (.+?)\r?$", re.MULTILINE)


class Counter:
    def __init__(self, path: str) -> None:
        self._out = open(path, "a", buffering=1)  # noqa: SIM115 (open for the process's life)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        found = KEY.search(envelope.content)
        key = found.group(1).decode() if found else "-"
        self._out.write(f"{time.time():.6f} {key}\n")
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Counter(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
