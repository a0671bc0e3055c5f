"""Sign-in by user name and password, behind one interface (`SignIn`) so that the bank's single
sign-on can replace it. Passwords are argon2id hashes; an admin sets a user's first one. Failed
attempt answers only after `FAILURE_DELAY`, and `LOCK_AFTER` in a row lock the user for
`LOCK_FOR`. Setting a password ends the user's web sessions (a reset shuts out whoever had
them)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from caseflow.identity.users import UserError, with_scope
from domain.access import Principal

LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=15)
FAILURE_DELAY = 1.0
"""Seconds every refused sign-in waits before it answers, whoever the name (known or not)."""
MIN_LENGTH = 10

HASHER = PasswordHasher()  # argon2id, the library's current recommended parameters

Refusal = Literal["wrong", "locked"]


class SignInRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason: Refusal = reason


class SignIn(Protocol):
    """Who is signing in, or SignInRefused ("wrong": unknown user or password; "locked")."""

    async def sign_in(self, name: str, password: str, now: datetime) -> Principal: ...


def password_problem(name: str, password: str) -> str | None:
    """Why a new password is not accepted (a catalogue key of the web app), or None."""
    if len(password) < MIN_LENGTH:
        return "password.too_short"
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        return "password.letters_and_digits"
    if name.lower() in password.lower():
        return "password.contains_name"
    return None


async def set_password(pool: asyncpg.Pool, name: str, password: str, *, set_by: str) -> None:
    """Set `name`'s password (an admin's first one, or the user's own change), unlock them."""
    problem = password_problem(name, password)
    if problem is not None:
        raise UserError(problem)
    digest = await asyncio.to_thread(HASHER.hash, password)
    async with pool.acquire() as conn, conn.transaction():
        changed = await conn.execute(
            "UPDATE users SET password_hash = $2, password_set_by = $3, password_set_at = now(),"
            " failed_sign_ins = 0, locked_until = NULL WHERE name = $1", name, digest, set_by)
        if changed.split()[-1] == "0":
            raise UserError(f"no user {name!r}")
        await conn.execute("UPDATE web_sessions SET ended_at = now() WHERE user_name = $1"
                           " AND ended_at IS NULL", name)


@dataclass
class PasswordSignIn:
    pool: asyncpg.Pool
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep
    """How a failed attempt is slowed down (tests pass one that records the delay)."""

    async def sign_in(self, name: str, password: str, now: datetime) -> Principal:
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT name, role, outlet, password_hash, locked_until FROM users"
                " WHERE name = $1", name)
        digest = row["password_hash"] if row is not None else None
        # Always one argon2 check (a dummy one for an unknown name or a user without a
        # password yet), off the event loop: every refusal takes as long.
        matched = await asyncio.to_thread(_matches, digest or _UNKNOWN_USER, password)
        matched = matched and digest is not None
        if row is not None and row["locked_until"] is not None and row["locked_until"] > now:
            await self.pause(FAILURE_DELAY)
            raise SignInRefused("locked")
        if row is None or not matched:
            failures = await self._failed(name, now) if row is not None else 1
            await self.pause(FAILURE_DELAY)  # the connection is back in the pool meanwhile
            raise SignInRefused("locked" if failures >= LOCK_AFTER else "wrong")
        async with self.pool.acquire() as conn:
            if digest is not None and HASHER.check_needs_rehash(digest):
                rehashed = await asyncio.to_thread(HASHER.hash, password)
                await conn.execute("UPDATE users SET password_hash = $2 WHERE name = $1",
                                   name, rehashed)
            await conn.execute("UPDATE users SET failed_sign_ins = 0, locked_until = NULL"
                               " WHERE name = $1", name)
            return await with_scope(conn, row)

    async def _failed(self, name: str, now: datetime) -> int:
        """Count a failure in one statement (attempts at the same time each count: the row is
        locked by the update), from one again once a lock has run out; lock at LOCK_AFTER."""
        restart = "locked_until IS NOT NULL AND locked_until <= $2::timestamptz"
        counted = f"(CASE WHEN {restart} THEN 1 ELSE failed_sign_ins + 1 END)"
        async with self.pool.acquire() as conn:
            failures: int = await conn.fetchval(
                f"UPDATE users SET failed_sign_ins = {counted},"
                f" locked_until = CASE WHEN {counted} >= $4 THEN $3::timestamptz"
                f" WHEN {restart} THEN NULL ELSE locked_until END"
                " WHERE name = $1 RETURNING failed_sign_ins",
                name, now, now + LOCK_FOR, LOCK_AFTER)
        return failures


_UNKNOWN_USER = HASHER.hash("no user has this password")


def _matches(digest: str | None, password: str) -> bool:
    if digest is None:
        return False  # no password set yet: only an admin can give one
    try:
        return HASHER.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False
