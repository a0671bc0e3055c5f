"""The texts people read: every kind the domain sends renders in Chinese and English from the
shipped templates; dates are written as people read them; addresses and client contacts are
checked before anything is sent."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from caseflow.messages import MessageTemplates, TemplateProblem, written_deadline
from domain.access import SLA_CLOCK, AccessDeniedError, Principal, Role, check_complaint_step
from domain.client.events import CareDue, ClientEvent, ContactOverdue
from domain.client.model import CareOccasion
from domain.client.notifications import notifications_for as client_notifications
from domain.client.state import ClientState
from domain.complaint import commands as c
from domain.complaint.model import MediaDetails
from domain.complaint.notifications import notifications_for
from domain.errors import IllegalStepError
from domain.notifications import (
    AddressError,
    Channel,
    ClientAddress,
    ClientContact,
    RoleAt,
    UserAddress,
    parse_address,
)
from tests.complaint_fixtures import T0, assign, given, register, when

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEMPLATES = MessageTemplates(SHANGHAI)
CONTACT = ClientContact(mobile="13900000077", preferred="sms")


def test_a_deadline_at_midnight_is_written_as_the_day_it_ends() -> None:
    due = datetime(2026, 11, 27, 0, 0, tzinfo=SHANGHAI)
    assert written_deadline(due, SHANGHAI, "zh") == "2026年11月26日（星期四）当日内"
    assert written_deadline(due, SHANGHAI, "en") == "by the end of Thursday, 26 November 2026"
    afternoon = datetime(2026, 11, 26, 7, 30, tzinfo=ZoneInfo("UTC"))  # 15:30 in Shanghai
    assert written_deadline(afternoon, SHANGHAI, "zh") == "2026年11月26日（星期四）15:30前"


def complaint_notifications() -> list[tuple[str, dict[str, str]]]:
    """Every kind a complaint sends, with the facts the domain really gives it."""
    start = (register(client_tier="core_premium", relationship_manager="rm-1"), assign())
    state = given(*start)
    out = []
    steps: list[c.Command] = [
        c.AcknowledgeClient(actor=SLA_CLOCK.name, at=T0),
        c.RequestExtension(actor="officer-1", at=T0, reason="需要总行记录"),
        c.DecideExtension(actor="supervisor-1", at=T0, approve=True),
        c.Escalate(actor="officer-1", at=T0, reason="media_attention", to="branch-sh-csm",
                   details="记者来电", media=MediaDetails(
                       media_outlet="新民晚报", questions="为何重复扣费？", informed=("head-9",))),
        c.AcceptEscalation(actor="csm-1", at=T0 + timedelta(hours=1)),
        c.AnswerEscalation(actor="csm-1", at=T0 + timedelta(hours=2), answer="先退费再核查"),
        c.RaiseRegulatoryWarning(actor=SLA_CLOCK.name, at=T0 + timedelta(days=12)),
        c.RaiseWarning(actor=SLA_CLOCK.name, at=T0 + timedelta(days=12, hours=1)),
        c.RecordRegulatoryBreach(actor=SLA_CLOCK.name, at=T0 + timedelta(days=16)),
        c.RecordBreach(actor=SLA_CLOCK.name, at=T0 + timedelta(days=20)),
        c.EscalateOverdue(actor=SLA_CLOCK.name, at=T0 + timedelta(days=25)),
    ]
    events = when(given(), start[0])
    out += [(n.kind, n.facts) for n in notifications_for(given(start[0]), events, "s")]
    for step in steps:
        events = when(state, step)
        state = given(*start, *steps[: steps.index(step) + 1])
        out += [(n.kind, n.facts) for n in notifications_for(state, events, "s", CONTACT)]
    return out


def test_every_kind_the_complaint_sends_renders_in_both_languages() -> None:
    sent = complaint_notifications()
    assert {kind for kind, _ in sent} == {
        "premium_client_complaint", "acknowledgement", "extension_requested",
        "new_expected_time", "escalation", "sla_warning", "sla_breach", "sla_escalation",
        "escalation_accepted", "escalation_answered", "regulatory_warning",
        "regulatory_breach"}
    for kind, facts in sent:
        for language in ("zh", "en"):
            message = TEMPLATES.render(kind, {"stream_id": "s", **facts}, language)
            assert message.subject and message.body and "{{" not in message.body
            assert facts["case_id"] in message.subject + message.body
    breach = dict(sent)["sla_breach"]
    zh = TEMPLATES.render("sla_breach", breach, "zh")
    assert "当日内" in zh.body and "网点负责人" in zh.body
    media = TEMPLATES.render("escalation", dict(sent)["escalation"], "zh")
    assert "新民晚报" in media.body and "为何重复扣费？" in media.body and "head-9" in media.body
    start = (register(), assign())
    [escalated] = [n for n in notifications_for(
        given(*start), when(given(*start), c.Escalate(
            actor="officer-1", at=T0, reason="media_attention", to="branch-sh-csm",
            details="记者来电", media=MediaDetails(media_outlet="新民晚报", questions="?"))),
        "s")]
    # The unit it goes to, at once the press office and the branch's service management.
    assert escalated.recipients == ("supervisor@branch-sh-csm", "outlet_head@outlet-9",
                                    "press_office@outlet-9",
                                    "service_management_department@outlet-9")


def test_the_kinds_after_the_close_render_in_both_languages() -> None:
    """The satisfaction follow-up and an overdue corrective action reach their people."""
    fault = c.RecordFindings(actor="officer-1", at=T0, summary="charged twice", bank_at_fault=True,
                             corrective_action="fix the fee rule", corrective_action_owner="head-9",
                             corrective_action_due=T0.date(), responsible="柜台3",
                             apology="当面致歉", remedy="退还费用")
    steps: list[c.Command] = [
        register(), assign(), fault,
        c.ReplyToClient(actor="officer-1", at=T0 + timedelta(hours=2), method="in_person",
                        content="已退费"),
        c.RecordFeedback(actor="officer-1", at=T0 + timedelta(hours=3), satisfied=True,
                         opinion="满意")]
    closed = given(*steps)
    sent = []
    for clock in (c.MarkCorrectiveActionOverdue(actor=SLA_CLOCK.name, at=T0 + timedelta(days=1)),
                  c.RaiseFollowUpDue(actor=SLA_CLOCK.name, at=T0 + timedelta(days=30))):
        sent += notifications_for(closed, when(closed, clock), "s")
    assert [(n.kind, n.recipients) for n in sent] == [
        ("corrective_action_overdue", ("head-9", "supervisor@outlet-9")),
        ("follow_up_due", ("officer-1",))]
    for notification in sent:
        for language in ("zh", "en"):
            message = TEMPLATES.render(notification.kind, notification.facts, language)
            assert "C1" in message.subject and "{{" not in message.body


def test_every_shipped_template_has_both_languages() -> None:
    folder = resources.files("caseflow.messages") / "templates"
    zh = {f.name for f in (folder / "zh").iterdir()}
    en = {f.name for f in (folder / "en").iterdir()}
    assert zh == en and len(zh) >= 17


def test_client_reminders_name_the_outlet_not_placeholders() -> None:
    state = ClientState(client_id="K1", outlet="outlet-9")
    at = datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)
    events: list[ClientEvent] = [
        ContactOverdue(actor="clock", at=at, due_at=at,
                       alerted=("outlet-head", "supervisor-of:rm-1")),  # an older history's
        CareDue(actor="clock", at=at, due_at=at, occasion=CareOccasion.BIRTHDAY, day=at.date(),
                alerted=("rm-1",))]
    sent = client_notifications(state, events, "client-K1")
    assert sent[0].recipients == ("outlet_head@outlet-9", "supervisor@outlet-9")
    care = TEMPLATES.render(sent[1].kind, sent[1].facts, "zh")
    assert "生日" in care.subject and "2026年12月1日（星期二）" in care.body


def test_a_bank_template_overrides_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "sla_warning.txt").write_text("本行提醒：{{ case_id }}\n{{ due_at_words }}",
                                                     "utf-8")
    bank = MessageTemplates(SHANGHAI, tmp_path)
    message = bank.render("sla_warning", {"case_id": "C9", "due_at": "2026-11-27T00:00+08:00"},
                          "zh")
    assert message.subject == "本行提醒：C9" and message.body == "2026年11月26日（星期四）当日内"
    assert bank.render("sla_warning", {"case_id": "C9", "due_at": "2026-11-27T00:00+08:00"},
                       "en").subject == "Complaint C9 is due today"  # not overridden


@pytest.mark.parametrize("template",
                         ["{{ case_id ", "{{ no_such_fact }}\nbody", "\n\nno subject"])
def test_a_broken_template_is_a_clear_problem(tmp_path: Path, template: str) -> None:
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "escalation.txt").write_text(template, "utf-8")
    with pytest.raises(TemplateProblem, match=r"zh/escalation\.txt"):
        MessageTemplates(SHANGHAI, tmp_path).render("escalation", {"case_id": "C"}, "zh")
    with pytest.raises(TemplateProblem, match="no template"):
        TEMPLATES.render("no_such_kind", {}, "zh")


def test_addresses_are_parsed_or_refused_with_the_reason() -> None:
    assert parse_address("supervisor@outlet-9") == RoleAt(role="supervisor", unit="outlet-9")
    department = parse_address("service_management_department@outlet-9")
    assert isinstance(department, RoleAt) and department.is_function
    assert parse_address("client:K-77") == ClientAddress(client_id="K-77")
    assert parse_address("officer-7") == UserAddress(name="officer-7")
    for bad, reason in [("treasurer@outlet-9", "no role or department"),
                        ("a b", "not an address"), ("supervisor@", "not an address")]:
        with pytest.raises(AddressError, match=reason):
            parse_address(bad)


def test_a_client_contact_is_checked_and_never_shown() -> None:
    both = ClientContact(mobile="13900000077", email="k@mail.example", preferred="email")
    assert both.channels == (Channel.EMAIL, Channel.SMS)
    assert ClientContact(mobile="13900000077").channels == (Channel.SMS,)
    assert "13900000077" not in repr(both) and "k@mail.example" not in repr(both)
    for bad in [{}, {"preferred": "sms", "email": "k@mail.example"}, {"mobile": "call me"}]:
        with pytest.raises(ValidationError) as refused:
            ClientContact.model_validate(bad)
        assert "call me" not in str(refused.value)  # the input is not echoed


def test_what_became_of_a_notice_is_recorded_once_and_only_by_caseflow() -> None:
    notice = c.RecordClientNotice(actor="caseflow-messages", at=T0, notice="acknowledgement",
                                  notification_id=uuid.uuid4(), delivered=True,
                                  channel=Channel.SMS)
    state = given(register(), notice)
    [recorded] = state.client_notices
    assert recorded.delivered and recorded.channel is Channel.SMS
    with pytest.raises(IllegalStepError, match="already recorded"):
        when(state, notice)
    officer = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet="outlet-9")
    with pytest.raises(AccessDeniedError, match="done by caseflow itself"):
        check_complaint_step(officer, "officer-1", "outlet-9", "record_client_notice")


def test_the_client_tasks_render_in_both_languages() -> None:
    """client-policy-2026.3: a maturity's contact, a maturity missed, a survey due."""
    from datetime import date

    from domain.client.events import MaturityContactDue, MaturityMissed, SurveyDue

    state = ClientState(client_id="K-7", outlet="outlet-9", manager="rm-1")
    events: list[ClientEvent] = [
        MaturityContactDue(actor="clock", at=T0, event_id="M-1", product="三年期定期",
                           matures_on=date(2026, 4, 1), due_at=T0, alerted=("rm-1",)),
        MaturityMissed(actor="clock", at=T0, event_id="M-1", product=None,
                       matures_on=date(2026, 4, 1), alerted=("rm-1", "supervisor@outlet-9")),
        SurveyDue(actor="clock", at=T0, due_at=T0, alerted=("rm-1",))]
    sent = client_notifications(state, events, "client-K-7")
    assert [(n.kind, n.recipients) for n in sent] == [
        ("maturity_contact_due", ("rm-1",)), ("maturity_missed", ("rm-1", "supervisor@outlet-9")),
        ("survey_due", ("rm-1",))]
    zh = [TEMPLATES.render(n.kind, n.facts, "zh") for n in sent]
    assert "三年期定期" in zh[0].subject and "2026年4月1日" in zh[0].body
    assert "存款或理财产品" in zh[1].body and "满意度回访" in zh[2].subject
    for n in sent:
        en = TEMPLATES.render(n.kind, n.facts, "en")
        assert "K-7" in en.subject + en.body and "{{" not in en.body
