"""Typed domain errors. Messages are written for the officer who made the request."""

from __future__ import annotations


class DomainError(Exception):
    """A command the rules do not allow. `rule` names the rule, for APIs and audit."""

    rule: str = "domain_rule"

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        super().__init__(message)
        if rule is not None:
            self.rule = rule


class IllegalStepError(DomainError):
    """The step does not apply to the case in its current status."""

    rule = "illegal_step"


class RuleViolationError(DomainError):
    """The step applies, but its content breaks a bank rule."""

    rule = "rule_violation"


class CalendarNotCoveredError(DomainError):
    """The calendar has no official data for a date: caseflow never guesses a year."""

    rule = "calendar_not_covered"
