"""The client policy: scoring, tiers, follow-up plans, cadences and churn figures, as data.

Defaults from DESIGN.md §4: core premium contact every 30 days, review every 90; ordinary premium
60 and 180; follow-up plans of 3 attempts 7 days apart; re-assessment every 180 days. Churn by
product coverage from seed 002 (1 product 62 %, 3 products 42 %, 5 or more 12 %); the seed gives
no figure for 2 or 4 products, so they take the figure of the bracket below (62 %, 42 %). The
scoring weights and thresholds, and the risk added by complaints, are the bank's to set: the
defaults here are placeholders for it to replace (caseflow/policy/client_policy.json).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.client.model import CareOccasion, ContactChannel, ContactPreference
from domain.tier import ClientTier

FIRST_CLIENT_POLICY = "client-policy-2026.1"
"""Before issue 16's fixes: a relationship from then keeps that version's rules (replay)."""
POLICY_BEFORE_TASKS = "client-policy-2026.2"
"""Before satisfaction surveys and a maturity's own contact task (replay)."""
_BEFORE_TASKS: dict[str, Any] = {"separate_tasks": False, "survey_every_days": {},
                                 "after_meeting_contact_every_days": None}
_EARLIER_RULES: dict[str, dict[str, Any]] = {
    FIRST_CLIENT_POLICY: {
        "premium_served_to_maintain": False, "manager_at_identification": "outlet_head",
        "meeting_reminder_hours": None, "serve_contact_every_days": None, "win_back": False,
        "preference_cadence": {}, "do_not_disturb_blocks": ["phone"],
        "do_not_disturb_care_written": False, **_BEFORE_TASKS},
    POLICY_BEFORE_TASKS: _BEFORE_TASKS,
}
"""What each earlier version did differently: a relationship keeps its version's rules."""


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

    def reminder_at(self, day: date, days_before: int) -> datetime:
        """The reminder time of the plan (local), `days_before` days before `day`."""
        return datetime.combine(day - timedelta(days=days_before),
                                time(self.remind_hour, self.remind_minute),
                                tzinfo=ZoneInfo(self.time_zone))


class ClientPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str = "client-policy-2026.3"
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
    # -- from client-policy-2026.2 (issue 16); the first version keeps its rules --
    premium_served_to_maintain: bool = True
    """A premium client's first sale or account opening moves it through serve to maintain
    (the tier's cadence, reviews and care), and so does a re-assessment to premium in serve."""
    manager_at_identification: Literal["identifier", "outlet_head"] = "outlet_head"
    """Who manages a premium client the identification names no manager for: the outlet head
    names one (the client waits on the outlet head's list, and its reminders go to the outlet
    head meanwhile), or ("identifier") the identifying staff member, for a bank whose
    identifications are made by its wealth managers."""
    meeting_reminder_hours: int | None = Field(default=24, ge=1, le=240)
    """An agreed meeting has a date and place; the manager is reminded this many hours
    before, and a meeting not recorded by the end of its day raises an alert (None: agreed
    meetings have no date, as in the first version)."""
    serve_contact_every_days: int | None = Field(default=90, ge=1)
    """A client in serve that is not premium is contacted again this many days after the last
    contact (after-sale care; None: no contact is planned)."""
    win_back: bool = True
    """A lost client can be put on a new follow-up plan (the relationship does not end)."""
    preference_cadence: dict[ContactPreference, Decimal] = {
        ContactPreference.FREQUENT: Decimal("0.5"),
        ContactPreference.MODERATE: Decimal("1"),
        ContactPreference.DO_NOT_DISTURB: Decimal("2"),
    }
    """How each contact preference scales the tier's contact interval."""
    do_not_disturb_blocks: frozenset[ContactChannel] = frozenset(
        {ContactChannel.PHONE, ContactChannel.MEETING})
    """The channels a do-not-disturb client is not contacted by (calls and visits)."""
    daily_contacts: int = Field(default=8, ge=0)
    """A manager's daily targets (the manager's day): contacts made, and meetings held."""
    daily_meetings: int = Field(default=2, ge=0)
    large_transaction_yuan: Decimal = Decimal("100000")
    """A single transaction or outflow from this amount is a prompt contact for the manager."""
    maturity_lead_days: int = Field(default=7, ge=0, le=90)
    """A maturing deposit or product: the manager contacts the client this many days before."""
    churn_large_outflow: int = 15
    """Churn risk (%) each large outflow (or a balance falling under a tier threshold) adds."""
    do_not_disturb_care_written: bool = True
    """A do-not-disturb client's care reminders ask for a written greeting, no call or visit."""
    # -- from client-policy-2026.3 --
    separate_tasks: bool = True
    """A maturity's contact is a task of its own beside the next contact (reminded at its lead
    time, missed at the end of its day), and a care event stays on the manager's day until
    its day; before, a maturity moved the one next contact."""
    after_meeting_contact_every_days: int | None = Field(default=14, ge=1)
    """A client met in the contact stage and not sold to is contacted again this many days
    after the last contact once the contact agreed at the meeting has passed (before: no
    contact was planned, a dead end the property test found)."""
    survey_every_days: dict[ClientTier, int] = {
        ClientTier.CORE_PREMIUM: 180, ClientTier.ORDINARY_PREMIUM: 365}
    """A satisfaction survey of a maintained client every this many days, by tier (the
    manager's task; its score and remarks go to the outlet head's summary)."""

    @model_validator(mode="before")
    @classmethod
    def _earlier_versions_keep_their_rules(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("version") not in _EARLIER_RULES:
            return data
        return {**_EARLIER_RULES[data["version"]], **data}

    def contact_every_days(self, tier: ClientTier, preference: ContactPreference) -> int | None:
        """The tier's contact interval as the client's preference scales it."""
        cadence = self.cadences.get(tier)
        if cadence is None:
            return None
        factor = self.preference_cadence.get(preference, Decimal("1"))
        return max(1, int(cadence.contact_every_days * factor))

    def churn_risk(self, products: int, open_complaints: int, breached: int,
                   outflows: int = 0) -> int:
        """Risk in percent, 0–100: the figure of the highest bracket at or below the product
        count (fewer products than the lowest bracket count as the lowest), raised by open and
        breached complaints."""
        brackets = sorted(self.churn_by_products)
        reached = [b for b in brackets if b <= products] or brackets[:1]
        risk = (self.churn_by_products[reached[-1]]
                + self.churn_open_complaint * open_complaints
                + self.churn_breached_complaint * breached
                + self.churn_large_outflow * outflows)
        return min(100, risk)
