"""Requests to a workflow: how a refused one is answered, and idempotent requests.

A step the rules refuse fails its update with the rule it breaks (`rejection`), for both
workflows. Idempotent requests: a caller's Idempotency-Key becomes the Temporal update id, so a
request sent again (a lost answer, a second press of a button, another API process) attaches to the
first one and answers its answer; Temporal keeps that outcome, even after the case has closed.

The id also carries a digest of what was asked: the same key with other content makes another
id, which the workflow refuses (`idempotency_key_reused`) instead of taking a second step. Shared
with the sandbox (no I/O, no clock)."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from domain.errors import DomainError

PREFIX = "rq1"
REUSED = "idempotency_key_reused"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def request_update_id(user: str, key: str, content: dict[str, Any]) -> str:
    """The update id of `user`'s request `key` asking `content` (the command without its time)."""
    asked = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    who = _digest(user + "\n" + key)
    return f"{PREFIX}:{who}:{_digest(asked)}"


class RequestLedger:
    """The keys of the requests a workflow run has taken, with what each asked (the latest
    `limit`; Temporal's own deduplication holds within a run)."""

    def __init__(self, limit: int = 1000) -> None:
        self._asked: OrderedDict[str, str] = OrderedDict()
        self._limit = limit

    def check(self) -> None:
        """Refuse the current update if its key was used before for something else."""
        key, asked = self._current()
        if key is not None and self._asked.get(key, asked) != asked:
            raise ApplicationError(
                "this Idempotency-Key was already used for a different request; "
                "use a new key for a new request", REUSED, type="IdempotencyKeyReused",
                non_retryable=True)

    def take(self) -> None:
        """Check, then remember the current update's key (in the handler, before any await)."""
        self.check()
        key, asked = self._current()
        if key is not None:
            self._asked[key] = asked
            while len(self._asked) > self._limit:
                self._asked.popitem(last=False)

    @staticmethod
    def _current() -> tuple[str | None, str]:
        info = workflow.current_update_info()
        parts = info.id.split(":") if info is not None else []
        if len(parts) != 3 or parts[0] != PREFIX:
            return None, ""  # no key: an update id Temporal made up
        return parts[1], parts[2]


def rejection(error: DomainError) -> ApplicationError:
    """The update's failure for a refused step: the rule it breaks, never retried."""
    return ApplicationError(str(error), error.rule, type=type(error).__name__, non_retryable=True)
