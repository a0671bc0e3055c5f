"""The managers' client list: one row per client, written in the append transaction from the
summary the client workflow sends (like the complaint worklist)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import asyncpg
from pydantic import BaseModel

from caseflow.store.read_models.rows import RowTable
from domain.client.policy import ClientPolicy
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


class ManagerDay(BaseModel):
    """One manager's day: what is due by its end (overdue first), and what was done today."""

    manager: str
    day: date
    due: list[ClientSummary]
    overdue: int
    contacts_done: int
    meetings_done: int
    contacts_target: int
    meetings_target: int


DONE_CONTACTS = ("contact_logged", "contact_attempted", "meeting_held")


def _local_day(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0, 0), zone)
    return start, start + timedelta(days=1)


async def manager_day(pool: asyncpg.Pool, manager: str, outlets: Sequence[str] | None,
                      day: date, zone: ZoneInfo, policy: ClientPolicy,
                      limit: int = 200) -> ManagerDay:
    """The manager's clients whose contact is due by the end of `day` (and those whose closing
    account awaits the manager's retention attempt), soonest first; contacts and meetings the
    manager recorded that day, against the policy's daily targets."""
    start, end = _local_day(day, zone)
    rows = await pool.fetch(
        "SELECT * FROM client_profiles WHERE manager = $1"
        " AND ($2::text[] IS NULL OR outlet = ANY($2))"
        " AND (next_contact_due < $3 OR retention_by = $1)"
        " ORDER BY next_contact_due NULLS FIRST, client_id LIMIT $4",
        manager, list(outlets) if outlets is not None else None, end, limit)
    done = await pool.fetch(
        "SELECT type, count(*) AS n FROM events WHERE actor = $1 AND type = ANY($2)"
        " AND occurred_at >= $3 AND occurred_at < $4 AND stream_id LIKE 'client-%'"
        " GROUP BY type", manager, list(DONE_CONTACTS), start, end)
    counts = {r["type"]: r["n"] for r in done}
    due = [ClientSummary.model_validate(dict(r)) for r in rows]
    return ManagerDay(
        manager=manager, day=start.date(), due=due,
        overdue=sum(1 for c in due if c.next_contact_due is not None
                    and c.next_contact_due < start),
        contacts_done=counts.get("contact_logged", 0) + counts.get("contact_attempted", 0),
        meetings_done=counts.get("meeting_held", 0),
        contacts_target=policy.daily_contacts, meetings_target=policy.daily_meetings)


async def managers_due(pool: asyncpg.Pool, outlets: Sequence[str] | None, day: date,
                       zone: ZoneInfo) -> list[tuple[str, int, int]]:
    """Each manager of the units: (manager, contacts due that day, contacts overdue)."""
    start, end = _local_day(day, zone)
    rows = await pool.fetch(
        "SELECT manager, count(*) FILTER (WHERE next_contact_due >= $2 AND next_contact_due < $3)"
        " AS today, count(*) FILTER (WHERE next_contact_due < $2) AS overdue"
        " FROM client_profiles WHERE manager IS NOT NULL"
        " AND ($1::text[] IS NULL OR outlet = ANY($1)) GROUP BY manager ORDER BY manager",
        list(outlets) if outlets is not None else None, start, end)
    return [(r["manager"], r["today"], r["overdue"]) for r in rows]
