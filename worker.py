"""The caseflow worker: registers every workflow and activity on one task queue.

`python worker.py` runs a worker against the servers named by TEMPORAL_ADDRESS and DATABASE_URL
(production: run as many as you need). `./dev.sh up` runs one inside the embedded stack.
"""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.eventstore import EventStoreActivities
from caseflow.config import Settings
from caseflow.logs import configure_logging
from eventstore import PostgresEventStore

WORKFLOWS: list[type[Any]] = []

# domain/ is pure, so it is safe (and much faster) to share it with the sandbox instead of
# re-importing it for every workflow run; pydantic likewise.
SANDBOX_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("domain", "pydantic")
)


def build_worker(
    client: Client,
    store: PostgresEventStore,
    *,
    task_queue: str,
    workflows: list[type[Any]] | None = None,
    extra_activities: list[Any] | None = None,
) -> Worker:
    store_activities = EventStoreActivities(store)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=workflows if workflows is not None else WORKFLOWS,
        activities=[store_activities.append_events, *(extra_activities or [])],
        workflow_runner=SANDBOX_RUNNER,
    )


async def main() -> None:
    from caseflow.stack import connect_temporal
    from eventstore import connect_pool

    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    if settings.temporal_address is None or settings.database_url is None:
        raise SystemExit(
            "worker.py needs TEMPORAL_ADDRESS and DATABASE_URL; "
            "for the embedded stack run ./dev.sh up"
        )
    client = await connect_temporal(settings)
    pool = await connect_pool(settings.database_url.get_secret_value())
    try:
        await build_worker(client, PostgresEventStore(pool), task_queue=settings.task_queue).run()
    finally:
        await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
