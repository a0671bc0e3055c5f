"""caseflow's figures for Prometheus (prometheus-client, one registry per process): the API
serves them at /metrics, a worker on `CASEFLOW_METRICS_PORT`. Temporal's own worker figures
(workflow task latency and the like) come from the SDK's Prometheus exporter
(`CASEFLOW_TEMPORAL_METRICS_PORT`). Labels never carry a person, a case or a client: only
routes, kinds, rules and channels."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter("caseflow_http_requests", "HTTP requests answered, by route and status",
                        ["method", "route", "status"], registry=REGISTRY)
HTTP_SECONDS = Histogram("caseflow_http_request_seconds", "Time to answer an HTTP request",
                         ["method", "route"], registry=REGISTRY,
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
STEPS = Counter("caseflow_steps", "Steps sent to a case or client: accepted, or refused by rule",
                ["aggregate", "step", "outcome", "rule"], registry=REGISTRY)
EVENTS = Counter("caseflow_events_recorded", "Events appended to the record, by type",
                 ["aggregate", "type"], registry=REGISTRY)
SLA_ALARMS = Counter("caseflow_sla_alarms", "Warnings and breaches raised by the complaint "
                     "clocks", ["clock", "alarm"], registry=REGISTRY)
APPENDS = Counter("caseflow_appends", "Appends by the append activity, by outcome",
                  ["outcome"], registry=REGISTRY)
APPEND_SECONDS = Histogram("caseflow_append_seconds", "Time of an append (its transaction)",
                           registry=REGISTRY,
                           buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5))
NOTIFICATIONS = Counter("caseflow_notifications", "Messages handed to a channel: delivered, "
                        "failed (an attempt, or for good), skipped", ["channel", "outcome"],
                        registry=REGISTRY)
OPEN_CASES = Gauge("caseflow_open_cases", "Complaint cases not closed, by status (counted from "
                   "the worklist at each scrape)", ["status"], registry=REGISTRY)

_ALARMS = {
    "deadline_warning_raised": ("reply", "warning"),
    "deadline_breached": ("reply", "breach"),
    "regulatory_warning_raised": ("regulatory", "warning"),
    "regulatory_deadline_breached": ("regulatory", "breach"),
}


def count_recorded(stream_id: str, types: Iterable[str]) -> None:
    """The events just appended to a stream (and the SLA alarms among them)."""
    aggregate = stream_id.partition("-")[0]
    for kind in types:
        EVENTS.labels(aggregate, kind).inc()
        alarm = _ALARMS.get(kind)
        if alarm is not None:
            SLA_ALARMS.labels(*alarm).inc()


def exposition() -> bytes:
    return generate_latest(REGISTRY)
