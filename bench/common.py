"""Shared bench plumbing: an embedded PostgreSQL in a throwaway folder, and a result table."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
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


async def reports_against_floor(jobs: Sequence[tuple[str, Callable[[], Awaitable[int]]]],
                                count: int) -> str:
    """Each report three times (it must count `count` cases), the first one the floor: a table
    of the median seconds and each one's ratio to the floor."""
    results = []
    for name, job in jobs:
        timings = []
        for _ in range(3):
            began = time.perf_counter()
            cases = await job()
            timings.append(time.perf_counter() - began)
            assert cases == count, (name, cases)
        results.append((name, median(timings)))
    base = results[0][1]
    return table([("report", "cases", "seconds (median of 3)", "cases/s", "floor / this"),
                  *[(name, f"{count:,}", f"{sec:.3f}", f"{count / sec:,.0f}",
                     f"{base / sec:.2f}") for name, sec in results]])
