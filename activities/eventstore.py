"""The append activity: the only way a workflow writes its stream. The events, the stream's
read-model row and the notifications the step calls for are written in one transaction; the
notifications are then handed to their delivery (again on a retry: it starts each once)."""

from __future__ import annotations

import time

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.notify import Dispatcher
from activities.outage import DependencyWatch, reaching
from caseflow.metrics import APPEND_SECONDS, APPENDS, count_recorded
from caseflow.store import DatabaseUnavailableError, EventStore, EventStoreError
from workflows import names
from workflows.ports import AppendRequest, AppendResult


class EventStoreActivities:
    """Bound to one store, which writes the read-model row and the notifications in the
    append's transaction."""

    def __init__(self, store: EventStore, dispatcher: Dispatcher,
                 database: DependencyWatch) -> None:
        self._store = store
        self._dispatcher = dispatcher
        self._database = database

    @activity.defn(name=names.APPEND_EVENTS)
    async def append_events(self, request: AppendRequest) -> AppendResult:
        # A lost database is retried by Temporal until it is back, and said once, not per
        # attempt (`reaching`).
        async with reaching(self._database):
            started = time.perf_counter()
            try:
                recorded = await self._store.append(
                    request.stream_id, request.expected_version, request.events,
                    read_model=request.read_model, notifications=request.notifications)
            except DatabaseUnavailableError:
                APPENDS.labels("database_unavailable").inc()
                raise
            except EventStoreError as exc:
                # A refusal (conflict, malformed event): never expected of a workflow that is
                # its stream's single writer; retried (and logged) until IT resolves it.
                APPENDS.labels("refused").inc()
                raise ApplicationError(str(exc), type=type(exc).__name__) from exc
            APPEND_SECONDS.observe(time.perf_counter() - started)
            APPENDS.labels("written").inc()
            count_recorded(request.stream_id, (e.type for e in recorded))
        await self._dispatcher.dispatch(request.notifications)
        return AppendResult(
            stream_version=recorded[-1].version,
            global_positions=[e.global_position for e in recorded],
            event_ids=[e.event_id for e in recorded],
        )
