"""The channels a message goes out by. Each send says plainly whether a failure may heal
(`TransientDeliveryError`: retried by Temporal with backoff) or not (`PermanentDeliveryError`:
a 5xx from the mail server, a 4xx from the webhook, an address refused).

Every send carries the delivery's key (the notification id and the recipient) so that a
receiver can recognise a message it already has: the e-mail's Message-ID, the webhook's
Idempotency-Key. caseflow itself never sends a delivery it recorded as delivered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

import aiosmtplib
import httpx
import structlog

log = structlog.get_logger(__name__)


class TransientDeliveryError(Exception):
    """The channel could not take the message now; trying again may work."""


class PermanentDeliveryError(Exception):
    """The channel refused the message; sending it again would be refused again."""


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient by one channel."""

    key: str
    """The delivery's key: the notification id and the recipient."""
    subject: str
    body: str
    sent_at: datetime


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "caseflow@bank.example"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    tls: bool = False
    ca_file: str | None = None
    """PEM CA bundle the server's certificate must chain to (else the system's)."""
    timeout_seconds: float = 30


class EmailChannel:
    """E-mail over SMTP (aiosmtplib): STARTTLS or TLS and login as configured."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self._smtp = smtp

    async def send(self, to: str, message: Outgoing) -> None:
        mail = EmailMessage()
        mail["From"] = self._smtp.sender
        mail["To"] = to
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(message.sent_at)
        mail["Message-ID"] = f"<{hashlib.sha256(message.key.encode()).hexdigest()[:32]}@caseflow>"
        mail["X-Caseflow-Delivery"] = message.key
        mail.set_content(message.body, charset="utf-8")
        try:
            await aiosmtplib.send(
                mail, hostname=self._smtp.host, port=self._smtp.port,
                username=self._smtp.username, password=self._smtp.password,
                start_tls=self._smtp.starttls, use_tls=self._smtp.tls,
                cert_bundle=self._smtp.ca_file, timeout=self._smtp.timeout_seconds)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise PermanentDeliveryError(_smtp_words(exc)) from None
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600:
                raise PermanentDeliveryError(_smtp_words(exc)) from None
            raise TransientDeliveryError(_smtp_words(exc)) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise TransientDeliveryError(f"SMTP server unreachable: {type(exc).__name__}") \
                from None


def _smtp_words(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = sorted({r.code for r in exc.recipients})
        return f"SMTP refused the recipient ({', '.join(map(str, codes))})"
    return f"SMTP {code}: {getattr(exc, 'message', '')}".strip()


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret: str
    timeout_seconds: float = 10


SIGNATURE_HEADER = "X-Caseflow-Signature"
TIMESTAMP_HEADER = "X-Caseflow-Timestamp"


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256 over "<timestamp>.<body>": what a receiver recomputes."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class WebhookChannel:
    """A JSON POST, signed with an HMAC header, for a group robot or the bank's message bus."""

    def __init__(self, webhook: WebhookSettings, client: httpx.AsyncClient | None = None) -> None:
        self._webhook = webhook
        self._client = client or httpx.AsyncClient(timeout=webhook.timeout_seconds)

    async def send(self, payload: dict[str, str], message: Outgoing) -> None:
        body = json.dumps({**payload, "subject": message.subject, "text": message.body,
                           "sent_at": message.sent_at.isoformat()},
                          ensure_ascii=False, sort_keys=True).encode()
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Idempotency-Key": message.key, TIMESTAMP_HEADER: stamp,
                   SIGNATURE_HEADER: webhook_signature(self._webhook.secret, stamp, body)}
        try:
            response = await self._client.post(self._webhook.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise TransientDeliveryError(f"webhook unreachable: {type(exc).__name__}") from None
        if response.is_success:
            return
        words = f"webhook answered {response.status_code}"
        if response.status_code in (408, 425, 429) or response.status_code >= 500:
            raise TransientDeliveryError(words)
        raise PermanentDeliveryError(words)

    async def close(self) -> None:
        await self._client.aclose()


class SmsGateway(Protocol):
    """The bank's SMS gateway, behind a port: raise TransientDeliveryError or
    PermanentDeliveryError on failure."""

    async def send(self, mobile: str, message: Outgoing) -> None: ...


class LogOnlySms:
    """The default SMS adapter: logs that a message would go out (never the number or text)."""

    async def send(self, mobile: str, message: Outgoing) -> None:
        log.info("sms handed to the log-only gateway", delivery=message.key,
                 mobile=mask(mobile), chars=len(message.body))


def mask(value: str) -> str:
    """What a log may show of a number or an address: its last characters."""
    return "***" + value[-2:] if len(value) > 4 else "***"
