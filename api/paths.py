"""Path parameters: business ids, with the same limits as the domain's names."""

from typing import Annotated

from fastapi import Path

CaseId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f/]+$",
                             description="The complaint's case id.")]
ClientId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f/]+$",
                               description="The client's id.")]
