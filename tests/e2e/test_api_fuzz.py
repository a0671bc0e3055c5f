"""The API fuzzed from its own OpenAPI schema (schemathesis, as hypothesis strategies): no
request may get a 5xx, and every refusal says why. One test per operation, against the API
served over real HTTP (tests/api_server.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from caseflow.http.app import create_app
from tests.api_server import ApiServer, aim

EXAMPLES = int(os.environ.get("CASEFLOW_FUZZ_EXAMPLES", "30"))
# The schema the app publishes (building it needs no backend).
SCHEMA = schemathesis.openapi.from_dict(create_app(lambda: None).openapi())  # type: ignore[arg-type, return-value]
OPERATIONS: list[Any] = [result.ok() for result in SCHEMA.get_all_operations()]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def api_server(database_url: str) -> Iterator[ApiServer]:
    server = ApiServer(database_url)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_no_request_gets_a_server_error(operation: Any, api_server: ApiServer) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def fuzz(case: Any) -> None:
        aim(case, api_server)
        response = case.call_and_validate(
            base_url=api_server.url, checks=[not_a_server_error],
            headers={"Authorization": f"Bearer {api_server.token_for(case.path)}"})
        if 400 <= response.status_code < 500 and response.status_code != 405:
            assert response.json()["detail"], response.text  # a refusal names field or rule

    fuzz()
