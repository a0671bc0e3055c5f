"""The web app's texts and forms, without a server: both languages for every text, times as
people at the bank read them, and forms that offer exactly what each step's command takes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from caseflow.http.bodies import COMPLAINT_STEPS, RegisterComplaintBody
from caseflow.web.forms import form_fields, parsed
from caseflow.web.i18n import CATALOGUE, EVENT, FIELD, STEP, Texts
from caseflow.web.timeline_words import ZH, detail
from domain.complaint import events

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_text_in_both_languages() -> None:
    assert all(set(entry) == {"zh", "en"} and all(entry.values()) for entry in CATALOGUE.values())
    kinds = {cls.model_fields["type"].default for cls in vars(events).values()
             if isinstance(cls, type) and issubclass(cls, BaseModel)
             and "type" in cls.model_fields}
    assert kinds <= set(EVENT), kinds - set(EVENT)  # every event has words on the timeline
    assert {cls.model_fields["kind"].default for cls, _ in COMPLAINT_STEPS.values()} <= set(STEP)
    named = {f.name for _, body in COMPLAINT_STEPS.values() for f in form_fields(body)}
    assert {n.rsplit(".", 1)[-1] for n in named} | {
        f.name for f in form_fields(RegisterComplaintBody)} <= set(FIELD)


def test_times_in_the_bank_zone_and_deadlines_at_the_end_of_their_day() -> None:
    zh, en = Texts("zh", SHANGHAI), Texts("en", SHANGHAI)
    moment = datetime(2026, 12, 4, 6, 30, tzinfo=UTC)  # 14:30 in Shanghai, a Friday
    assert zh.when(moment) == "2026年12月4日 周五 14:30"
    assert en.when(moment) == "Fri 4 Dec 2026, 14:30"
    midnight = datetime(2026, 12, 9, 16, 0, tzinfo=UTC)  # 10 Dec 00:00 in Shanghai
    assert zh.due(midnight) == "2026年12月9日 周三 24:00"
    assert Texts("fr", SHANGHAI).language == "zh"  # an unknown language: Chinese


def test_forms_offer_what_the_command_takes() -> None:
    _, reply = COMPLAINT_STEPS["reply"]
    fields = {f.name: f for f in form_fields(reply)}
    assert fields["method"].kind == "choice" and "letter" in fields["method"].choices
    assert fields["urgent"].kind == "yes_no" and fields["visiting_staff"].kind == "names"
    assert "confirmed_by_outlet_head" not in fields  # the sender is the confirmation
    values = parsed(reply, {"method": "home_visit", "content": " 上门 ", "urgent": "true",
                            "visiting_staff": "张三，李四, 王五"})
    assert values == {"method": "home_visit", "content": "上门", "urgent": True,
                      "client_consented_to_call": False,
                      "visiting_staff": ("张三", "李四", "王五")}
    reply.model_validate(values)


def test_timeline_details_in_chinese_from_the_stored_data() -> None:
    from domain.complaint import COMPLAINT
    from domain.complaint.commands import AcknowledgeClient
    from tests.complaint_fixtures import RULES, T0, assign, at_fault, feedback, register, reply

    state = COMPLAINT.initial_state
    decided: list[Any] = []
    fault = at_fault(corrective_action="退费", corrective_action_owner="运营部",
                     responsible="柜台3")
    for command in (register(), AcknowledgeClient(actor="caseflow-sla-clock", at=T0), assign(),
                    fault, reply(), feedback(True)):
        new = COMPLAINT.decide(state, command, RULES)
        state = COMPLAINT.fold(new, state)
        decided += new
    zh, en = Texts("zh", SHANGHAI), Texts("en", SHANGHAI)
    lines = {e.type: detail(e.type, e.model_dump(mode="json"), "english", zh) for e in decided}
    assert all(line != "english" for kind, line in lines.items() if kind in ZH), lines
    assert lines["findings_recorded"] == "我行有责；整改责任人 运营部；过错责任 柜台3"
    assert lines["corrective_action_opened"].startswith("整改措施 1：退费；责任人 运营部")
    assert "共 15 个自然日" in lines["regulatory_deadline_set"]
    assert lines["case_closed"] == "结案原因：客户满意"
    assert "个工作日" in lines["deadline_set"]
    assert detail("case_closed", {}, "english", zh) == "english"  # data it cannot read
    assert detail("case_closed", {"reason": "withdrawn"}, "english", en) == "english"



def test_a_deadline_at_midnight_ends_the_day_before() -> None:
    from datetime import date

    from caseflow.web.pages import due_day

    assert due_day(datetime(2026, 12, 5, 0, 0, tzinfo=SHANGHAI), SHANGHAI) == date(2026, 12, 4)
    assert due_day(datetime(2026, 12, 5, 9, 0, tzinfo=SHANGHAI), SHANGHAI) == date(2026, 12, 5)
    assert Texts("zh", SHANGHAI)("rule.some_new_rule") == "不符合业务规则。"
