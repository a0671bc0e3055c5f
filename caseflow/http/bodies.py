"""Request bodies, derived from the domain's commands: a body is its command without the fields
caseflow fills in itself (who acts and when, from the token and the clock; the step's kind, from
the path). So the API cannot drift from the domain, and no caller can name another actor."""

from __future__ import annotations

import json
from typing import Any, cast

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model
from pydantic.fields import FieldInfo

from domain.client import commands as cc
from domain.complaint import commands as pc
from domain.messages import Command

FILLED_IN = frozenset({"actor", "at", "kind"})


class Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def body_for(command: type[Command], *, also_filled_in: frozenset[str] = frozenset(),
             optional: frozenset[str] = frozenset()) -> type[Body]:
    fields: dict[str, Any] = {}
    for name, field in command.model_fields.items():
        if name in FILLED_IN | also_filled_in:
            continue
        if name in optional:  # filled in by caseflow when the caller leaves it out
            copy = FieldInfo.merge_field_infos(field, default=None)
            fields[name] = (cast(Any, field.annotation) | None, copy)
        else:
            fields[name] = (field.annotation, field)
    model: type[Body] = create_model(
        command.__name__ + "Body", __base__=Body, __doc__=command.__doc__, **fields)
    return model


async def strict_json(request: Request) -> None:
    """Every JSON body is held to its schema exactly, as JSON (pydantic's strict JSON mode): a
    number is no date, "1" is no integer, an empty string is no amount. FastAPI has already
    read the body leniently (in Python mode); this reads it again strictly and refuses what the
    OpenAPI document does not allow, with the same field errors (422)."""
    route = request.scope.get("route")
    field = getattr(route, "body_field", None)
    if field is None or request.headers.get("content-type", "").split(";")[0] != \
            "application/json":
        return
    adapter = _adapters.get(id(field))
    if adapter is None:
        adapter = _adapters[id(field)] = TypeAdapter(field.field_info.annotation)
    try:
        adapter.validate_json(_whole_numbers(await request.body()), strict=True)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])}
             for e in exc.errors(include_url=False)]) from None


def _whole_numbers(raw: bytes) -> bytes:
    """The body with 5.0 written 5: JSON Schema counts 5.0 an integer, pydantic's strict mode
    does not. (A body that is not JSON is left to FastAPI's own answer.)"""
    try:
        value = json.loads(raw)
    except ValueError:
        return raw

    def whole(item: Any) -> Any:
        if isinstance(item, float) and item.is_integer() and abs(item) < 2**63:
            return int(item)
        if isinstance(item, list):
            return [whole(i) for i in item]
        if isinstance(item, dict):
            return {k: whole(v) for k, v in item.items()}
        return item

    return json.dumps(whole(value)).encode()


_adapters: dict[int, TypeAdapter[Any]] = {}
"""By body field (the routes are made once, at import)."""


def path_of(kind: str) -> str:
    return kind.replace("_", "-")


RegisterComplaintBody = body_for(pc.RegisterComplaint, optional=frozenset({"received_at"}))
# Officer steps of a complaint, by path segment. A letter or fax reply is confirmed by the outlet
# head who sends it: the confirmation is the acting user, not a field.
COMPLAINT_STEPS: dict[str, tuple[type[Command], type[Body]]] = {
    path_of(cls.model_fields["kind"].default): (cls, body_for(
        cls, also_filled_in=frozenset({"confirmed_by_outlet_head"})))
    for cls in (pc.ResolveOnSpot, pc.AssignHandler, pc.RecordFindings, pc.RequestExtension,
                pc.DecideExtension, pc.Escalate, pc.ReplyToClient, pc.RecordFeedback,
                pc.Withdraw, pc.AddNote, pc.AcceptEscalation, pc.AnswerEscalation,
                pc.ExtendRegulatoryDeadline, pc.RecordFollowUp, pc.CompleteCorrectiveAction)
}

IdentifyBody = body_for(cc.Identify)
CLIENT_STEPS: dict[str, tuple[type[Command], type[Body]]] = {
    path_of(cls.model_fields["kind"].default): (cls, body_for(cls))
    for cls in (cc.RecordContactAttempt, cc.RecordMeeting, cc.RecordSale, cc.ReassignManager,
                cc.OpenAccount, cc.RequestAccountClosure, cc.RecordRetention, cc.LogContact,
                cc.SetContactPreference, cc.Reassess, cc.WinBack, cc.RecordSurvey)
}


def fields_of(body: Any) -> dict[str, Any]:
    """A body's fields (the routes' bodies are made at import time, so mypy cannot see them)."""
    return cast(Body, body).model_dump()
