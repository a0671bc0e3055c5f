"""The business record: append-only event streams with a SHA-256 hash chain (PostgreSQL, or in
memory for tests), the read models written with them, the outbox, and the migrations."""

from caseflow.store.chain import verify_chain
from caseflow.store.contract import EventStore, Schemas
from caseflow.store.errors import (
    CONNECTION_LOST,
    ConcurrencyError,
    DatabaseUnavailableError,
    EventStoreError,
    IdempotencyConflictError,
    MalformedEventError,
    StreamNotFoundError,
)
from caseflow.store.memory import InMemoryEventStore
from caseflow.store.postgres import PostgresEventStore, ReadModelWriter, connect_pool
from caseflow.store.records import BrokenLink, NewEvent, RecordedEvent, VerifyReport

__all__ = [
    "CONNECTION_LOST",
    "BrokenLink",
    "ConcurrencyError",
    "DatabaseUnavailableError",
    "EventStore",
    "EventStoreError",
    "IdempotencyConflictError",
    "InMemoryEventStore",
    "MalformedEventError",
    "NewEvent",
    "PostgresEventStore",
    "ReadModelWriter",
    "RecordedEvent",
    "Schemas",
    "StreamNotFoundError",
    "VerifyReport",
    "connect_pool",
    "verify_chain",
]
