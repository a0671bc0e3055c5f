"""The bank's client policy file (scoring, tiers, cadences, churn figures, care plan), with the
festival dates of the care plan filled in from the lunar calendar."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from lunardate import LunarDate

from domain.client.model import CareOccasion
from domain.client.policy import ClientPolicy

FESTIVAL_YEARS = 30
"""Festival dates travel in each client workflow's input (carried across continue-as-new), so
a long-lived workflow must get enough of them: from last year on, for this many years."""

LUNAR_FESTIVALS = {CareOccasion.SPRING_FESTIVAL: (1, 1), CareOccasion.MID_AUTUMN: (8, 15)}


def festival_dates(first_year: int, years: int) -> dict[CareOccasion, tuple[date, ...]]:
    """Spring Festival (1st of the 1st lunar month) and Mid-Autumn (15th of the 8th)."""
    return {occasion: tuple(LunarDate(year, month, day).to_solar_date()
                            for year in range(first_year, first_year + years))
            for occasion, (month, day) in LUNAR_FESTIVALS.items()}


def client_policy(path: Path | None = None, *, today: date | None = None) -> ClientPolicy:
    """The bank's client policy: caseflow/policy/client_policy.json unless another file is given.
    Festivals the file leaves empty are computed (from the year before `today`)."""
    text = path.read_text("utf-8") if path is not None else (
        resources.files("caseflow") / "policy" / "client_policy.json").read_text("utf-8")
    policy = ClientPolicy.model_validate_json(text)
    if policy.care.festivals:
        return policy
    year = (today or date.today()).year - 1
    care = policy.care.model_copy(update={"festivals": festival_dates(year, FESTIVAL_YEARS)})
    return policy.model_copy(update={"care": care})
