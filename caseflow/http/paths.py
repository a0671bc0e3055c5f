"""Path and query parameters: business ids follow the domain's identifier rule, and text in a
query never carries control characters (they cannot name anything caseflow stores)."""

from typing import Annotated

from fastapi import Header, Path, Query

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
