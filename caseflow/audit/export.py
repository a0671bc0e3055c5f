"""A case's full record for regulators: JSON (with the chain hashes, re-verifiable by
tools/verify_export.py without caseflow) and a human-readable HTML page."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from caseflow.audit.replay import complaint_as_of
from caseflow.store import EventStore
from caseflow.store.chain import iso_utc

FORMAT = "caseflow-export/1"
CHAIN_RULE = (
    "content_digest = sha256(canonical JSON of {stream_id, version, event_id, type, "
    "schema_version, data, occurred_at, recorded_at, actor}: keys sorted, separators ',' and "
    "':', UTF-8, non-ASCII as is, times in UTC ISO-8601 with microseconds); "
    "hash = sha256(prev_hash + content_digest); prev_hash of version 1 = 64 zeros"
)


async def export_json(store: EventStore, stream_id: str) -> dict[str, Any]:
    events = await store.read_stream(stream_id)
    case = await complaint_as_of(store, stream_id)
    return {
        "format": FORMAT,
        "stream_id": stream_id,
        "exported_at": iso_utc(datetime.now(UTC)),
        "chain_rule": CHAIN_RULE,
        "final_state": case.state.model_dump(mode="json"),
        "timeline": [t.model_dump(mode="json") for t in case.timeline],
        "events": [
            {
                "stream_id": e.stream_id, "version": e.version,
                "global_position": e.global_position, "event_id": str(e.event_id),
                "type": e.type, "schema_version": e.schema_version, "data": e.data,
                "occurred_at": iso_utc(e.occurred_at), "recorded_at": iso_utc(e.recorded_at),
                "actor": e.actor, "prev_hash": e.prev_hash, "hash": e.hash,
            }
            for e in events
        ],
    }


def export_html(record: dict[str, Any]) -> str:
    esc = html.escape
    state = record["final_state"]
    rows = "\n".join(
        f"<tr><td>{t['version']}</td><td>{esc(t['occurred_at'])}</td><td>{esc(t['actor'])}</td>"
        f"<td>{esc(t['summary'])}</td><td><code>{esc(e['hash'][:16])}…</code></td></tr>"
        for t, e in zip(record["timeline"], record["events"], strict=True)
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(record['stream_id'])}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}</style></head><body>
<h1>Complaint record {esc(record['stream_id'])}</h1>
<p>Status <b>{esc(str(state['status']))}</b>; close reason {esc(str(state['close_reason']))};
breached at any time: {esc(str(state['ever_breached']))}. Exported {esc(record['exported_at'])}
({esc(record['format'])}).</p>
<table><tr><th>version</th><th>occurred at (UTC)</th><th>actor</th><th>what happened</th>
<th>hash</th></tr>
{rows}
</table>
<p>Chain rule: {esc(record['chain_rule'])}</p>
</body></html>
"""
