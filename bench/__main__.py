"""Run one benchmark by name, or all: python -m bench [name] [args...]"""

from __future__ import annotations

import importlib
import sys

BENCHES = {
    "eventstore": "bench.eventstore_append",
    "complaints": "bench.complaint_throughput",
    "verify": "bench.verify_throughput",
    "clients": "bench.client_workflows",
    "api": "bench.api_roundtrip",
    "faults": "bench.faults_soak",
    "timers": "bench.timer_load",
    "alerts": "bench.alert_delivery",
    "whatif": "bench.sla_whatif",
    "worklist": "bench.web_worklist",
    "report": "bench.complaint_report",
    "accounts": "bench.account_events",
}


def main() -> None:
    names = sys.argv[1:2] or list(BENCHES)
    rest = sys.argv[2:]
    for name in names:
        if name not in BENCHES:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(BENCHES)}")
        print(f"== {name}")
        importlib.import_module(BENCHES[name]).main(rest)


if __name__ == "__main__":
    main()
