"""The payload keys of the tests: every Temporal client, worker and replayer of the tests seals and
opens payloads with them, as production does (CLI subprocesses inherit the variable).

A fixed key, committed on purpose: it protects test data only, and the golden histories under
tests/histories/ recorded with it must replay in every later session. Never use it elsewhere.
"""

from __future__ import annotations

import os

from caseflow.runtime.codec import encrypted_converter, parse_keys

TEST_KEY = "test-2026:ftiOV8MELxLBJYCOHrTEFEuXdc7jCYD6+zgtjDu6euo="
PAYLOAD_KEYS = os.environ["CASEFLOW_PAYLOAD_KEYS"] = TEST_KEY  # hermetic: never an outside key
CONVERTER = encrypted_converter(parse_keys(PAYLOAD_KEYS))
