"""What every command and every event of every aggregate has in common."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints

# No NUL character: PostgreSQL's jsonb cannot store one, and a text that cannot be recorded must be
# refused with the command, not fail the append afterwards.
_NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000,
                                        pattern=_NO_NUL)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                        pattern=_NO_NUL)]


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
