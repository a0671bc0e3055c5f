"""Which kinds of message go through which channels, and the retry budget of a delivery: policy
data (caseflow/policy/channels.json, or the bank's file)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from domain.notifications import Channel


class RetryBudget(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    attempts: int = Field(default=8, ge=1, le=100)
    first_interval_seconds: float = Field(default=2, gt=0)
    max_interval_seconds: float = Field(default=600, gt=0)


class ChannelPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    staff: dict[str, tuple[Channel, ...]]
    """Per message kind (`*`: every other kind), the channels a staff member is reached by.
    A channel without an address on record for the person (no e-mail, no mobile) is skipped."""
    webhook: frozenset[str] = frozenset()
    """The kinds also posted to the bank's webhook (a WeCom / DingTalk robot, a message bus)."""
    retry: RetryBudget = RetryBudget()

    def staff_channels(self, kind: str) -> tuple[Channel, ...]:
        return self.staff.get(kind) or self.staff.get("*") or (Channel.INBOX,)


def channel_policy(path: Path | None = None) -> ChannelPolicy:
    text = path.read_text("utf-8") if path is not None else (
        resources.files("caseflow") / "policy" / "channels.json").read_text("utf-8")
    return ChannelPolicy.model_validate_json(text)
