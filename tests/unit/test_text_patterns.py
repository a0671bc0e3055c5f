"""The text rules mean the same in every regex dialect that reads them.

pydantic checks patterns with Rust's `regex`, the OpenAPI document hands them to clients as
ECMA-262 (jsonschema_rs, which schemathesis checks responses with, reads them so), and
schemathesis generates from them; `\\s` is a different set in each (Rust's includes U+0085, ECMA's
U+FEFF instead). A random contract run found an e-mail with U+0085 that the document allowed and the
API refused, so the rules spell their whitespace out and every dialect must give one verdict.
"""

from __future__ import annotations

import sys
from typing import Any

import jsonschema_rs
import pytest
from pydantic import TypeAdapter, ValidationError

from domain.messages import _NO_NUL, Name, Text
from domain.notifications import EMAIL_PATTERN, ClientContact

SPACES = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()] + ["\ufeff"]
"""Every character some dialect calls a space: Python's (Unicode's White_Space and the four ASCII
separators) and ECMA's byte-order mark."""


def ecma_accepts(pattern: str, value: str) -> bool:
    return bool(jsonschema_rs.validator_for({"type": "string", "pattern": pattern}).is_valid(value))


def pydantic_accepts_text(value: str) -> bool:
    try:
        TypeAdapter(Text).validate_python(value)
    except ValidationError:
        return False
    return True


def pydantic_accepts_email(value: str) -> bool:
    try:
        ClientContact.model_validate({"email": value})
    except ValidationError:
        return False
    return True


def test_the_set_holds_the_characters_the_dialects_disagree_on() -> None:
    assert {"\x85", "\ufeff", "\u3000", "\x1c"} <= set(SPACES)


@pytest.mark.parametrize("space", SPACES, ids=lambda c: f"U+{ord(c):04X}")
def test_a_text_of_only_one_space_character_gets_one_verdict(space: str) -> None:
    assert pydantic_accepts_text(space * 3) == ecma_accepts(_NO_NUL, space * 3)
    assert pydantic_accepts_text(f"{space}投诉{space}")


@pytest.mark.parametrize("space", SPACES, ids=lambda c: f"U+{ord(c):04X}")
def test_an_email_with_a_space_character_gets_one_verdict(space: str) -> None:
    address = f"wang{space}li@bank.example.cn"
    assert pydantic_accepts_email(address) == ecma_accepts(EMAIL_PATTERN, address)


@pytest.mark.parametrize("space", ["\x85", "\xa0", "\u3000", " ", "\t"])
def test_the_whitespace_every_dialect_knows_is_refused_in_an_email(space: str) -> None:
    address = f"wang{space}li@bank.example.cn"
    assert not pydantic_accepts_email(address)
    assert not ecma_accepts(EMAIL_PATTERN, address)


def test_an_ordinary_email_is_accepted_by_both() -> None:
    address = "wang.li@bank.example.cn"
    assert pydantic_accepts_email(address) and ecma_accepts(EMAIL_PATTERN, address)


@pytest.mark.parametrize(("kind", "limit"), [(Text, 4000), (Name, 200)], ids=["text", "name"])
@pytest.mark.parametrize("space", [" ", "\f", "\u3000"], ids=["space", "form-feed", "ideographic"])
def test_the_length_limit_holds_for_the_text_as_sent(kind: Any, limit: int, space: str) -> None:
    """A contract run sent a summary one character over maxLength that began with a form feed;
    stripped, it fitted, and the API took what its document says it refuses."""
    schema = TypeAdapter(kind).json_schema()
    at_limit, over = space + "投" * (limit - 1), space + "投" * limit
    assert TypeAdapter(kind).validate_python(at_limit) == "投" * (limit - 1)
    with pytest.raises(ValidationError, match="at most"):
        TypeAdapter(kind).validate_python(over)
    assert jsonschema_rs.validator_for(schema).is_valid(at_limit)
    assert not jsonschema_rs.validator_for(schema).is_valid(over)
