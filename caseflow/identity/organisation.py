"""The bank's organisation: units in a tree (head office > branch > sub-branch > outlet, with
each branch's service-management department and press office), its staff with their unit, role,
contacts and language; and the resolution of an address to the people who hold it today.

A role at a unit that nobody holds goes to the same role one unit up (and so on to the head
office); the route taken is returned with the people, to be recorded. A department's function
("service_management_department", "press_office") goes to the nearest such department above the
unit. Loaded from a file for the embedded demo; managed by admins through the CLI and the API.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import asyncpg
from pydantic import BaseModel, ConfigDict, Field

from domain.access import Role
from domain.messages import Identifier, Name
from domain.notifications import EMAIL_PATTERN, MOBILE_PATTERN, RoleAt, UserAddress


class UnitKind(StrEnum):
    HEAD_OFFICE = "head_office"
    BRANCH = "branch"
    SUB_BRANCH = "sub_branch"
    OUTLET = "outlet"
    SERVICE_MANAGEMENT = "service_management_department"
    PRESS_OFFICE = "press_office"


DEPARTMENTS = frozenset({UnitKind.SERVICE_MANAGEMENT, UnitKind.PRESS_OFFICE})


class Unit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_id: Identifier
    kind: UnitKind
    parent: Identifier | None = None
    name_zh: Name
    name_en: Name


class StaffMember(BaseModel):
    """A user as messages see them: where to reach them and in which language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Name
    role: Role
    unit: Identifier | None
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, repr=False)
    mobile: str | None = Field(default=None, pattern=MOBILE_PATTERN, repr=False)
    language: str = Field(default="zh", pattern=r"^(zh|en)$")


class OrganisationFile(BaseModel):
    """The file an embedded demo (or a first install) loads: units and their staff."""

    model_config = ConfigDict(extra="forbid")

    units: list[Unit]
    staff: list[StaffMember] = []


class OrganisationError(Exception):
    """A unit or an address that the organisation cannot take or resolve."""


class Resolved(BaseModel):
    """Who an address reaches today, and how (`route`: the fallback taken, if any)."""

    model_config = ConfigDict(frozen=True)

    people: tuple[StaffMember, ...]
    route: str | None = None


# -- units -------------------------------------------------------------------------------------

async def put_units(pool: asyncpg.Pool, units: list[Unit]) -> None:
    """Create or change units (parents first or in the same call); the tree stays a tree."""
    async with pool.acquire() as conn, conn.transaction():
        await _put_units(conn, units)


async def _put_units(conn: asyncpg.Connection, units: list[Unit]) -> None:
    for unit in _parents_first(units):
        try:
            await conn.execute(_PUT_UNIT,
                               unit.unit_id, unit.kind.value, unit.parent, unit.name_zh,
                               unit.name_en)
        except asyncpg.ForeignKeyViolationError:
            raise OrganisationError(
                f"unit {unit.unit_id}: its parent {unit.parent} does not exist") from None
    if cycle := await conn.fetchval(_CYCLE):
        raise OrganisationError(f"unit {cycle} would be its own ancestor")


async def list_units(pool: asyncpg.Pool) -> list[Unit]:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT unit_id, kind, parent_id AS parent, name_zh, name_en"
                                " FROM units ORDER BY unit_id")
    return [Unit.model_validate(dict(r)) for r in rows]


async def load_organisation(pool: asyncpg.Pool, path: Path, *, loaded_by: str) -> tuple[int, int]:
    """Load a file's units and staff (existing ones are updated, none removed): the counts. All
    or nothing: a file with one bad unit or one member at a unit that does not exist changes
    nothing."""
    try:
        given = OrganisationFile.model_validate(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError) as exc:
        raise OrganisationError(f"{path}: {exc}") from None
    async with pool.acquire() as conn, conn.transaction():
        await _put_units(conn, given.units)
        for member in given.staff:
            if member.unit is not None and not await conn.fetchval(_UNIT_EXISTS, member.unit):
                raise OrganisationError(f"{member.name}: unit {member.unit} does not exist")
            await _put_staff(conn, member, changed_by=loaded_by)
    return len(given.units), len(given.staff)


# -- resolving addresses ------------------------------------------------------------------------

async def resolve(pool: asyncpg.Pool, address: RoleAt | UserAddress) -> Resolved:
    """The staff an address reaches now. Raises OrganisationError when it reaches no one."""
    async with pool.acquire() as conn:
        if isinstance(address, UserAddress):
            row = await conn.fetchrow(f"{_STAFF} WHERE name = $1", address.name)
            if row is None:
                raise OrganisationError(f"no user {address.name!r}")
            return Resolved(people=(_member(row),))
        chain = [r["unit_id"] for r in await conn.fetch(_ANCESTORS, address.unit)]
        if not chain:
            raise OrganisationError(f"unknown unit {address.unit!r}")
        if address.is_function:
            return await _department(conn, address, chain)
        for depth, unit in enumerate(chain):
            rows = await conn.fetch(f"{_STAFF} WHERE outlet = $1 AND role = $2 ORDER BY name",
                                    unit, address.role)
            if rows:
                route = None if depth == 0 else (
                    f"nobody holds {address.role} at {address.unit}: sent to {unit}")
                return Resolved(people=tuple(_member(r) for r in rows), route=route)
    raise OrganisationError(f"nobody holds {address.role} at {address.unit} or above it")


async def _department(conn: asyncpg.Connection, address: RoleAt, chain: list[str]) -> Resolved:
    for unit in chain:
        department = await conn.fetchval(
            "SELECT unit_id FROM units WHERE parent_id = $1 AND kind = $2 ORDER BY unit_id",
            unit, address.role)
        if department is None:
            continue
        rows = await conn.fetch(f"{_STAFF} WHERE outlet = $1 ORDER BY name", department)
        if rows:
            return Resolved(people=tuple(_member(r) for r in rows),
                            route=f"{address.role} of {unit}: {department}")
        raise OrganisationError(f"the {address.role} {department} has no staff")
    raise OrganisationError(f"no {address.role} above {address.unit}")


async def put_staff(pool: asyncpg.Pool, member: StaffMember, *, changed_by: str) -> None:
    """Create a user (no token: `caseflow users token` issues one) or change their unit, role,
    contacts and language."""
    async with pool.acquire() as conn:
        await _put_staff(conn, member, changed_by=changed_by)


async def _put_staff(conn: asyncpg.Connection, member: StaffMember, *, changed_by: str) -> None:
    if member.role is Role.SYSTEM:
        raise OrganisationError(f"{member.name!r} is caseflow itself, not a user")
    await conn.execute(
        "INSERT INTO users (name, role, outlet, email, mobile, language, created_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO UPDATE SET"
        " role = EXCLUDED.role, outlet = EXCLUDED.outlet, email = EXCLUDED.email,"
        " mobile = EXCLUDED.mobile, language = EXCLUDED.language",
        member.name, member.role.value, member.unit, member.email, member.mobile,
        member.language, changed_by)


async def unit_exists(pool: asyncpg.Pool, unit: str) -> bool:
    return bool(await pool.fetchval(_UNIT_EXISTS, unit))


async def units_below(conn: asyncpg.Connection, unit: str) -> frozenset[str]:
    """Every unit under `unit`, at any depth (a user there acts on all of them)."""
    rows = await conn.fetch(_DESCENDANTS, unit)
    return frozenset(r["unit_id"] for r in rows)


def _member(row: asyncpg.Record) -> StaffMember:
    return StaffMember.model_validate(dict(row))


def _parents_first(units: list[Unit]) -> list[Unit]:
    given = {u.unit_id for u in units}
    placed: set[str] = set()
    ordered: list[Unit] = []
    pending = list(units)
    while pending:
        ready = [u for u in pending if u.parent is None or u.parent not in given
                 or u.parent in placed]
        if not ready:
            raise OrganisationError("the units given form a cycle")
        for unit in ready:
            ordered.append(unit)
            placed.add(unit.unit_id)
        pending = [u for u in pending if u.unit_id not in placed]
    return ordered


_PUT_UNIT = ("INSERT INTO units (unit_id, kind, parent_id, name_zh, name_en)"
             " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id) DO UPDATE SET"
             " kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id,"
             " name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en")
_UNIT_EXISTS = "SELECT EXISTS (SELECT 1 FROM units WHERE unit_id = $1)"
_STAFF = ("SELECT name, role, outlet AS unit, email, mobile, language FROM users")
_ANCESTORS = """
WITH RECURSIVE up(unit_id, parent_id, depth) AS (
    SELECT unit_id, parent_id, 0 FROM units WHERE unit_id = $1
    UNION ALL
    SELECT u.unit_id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.unit_id = up.parent_id
    WHERE up.depth < 32
)
SELECT unit_id FROM up ORDER BY depth"""
_DESCENDANTS = """
WITH RECURSIVE down(unit_id) AS (
    SELECT unit_id FROM units WHERE parent_id = $1
    UNION
    SELECT u.unit_id FROM units u JOIN down d ON u.parent_id = d.unit_id
)
SELECT unit_id FROM down"""
_CYCLE = """
WITH RECURSIVE walk(start, unit_id, depth) AS (
    SELECT unit_id, parent_id, 1 FROM units WHERE parent_id IS NOT NULL
    UNION ALL
    SELECT w.start, u.parent_id, w.depth + 1 FROM walk w JOIN units u ON u.unit_id = w.unit_id
    WHERE u.parent_id IS NOT NULL AND w.depth < 64 AND w.unit_id <> w.start
)
SELECT start FROM walk WHERE unit_id = start LIMIT 1"""
