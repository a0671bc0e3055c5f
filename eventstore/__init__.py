"""The business record: append-only event streams in PostgreSQL with a SHA-256 hash chain."""

from eventstore.errors import (
    ConcurrencyError,
    DatabaseUnavailableError,
    EventStoreError,
    IdempotencyConflictError,
    MalformedEventError,
    StreamNotFoundError,
)
from eventstore.postgres import PostgresEventStore, Projector, connect_pool, verify_chain
from eventstore.records import BrokenLink, NewEvent, RecordedEvent, VerifyReport

__all__ = [
    "BrokenLink",
    "ConcurrencyError",
    "DatabaseUnavailableError",
    "EventStoreError",
    "IdempotencyConflictError",
    "MalformedEventError",
    "NewEvent",
    "PostgresEventStore",
    "Projector",
    "RecordedEvent",
    "StreamNotFoundError",
    "VerifyReport",
    "connect_pool",
    "verify_chain",
]
