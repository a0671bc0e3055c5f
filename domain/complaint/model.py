"""Vocabulary shared by complaint commands, events and state."""

from __future__ import annotations

from enum import StrEnum

from domain.tier import ClientTier

__all__ = ["Channel", "ClientTier", "CloseReason", "EscalationReason", "ExtensionStatus",
           "ReplyMethod", "Status"]


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


class ExtensionStatus(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
