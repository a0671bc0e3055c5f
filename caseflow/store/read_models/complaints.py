"""The complaint worklist: one row per case, written in the append transaction.

The workflow sends the case's summary (domain `summarize` of the state after the events) with
each append: it is the single writer of the stream, so that state is the fold of the stream.
`rebuild_case` recomputes a row from the stream alone (after a schema change, or to check).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from caseflow.store.read_models.rows import RowTable
from domain.complaint import EVENT_ADAPTER, fold
from domain.complaint.summary import CaseSummary, summarize

CASE_ROWS = RowTable("complaint_cases", "case_id", CaseSummary)
write_case = CASE_ROWS.write
project_complaint = CASE_ROWS.project


async def rebuild_case(conn: asyncpg.Connection, stream_id: str) -> CaseSummary:
    """Fold the stream with the domain's evolve and write the row from scratch."""
    rows = await conn.fetch(
        "SELECT data FROM events WHERE stream_id = $1 ORDER BY version", stream_id
    )
    summary = summarize(fold([EVENT_ADAPTER.validate_python(r["data"]) for r in rows]))
    await write_case(conn, summary)
    return summary


async def list_cases(
    pool: asyncpg.Pool,
    *,
    status: str | None = None,
    outlets: Sequence[str] | None = None,
    handler: str | None = None,
    due_before: datetime | None = None,
    due_after: datetime | None = None,
    breached: bool | None = None,
    open_only: bool = False,
    limit: int = 200,
    offset: int = 0,
    corrective_open: bool = False,
    follow_up_pending: bool = False,
) -> list[CaseSummary]:
    """The worklist: cases matching every given filter (`outlets`: of any of them, or escalated
    to one of them; `open_only`: not closed; due before `due_before` and after `due_after`;
    `corrective_open`: with an open corrective action, soonest due first; `follow_up_pending`:
    closed cases whose satisfaction follow-up is due), soonest deadline first, `limit` of them
    after the first `offset`."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """
            SELECT * FROM complaint_cases
            WHERE ($1::text IS NULL OR status = $1)
              AND ($2::text[] IS NULL OR outlet = ANY($2) OR held_by = ANY($2))
              AND ($3::text IS NULL OR handler = $3)
              AND ($4::timestamptz IS NULL OR due_at < $4)
              AND ($5::boolean IS NULL OR breached = $5)
              AND (NOT $7 OR status <> 'closed')
              AND ($9::timestamptz IS NULL OR due_at > $9)
              AND (NOT $10 OR open_corrective_actions > 0)
              AND (NOT $11 OR follow_up_pending)
            ORDER BY CASE WHEN $10 THEN corrective_action_due END, due_at NULLS LAST, case_id
            LIMIT $6 OFFSET $8
            """,
            status, list(outlets) if outlets is not None else None, handler, due_before,
            breached, limit, open_only, offset, due_after, corrective_open, follow_up_pending,
        )
    return [CaseSummary.model_validate(dict(r)) for r in rows]


async def open_by_handler(pool: asyncpg.Pool, outlets: Sequence[str] | None
                          ) -> list[tuple[str | None, int, int]]:
    """Open cases per handler of the units (None: not assigned yet), and how many of them are
    breached: the supervisor's view of who carries what."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """
            SELECT handler, count(*) AS open, count(*) FILTER (WHERE breached) AS breached
            FROM complaint_cases
            WHERE status <> 'closed' AND ($1::text[] IS NULL OR outlet = ANY($1))
            GROUP BY handler ORDER BY count(*) DESC, handler NULLS FIRST
            """, list(outlets) if outlets is not None else None)
    return [(r["handler"], r["open"], r["breached"]) for r in rows]


async def awaiting_extension_decision(pool: asyncpg.Pool, outlets: Sequence[str] | None,
                                      limit: int = 50) -> list[CaseSummary]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT * FROM complaint_cases WHERE extension = 'requested' AND status <> 'closed'"
            " AND ($1::text[] IS NULL OR outlet = ANY($1)) ORDER BY due_at NULLS LAST, case_id"
            " LIMIT $2", list(outlets) if outlets is not None else None, limit)
    return [CaseSummary.model_validate(dict(r)) for r in rows]


async def escalated_cases(pool: asyncpg.Pool, outlets: Sequence[str] | None, limit: int = 50
                          ) -> list[CaseSummary]:
    """Open cases the overdue ladder has escalated, highest rung first."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT * FROM complaint_cases WHERE escalation_level > 0 AND status <> 'closed'"
            " AND ($1::text[] IS NULL OR outlet = ANY($1))"
            " ORDER BY escalation_level DESC, due_at, case_id LIMIT $2",
            list(outlets) if outlets is not None else None, limit)
    return [CaseSummary.model_validate(dict(r)) for r in rows]


async def held_cases(pool: asyncpg.Pool, outlets: Sequence[str] | None, limit: int = 50
                     ) -> list[CaseSummary]:
    """Cases escalated to one of the units and held there, soonest deadline first."""
    rows = await pool.fetch(
        "SELECT * FROM complaint_cases WHERE held_by IS NOT NULL"
        " AND ($1::text[] IS NULL OR held_by = ANY($1))"
        " ORDER BY binding_due_at NULLS LAST, case_id LIMIT $2",
        list(outlets) if outlets is not None else None, limit)
    return [CaseSummary.model_validate(dict(r)) for r in rows]


async def warnings_due(pool: asyncpg.Pool, outlets: Sequence[str] | None, start: datetime,
                       end: datetime, limit: int = 50) -> list[CaseSummary]:
    """Open cases whose deadline warns between `start` and `end` (today, for the dashboard)."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT * FROM complaint_cases WHERE status <> 'closed' AND NOT breached"
            " AND warning_at >= $2 AND warning_at < $3"
            " AND ($1::text[] IS NULL OR outlet = ANY($1)) ORDER BY warning_at, case_id"
            " LIMIT $4", list(outlets) if outlets is not None else None, start, end, limit)
    return [CaseSummary.model_validate(dict(r)) for r in rows]
