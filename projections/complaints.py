"""The complaint worklist: one row per case, folded from its stream by the domain's `evolve`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg
from pydantic import BaseModel, ConfigDict

from domain.complaint import EVENT_ADAPTER, fold
from eventstore import RecordedEvent


async def project_complaint(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
    """Re-fold the whole stream (a case has tens of events) so the row always equals what the
    domain says, rather than a second copy of its rules in SQL."""
    stream_id = recorded[0].stream_id
    rows = await conn.fetch(
        "SELECT data FROM events WHERE stream_id = $1 ORDER BY version", stream_id
    )
    state = fold([EVENT_ADAPTER.validate_python(r["data"]) for r in rows])
    deadline = state.deadline
    await conn.execute(
        """
        INSERT INTO complaint_cases (case_id, status, handler, outlet, client_tier, category,
            channel, received_at, due_at, breached, escalation_level, extension, close_reason,
            closed_at, version)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        ON CONFLICT (case_id) DO UPDATE SET status = $2, handler = $3, due_at = $9,
            breached = $10, escalation_level = $11, extension = $12, close_reason = $13,
            closed_at = $14, version = $15
        """,
        state.case_id, state.status.value, state.handler, state.outlet,
        state.client_tier.value if state.client_tier else None, state.category,
        state.channel.value if state.channel else None, state.received_at,
        deadline.due_at if deadline else None, state.breached, state.escalation_level,
        state.extension.value, state.close_reason.value if state.close_reason else None,
        state.closed_at, state.version,
    )


class CaseRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    status: str
    handler: str | None
    outlet: str
    client_tier: str
    category: str
    channel: str
    received_at: datetime
    due_at: datetime | None
    breached: bool
    escalation_level: int
    extension: str
    close_reason: str | None
    closed_at: datetime | None
    version: int


async def list_cases(
    pool: asyncpg.Pool,
    *,
    status: str | None = None,
    outlet: str | None = None,
    handler: str | None = None,
    due_before: datetime | None = None,
    breached: bool | None = None,
    limit: int = 200,
) -> list[CaseRow]:
    """The worklist: cases matching every given filter, soonest deadline first."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """
            SELECT * FROM complaint_cases
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR outlet = $2)
              AND ($3::text IS NULL OR handler = $3)
              AND ($4::timestamptz IS NULL OR due_at < $4)
              AND ($5::boolean IS NULL OR breached = $5)
            ORDER BY due_at NULLS LAST, case_id LIMIT $6
            """,
            status, outlet, handler, due_before, breached, limit,
        )
    return [CaseRow.model_validate(dict(r)) for r in rows]
