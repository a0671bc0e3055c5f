"""The access rules, on their own (the API and CLI tests show them end to end)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from domain.access import (
    COMPLAINT_LINK,
    SLA_CLOCK,
    AccessDeniedError,
    Principal,
    Role,
    check_client_step,
    check_complaint_step,
    check_read,
    visible_outlets,
)

OFFICER = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet="o-1")


def test_a_user_acts_only_as_themselves() -> None:
    check_complaint_step(OFFICER, "officer-1", "o-1", "assign")
    for check in (check_complaint_step, check_client_step):
        with pytest.raises(AccessDeniedError, match="names someone-else as actor"):
            check(OFFICER, "someone-else", "o-1", "assign")


def test_a_step_that_names_no_sender_is_refused_by_both_workflows() -> None:
    from domain.client import commands as cc
    from domain.client import initial_state as client_start
    from domain.complaint import commands as c
    from domain.complaint import initial_state as complaint_start
    from tests.complaint_fixtures import T0
    from workflows.client_messages import ClientCommandRequest, authorize_client
    from workflows.complaint_messages import CommandRequest, authorize

    note = c.AddNote(actor="officer-1", at=T0, text="called")
    with pytest.raises(AccessDeniedError) as refused:
        authorize(CommandRequest(command=note), complaint_start())
    assert refused.value.rule == "no_principal"
    contact = cc.LogContact(actor="officer-1", at=T0, channel="phone", summary="call")
    with pytest.raises(AccessDeniedError) as refused:
        authorize_client(ClientCommandRequest(command=contact), client_start())
    assert refused.value.rule == "no_principal"
    authorize(CommandRequest(command=note, by=OFFICER), complaint_start())  # with one: fine


def test_caseflow_s_own_principals_take_their_own_steps_only() -> None:
    check_client_step(COMPLAINT_LINK, COMPLAINT_LINK.name, "o-1", "link_complaint")
    for step in ("add_note", "assign", "reply", "decide_extension"):  # an officer's steps
        with pytest.raises(AccessDeniedError) as refused:
            check_complaint_step(COMPLAINT_LINK, COMPLAINT_LINK.name, "o-1", step)
        assert refused.value.rule == "system_only"
    with pytest.raises(AccessDeniedError, match="may not link complaint"):
        check_client_step(SLA_CLOCK, SLA_CLOCK.name, "o-1", "link_complaint")
    with pytest.raises(AccessDeniedError, match="done by caseflow itself"):
        check_client_step(OFFICER, OFFICER.name, "o-1", "link_complaint")
    with pytest.raises(AccessDeniedError, match="names officer-1 as actor"):
        check_client_step(COMPLAINT_LINK, "officer-1", "o-1", "link_complaint")


def test_nobody_can_pose_as_caseflow_itself() -> None:
    with pytest.raises(ValidationError, match="not one of caseflow's own principals"):
        Principal(name="mallory", role=Role.SYSTEM)
    with pytest.raises(ValidationError, match="not one of caseflow's own principals"):
        Principal(name=COMPLAINT_LINK.name, role=Role.SYSTEM, outlet="o-1")


def test_a_role_at_a_unit_reaches_its_subtree_and_no_further() -> None:
    above = Principal(name="sub-supervisor", role=Role.SUPERVISOR, outlet="subbranch-pd",
                      scope=frozenset({"outlet-9", "outlet-12"}))
    check_complaint_step(above, "sub-supervisor", "outlet-12", "decide_extension")
    check_read(above, "outlet-9")
    assert visible_outlets(above, None) == ["outlet-12", "outlet-9", "subbranch-pd"]
    assert visible_outlets(above, "outlet-9") == ["outlet-9"]
    with pytest.raises(AccessDeniedError, match="not within it"):
        check_read(above, "outlet-77")
    with pytest.raises(AccessDeniedError, match="not within it"):
        visible_outlets(above, "outlet-77")
    outlet_officer = Principal(name="o", role=Role.CASE_OFFICER, outlet="outlet-9")
    with pytest.raises(AccessDeniedError, match="not within it"):
        check_read(outlet_officer, "subbranch-pd")  # nothing above one's own unit
    auditor = Principal(name="a", role=Role.AUDITOR)
    assert visible_outlets(auditor, None) is None
