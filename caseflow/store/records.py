"""What goes into the store (NewEvent) and what comes out (RecordedEvent)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


def _reject_floats(value: Any, path: str = "data") -> None:
    """Floats do not survive jsonb byte-for-byte (1e16 comes back as 10000000000000000), which
    would break the hash chain; amounts belong in decimal strings anyway."""
    if isinstance(value, float):
        raise ValueError(f"{path} is a float ({value!r}); store numbers as int or decimal string")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path} has a non-string key {key!r}")
            _reject_floats(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _reject_floats(item, f"{path}[{index}]")


class NewEvent(BaseModel):
    """An event to append. Its id is made by the caller (in a workflow: workflow.uuid4())."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID
    type: str = Field(min_length=1, max_length=200)
    schema_version: int = Field(ge=1)
    data: dict[str, Any]
    occurred_at: AwareDatetime
    actor: str = Field(min_length=1, max_length=200)

    @field_validator("data")
    @classmethod
    def _json_safe(cls, data: dict[str, Any]) -> dict[str, Any]:
        _reject_floats(data)
        return data


class RecordedEvent(BaseModel):
    """An event as stored, with its place in the stream, the global log and the hash chain."""

    model_config = ConfigDict(frozen=True)

    stream_id: str
    version: int
    global_position: int
    event_id: UUID
    type: str
    schema_version: int
    data: dict[str, Any]
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    prev_hash: str
    hash: str


class BrokenLink(BaseModel):
    """The first place where a stream's chain does not hold."""

    model_config = ConfigDict(frozen=True)

    stream_id: str
    version: int | None
    global_position: int | None
    problem: str


class VerifyReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    events_checked: int
    broken: BrokenLink | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None
