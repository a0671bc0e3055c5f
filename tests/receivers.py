"""Real local servers that receive what caseflow sends: an SMTP server (aiosmtpd) and an HTTP
receiver for webhooks (uvicorn). Used by the delivery tests, the benchmark and `./dev.sh up`'s
mail sink is the same aiosmtpd."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from caseflow.runtime.processes import free_port


class Mailbox:
    """An aiosmtpd handler that keeps every message. It refuses the addresses in `refuse` with a
    550 at RCPT and the messages to those in `reject_content` with a 554 after DATA (permanent
    failures), and answers a message to an address in `defer` with a 451 (try again later) as
    many times as `defer` says."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.sessions: list[tuple[bool, str | None]] = []
        """Per message: whether it came over TLS, and the login it came under."""
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
        login = session.auth_data.login.decode() if session.authenticated else None
        self.sessions.append((session.ssl is not None, login))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """A real SMTP server on a local port, which can be stopped and started again there."""

    def __init__(self, mailbox: Mailbox | None = None, port: int | None = None, *,
                 tls: ssl.SSLContext | None = None,
                 logins: dict[str, str] | None = None) -> None:
        """`tls`: STARTTLS offered and required; `logins`: AUTH required, with these users and
        passwords."""
        self.mailbox = mailbox or Mailbox()
        self.port = port or free_port()
        self._controller: Controller | None = None
        self._options: dict[str, Any] = {}
        if tls is not None:
            self._options.update(tls_context=tls, require_starttls=True)
        if logins is not None:
            self._options.update(auth_required=True, authenticator=_Logins(logins))

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port,
                                      **self._options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class _Logins:
    """An aiosmtpd authenticator over a fixed table of users and passwords."""

    def __init__(self, logins: dict[str, str]) -> None:
        self._logins = logins

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if self._logins.get(auth_data.login.decode()) != auth_data.password.decode():
            return AuthResult(success=False, handled=False)  # aiosmtpd answers 535
        return AuthResult(success=True, auth_data=auth_data)


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A CA of the test's own and a server certificate for 127.0.0.1 that it signs: the server's
    TLS context, and the CA file a client must trust (as a bank trusts its internal CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "caseflow test CA")])
    now = datetime.now(UTC)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(key, hashes.SHA256()))
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
              .issuer_name(ca_name).public_key(server_key.public_key())
              .serial_number(x509.random_serial_number())
              .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
              .add_extension(x509.SubjectAlternativeName(
                  [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
              .sign(key, hashes.SHA256()))
    ca_file, cert_file, key_file = (folder / n for n in ("ca.pem", "server.pem", "server.key"))
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context, ca_file


@dataclass
class WebhookReceiver:
    port: int
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    """The statuses to answer the next requests with, in order (then 200)."""


@asynccontextmanager
async def webhook_receiver() -> AsyncIterator[WebhookReceiver]:
    """An HTTP server on a local port that keeps every POST and answers it 200 (or as
    `answers` says)."""
    receiver = WebhookReceiver(port=free_port())
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> Response:
        receiver.received.append((dict(request.headers), await request.body()))
        status = receiver.answers.pop(0) if receiver.answers else 200
        return JSONResponse({"ok": status == 200}, status_code=status)

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
