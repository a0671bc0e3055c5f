"""The payload keys of this test session: every Temporal client, worker and replayer of the tests
seals and opens payloads with them, as production does (CLI subprocesses inherit the variable)."""

from __future__ import annotations

import os

from caseflow.codec import encrypted_converter, new_key_line, parse_keys

PAYLOAD_KEYS = os.environ.setdefault("CASEFLOW_PAYLOAD_KEYS", new_key_line())
CONVERTER = encrypted_converter(parse_keys(PAYLOAD_KEYS))
