"""Typed event-store failures; each message names what is wrong."""

from __future__ import annotations

import asyncpg


class EventStoreError(Exception):
    """Base class for event-store failures."""


class ConcurrencyError(EventStoreError):
    def __init__(self, stream_id: str, expected_version: int, actual_version: int) -> None:
        self.stream_id = stream_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(
            f"stream {stream_id!r} is at version {actual_version}, "
            f"but the append expected version {expected_version}"
        )


class IdempotencyConflictError(EventStoreError):
    """Some of the event ids are already stored, but not as this exact append."""


class StreamNotFoundError(EventStoreError):
    def __init__(self, stream_id: str) -> None:
        self.stream_id = stream_id
        super().__init__(f"no stream {stream_id!r} in the event store")


class MalformedEventError(EventStoreError, ValueError):
    """An event does not match its schema; nothing was written."""


class DatabaseUnavailableError(EventStoreError):
    """The PostgreSQL server could not be reached."""


CONNECTION_LOST: tuple[type[Exception], ...] = (
    OSError, TimeoutError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError, asyncpg.InternalClientError, DatabaseUnavailableError)
"""What a broken or unreachable database looks like to a caller: nothing was changed, and the
same request later may work. (`InternalClientError`: a pooled connection caught mid-way by the
server's shutdown, "another operation is in progress".)"""
