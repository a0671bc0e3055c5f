"""The timeline's detail lines in Chinese, from each event's stored data (the English ones come
from the domain's `describe`). An event without a Chinese line shows the English one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caseflow.audit.replay import TimelineEntry
from caseflow.store import RecordedEvent
from caseflow.web.i18n import Texts

Words = Callable[[dict[str, Any], Texts], str]

REASONS = {"registered": "受理", "extension_approved": "批准延期", "reopened": "重新处理",
           "calendar_changed": "日历调整"}


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _deadline(d: dict[str, Any], t: Texts) -> str:
    return (f"{d['deadline']['due_date']} 日终前答复，共 {d['deadline']['working_days']} 个工作日"
            f"（{REASONS.get(d.get('reason', ''), d.get('reason', ''))}；日历 "
            f"{d['deadline']['calendar_version']}）")


ZH: dict[str, Words] = {
    "complaint_registered": lambda d, t: f"{d['category']}，{t.value(d['channel'])}，{d['outlet']}",
    "deadline_set": _deadline,
    "client_acknowledged": lambda d, t: f"告知客户预计 {t.due(_at(d['expected_reply_by']))} 前答复",
    "client_notice_recorded": lambda d, t: (
        f"已通过{t.value(d.get('channel') or '')}告知客户（{d['notice']}）" if d["delivered"]
        else f"未能告知客户（{d['notice']}）：{d.get('reason') or ''}"),
    "handler_assigned": lambda d, t: f"经办人 {d['handler']}" + (
        f"（原为 {d['previous_handler']}）" if d.get("previous_handler") else ""),
    "findings_recorded": lambda d, t: ("我行有责" if d["bank_at_fault"] else "我行无责") + (
        f"；整改责任人 {d['corrective_action_owner']}" if d.get("corrective_action_owner")
        else "") + (f"；过错责任 {d['responsible']}" if d.get("responsible") else ""),
    "case_escalated": lambda d, t: f"升级至 {d['to']}（{t.value(d['reason'])}）" + (
        f"；媒体 {d['media']['media_outlet']}，记者问题：{d['media']['questions']}"
        if d.get("media") else ""),
    "corrective_action_opened": lambda d, t: (
        f"整改措施 {d['number']}：{d['action']}；责任人 {d['owner']}，"
        f"{t.due(_at(d['due_at']))} 前完成"),
    "corrective_action_overdue": lambda d, t: (
        f"整改措施 {d['number']} 已逾期（应于 {t.due(_at(d['due_at']))} 前完成）；提醒 "
        f"{'、'.join(d['alerted'])}"),
    "corrective_action_completed": lambda d, t: (
        f"整改措施 {d['number']} 完成" + ("" if d["on_time"] else "（逾期完成）")
        + f"：{d['outcome']}"),
    "escalation_accepted": lambda d, t: f"{d['unit']} 受理",
    "escalation_answered": lambda d, t: f"{d['unit']} 答复：{d['answer']}",
    "regulatory_deadline_set": lambda d, t: (
        f"{t.due(_at(d['due_at']))} 前作出处理决定并告知客户，共 {d['days']} 个自然日"
        + ("（经批准延长）" if d["reason"] == "extended" else "")),
    "regulatory_warning_raised": lambda d, t: f"监管处理期限 {t.due(_at(d['due_at']))}",
    "regulatory_deadline_breached": lambda d, t: (
        f"监管处理期限 {t.due(_at(d['due_at']))} 已过；报告 {'、'.join(d['alerted'])}"),
    "satisfaction_follow_up_due": lambda d, t: (
        f"{t.when(_at(d['closed_at']))} 结案，请回访；经办 {'、'.join(d['assigned_to'])}"),
    "follow_up_recorded": lambda d, t: f"回访结果：{t.value(d['outcome'])}",
    "client_replied": lambda d, t: f"以{t.value(d['method'])}答复，" + (
        "在期限内" if d["within_deadline"] else "已超过期限"),
    "feedback_recorded": lambda d, t: "客户满意" if d["satisfied"] else "客户不满意",
    "case_closed": lambda d, t: f"结案原因：{t.value(d['reason'])}",
    "deadline_warning_raised": lambda d, t: f"答复期限 {t.due(_at(d['due_at']))}",
    "deadline_breached": lambda d, t: (
        f"答复期限 {t.due(_at(d['due_at']))} 已过，报告 {d['escalated_to']}"),
    "feedback_reminder_raised": lambda d, t: (
        f"{t.when(_at(d['replied_at']))} 已答复，尚未记录客户反馈；提醒 {'、'.join(d['alerted'])}"),
    "overdue_escalated": lambda d, t: f"第 {d['level']} 级升级，报告 {d['escalated_to']}",
}


@dataclass(frozen=True)
class TimelineLine:
    entry: TimelineEntry
    detail: str


def timeline_lines(events: Sequence[RecordedEvent], entries: Sequence[TimelineEntry],
                   t: Texts) -> list[TimelineLine]:
    """Each timeline entry with its detail line in the page's language."""
    data = {e.version: e.data for e in events}
    return [TimelineLine(entry, detail(entry.type, data.get(entry.version, {}), entry.summary, t))
            for entry in entries]


HEADLINE_ONLY = frozenset({"extension_requested", "extension_approved", "extension_rejected",
                           "note_added", "resolved_on_spot", "case_reopened",
                           "complaint_withdrawn"})
"""Events whose Chinese heading says all their English line does."""


def detail(kind: str, data: dict[str, Any], english: str, t: Texts) -> str:
    if t.language == "zh" and kind in HEADLINE_ONLY:
        return ""
    words = ZH.get(kind) if t.language == "zh" else None
    if words is None:
        return english
    try:
        return words(data, t)
    except (KeyError, TypeError, ValueError):  # an older schema of the event: its English line
        return english
