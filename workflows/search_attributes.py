"""Search attributes, so worklists ("due today", "breached") need no scan of workflows."""

from __future__ import annotations

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError, RPCStatusCode

CASE_STATUS = SearchAttributeKey.for_keyword("CaseStatus")
CASE_DEADLINE = SearchAttributeKey.for_datetime("CaseDeadline")
CASE_BREACHED = SearchAttributeKey.for_bool("CaseBreached")

SEARCH_ATTRIBUTES = (CASE_STATUS, CASE_DEADLINE, CASE_BREACHED)


async def ensure_search_attributes(client: Client) -> None:
    """Register caseflow's search attributes (needs the operator API; the embedded dev server
    gets them at start instead). Already registered is fine."""
    wanted = {key.name: IndexedValueType.ValueType(key.indexed_value_type)
              for key in SEARCH_ATTRIBUTES}
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=client.namespace, search_attributes=wanted)
        )
    except RPCError as exc:
        if exc.status != RPCStatusCode.ALREADY_EXISTS:
            raise
