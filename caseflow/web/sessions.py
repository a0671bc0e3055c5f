"""Web sessions, kept in PostgreSQL: the cookie holds 256 random bits, the table only their
SHA-256, with the session's form token (CSRF) and when it was last used. A session unused for
a while (`web_idle_minutes`) has ended; signing out ends it at once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from caseflow.identity.users import with_scope
from domain.access import Principal

COOKIE = "cf_session"


@dataclass(frozen=True)
class WebSession:
    user: Principal
    csrf: str
    """The token every form of this session carries back."""
    language: str


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def start_session(pool: asyncpg.Pool, user: Principal, now: datetime) -> str:
    """A new session for `user`: the id for the cookie (shown nowhere else)."""
    session_id = secrets.token_urlsafe(32)
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO web_sessions (id_sha256, user_name, csrf_token, created_at, last_seen)"
            " VALUES ($1, $2, $3, $4, $4)",
            _digest(session_id), user.name, secrets.token_urlsafe(32), now)
    return session_id


async def find_session(pool: asyncpg.Pool, session_id: str, now: datetime, idle: timedelta,
                       *, touch: bool = True) -> WebSession | None:
    """The live session with this id (`touch`: marked as used now); None if unknown, ended, or
    unused for longer than `idle`."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "UPDATE web_sessions s SET last_seen = CASE WHEN $4 THEN $2 ELSE s.last_seen END"
            " FROM users u"
            " WHERE s.id_sha256 = $1 AND u.name = s.user_name AND s.ended_at IS NULL"
            " AND s.last_seen > $3"
            " RETURNING u.name, u.role, u.outlet, u.language, s.csrf_token",
            _digest(session_id), now, now - idle, touch)
        if row is None:
            return None
        user = await with_scope(conn, row)
    return WebSession(user=user, csrf=row["csrf_token"], language=row["language"])


async def end_session(pool: asyncpg.Pool, session_id: str, now: datetime) -> None:
    async with pool.acquire() as conn:
        await conn.execute("UPDATE web_sessions SET ended_at = $2 WHERE id_sha256 = $1"
                           " AND ended_at IS NULL", _digest(session_id), now)


async def set_language(pool: asyncpg.Pool, name: str, language: str) -> None:
    async with pool.acquire() as conn:
        await conn.execute("UPDATE users SET language = $2 WHERE name = $1", name, language)


async def form_was_posted(pool: asyncpg.Pool, request_id: str) -> bool:
    """Whether the form with this one-time id has already been recorded (a second click, or
    the same form posted again)."""
    if not request_id:
        return False
    async with pool.acquire() as conn:
        found = await conn.fetchval("SELECT 1 FROM web_form_posts WHERE request_id = $1",
                                    request_id)
    return found is not None


async def remember_form_post(pool: asyncpg.Pool, request_id: str, stream_id: str) -> None:
    if not request_id:
        return
    async with pool.acquire() as conn:
        await conn.execute("INSERT INTO web_form_posts (request_id, stream_id) VALUES ($1, $2)"
                           " ON CONFLICT (request_id) DO NOTHING", request_id, stream_id)
