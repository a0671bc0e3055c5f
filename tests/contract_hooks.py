"""Schemathesis hooks (SCHEMATHESIS_HOOKS=tests.contract_hooks): a client gives every new
request a new Idempotency-Key, as the API asks (a UUID per user action); a generated value
reused across different requests is refused, rightly (422, idempotency_key_reused)."""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any) -> None:
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
