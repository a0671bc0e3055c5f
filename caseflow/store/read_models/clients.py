"""The managers' client list: one row per client, written in the append transaction from the
summary the client workflow sends (like the complaint worklist)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from caseflow.store import RecordedEvent
from domain.client.summary import ClientSummary

_COLUMNS = list(ClientSummary.model_fields)
_UPSERT = (
    f"INSERT INTO client_profiles ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, len(_COLUMNS) + 1))}) "
    "ON CONFLICT (client_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS if c != "client_id")
)


async def project_client(
    conn: asyncpg.Connection, recorded: Sequence[RecordedEvent], read_model: dict[str, Any]
) -> None:
    summary = ClientSummary.model_validate(read_model)
    if summary.version != recorded[-1].version:
        raise ValueError(f"client summary at version {summary.version} does not match the "
                         f"stream at version {recorded[-1].version}")
    await conn.execute(_UPSERT, *(getattr(summary, c) for c in _COLUMNS))


async def list_clients(
    pool: asyncpg.Pool,
    *,
    manager: str | None = None,
    outlet: str | None = None,
    limit: int = 200,
) -> list[ClientSummary]:
    """Clients matching every given filter, the soonest due contact first."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """
            SELECT * FROM client_profiles
            WHERE ($1::text IS NULL OR manager = $1) AND ($2::text IS NULL OR outlet = $2)
            ORDER BY next_contact_due NULLS LAST, client_id LIMIT $3
            """,
            manager, outlet, limit,
        )
    return [ClientSummary.model_validate(dict(r)) for r in rows]


async def client_outlet(pool: asyncpg.Pool, client_id: str) -> tuple[bool, str | None]:
    """(known, outlet) of a client, from the list."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT outlet FROM client_profiles WHERE client_id = $1",
                                  client_id)
    return (row is not None, row["outlet"] if row else None)
