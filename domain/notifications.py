"""A notification to people, by address, and what its texts say.

An address names who should hear, not how to reach them: a role at a unit
("supervisor@outlet-9": whoever holds it when the message is sent, one unit up when nobody
does), a department's function at a unit ("service_management_department@outlet-9": that
function's department above the unit), a named user ("officer-7"), or the client
("client:K-77"). It is resolved when the message is sent, against the organisation of the day.

A notification carries facts (case id, due instant, reason...), not text: the bank's templates
turn them into Chinese or English when each recipient's message is made. Notifications from
before templates carry an English subject and body instead, and are sent as they are.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.messages import BLANK, IDENTIFIER_PATTERN


class Channel(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    SMS = "sms"
    WEBHOOK = "webhook"


MOBILE_PATTERN = r"^\+?[0-9]{6,15}$"
EMAIL_PATTERN = rf"^[^@\x00-\x20\x7f-\x9f{BLANK}]{{1,64}}@[A-Za-z0-9.-]{{1,253}}\.[A-Za-z]{{2,63}}$"


class ClientContact(BaseModel):
    """How the client asked to be told: personal data. It travels only in sealed Temporal
    payloads and is never logged, stored with the events, or shown in a repr."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    mobile: str | None = Field(default=None, pattern=MOBILE_PATTERN, repr=False)
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN, max_length=320, repr=False)
    preferred: Literal["sms", "email"] | None = None

    @model_validator(mode="after")
    def _reachable(self) -> ClientContact:
        if self.mobile is None and self.email is None:
            raise ValueError("a contact needs a mobile number or an e-mail address")
        if self.preferred == "sms" and self.mobile is None:
            raise ValueError("the preferred channel is SMS but no mobile number is given")
        if self.preferred == "email" and self.email is None:
            raise ValueError("the preferred channel is e-mail but no address is given")
        return self

    @property
    def channels(self) -> tuple[Channel, ...]:
        """The channels to try, in order: the preferred one first, then the other."""
        have = [c for c, value in ((Channel.SMS, self.mobile), (Channel.EMAIL, self.email))
                if value is not None]
        preferred = Channel(self.preferred) if self.preferred else have[0]
        return (preferred, *(c for c in have if c != preferred))


class Notification(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    stream_id: str
    recipients: tuple[str, ...]
    subject: str = ""
    """Only in notifications from before templates: their English text, sent as it is."""
    body: str = ""
    facts: dict[str, str] = {}
    """What the templates of `kind` say (ids, ISO instants, reasons): never client details."""
    unit: str | None = None
    """The unit the notification concerns: whose supervisors hear when it cannot be delivered."""
    client_contact: ClientContact | None = Field(default=None, repr=False)
    """How to reach the client, when the client is a recipient (sealed; never stored)."""


class NotifyItem(BaseModel):
    """A notification with its id, made in the workflow: a retried write stores it once."""

    model_config = ConfigDict(frozen=True)

    notification_id: UUID
    notification: Notification


# -- addresses --------------------------------------------------------------------------------

FUNCTIONS = frozenset({"service_management_department", "press_office"})
"""Departments addressed by their function: the nearest such department above the unit."""
ROLES = frozenset({"case_officer", "supervisor", "outlet_head"})

_UNIT = IDENTIFIER_PATTERN.removeprefix("^").removesuffix("$")
_ROLE_AT = re.compile(rf"^(?P<role>[a-z_]+)@(?P<unit>{_UNIT})$")
_CLIENT = re.compile(rf"^client:(?P<client>{_UNIT})$")
_USER = re.compile(rf"^{_UNIT}$")


class RoleAt(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: str
    unit: str

    @property
    def is_function(self) -> bool:
        return self.role in FUNCTIONS


class UserAddress(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str


class ClientAddress(BaseModel):
    model_config = ConfigDict(frozen=True)

    client_id: str


Address = RoleAt | UserAddress | ClientAddress


class AddressError(ValueError):
    """An address that names no one caseflow knows how to find."""


def parse_address(text: str) -> Address:
    if match := _ROLE_AT.fullmatch(text):
        role = match["role"]
        if role not in ROLES | FUNCTIONS:
            raise AddressError(f"{text!r}: {role!r} is no role or department of the bank")
        return RoleAt(role=role, unit=match["unit"])
    if match := _CLIENT.fullmatch(text):
        return ClientAddress(client_id=match["client"])
    if _USER.fullmatch(text):
        return UserAddress(name=text)
    raise AddressError(f"{text!r} is not an address (role@unit, a user name, or client:<id>)")


def role_at(role: str, unit: str | None) -> str:
    """The address of a role (or a department's function) at a unit."""
    return f"{role}@{unit or 'unknown-unit'}"


def client_address(client_id: str | None) -> str:
    return f"client:{client_id}"
