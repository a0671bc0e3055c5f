"""The complaint taxonomy: each complaint is filed under a business line and a cause (modelled
on the regulator's complaint statistics; the bank's own list is policy data). Pure."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from domain.errors import RuleViolationError


class Term(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    zh: str
    en: str


class Taxonomy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    business_lines: tuple[Term, ...]
    causes: tuple[Term, ...]

    def check(self, category: str, cause: str | None) -> None:
        """Refuse a category (business line) or cause the taxonomy does not list, naming the
        ones it does."""
        lines = [t.code for t in self.business_lines]
        if category not in lines:
            raise RuleViolationError(
                f"unknown category {category!r}: one of {', '.join(lines)} ({self.version})",
                rule="unknown_category")
        causes = [t.code for t in self.causes]
        if cause is None or cause not in causes:
            raise RuleViolationError(
                f"unknown cause {cause!r}: one of {', '.join(causes)} ({self.version})",
                rule="unknown_cause")

    def label(self, code: str, language: str) -> str:
        for term in (*self.business_lines, *self.causes):
            if term.code == code:
                return term.zh if language == "zh" else term.en
        return code
