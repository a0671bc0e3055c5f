"""The complaint taxonomy shipped as policy data: a registration names a business line and a
cause from it, and anything else is refused with the list."""

from __future__ import annotations

import pytest

from caseflow.policy.categories import complaint_categories
from domain.errors import RuleViolationError


def test_the_taxonomy_refuses_what_it_does_not_list() -> None:
    taxonomy = complaint_categories()
    taxonomy.check("bank_cards", "fees")
    with pytest.raises(RuleViolationError, match="one of deposits, loans, bank_cards") as caught:
        taxonomy.check("fees", "fees")
    assert caught.value.rule == "unknown_category"
    with pytest.raises(RuleViolationError, match="sales_practice") as caught:
        taxonomy.check("wealth", None)  # a cause is required of new registrations
    assert caught.value.rule == "unknown_cause"
    assert taxonomy.label("wealth", "zh") == "理财及代销" and taxonomy.label("x", "en") == "x"
