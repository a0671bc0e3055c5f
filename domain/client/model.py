"""Vocabulary of the client relationship."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from domain.messages import Amount
from domain.tier import ClientTier

__all__ = [
    "AccountEventKind",
    "Assessment",
    "Birthday",
    "CareOccasion",
    "ClientTier",
    "ContactChannel",
    "ContactOutcome",
    "ContactPreference",
    "Maturity",
    "MonthDay",
    "ReferralStatus",
    "Stage",
    "month_day_date",
]


class Stage(StrEnum):
    NEW = "new"
    CONTACT = "contact"             # 接触营销: a follow-up plan for potential / to-be-won clients
    SERVE = "serve"                 # 业务处理: a named manager, accounts, sales
    MAINTAIN = "maintain"           # 关系维护: the maintenance plan of the tier
    NORMAL_CHANNELS = "normal_channels"  # ordinary clients: no follow-up
    LOST = "lost"


class ContactChannel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    SMS = "sms"
    MEETING = "meeting"


class ContactOutcome(StrEnum):
    NO_ANSWER = "no_answer"
    NOT_INTERESTED = "not_interested"
    MEETING_AGREED = "meeting_agreed"


class ReferralStatus(StrEnum):
    """Seed 001: a lobby manager's or teller's referral of a premium client: handed to a wealth
    manager on the spot (已推介), or not, with the manager's card given (待跟进)."""

    REFERRED = "referred"
    AWAITING_FOLLOW_UP = "awaiting_follow_up"


class CareOccasion(StrEnum):
    """Care events of the maintenance plan (DESIGN.md §4): a greeting the manager prepares."""

    BIRTHDAY = "birthday"
    SPRING_FESTIVAL = "spring_festival"
    MID_AUTUMN = "mid_autumn"


MonthDay = Annotated[str, StringConstraints(pattern=(
    r"^((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|[12][0-9]))$"))]
"""A birthday as MM-DD: the day the bank greets the client. No year (less personal data)."""


def month_day_date(month_day: str, year: int) -> date:
    """The day in `year` (29 February falls on the 28th in other years)."""
    month, day = (int(part) for part in month_day.split("-"))
    if (month, day) == (2, 29) and not calendar.isleap(year):
        day = 28
    return date(year, month, day)


def valid_month_day(month_day: str) -> str:
    month_day_date(month_day, 2024)  # raises ValueError for 02-30, 04-31…
    return month_day


Birthday = Annotated[MonthDay, AfterValidator(valid_month_day)]


class AccountEventKind(StrEnum):
    """What the bank's core banking reports of a client's accounts (issue 16)."""

    LARGE_TRANSACTION = "large_transaction"
    LARGE_OUTFLOW = "large_outflow"
    MATURITY = "maturity"
    """A term deposit or wealth product matures on `matures_on`."""
    ACCOUNT_CLOSURE = "account_closure"
    BALANCE_CHANGE = "balance_change"
    """The balance crossed a tier threshold (`direction` up or down)."""


class Maturity(BaseModel):
    """A maturing deposit or product the manager contacts the client about (from
    client-policy-2026.3 a task of its own): reminded at `contact_at`, done by a contact from
    then on, missed at the end of `matures_on`."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    product: str | None
    matures_on: date
    contact_at: datetime
    reminded: bool = False


class ContactPreference(StrEnum):
    DO_NOT_DISTURB = "do_not_disturb"
    MODERATE = "moderate"
    FREQUENT = "frequent"


class Assessment(BaseModel):
    """The identification inputs (seed 001): money in 10 000 CNY as decimals, the soft factors
    on a 0–5 scale, and whether the client's main bank is another bank."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    deposits_10k: Amount = Field(ge=0)
    loans_10k: Amount = Field(ge=0)
    intermediary_products: int = Field(ge=0)
    family: int = Field(ge=0, le=5)
    occupation: int = Field(ge=0, le=5)
    social_standing: int = Field(ge=0, le=5)
    main_bank_elsewhere: bool = False
