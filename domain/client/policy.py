"""The client policy: scoring, tiers, follow-up plans, cadences and churn figures, as data.

Defaults from DESIGN.md §4: core premium contact every 30 days, review every 90; ordinary premium
60 and 180; follow-up plans of 3 attempts 7 days apart; re-assessment every 180 days. Churn by
product coverage from seed 002 (1 product 62 %, 3 products 42 %, 5 or more 12 %); the seed gives
no figure for 2 or 4 products, so they take the figure of the bracket below (62 %, 42 %). The
scoring weights and thresholds, and the risk added by complaints, are the bank's to set: the
defaults here are placeholders for it to replace (caseflow/policy/client_policy.json).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from domain.client.model import CareOccasion
from domain.tier import ClientTier


class ScoringWeights(BaseModel):
    """Points per unit of each assessment factor."""

    model_config = ConfigDict(frozen=True)

    deposits_per_10k: Decimal = Decimal("1")
    loans_per_10k: Decimal = Decimal("0.5")
    intermediary_products: Decimal = Decimal("5")
    family: Decimal = Decimal("4")
    occupation: Decimal = Decimal("4")
    social_standing: Decimal = Decimal("4")


class TierThresholds(BaseModel):
    model_config = ConfigDict(frozen=True)

    core_premium: Decimal = Decimal("200")
    ordinary_premium: Decimal = Decimal("100")
    potential: Decimal = Decimal("40")


class Cadence(BaseModel):
    model_config = ConfigDict(frozen=True)

    contact_every_days: int = Field(ge=1)
    review_every_days: int = Field(ge=1)


class CarePlan(BaseModel):
    """When the manager is reminded of a care occasion: `remind_days_before` at `remind_hour`
    (and `remind_minute`) in `time_zone`. `festivals` holds each festival's dates: lunar dates,
    so caseflow fills them in from a lunar calendar library when it loads the policy (the file
    leaves them empty)."""

    model_config = ConfigDict(frozen=True)

    remind_days_before: int = Field(default=1, ge=0, le=30)
    remind_hour: int = Field(default=9, ge=0, le=23)
    remind_minute: int = Field(default=0, ge=0, le=59)
    time_zone: str = "Asia/Shanghai"
    festivals: dict[CareOccasion, tuple[date, ...]] = {}


class ClientPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str = "client-policy-2026.1"
    weights: ScoringWeights = ScoringWeights()
    thresholds: TierThresholds = TierThresholds()
    cadences: dict[ClientTier, Cadence] = {
        ClientTier.CORE_PREMIUM: Cadence(contact_every_days=30, review_every_days=90),
        ClientTier.ORDINARY_PREMIUM: Cadence(contact_every_days=60, review_every_days=180),
    }
    follow_up_attempts: int = Field(default=3, ge=1)
    follow_up_interval_days: int = Field(default=7, ge=1)
    reassess_every_days: int = Field(default=180, ge=1)
    care: CarePlan = CarePlan()
    overdue_escalation_days: int = Field(default=7, ge=1)
    """Days after a contact fell due before the supervisor is alerted."""
    churn_by_products: dict[int, int] = {1: 62, 3: 42, 5: 12}
    """Churn risk (%) from this many products upward, until the next entry."""
    churn_open_complaint: int = 10
    churn_breached_complaint: int = 20

    def churn_risk(self, products: int, open_complaints: int, breached: int) -> int:
        """Risk in percent, 0–100: the figure of the highest bracket at or below the product
        count (fewer products than the lowest bracket count as the lowest), raised by open and
        breached complaints."""
        brackets = sorted(self.churn_by_products)
        reached = [b for b in brackets if b <= products] or brackets[:1]
        risk = (self.churn_by_products[reached[-1]]
                + self.churn_open_complaint * open_complaints
                + self.churn_breached_complaint * breached)
        return min(100, risk)
