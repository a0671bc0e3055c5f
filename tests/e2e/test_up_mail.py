"""The newcomer's path: `caseflow up` (what `./dev.sh up` runs) loads the demo organisation and
starts a local mail sink; a complaint registered long after it was received breaches at once,
and the breach alert arrives, in Chinese, as a .eml file addressed to outlet-9's supervisor; the
client's acknowledgement arrives at the e-mail given with the complaint, and that contact is
nowhere else: not in any log line, not in any file of PostgreSQL or of the Temporal server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

from caseflow.runtime.processes import free_port
from tests.waiting import until

CLIENT_EMAIL, CLIENT_MOBILE = "k77-private@mail.example", "13911117777"


async def run_cli(env: dict[str, str], *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "caseflow", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_up_delivers_a_breach_alert_to_its_mail_sink(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEMPORAL_ADDRESS")}
    env |= {"CASEFLOW_DATA_DIR": str(tmp_path / "data"), "CASEFLOW_LOG_FORMAT": "json",
            "CASEFLOW_TEMPORAL_PORT": str(free_port()),
            "CASEFLOW_TEMPORAL_UI_PORT": str(free_port()),
            "CASEFLOW_API_PORT": str(free_port()), "CASEFLOW_MAIL_SINK_PORT": str(free_port())}
    logs = tmp_path / "up.log"
    up = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "caseflow", "up", env=env, stdout=asyncio.subprocess.PIPE,
        stderr=logs.open("wb"))
    assert up.stdout is not None
    shown: list[str] = []
    try:
        while not shown or "press Ctrl-C" not in shown[-1]:
            line = (await asyncio.wait_for(up.stdout.readline(), timeout=180)).decode()
            assert line, f"caseflow up stopped: {''.join(shown)}"
            shown.append(line)
        said = "".join(shown)
        mail = tmp_path / "data" / "mail"
        assert f"local mail sink smtp://127.0.0.1:{env['CASEFLOW_MAIL_SINK_PORT']}" in said
        assert str(mail) in said and "7 units, 9 staff" in said

        token = (await run_cli(env, "user", "token", "officer-7")).strip()
        received = (datetime.now(UTC) - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M%z")
        registered = await run_cli(
            {**env, "CASEFLOW_TOKEN": token}, "complaint", "register", "--case", "UP-1",
            "--client", "K-77", "--category", "bank_cards", "--cause", "fees", "--description",
            "charged twice", "--outlet", "outlet-9", "--received-at", received,
            "--client-email", CLIENT_EMAIL, "--client-mobile", CLIENT_MOBILE,
            "--client-prefers", "email")

        def subjects(to: str) -> list[str]:
            found = []
            for path in mail.glob("*.eml") if mail.exists() else []:
                message = message_from_bytes(path.read_bytes(), policy=policy.default)
                if message["To"] == to and "UP-1" in message["Subject"]:
                    found.append(str(message["Subject"]))
            return found

        async def arrived() -> bool:
            return any("超过答复期限" in s for s in subjects("supervisor-9@bank.example")) and \
                any("已受理" in s for s in subjects(CLIENT_EMAIL))

        await until(arrived, timeout=120)
    finally:
        up.send_signal(signal.SIGINT)
        await asyncio.wait_for(up.wait(), timeout=60)
    # The client's contact is personal data: outside the mail sent to them, it is nowhere.
    assert CLIENT_EMAIL not in registered and CLIENT_MOBILE not in registered
    assert "UP-1" in logs.read_text(errors="replace")  # the log is there, and it names the case
    secrets = (CLIENT_EMAIL.encode(), CLIENT_MOBILE.encode())
    holders = [path for path in tmp_path.rglob("*") if path.is_file()
               and mail not in path.parents and any(s in path.read_bytes() for s in secrets)]
    assert holders == []
    # (The scan sees what is stored: the complaint's description is in PostgreSQL's files.)
    assert any(b"charged twice" in path.read_bytes()
               for path in (tmp_path / "data" / "postgres").rglob("*") if path.is_file())
