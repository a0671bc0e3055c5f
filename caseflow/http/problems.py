"""The one error body of the API, declared for every operation: `detail` says what is wrong (a
sentence, or one entry per bad field), `rule` which rule refused the request. The OpenAPI
document lists every status an operation can answer with this body."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class FieldProblem(BaseModel):
    """One bad field: where (`loc`), what is wrong (`msg`), the kind of error (`type`)."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class ApiError(BaseModel):
    """Every error answer of the API."""

    detail: str | list[FieldProblem]
    rule: str | None = None


_MEANINGS = {
    400: "The body is not JSON, or not of the media type declared",
    401: "No bearer token, or one that is unknown or revoked",
    403: "The user's role or unit may not do this (`rule` says why)",
    404: "No such case, client, user or version",
    409: "A rule refuses the step (`rule` names it); nothing was recorded",
    422: "A field is missing or wrong (`detail` lists them), or an Idempotency-Key was used "
         "before for another request (`rule`: idempotency_key_reused)",
    503: "A server caseflow needs is unavailable or the outcome is not known yet: send the "
         "same request again after Retry-After seconds (with the same Idempotency-Key)",
}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ApiError, "description": meaning} for code, meaning in _MEANINGS.items()}
ERRORS[503]["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                          "description": "seconds to wait"}}

ERRORS_AS_JSON: dict[int | str, dict[str, Any]] = {
    code: {"description": answer["description"],
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
           **({"headers": answer["headers"]} if "headers" in answer else {})}
    for code, answer in ERRORS.items()}
"""The same, for a route whose success is not JSON (a file, a page, metrics): its errors
still are."""

SENT_AGAIN = "Registered before: the same request sent again answers it"
