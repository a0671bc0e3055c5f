"""/metrics on the time-skipping server: a complaint left unanswered breaches, and the breach
counter rises by it; requests, steps (accepted and refused by rule), appends and open cases
are counted too."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from caseflow.http.app import create_app
from caseflow.services.calls import CaseError
from domain.access import Principal, Role
from domain.complaint import commands as c
from tests.complaint_fixtures import register
from tests.complaint_stack import ComplaintStack

OFFICER = Principal(name="officer-m", role=Role.CASE_OFFICER, outlet="outlet-9")


async def figures(http: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = await http.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(answer.text)
            for sample in family.samples}


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str,
          **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def test_a_breach_raises_the_breach_counter(stack: ComplaintStack) -> None:
    transport = httpx.ASGITransport(app=create_app(stack.parts))
    async with httpx.AsyncClient(transport=transport, base_url="http://cf") as http:
        before = await figures(http)
        now = await stack.now()
        case_id = f"M-{uuid.uuid4().hex[:8]}"
        await stack.register(register(actor=OFFICER.name, at=now, received_at=now,
                                      case_id=case_id), by=OFFICER)
        await stack.execute(case_id, c.AssignHandler(actor=OFFICER.name, at=now,
                                                     handler=OFFICER.name), by=OFFICER)
        with pytest.raises(CaseError):  # a refused step, counted by its rule
            await stack.execute(case_id, c.DecideExtension(actor=OFFICER.name, at=now,
                                                           approve=True), by=OFFICER)
        opened = await figures(http)
        assert value(opened, "caseflow_open_cases", status="assigned") >= 1
        await stack.env.sleep(timedelta(days=14))  # past the 3 working days, unanswered
        after = await figures(http)
    breaches = ("caseflow_sla_alarms_total", {"clock": "reply", "alarm": "breach"})
    assert value(after, breaches[0], **breaches[1]) == value(before, breaches[0],
                                                             **breaches[1]) + 1
    assert value(after, "caseflow_sla_alarms_total", clock="reply", alarm="warning") >= 1 + \
        value(before, "caseflow_sla_alarms_total", clock="reply", alarm="warning")
    assert value(after, "caseflow_events_recorded_total", aggregate="complaint",
                 type="deadline_breached") >= 1
    assert value(after, "caseflow_steps_total", aggregate="complaint", step="assign",
                 outcome="accepted", rule="") >= 1
    refused = [k for k in after if k[0] == "caseflow_steps_total"
               and ("outcome", "refused") in k[1] and ("step", "decide_extension") in k[1]]
    assert refused, "the refused extension decision is counted with its rule"
    assert value(after, "caseflow_appends_total", outcome="written") > value(
        before, "caseflow_appends_total", outcome="written")
    assert value(after, "caseflow_http_requests_total", method="GET", route="/metrics",
                 status="200") >= 2
    # Latencies: every answered request and every append is timed.
    assert value(after, "caseflow_http_request_seconds_count", method="GET",
                 route="/metrics") >= 2
    assert value(after, "caseflow_append_seconds_count") - value(
        before, "caseflow_append_seconds_count") >= value(
        after, "caseflow_appends_total", outcome="written") - value(
        before, "caseflow_appends_total", outcome="written")
    assert value(after, "caseflow_append_seconds_sum") > value(before,
                                                               "caseflow_append_seconds_sum")
