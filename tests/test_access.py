"""The access rules, on their own (the API and CLI tests show them end to end)."""

from __future__ import annotations

import pytest

from domain.access import (
    AccessDeniedError,
    Principal,
    Role,
    check_client_step,
    check_complaint_step,
)

OFFICER = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet="o-1")


def test_a_user_acts_only_as_themselves() -> None:
    check_complaint_step(OFFICER, "officer-1", "o-1", "assign")
    for check in (check_complaint_step, check_client_step):
        with pytest.raises(AccessDeniedError, match="names someone-else as actor"):
            check(OFFICER, "someone-else", "o-1", "assign")
