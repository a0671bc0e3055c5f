"""Calendar versions in PostgreSQL. An admin enters a year's schedule (a year not covered yet)
or an amendment (a covered year, saying what it changes); a second admin confirms it, and only
then is it in force. The calendar in force is the official data with each year's latest
confirmed version laid over it; its revision counts the confirmations, in their order.

A refusal (`CalendarChangeError`) changes nothing: every check runs inside the transaction that
would write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import asyncpg
from pydantic import BaseModel, ConfigDict

from domain.calendar import BusinessCalendar, CalendarProposal, YearSchedule

LOCK = 0x63616C  # one calendar change at a time (pg_advisory_xact_lock)


class CalendarChangeError(Exception):
    """A calendar entry refused, with the rule it breaks."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


class CalendarVersionNotFoundError(CalendarChangeError):
    def __init__(self, number: int) -> None:
        super().__init__(f"there is no calendar version {number}", "not_found")


class CalendarVersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    year: int
    kind: str
    reason: str | None
    schedule: YearSchedule
    state: str
    entered_by: str
    entered_at: datetime
    revision: int | None
    confirmed_by: str | None
    confirmed_at: datetime | None
    changed_days: tuple[date, ...]
    withdrawn_by: str | None


@dataclass(frozen=True)
class Confirmed:
    version: CalendarVersion
    calendar_version: str
    """The version of the calendar in force right after it (revision `version.revision`)."""
    already: bool
    """It had been confirmed before (a confirmation sent again): nothing was written now."""


def _version(row: asyncpg.Record) -> CalendarVersion:
    return CalendarVersion(
        number=row["number"], year=row["year"], kind=row["kind"], reason=row["reason"],
        schedule=YearSchedule.model_validate_json(row["schedule"]), state=row["state"],
        entered_by=row["entered_by"], entered_at=row["entered_at"], revision=row["revision"],
        confirmed_by=row["confirmed_by"], confirmed_at=row["confirmed_at"],
        changed_days=tuple(row["changed_days"]), withdrawn_by=row["withdrawn_by"])


def revision_label(official: BusinessCalendar, revision: int) -> str:
    """The version name of the calendar in force at `revision`."""
    return f"{official.version}+bank-r{revision}"


async def calendar_in_force(conn: asyncpg.Connection | asyncpg.Pool, official: BusinessCalendar,
                            *, revision: int | None = None) -> BusinessCalendar:
    """The official calendar with each year's latest confirmed version (up to `revision`, the
    newest when None) laid over it."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (year) year, schedule, revision FROM calendar_versions
           WHERE state = 'in_force' AND ($1::integer IS NULL OR revision <= $1)
           ORDER BY year, revision DESC""", revision)
    if not rows:
        return official
    newest = max(r["revision"] for r in rows) if revision is None else revision
    calendar = official.model_copy(update={"version": revision_label(official, newest),
                                           "revision": newest})
    for row in rows:
        year = YearSchedule.model_validate_json(row["schedule"])
        calendar = calendar.with_years_of(year.calendar(calendar.version, newest))
    return calendar


async def propose(pool: asyncpg.Pool, proposal: CalendarProposal, by: str,
                  official: BusinessCalendar) -> CalendarVersion:
    """Enter a version; it waits for a second admin's confirmation."""
    year = proposal.schedule.year
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", LOCK)
        current = await calendar_in_force(conn, official)
        covered = year in current.years
        if proposal.kind == "schedule" and covered:
            raise CalendarChangeError(
                f"{year} is already covered: enter the change as an amendment, saying what it "
                "changes", "year_covered")
        if proposal.kind == "amendment" and not covered:
            raise CalendarChangeError(
                f"{year} is not covered yet: enter its schedule first", "year_not_covered")
        changed = current.changed_days(proposal.schedule.calendar("proposed", 0), year)
        if proposal.kind == "amendment" and not changed:
            raise CalendarChangeError(
                f"the amendment changes no day of {year}: the schedule in force already says "
                "the same", "changes_nothing")
        pending = await conn.fetchval(
            "SELECT number FROM calendar_versions WHERE year = $1 AND state = 'proposed'", year)
        if pending is not None:
            raise CalendarChangeError(
                f"calendar version {pending} for {year} awaits confirmation: confirm or "
                "withdraw it first", "proposal_pending")
        row = await conn.fetchrow(
            """INSERT INTO calendar_versions (year, kind, reason, schedule, entered_by,
                                              changed_days)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING *""",
            year, proposal.kind, proposal.reason, proposal.schedule.model_dump_json(), by,
            list(changed))
    return _version(row)


async def confirm(pool: asyncpg.Pool, number: int, by: str, official: BusinessCalendar
                  ) -> Confirmed:
    """Put a version in force: by an admin other than the one who entered it. Its changed
    days are counted again against the calendar in force now."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", LOCK)
        row = await conn.fetchrow("SELECT * FROM calendar_versions WHERE number = $1 FOR UPDATE",
                                  number)
        if row is None:
            raise CalendarVersionNotFoundError(number)
        version = _version(row)
        if version.state == "in_force":
            assert version.revision is not None
            return Confirmed(version, revision_label(official, version.revision), already=True)
        if version.state == "withdrawn":
            raise CalendarChangeError(
                f"calendar version {number} was withdrawn by {version.withdrawn_by}",
                "withdrawn")
        if version.entered_by == by:
            raise CalendarChangeError(
                f"four eyes: calendar version {number} was entered by {by}; another admin "
                "must confirm it", "four_eyes")
        current = await calendar_in_force(conn, official)
        changed = current.changed_days(version.schedule.calendar("proposed", 0), version.year)
        revision = await conn.fetchval(
            "SELECT coalesce(max(revision), 0) + 1 FROM calendar_versions")
        row = await conn.fetchrow(
            """UPDATE calendar_versions SET state = 'in_force', revision = $2,
                      confirmed_by = $3, confirmed_at = now(), changed_days = $4
               WHERE number = $1 RETURNING *""", number, revision, by, list(changed))
    return Confirmed(_version(row), revision_label(official, revision), already=False)


async def withdraw(pool: asyncpg.Pool, number: int, by: str) -> CalendarVersion:
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow("SELECT * FROM calendar_versions WHERE number = $1 FOR UPDATE",
                                  number)
        if row is None:
            raise CalendarVersionNotFoundError(number)
        if row["state"] != "proposed":
            raise CalendarChangeError(
                f"calendar version {number} is {row['state'].replace('_', ' ')}: only a "
                "proposal can be withdrawn", "not_proposed")
        row = await conn.fetchrow(
            """UPDATE calendar_versions SET state = 'withdrawn', withdrawn_by = $2
               WHERE number = $1 RETURNING *""", number, by)
    return _version(row)


async def list_versions(pool: asyncpg.Pool, year: int | None = None) -> list[CalendarVersion]:
    rows = await pool.fetch(
        "SELECT * FROM calendar_versions WHERE ($1::integer IS NULL OR year = $1) "
        "ORDER BY number", year)
    return [_version(r) for r in rows]


async def get_version(pool: asyncpg.Pool, number: int) -> CalendarVersion:
    row = await pool.fetchrow("SELECT * FROM calendar_versions WHERE number = $1", number)
    if row is None:
        raise CalendarVersionNotFoundError(number)
    return _version(row)

