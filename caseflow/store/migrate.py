"""Schema migrations: numbered SQL files applied once each, in order, under an advisory lock."""

from __future__ import annotations

from importlib import resources

import asyncpg
import structlog

log = structlog.get_logger(__name__)

_MIGRATION_LOCK = 7_403_117  # any constant; serialises concurrent starters


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files("caseflow.store") / "migrations"
    found = [(f.name, f.read_text(encoding="utf-8")) for f in folder.iterdir()
             if f.name.endswith(".sql")]
    return sorted(found)


async def migrate(conn: asyncpg.Connection) -> list[str]:
    """Apply pending migrations; return the names applied now (empty when up to date)."""
    applied_now: list[str] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
        for name, sql in _migrations():
            if name in done:
                continue
            await conn.execute(sql)
            await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
            applied_now.append(name)
    if applied_now:
        log.info("migrations applied", migrations=applied_now)
    return applied_now


async def pending_migrations(conn: asyncpg.Connection) -> list[str]:
    """The shipped migrations not applied to this database (all of them before the first)."""
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")
            } if exists else set()
    return [name for name, _ in _migrations() if name not in done]
