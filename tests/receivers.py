"""Real local servers that receive what caseflow sends: an SMTP server (aiosmtpd) and an HTTP
receiver for webhooks (uvicorn). Used by the delivery tests, the benchmark and `./dev.sh up`'s
mail sink is the same aiosmtpd."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from fastapi import FastAPI, Request

from caseflow.runtime.processes import free_port


class Mailbox:
    """An aiosmtpd handler that keeps every message. It refuses the addresses in `refuse` with a
    550 at RCPT and the messages to those in `reject_content` with a 554 after DATA (permanent
    failures), and answers a message to an address in `defer` with a 451 (try again later) as
    many times as `defer` says."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.reject_content: set[str] = set()
        self.defer: dict[str, int] = {}

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if set(envelope.rcpt_tos) & self.reject_content:
            return "554 5.6.0 message content rejected"
        for address in envelope.rcpt_tos:
            if self.defer.get(address, 0) > 0:
                self.defer[address] -= 1
                return "451 4.3.0 try again later"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """A real SMTP server on a local port, which can be stopped and started again there."""

    def __init__(self, mailbox: Mailbox | None = None, port: int | None = None) -> None:
        self.mailbox = mailbox or Mailbox()
        self.port = port or free_port()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@dataclass
class WebhookReceiver:
    port: int
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@asynccontextmanager
async def webhook_receiver() -> AsyncIterator[WebhookReceiver]:
    """An HTTP server on a local port that answers 200 to every POST and keeps what came."""
    receiver = WebhookReceiver(port=free_port())
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> dict[str, bool]:
        receiver.received.append((dict(request.headers), await request.body()))
        return {"ok": True}

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=receiver.port,
                                           log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
