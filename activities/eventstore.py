"""The append activity: the only way a workflow writes its stream. The events, the stream's
read-model row and the notifications the step calls for are written in one transaction; the
notifications are then handed to their delivery (again on a retry: it starts each once)."""

from __future__ import annotations

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities.notify import Dispatcher
from activities.outage import DependencyWatch
from caseflow.store import DatabaseUnavailableError, EventStore, EventStoreError
from workflows import names
from workflows.ports import AppendRequest, AppendResult

CONNECTION_LOST = (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError,
                   asyncpg.CannotConnectNowError, DatabaseUnavailableError, TimeoutError)


class EventStoreActivities:
    """Bound to one store, which writes the read-model row and the notifications in the
    append's transaction."""

    def __init__(self, store: EventStore, dispatcher: Dispatcher) -> None:
        self._store = store
        self._dispatcher = dispatcher
        self._database = DependencyWatch("PostgreSQL")

    @activity.defn(name=names.APPEND_EVENTS)
    async def append_events(self, request: AppendRequest) -> AppendResult:
        try:
            recorded = await self._store.append(
                request.stream_id, request.expected_version, request.events,
                read_model=request.read_model, notifications=request.notifications)
        except CONNECTION_LOST as exc:
            # Retried by Temporal until the database is back; said once, not per attempt.
            self._database.lost(exc)
            raise ApplicationError(f"PostgreSQL unavailable: {type(exc).__name__}",
                                   type="DatabaseUnavailable",
                                   category=ApplicationErrorCategory.BENIGN) from exc
        except EventStoreError as exc:
            # A refusal (conflict, malformed event): never expected of a workflow that is its
            # stream's single writer; retried (and logged) until IT resolves it, never failed.
            raise ApplicationError(str(exc), type=type(exc).__name__) from exc
        self._database.reached()
        await self._dispatcher.dispatch(request.notifications)
        return AppendResult(
            stream_version=recorded[-1].version,
            global_positions=[e.global_position for e in recorded],
            event_ids=[e.event_id for e in recorded],
        )
