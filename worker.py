"""The caseflow worker: registers every workflow and activity on one task queue.

`python worker.py` runs a worker against the servers named by TEMPORAL_ADDRESS and DATABASE_URL
(production: run as many as you need). `./dev.sh up` runs one inside the embedded stack.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from temporalio.client import Client
from temporalio.worker import Interceptor, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.client_link import ClientLinkActivities
from activities.eventstore import EventStoreActivities
from activities.notify import Notifier, NotifyActivities, OutboxNotifier
from caseflow.config import Settings
from caseflow.logs import configure_logging
from domain.client import EVENT_TYPES as CLIENT_EVENT_TYPES
from domain.complaint import EVENT_TYPES as COMPLAINT_EVENT_TYPES
from eventstore import PostgresEventStore
from projections.clients import project_client
from projections.complaints import project_complaint
from workflows.client import ClientWorkflow
from workflows.complaint import ComplaintWorkflow

WORKFLOWS: list[type[Any]] = [ComplaintWorkflow, ClientWorkflow]
EVENT_SCHEMAS = {**COMPLAINT_EVENT_TYPES, **CLIENT_EVENT_TYPES}
"""Every event type the workers write, by (type, schema version): the store validates against it."""
READ_MODEL_WRITERS = {"complaint": project_complaint, "client": project_client}

# domain/ is pure, so it is safe (and much faster) to share it with the sandbox instead of
# re-importing it for every workflow run; pydantic likewise; and the workflows' own helpers,
# which keep no state of their own (each call works on the current workflow through
# temporalio.workflow). Only the workflow classes' modules are re-executed per run.
SANDBOX_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules(
        "domain", "pydantic", "workflows.recording", "workflows.timing", "workflows.requests")
)


def build_worker(
    client: Client,
    store: PostgresEventStore,
    *,
    task_queue: str,
    notifier: Notifier | None = None,
    workflows: list[type[Any]] | None = None,
    max_cached_workflows: int = 1000,
    interceptors: Sequence[Interceptor] = (),
) -> Worker:
    """`notifier` defaults to the outbox of the store's database. `max_cached_workflows=0` makes
    every workflow task replay its history from scratch (no sticky cache)."""
    store_activities = EventStoreActivities(store, writers=READ_MODEL_WRITERS)
    notify = NotifyActivities(notifier or OutboxNotifier(store.pool))
    links = ClientLinkActivities(client)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=workflows if workflows is not None else WORKFLOWS,
        activities=[store_activities.append_events, notify.notify, links.link_client],
        workflow_runner=SANDBOX_RUNNER,
        max_cached_workflows=max_cached_workflows,
        interceptors=interceptors,
    )


async def main(interceptors: Sequence[Interceptor] = ()) -> None:
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
        store = PostgresEventStore(pool, schemas=EVENT_SCHEMAS)
        await build_worker(client, store, task_queue=settings.task_queue,
                           interceptors=interceptors).run()
    finally:
        await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
