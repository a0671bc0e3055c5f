"""Who may do what: the roles of the bank's staff and the checks a command passes before it is
decided. Pure (the caller says who is acting; the workflow holds the state the check needs), so
the API, the CLI and the workflow's validator apply one and the same rule.

Staff roles are bound to a unit and act on the cases and clients of that unit and every unit
below it (the principal carries that subtree, read from the organisation when they signed
in). Auditors read everything and change nothing; admins manage users and touch no case
(separation of duties).
caseflow's own steps are taken by named system principals, each with only the steps it needs
(the SLA clock; the complaint-to-client link); no user can be one, and they take no user's step.
A step always names who sends it: there is no "nobody", and so no way around these checks.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator

from domain.errors import DomainError
from domain.messages import Name


class Role(StrEnum):
    CASE_OFFICER = "case_officer"
    SUPERVISOR = "supervisor"
    OUTLET_HEAD = "outlet_head"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"
    """caseflow itself (see SYSTEM_STEPS); never a user's role."""

    @property
    def is_staff(self) -> bool:
        """Roles that act on cases and clients, within their own outlet."""
        return self in STAFF


STAFF = frozenset({Role.CASE_OFFICER, Role.SUPERVISOR, Role.OUTLET_HEAD})


class Principal(BaseModel):
    """An authenticated user: the actor recorded on every event they cause."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Name
    role: Role
    outlet: Name | None = None
    """The user's unit: an outlet, or a unit above outlets (a sub-branch, a branch)."""
    scope: frozenset[Name] = frozenset()
    """The units below the user's own, from the organisation when they signed in: a role at a
    unit acts on the cases and clients of its whole subtree (empty in histories before it)."""

    @model_validator(mode="after")
    def _staff_have_an_outlet(self) -> Principal:
        if self.role.is_staff and self.outlet is None:
            raise ValueError(f"a {self.role.value} is bound to an outlet")
        if self.role is Role.SYSTEM and (self.name not in SYSTEM_STEPS or self.outlet):
            raise ValueError(f"{self.name!r} is not one of caseflow's own principals")
        return self


class AccessDeniedError(DomainError):
    """The acting user's role or outlet does not allow the step."""

    rule = "forbidden"


# Steps that need more than any staff role of the outlet. Anything not listed needs a staff role.
COMPLAINT_ROLES: dict[str, frozenset[Role]] = {
    "decide_extension": frozenset({Role.SUPERVISOR}),
    "extend_regulatory_deadline": frozenset({Role.SUPERVISOR}),
}
HOLDER_STEPS = frozenset({"accept_escalation", "answer_escalation"})
"""Steps only the unit a case is escalated to takes (its staff, or a unit above it)."""
CLIENT_ROLES: dict[str, frozenset[Role]] = {
    "reassign_manager": frozenset({Role.OUTLET_HEAD}),  # the sub-branch head (支行行长)
}
SYSTEM_STEPS: dict[str, frozenset[str]] = {
    "caseflow-sla-clock": frozenset({"raise_warning", "record_breach", "escalate_overdue",
                                     "acknowledge_client", "clock", "remind_feedback",
                                     "close_no_response", "raise_regulatory_warning",
                                     "record_regulatory_breach", "raise_follow_up_due",
                                     "mark_corrective_action_overdue"}),
    "caseflow-complaints": frozenset({"link_complaint"}),
    "caseflow-messages": frozenset({"record_client_notice"}),
    "caseflow-calendar": frozenset({"recompute_deadline"}),
    "caseflow-core-banking": frozenset({"account_event", "identify"}),
}
"""caseflow's own principals and the only steps each may take."""
SHARED_STEPS = frozenset({"identify"})
"""Steps both users and caseflow take (the core banking refers a client it sees a large
transaction of, as a teller would)."""
SYSTEM_ONLY = frozenset().union(*SYSTEM_STEPS.values()) - SHARED_STEPS
"""Steps no user may take."""

SLA_CLOCK = Principal(name="caseflow-sla-clock", role=Role.SYSTEM)
"""The SLA and contact clocks: warnings, breaches, escalations, acknowledgements, ticks."""
COMPLAINT_LINK = Principal(name="caseflow-complaints", role=Role.SYSTEM)
"""Tells a client's relationship workflow about the client's complaint cases."""
MESSAGES = Principal(name="caseflow-messages", role=Role.SYSTEM)
"""Records on a case what became of a message to its client."""
CALENDAR = Principal(name="caseflow-calendar", role=Role.SYSTEM)
"""Brings a confirmed calendar change to the open cases it touches."""
CORE_BANKING = Principal(name="caseflow-core-banking", role=Role.SYSTEM)
"""Brings the bank's core-banking account events to the clients' workflows."""


def check_staff(principal: Principal | None, actor: str, outlet: str | None, step: str,
                holder: str | None = None) -> Principal:
    """A staff role of the outlet that owns the case or client (or of the higher unit that
    holds an escalated case), acting as themselves (the command's actor is the authenticated
    user); or one of caseflow's own principals taking one of its own steps. Returns the
    principal (never None: a step nobody sent is refused)."""
    if principal is None:
        raise AccessDeniedError(f"{_words(step)} names no sender: every step is sent by a "
                                "user or by caseflow itself", rule="no_principal")
    if actor != principal.name:
        raise AccessDeniedError(f"the step names {actor} as actor, but {principal.name} sent it")
    if principal.role is Role.SYSTEM:
        if step not in SYSTEM_STEPS[principal.name]:
            raise AccessDeniedError(f"{principal.name} is caseflow itself and may not "
                                    f"{_words(step)}", rule="system_only")
        return principal
    if not principal.role.is_staff:
        raise AccessDeniedError(
            f"{principal.name} is {_a(principal.role)} and may not {_words(step)}: "
            "only the outlet's staff change cases and clients")
    if step in SYSTEM_ONLY:
        raise AccessDeniedError(f"{_words(step)} is done by caseflow itself, not by a user")
    _require_scope(principal, outlet, holder)
    return principal


def check_complaint_step(
    principal: Principal | None, actor: str, outlet: str | None, step: str, *,
    letter_reply: bool = False, holder: str | None = None,
) -> None:
    """`holder`: the higher unit an escalated case is with; its staff act on the case too, and
    only they accept the escalation and answer it."""
    if step in HOLDER_STEPS:
        if holder is None:
            raise AccessDeniedError(f"the case is not escalated to a unit: no one may "
                                    f"{_words(step)}", rule="not_escalated")
        principal = check_staff(principal, actor, holder, step)
    else:
        principal = check_staff(principal, actor, outlet, step, holder)
    needed = COMPLAINT_ROLES.get(step)
    if letter_reply:  # seed 001: a letter or fax goes out only once the outlet head confirmed it
        needed = frozenset({Role.OUTLET_HEAD})
    _require(principal, needed, step)


def check_client_step(
    principal: Principal | None, actor: str, outlet: str | None, step: str, *,
    retention_by: str | None = None,
) -> None:
    principal = check_staff(principal, actor, outlet, step)
    needed = CLIENT_ROLES.get(step)
    if step == "retention" and retention_by == "outlet_head":  # the manager tried first
        needed = frozenset({Role.OUTLET_HEAD})
    _require(principal, needed, step)


def check_read(principal: Principal, outlet: str | None, holder: str | None = None) -> None:
    """Staff read their outlet's records (and the cases escalated to their unit); auditors
    read everything; admins none."""
    if principal.role == Role.AUDITOR:
        return
    if not principal.role.is_staff:
        raise AccessDeniedError(f"{principal.name} is {_a(principal.role)}: no access to cases "
                                "or clients")
    _require_scope(principal, outlet, holder)


def _require_scope(principal: Principal, outlet: str | None, holder: str | None = None
                   ) -> None:
    units = {principal.outlet, *principal.scope}
    if outlet is None or outlet in units or (holder is not None and holder in units):
        return
    raise AccessDeniedError(
        f"{principal.name} works for {principal.outlet}, and {outlet} is not within it",
        rule="other_outlet")


def visible_outlets(principal: Principal, outlet: str | None) -> list[str] | None:
    """The outlet filter of a list: staff see their own unit and every unit below it (or one of
    them, when asked); auditors any (None: every outlet)."""
    check_read(principal, outlet)
    if outlet is not None:
        return [outlet]
    if not principal.role.is_staff:
        return None
    assert principal.outlet is not None
    return sorted({principal.outlet, *principal.scope})


def check_agenda(principal: Principal, manager: str) -> None:
    """A case officer reads their own day; supervisors and outlet heads every manager's of
    their units (the list is cut to their units); auditors any."""
    if principal.role is Role.CASE_OFFICER and manager != principal.name:
        raise AccessDeniedError(f"{principal.name} reads their own day, not {manager}'s",
                                rule="own_agenda")


def check_audit(principal: Principal) -> None:
    if principal.role != Role.AUDITOR:
        raise AccessDeniedError(f"{principal.name} is {_a(principal.role)}: the audit is for "
                                "auditors")


def check_admin(principal: Principal, managed: str = "users are managed") -> None:
    if principal.role != Role.ADMIN:
        raise AccessDeniedError(f"{principal.name} is {_a(principal.role)}: {managed} by an "
                                "admin")


def _require(principal: Principal, needed: frozenset[Role] | None, step: str) -> None:
    if needed is not None and principal.role not in needed:
        roles = " or ".join(sorted(_a(r) for r in needed))
        raise AccessDeniedError(f"only {roles} may {_words(step)}; {principal.name} is "
                                f"{_a(principal.role)}", rule="role_required")


def _a(role: Role) -> str:
    words = role.value.replace("_", " ")
    return f"an {words}" if words[0] in "aeiou" else f"a {words}"


def _words(step: str) -> str:
    return step.replace("_", " ")
