"""The caseflow worker: every workflow and activity on one task queue (wired in
caseflow/bootstrap.py).

`python worker.py` runs a worker against the servers named by TEMPORAL_ADDRESS and DATABASE_URL
(production: run as many as you need). `./dev.sh up` runs one inside the embedded stack.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from prometheus_client import start_http_server
from temporalio.worker import Interceptor

from caseflow.bootstrap import connected
from caseflow.config import Settings
from caseflow.logs import configure_logging
from caseflow.metrics import REGISTRY


async def main(interceptors: Sequence[Interceptor] = ()) -> None:
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    if settings.temporal_address is None or settings.database_url is None:
        raise SystemExit(
            "worker.py needs TEMPORAL_ADDRESS and DATABASE_URL; "
            "for the embedded stack run ./dev.sh up"
        )
    if settings.metrics_port is not None:
        start_http_server(settings.metrics_port, registry=REGISTRY)
    async with connected(settings) as parts:
        await parts.worker(interceptors=interceptors).run()


if __name__ == "__main__":
    asyncio.run(main())
