"""Search attributes, so worklists ("due today", "breached") need no scan of workflows."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

CASE_STATUS = SearchAttributeKey.for_keyword("CaseStatus")
CASE_DEADLINE = SearchAttributeKey.for_datetime("CaseDeadline")
CASE_BREACHED = SearchAttributeKey.for_bool("CaseBreached")

SEARCH_ATTRIBUTES = (CASE_STATUS, CASE_DEADLINE, CASE_BREACHED)
