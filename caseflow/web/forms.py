"""HTML forms made from the API's request bodies (caseflow/http/bodies.py), so a page offers
exactly the fields and choices the domain's commands take: an enum or Literal becomes a choice,
a bool a yes/no, a tuple of names a comma-separated list, free text a text area."""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel

FieldKind = Literal["text", "textarea", "choice", "yes_no", "names", "moment", "number", "day"]
LONG_TEXTS = frozenset({"description", "content", "summary", "details", "text", "opinion",
                        "resolution", "reason", "note", "corrective_action", "client_request",
                        "questions", "answer", "remedy", "apology", "outcome"})
HIDDEN = frozenset({"contact", "received_at"})
"""Fields a generic form leaves out (the registration page asks for the contact by parts)."""


@dataclass(frozen=True)
class FormField:
    name: str
    kind: FieldKind
    required: bool
    choices: tuple[str, ...] = ()


def _without_none(annotation: Any) -> tuple[Any, bool]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), True
    return annotation, False


def form_fields(body: type[BaseModel], prefix: str = "", *, within_optional: bool = False
                ) -> list[FormField]:
    """The fields of a form for `body`; a nested model's fields are asked one by one, named
    `outer.inner` (an optional nested model's fields are optional: left empty, it is left
    out)."""
    fields = []
    for name, info in body.model_fields.items():
        if name in HIDDEN:
            continue
        annotation, optional = _without_none(info.annotation)
        required = info.is_required() and not optional and not within_optional
        named = prefix + name
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields += form_fields(annotation, f"{named}.",
                                  within_optional=within_optional or not required)
        elif annotation is bool:
            fields.append(FormField(named, "yes_no", required=True))
        elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            fields.append(FormField(named, "choice", required,
                                    tuple(str(m.value) for m in annotation)))
        elif typing.get_origin(annotation) is Literal:
            fields.append(FormField(named, "choice", required,
                                    tuple(str(a) for a in typing.get_args(annotation))))
        elif typing.get_origin(annotation) is tuple:
            fields.append(FormField(named, "names", required))
        elif annotation in (datetime, AwareDatetime):
            fields.append(FormField(named, "moment", required))
        elif annotation is date:
            fields.append(FormField(named, "day", required))
        elif annotation in (int, Decimal):
            fields.append(FormField(named, "number", required))
        else:
            fields.append(FormField(named, "textarea" if name in LONG_TEXTS else "text",
                                    required))
    return fields


def parsed(body: type[BaseModel], form: Mapping[str, str], zone: ZoneInfo | None = None
           ) -> dict[str, Any]:
    """The form's strings as the body's values (an empty optional field: left out). A moment
    typed as local date and time is in the bank's `zone`. The body's own validation then judges
    them."""
    values: dict[str, Any] = {}
    for field in form_fields(body):
        raw = form.get(field.name, "").strip()
        *outer, name = field.name.split(".")
        into = values
        for part in outer:
            into = into.setdefault(part, {})
        if field.kind == "moment" and raw and zone is not None:
            try:
                into[name] = datetime.fromisoformat(raw).replace(tzinfo=zone)
            except ValueError:
                into[name] = raw  # refused by the body, with the field named
        elif field.kind == "yes_no":
            into[name] = raw == "true"
        elif field.kind == "names":
            into[name] = tuple(n for n in re.split(r"[,，\s]+", raw) if n)
        elif raw:
            into[name] = raw
        elif field.required:
            into[name] = ""  # refused by the body, with the field named
    return _without_empty(values)


def _without_empty(values: dict[str, Any]) -> dict[str, Any]:
    """An optional nested model left empty (or with only "no" answers and empty lists) is
    left out."""
    kept: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dict):
            value = _without_empty(value)
            if not any(v not in (False, (), "") for v in value.values()):
                continue
        kept[name] = value
    return kept
