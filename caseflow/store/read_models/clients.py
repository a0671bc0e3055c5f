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
from domain.tier import ClientTier

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


class AgendaItem(BaseModel):
    """One thing on a manager's day: a client's next contact (its kind: meeting, follow_up,
    planned, cadence, after_sale), a retention attempt, a maturity, a care occasion or a
    satisfaction survey; with the client's tier and churn risk."""

    client_id: str
    kind: str
    due_at: datetime | None
    day: date | None = None
    detail: str | None = None
    tier: str | None
    churn_risk: int
    overdue: bool


class ManagerDay(BaseModel):
    """One manager's day: what is due by its end (overdue first), and what was done today.
    `items` lists each task on its own (a client with a contact and a maturity due shows
    twice); `due` the clients they belong to."""

    manager: str
    day: date
    items: list[AgendaItem]
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
        " AND (next_contact_due < $3 OR retention_by = $1 OR next_task_due < $3)"
        " ORDER BY LEAST(next_contact_due, next_task_due) NULLS FIRST, client_id LIMIT $4",
        manager, list(outlets) if outlets is not None else None, end, limit)
    done = await pool.fetch(
        "SELECT type, count(*) AS n FROM events WHERE actor = $1 AND type = ANY($2)"
        " AND occurred_at >= $3 AND occurred_at < $4 AND stream_id LIKE 'client-%'"
        " GROUP BY type", manager, list(DONE_CONTACTS), start, end)
    counts = {r["type"]: r["n"] for r in done}
    due = [ClientSummary.model_validate(dict(r)) for r in rows]
    items = sorted((i for c in due for i in _items(c, manager, start, end)),
                   key=lambda i: (i.due_at is not None, i.due_at or start, i.client_id))
    return ManagerDay(
        manager=manager, day=start.date(), due=due, items=items,
        overdue=sum(1 for i in items if i.overdue),
        contacts_done=counts.get("contact_logged", 0) + counts.get("contact_attempted", 0),
        meetings_done=counts.get("meeting_held", 0),
        contacts_target=policy.daily_contacts, meetings_target=policy.daily_meetings)


def _items(client: ClientSummary, manager: str, start: datetime, end: datetime
           ) -> list[AgendaItem]:
    """The client's tasks due by `end` (a care occasion or maturity whose day has passed is
    gone; an open retention attempt has no time: it comes first)."""
    facts = {"client_id": client.client_id, "tier": client.tier,
             "churn_risk": client.churn_risk}
    items = []
    if client.retention_by == manager:
        items.append(AgendaItem(kind="retention", due_at=None, overdue=False, **facts))
    due = client.next_contact_due
    if due is not None and due < end:
        items.append(AgendaItem(kind=client.next_contact_kind or "contact", due_at=due,
                                overdue=due < start, **facts))
    for task in client.tasks:
        if task.due_at < end and (task.day is None or task.day >= start.date()):
            items.append(AgendaItem(kind=task.kind, due_at=task.due_at, day=task.day,
                                    detail=task.detail,
                                    overdue=task.kind == "survey" and task.due_at < start,
                                    **facts))
    return items


class TierSurveys(BaseModel):
    surveys: int
    mean_score: float


class LowScore(BaseModel):
    """A score of 1 or 2: a client to call back."""

    client_id: str
    score: int
    remarks: str | None


class SurveySummary(BaseModel):
    """The satisfaction surveys of a unit's clients recorded in a period: how many, the mean
    score, how many gave each score, by tier; and the surveys due and not yet recorded."""

    outlets: list[str] | None
    start: date
    end: date
    surveys: int
    mean_score: float | None
    by_score: dict[int, int]
    by_tier: dict[str, TierSurveys]
    low_scores: list[LowScore]
    outstanding: int


async def survey_summary(pool: asyncpg.Pool, outlets: Sequence[str] | None, start: date,
                         end: date, zone: ZoneInfo) -> SurveySummary:
    """The surveys recorded from the start of `start` to the end of `end` (local days) for
    the clients of `outlets` (None: every outlet)."""
    since, _ = _local_day(start, zone)
    _, until = _local_day(end, zone)
    units = list(outlets) if outlets is not None else None
    rows = await pool.fetch(
        "SELECT p.client_id, (e.data->>'score')::int AS score, e.data->>'remarks' AS remarks,"
        " e.data->>'tier' AS tier FROM events e"
        " JOIN client_profiles p ON e.stream_id = 'client-' || p.client_id"
        " WHERE e.type = 'survey_recorded' AND e.occurred_at >= $1 AND e.occurred_at < $2"
        " AND ($3::text[] IS NULL OR p.outlet = ANY($3)) ORDER BY e.occurred_at",
        since, until, units)
    outstanding = await pool.fetchval(
        "SELECT count(*) FROM client_profiles WHERE tasks @> '[{\"kind\": \"survey\"}]'"
        " AND ($1::text[] IS NULL OR outlet = ANY($1))", units)
    scores = [r["score"] for r in rows]
    tiers: dict[str, list[int]] = {}
    for r in rows:
        tiers.setdefault(r["tier"] or "-", []).append(r["score"])
    return SurveySummary(
        outlets=units, start=start, end=end, surveys=len(rows),
        mean_score=round(sum(scores) / len(scores), 2) if scores else None,
        by_score={k: scores.count(k) for k in range(1, 6)},
        by_tier={t: TierSurveys(surveys=len(v), mean_score=round(sum(v) / len(v), 2))
                 for t, v in sorted(tiers.items(), key=lambda kv: _tier_order(kv[0]))},
        low_scores=[LowScore(client_id=r["client_id"], score=r["score"], remarks=r["remarks"])
                    for r in rows if r["score"] <= 2],
        outstanding=outstanding)


def _tier_order(tier: str) -> int:
    order = [t.value for t in ClientTier]
    return order.index(tier) if tier in order else len(order)


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
