#!/usr/bin/env python3
"""Re-verify a caseflow JSON export with nothing but the Python standard library.

    python3 tools/verify_export.py case.json

Checks that versions run 1..n without gaps and that every event's hash follows from its content
and its predecessor's hash (the rule is in the export's "chain_rule"). Exit 0 when intact;
otherwise exit 1 and name the first broken version.
"""

import hashlib
import json
import sys
from typing import Any


def content_digest(event: dict[str, Any]) -> str:
    document = {key: event[key] for key in (
        "stream_id", "version", "event_id", "type", "schema_version", "data", "occurred_at",
        "recorded_at", "actor")}
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(record: dict[str, Any]) -> str | None:
    prev_hash = "0" * 64
    for expected, event in enumerate(record["events"], start=1):
        if event["version"] != expected:
            return f"version {expected} is missing (found {event['version']})"
        if event["prev_hash"] != prev_hash:
            return f"version {expected}: prev_hash does not match the previous event's hash"
        link = hashlib.sha256((prev_hash + content_digest(event)).encode("ascii")).hexdigest()
        if link != event["hash"]:
            return f"version {expected}: content does not match its hash"
        prev_hash = event["hash"]
    return None


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as handle:
        record = json.load(handle)
    problem = verify(record)
    if problem:
        print(f"BROKEN {record.get('stream_id')}: {problem}")
        return 1
    print(f"OK {record.get('stream_id')}: {len(record['events'])} events, chain intact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
