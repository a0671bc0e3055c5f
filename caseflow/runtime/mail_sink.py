"""The local mail sink of `./dev.sh up`: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps
each message as a `.eml` file in the data folder, so a newcomer can watch alerts arrive without
a mail server of their own. Never used when CASEFLOW_SMTP_HOST names a real one."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import structlog
from aiosmtpd.controller import Controller

log = structlog.get_logger(__name__)


class _Keeper:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        key = re.sub(r"[^0-9A-Za-z-]", "", str(parsed.get("Message-ID", "")))[:40]
        (self._folder / f"{stamp}-{key or 'message'}.eml").write_bytes(envelope.content)
        log.info("mail sink received a message", file_count=len(list(self._folder.iterdir())))
        return "250 Message accepted for delivery"


@dataclass
class MailSink:
    folder: Path
    port: int
    _controller: Controller

    def stop(self) -> None:
        self._controller.stop()


def start_mail_sink(folder: Path, port: int) -> MailSink:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command chatter
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(_Keeper(folder), hostname="127.0.0.1", port=port)
    controller.start()
    return MailSink(folder=folder, port=port, _controller=controller)
