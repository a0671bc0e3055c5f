"""Shared bench plumbing: an embedded PostgreSQL in a throwaway folder, and a result table."""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Sequence
from pathlib import Path

from caseflow.runtime.codec import encrypted_converter, new_key_line, parse_keys
from caseflow.runtime.embedded import start_embedded_postgres

# Payloads sealed for both sides of every comparison, as caseflow runs (caseflow/codec.py).
BENCH_PAYLOAD_KEYS = new_key_line()
SEALED = encrypted_converter(parse_keys(BENCH_PAYLOAD_KEYS))


def throwaway_postgres() -> str:
    return start_embedded_postgres(Path(tempfile.mkdtemp(prefix="caseflow-bench-")) / "pg")


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
