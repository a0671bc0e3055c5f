"""Vocabulary shared by complaint commands, events and state."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from domain.messages import Name, Text
from domain.tier import ClientTier

__all__ = ["FOLLOWED_UP_CLOSES", "Channel", "ClientTier", "CloseReason", "EscalationReason",
           "ExtensionStatus", "FollowUpOutcome", "MediaDetails", "ReplyMethod", "Status"]


class Channel(StrEnum):
    IN_PERSON = "in_person"
    COMMENT_BOOK = "comment_book"
    LETTER = "letter"
    PHONE = "phone"
    E_BANKING = "e_banking"
    OTHER_ELECTRONIC = "other_electronic"


class Status(StrEnum):
    NEW = "new"
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    INVESTIGATED = "investigated"
    REPLIED = "replied"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (Status.NEW, Status.CLOSED)


CLOCK_RUNNING = (Status.REGISTERED, Status.ASSIGNED, Status.INVESTIGATED)
"""The statuses in which a case's SLA clock runs: from registration until the reply."""


class ReplyMethod(StrEnum):
    PHONE = "phone"
    LETTER = "letter"
    FAX = "fax"
    HOME_VISIT = "home_visit"
    IN_PERSON = "in_person"


class EscalationReason(StrEnum):
    BEYOND_AUTHORITY = "beyond_authority"
    MEDIA_ATTENTION = "media_attention"
    CLIENT_DISSATISFIED = "client_dissatisfied"


class CloseReason(StrEnum):
    RESOLVED_ON_SPOT = "resolved_on_spot"
    CLIENT_SATISFIED = "client_satisfied"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no_response"
    """The client's opinion never came within the policy's period after the reply."""


FOLLOWED_UP_CLOSES = (CloseReason.CLIENT_SATISFIED, CloseReason.NO_RESPONSE)
"""Closes after a reply: the handler later confirms the client is satisfied with the result."""


class FollowUpOutcome(StrEnum):
    """What the satisfaction follow-up after closing found (seed 000)."""

    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"
    """The case is reopened or escalated."""
    UNREACHABLE = "unreachable"


class MediaDetails(BaseModel):
    """A media-attention case: which outlet, what the journalist asked, who at the bank was
    informed (seed 000: such a case goes to the press office and the branch at once)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    media_outlet: Name
    questions: Text
    informed: tuple[Name, ...] = ()


class ExtensionStatus(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
