"""Users and their bearer tokens. A token is shown once, when issued; only its SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets

import asyncpg
from pydantic import Field, model_validator

from caseflow.identity.organisation import units_below
from domain.access import Principal, Role
from domain.notifications import EMAIL_PATTERN, MOBILE_PATTERN

TOKEN_PREFIX = "cf_"


class NewUser(Principal):
    """A user, with where messages reach them (personal data: never logged) and in which
    language (zh by default)."""

    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=320)
    mobile: str | None = Field(default=None, pattern=MOBILE_PATTERN)
    language: str = Field(default="zh", pattern=r"^(zh|en)$")

    @model_validator(mode="after")
    def _no_scope(self) -> NewUser:
        if self.scope:
            raise ValueError("a user's scope follows from their unit in the organisation; "
                             "it is not given")
        return self


class UserError(Exception):
    """A user-management request that cannot be done (duplicate name, unknown user)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def add_user(pool: asyncpg.Pool, user: Principal, *, created_by: str,
                   email: str | None = None, mobile: str | None = None,
                   language: str = "zh") -> str:
    """Create the user (with where messages reach them, and in which language) and return their
    first token. caseflow's own principals are not users."""
    if user.role is Role.SYSTEM:
        raise UserError(f"{user.name!r} is caseflow itself, not a user")
    async with pool.acquire() as conn, conn.transaction():
        inserted = await conn.fetchval(
            "INSERT INTO users (name, role, outlet, created_by, email, mobile, language)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING RETURNING name",
            user.name, user.role.value, user.outlet, created_by, email, mobile, language)
        if inserted is None:
            raise UserError(f"user {user.name!r} already exists")
        return await _issue(conn, user.name)


async def issue_token(pool: asyncpg.Pool, name: str) -> str:
    """Another token for an existing user (the old ones stay valid until revoked)."""
    async with pool.acquire() as conn, conn.transaction():
        if await conn.fetchval("SELECT 1 FROM users WHERE name = $1", name) is None:
            raise UserError(f"no user {name!r}")
        return await _issue(conn, name)


async def revoke_tokens(pool: asyncpg.Pool, name: str) -> int:
    async with pool.acquire() as conn:
        result: str = await conn.execute(
            "UPDATE api_tokens SET revoked_at = now() WHERE user_name = $1 AND revoked_at IS NULL",
            name)
    return int(result.split()[-1])


async def authenticate(pool: asyncpg.Pool, token: str) -> Principal | None:
    """The user a live token belongs to, with the units below their own (their scope), or
    None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT u.name, u.role, u.outlet FROM api_tokens t JOIN users u ON u.name = t.user_name"
            " WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL", token_digest(token))
        if row is None:
            return None
        return await with_scope(conn, row)


async def with_scope(conn: asyncpg.Connection, row: asyncpg.Record) -> Principal:
    """The principal of a user row (name, role, outlet), with the units below their own."""
    scope = await units_below(conn, row["outlet"]) if row["outlet"] else frozenset()
    return Principal.model_validate({"name": row["name"], "role": row["role"],
                                     "outlet": row["outlet"], "scope": scope})


async def list_users(pool: asyncpg.Pool) -> list[Principal]:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT name, role, outlet FROM users ORDER BY name")
    return [Principal.model_validate(dict(r)) for r in rows]


async def _issue(conn: asyncpg.Connection, name: str) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await conn.execute("INSERT INTO api_tokens (token_sha256, user_name) VALUES ($1, $2)",
                       token_digest(token), name)
    return token
