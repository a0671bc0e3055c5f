"""The managers' client list: one row per client, written in the append transaction from the
summary the client workflow sends (like the complaint worklist)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from caseflow.store.read_models.rows import RowTable
from domain.client.summary import ClientSummary

CLIENT_ROWS = RowTable("client_profiles", "client_id", ClientSummary)
project_client = CLIENT_ROWS.project


async def list_clients(
    pool: asyncpg.Pool,
    *,
    manager: str | None = None,
    outlets: Sequence[str] | None = None,
    unmanaged: bool = False,
    retention_by: str | None = None,
    limit: int = 200,
) -> list[ClientSummary]:
    """Clients matching every given filter (`unmanaged`: no manager named yet; `retention_by`:
    a closing account awaits that one's retention attempt), the soonest due contact first."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """
            SELECT * FROM client_profiles
            WHERE ($1::text IS NULL OR manager = $1)
              AND ($2::text[] IS NULL OR outlet = ANY($2))
              AND (NOT $4 OR manager IS NULL)
              AND ($5::text IS NULL OR retention_by = $5)
            ORDER BY next_contact_due NULLS LAST, client_id LIMIT $3
            """,
            manager, list(outlets) if outlets is not None else None, limit, unmanaged,
            retention_by,
        )
    return [ClientSummary.model_validate(dict(r)) for r in rows]


async def client_managers(pool: asyncpg.Pool, outlets: Sequence[str] | None) -> list[str]:
    """The managers named for the units' clients, by name."""
    rows = await pool.fetch(
        "SELECT DISTINCT manager FROM client_profiles WHERE manager IS NOT NULL"
        " AND ($1::text[] IS NULL OR outlet = ANY($1)) ORDER BY manager",
        list(outlets) if outlets is not None else None)
    return [r["manager"] for r in rows]


async def client_outlet(pool: asyncpg.Pool, client_id: str) -> tuple[bool, str | None]:
    """(known, outlet) of a client, from the list."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT outlet FROM client_profiles WHERE client_id = $1",
                                  client_id)
    return (row is not None, row["outlet"] if row else None)
