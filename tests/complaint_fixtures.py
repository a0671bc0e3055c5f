"""Builders shared by complaint tests: commands with sensible defaults, and given/when on the
complaint Decider (tests/deciding.py, shared with the client tests)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from caseflow.policy.calendar import official_calendar
from domain.complaint import COMPLAINT, ComplaintState, Rules
from domain.complaint import commands as c
from domain.complaint.events import ComplaintEvent
from domain.complaint.model import Channel, ClientTier
from domain.sla import SlaPolicy
from tests.deciding import Spec, types

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULES = Rules(calendar=official_calendar(), policy=SlaPolicy())
T0 = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)  # Wednesday before National Day


def register(**overrides: Any) -> c.RegisterComplaint:
    fields: dict[str, Any] = dict(
        actor="lobby-1", at=T0, case_id="C1", client_id="K1", client_tier=ClientTier.ORDINARY,
        channel=Channel.IN_PERSON, category="bank_cards", cause="fees", description="charged twice",
        outlet="outlet-9", received_at=T0,
    )
    return c.RegisterComplaint(**{**fields, **overrides})


def assign(handler: str = "officer-1", at: datetime = T0) -> c.AssignHandler:
    return c.AssignHandler(actor="lobby-1", at=at, handler=handler)


def findings(at_fault: bool = False, at: datetime = T0, **kw: Any) -> c.RecordFindings:
    return c.RecordFindings(actor="officer-1", at=at, summary="looked into it",
                            bank_at_fault=at_fault, **kw)


FAULT: dict[str, Any] = dict(
    corrective_action="retrain the counter staff on fee refunds", corrective_action_owner="head-9",
    corrective_action_due=T0.date() + timedelta(days=30), responsible="counter 3",
    apology="apologised in person", remedy="the fee was refunded")
"""A complete fault record: the corrective action with owner and due date, who is responsible,
the apology and the remedy."""


def at_fault(at: datetime = T0, **kw: Any) -> c.RecordFindings:
    return findings(True, at, **{**FAULT, **kw})


def reply(at: datetime = T0 + timedelta(hours=2), **kw: Any) -> c.ReplyToClient:
    fields: dict[str, Any] = dict(actor="officer-1", at=at, method="in_person",
                                  content="refunded")
    return c.ReplyToClient(**{**fields, **kw})


def feedback(satisfied: bool, at: datetime = T0 + timedelta(hours=3), **kw: Any
             ) -> c.RecordFeedback:
    return c.RecordFeedback(actor="officer-1", at=at, satisfied=satisfied, opinion="ok", **kw)


COMPLAINTS = Spec(COMPLAINT, RULES)
"""Given / when for complaint cases under the official calendar and the default SLA policy."""


def given(*commands: Any) -> ComplaintState:
    return COMPLAINTS.given(*commands)


def when(state: ComplaintState, command: Any) -> list[ComplaintEvent]:
    return COMPLAINTS.when(state, command)


__all__ = ["COMPLAINTS", "given", "register", "types", "when"]
