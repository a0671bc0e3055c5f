"""Who may do what: the roles of the bank's staff and the checks a command passes before it is
decided. Pure (the caller says who is acting; the workflow holds the state the check needs), so
the API, the CLI and the workflow's validator apply one and the same rule.

Staff roles are bound to an outlet and act only on that outlet's cases and clients. Auditors read
everything and change nothing; admins manage users and touch no case (separation of duties).
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

    @model_validator(mode="after")
    def _staff_have_an_outlet(self) -> Principal:
        if self.role.is_staff and self.outlet is None:
            raise ValueError(f"a {self.role.value} is bound to an outlet")
        return self


class AccessDeniedError(DomainError):
    """The acting user's role or outlet does not allow the step."""

    rule = "forbidden"


# Steps that need more than any staff role of the outlet. Anything not listed needs a staff role.
COMPLAINT_ROLES: dict[str, frozenset[Role]] = {
    "decide_extension": frozenset({Role.SUPERVISOR}),
}
CLIENT_ROLES: dict[str, frozenset[Role]] = {
    "reassign_manager": frozenset({Role.OUTLET_HEAD}),  # the sub-branch head (支行行长)
}
# Only caseflow itself sends these (the SLA clock, the complaint-to-client link).
SYSTEM_ONLY = frozenset({"raise_warning", "record_breach", "escalate_overdue",
                         "acknowledge_client", "clock", "link_complaint"})


def check_staff(principal: Principal, actor: str, outlet: str | None, step: str) -> None:
    """A staff role of the outlet that owns the case or client, acting as themselves (the
    command's actor is the authenticated user)."""
    if actor != principal.name:
        raise AccessDeniedError(f"the step names {actor} as actor, but {principal.name} sent it")
    if not principal.role.is_staff:
        raise AccessDeniedError(
            f"{principal.name} is {_a(principal.role)} and may not {_words(step)}: "
            "only the outlet's staff change cases and clients")
    if step in SYSTEM_ONLY:
        raise AccessDeniedError(f"{_words(step)} is done by caseflow itself, not by a user")
    if outlet is not None and principal.outlet != outlet:
        raise AccessDeniedError(
            f"{principal.name} works for {principal.outlet}, not {outlet}", rule="other_outlet")


def check_complaint_step(
    principal: Principal, actor: str, outlet: str | None, step: str, *,
    letter_reply: bool = False,
) -> None:
    check_staff(principal, actor, outlet, step)
    needed = COMPLAINT_ROLES.get(step)
    if letter_reply:  # seed 001: a letter or fax goes out only once the outlet head confirmed it
        needed = frozenset({Role.OUTLET_HEAD})
    _require(principal, needed, step)


def check_client_step(
    principal: Principal, actor: str, outlet: str | None, step: str, *,
    retention_by: str | None = None,
) -> None:
    check_staff(principal, actor, outlet, step)
    needed = CLIENT_ROLES.get(step)
    if step == "retention" and retention_by == "outlet_head":  # the manager tried first
        needed = frozenset({Role.OUTLET_HEAD})
    _require(principal, needed, step)


def check_read(principal: Principal, outlet: str | None) -> None:
    """Staff read their outlet's records; auditors read everything; admins none."""
    if principal.role == Role.AUDITOR:
        return
    if not principal.role.is_staff:
        raise AccessDeniedError(f"{principal.name} is {_a(principal.role)}: no access to cases "
                                "or clients")
    if outlet is not None and principal.outlet != outlet:
        raise AccessDeniedError(
            f"{principal.name} works for {principal.outlet}, not {outlet}", rule="other_outlet")


def visible_outlet(principal: Principal, outlet: str | None) -> str | None:
    """The outlet filter of a list: staff see their own outlet (the default), auditors any."""
    check_read(principal, outlet)
    return outlet if outlet is not None or not principal.role.is_staff else principal.outlet


def check_audit(principal: Principal) -> None:
    if principal.role != Role.AUDITOR:
        raise AccessDeniedError(f"{principal.name} is {_a(principal.role)}: the audit is for "
                                "auditors")


def check_admin(principal: Principal) -> None:
    if principal.role != Role.ADMIN:
        raise AccessDeniedError(f"{principal.name} is {_a(principal.role)}: users are managed "
                                "by an admin")


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
