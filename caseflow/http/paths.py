"""Path and query parameters: business ids follow the domain's identifier rule, and text in a
query never carries control characters (they cannot name anything caseflow stores)."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Header, Path, Query
from pydantic import AwareDatetime, BeforeValidator, WithJsonSchema

from domain.messages import Identifier

CaseId = Annotated[Identifier, Path(description="The complaint's case id.")]
ClientId = Annotated[Identifier, Path(description="The client's id.")]
NAME_PATTERN = r"^[^\x00-\x1f\x7f]+$"
QueryName = Annotated[str | None, Query(min_length=1, max_length=200, pattern=NAME_PATTERN,
                                        description="A name: no control characters.")]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=200, pattern=NAME_PATTERN,
    description="Any unique string per request (a UUID): the same request sent again with the "
                "same key answers the first one's answer and records nothing new; the same key "
                "with another body is refused (422, `idempotency_key_reused`).")]

DAY_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MOMENT_PATTERN = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
                  r"([Zz]|[+-][0-9]{2}:[0-9]{2})$")


def _written_day(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(DAY_PATTERN, value):
        return date.fromisoformat(value)  # (an impossible day, 2026-02-30, raises here)
    raise ValueError("a day from 2000 to 2100, written YYYY-MM-DD")


def _written_moment(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(MOMENT_PATTERN, value):
        return datetime.fromisoformat(value)
    raise ValueError("a moment written as RFC 3339, with its offset (2026-12-01T09:00:00+08:00)")


Day = Annotated[date, BeforeValidator(_written_day), WithJsonSchema(
    {"type": "string", "format": "date", "pattern": DAY_PATTERN})]
"""A day as the OpenAPI document says it: YYYY-MM-DD, 2000 to 2100 (not a number)."""
Moment = Annotated[AwareDatetime, BeforeValidator(_written_moment), WithJsonSchema(
    {"type": "string", "format": "date-time"})]
"""An instant with its offset, RFC 3339 (not a number)."""
