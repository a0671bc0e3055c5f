"""What every command and every event of every aggregate has in common."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

BLANK = r"\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""The characters stripping removes (Unicode White_Space), written out for a regex class: `\\s`
means other sets in the OpenAPI document's regex dialect and in pydantic's."""
# No NUL character: PostgreSQL's jsonb cannot store one, and a text that cannot be recorded must be
# refused with the command, not fail the append afterwards.
_NO_NUL = rf"^[^\x00]*[^\x00{BLANK}][^\x00]*$"
"""(and not blank: surrounding spaces are stripped, and nothing may be left empty)"""


def _sent_at_most(limit: int) -> BeforeValidator:
    """The documented maxLength holds for the text as sent: stripping comes after it (a text
    one character too long must not pass because it began with a space)."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise PydanticCustomError("string_too_long",
                                      "String should have at most {max_length} characters",
                                      {"max_length": limit})
        return value

    return BeforeValidator(check)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000,
                                        pattern=_NO_NUL), _sent_at_most(4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                        pattern=_NO_NUL), _sent_at_most(200)]

IDENTIFIER_PATTERN = r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff._-]{0,63}$"
IDENTIFIER_RULE = ("an id is 1 to 64 characters: letters, digits, Chinese characters, '-', '_' "
                   "or '.', beginning with a letter, digit or Chinese character (no '/', spaces "
                   "or control characters)")
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)


def _identifier(value: str) -> str:
    if not _IDENTIFIER.fullmatch(value):
        raise ValueError(IDENTIFIER_RULE)
    return value


Identifier = Annotated[str, AfterValidator(_identifier), WithJsonSchema(
    {"type": "string", "pattern": IDENTIFIER_PATTERN, "minLength": 1, "maxLength": 64,
     "description": IDENTIFIER_RULE})]
"""A case or client id: it names a workflow, a stream and a URL, so it stays URL-safe."""


class Command(BaseModel):
    """Who asks and when: the domain never reads a clock or guesses an actor."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: Name
    at: AwareDatetime


class Event(BaseModel):
    """Who did it and when, and the schema version of the event's type."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = 1
    actor: str
    at: AwareDatetime


AMOUNT_PATTERN = r"^[0-9]{1,16}(\.[0-9]{1,2})?$"


def _amount(value: Any) -> Any:
    """A written amount is plain digits (no exponent, sign or spaces); a JSON number too."""
    if isinstance(value, str):
        if not re.fullmatch(AMOUNT_PATTERN, value):
            raise ValueError("an amount is written as digits with at most 2 decimals: 1234.50")
        return Decimal(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("an amount with decimals is written as a string: \"1234.50\"")
        return Decimal(int(value))
    return value


Amount = Annotated[Decimal, BeforeValidator(_amount), WithJsonSchema({"anyOf": [
    {"type": "integer", "minimum": 0, "maximum": 9999999999999999},
    {"type": "string", "pattern": AMOUNT_PATTERN}]})]
"""Money, or tens of thousands of yuan: at least 0, at most 2 decimals; a whole number as a
JSON number, any amount as a string (a float cannot hold 0.1 exactly)."""
