"""Builds the domain's BusinessCalendar from the official Chinese calendar data
(the `chinese-calendar` package: statutory holidays and make-up working days through its last
published year) and the bank's own entries for later years (a JSON file, see policy/).

Years in neither source are not covered: asking about them is an error, never a guess.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from domain.calendar import BusinessCalendar


def _bank_entries_text(path: Path | None) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8")
    return (resources.files("caseflow") / "policy" / "calendar_bank.json").read_text("utf-8")


@lru_cache(maxsize=8)
def official_calendar(bank_entries: Path | None = None) -> BusinessCalendar:
    import chinese_calendar
    from chinese_calendar import constants

    holidays = set(constants.holidays)
    workdays = set(constants.workdays)
    years = {d.year for d in holidays}
    text = _bank_entries_text(bank_entries)
    try:
        bank = json.loads(text)["years"]
        for year_text, entries in bank.items():
            year = int(year_text)
            holidays = {d for d in holidays if d.year != year}
            workdays = {d for d in workdays if d.year != year}
            holidays |= {date.fromisoformat(d) for d in entries.get("holidays", [])}
            workdays |= {date.fromisoformat(d) for d in entries.get("makeup_workdays", [])}
            years.add(year)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"bank calendar entries are malformed: {exc}") from exc
    bank_digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    version = f"cn-official:chinese-calendar-{chinese_calendar.__version__}+bank:{bank_digest}"
    return BusinessCalendar(version=version, years=frozenset(years),
                            holidays=frozenset(holidays), makeup_workdays=frozenset(workdays))


def calendar_for(years: Iterable[int], bank_entries: Path | None = None) -> BusinessCalendar:
    """The official calendar cut to the given years (those it covers): small enough to travel
    in a workflow's input, so replay computes with exactly the data the case started with."""
    return official_calendar(bank_entries).only_years(years)
