"""Templates of every message kind, as files the bank can override: `templates/<language>/
<kind>.txt`, Jinja2, the first line the subject and the rest the body. A bank folder given in
the settings is searched first, then the shipped one.

Dates are written the way people read them, in the bank's time zone: a deadline that ends at
midnight is the day before it "当日内" (2026年11月26日（星期四）当日内), never "2026-11-27 00:00".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

LANGUAGES = ("zh", "en")
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class TemplateProblem(Exception):
    """A template that is missing or does not render: the message cannot be made."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def written_day(day: date, language: str) -> str:
    if language == "en":
        return f"{day:%A}, {day.day} {day:%B %Y}"
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_ZH[day.weekday()]}）"


def written_deadline(due_at: datetime, zone: ZoneInfo, language: str) -> str:
    """A deadline as a day (it ends at local midnight) or as a day and a time."""
    local = due_at.astimezone(zone)
    if local.time() == time(0, 0):
        day = local.date() - timedelta(days=1)
        return f"by the end of {written_day(day, 'en')}" if language == "en" \
            else f"{written_day(day, 'zh')}当日内"
    return f"by {local:%H:%M} on {written_day(local.date(), 'en')}" if language == "en" \
        else f"{written_day(local.date(), 'zh')}{local:%H:%M}前"


def written_moment(at: datetime, zone: ZoneInfo, language: str) -> str:
    local = at.astimezone(zone)
    if language == "en":
        return f"{written_day(local.date(), 'en')} at {local:%H:%M}"
    return f"{written_day(local.date(), 'zh')}{local:%H:%M}"


class MessageTemplates:
    """Renders a message kind with its facts in a language."""

    def __init__(self, zone: ZoneInfo, bank_folder: Path | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if bank_folder is not None:
            loaders.append(jinja2.FileSystemLoader(bank_folder))
        loaders.append(jinja2.PackageLoader("caseflow.messages", "templates"))
        self._env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders),
                                       undefined=jinja2.StrictUndefined, autoescape=False,
                                       keep_trailing_newline=False)
        self.zone = zone

    def render(self, kind: str, facts: Mapping[str, str], language: str) -> Message:
        language = language if language in LANGUAGES else LANGUAGES[0]
        name = f"{language}/{kind}.txt"
        try:
            template = self._env.get_template(name)
            text = template.render(**self._values(facts, language))
        except jinja2.TemplateNotFound:
            raise TemplateProblem(f"no template {name}") from None
        except (jinja2.TemplateError, ValueError, KeyError) as exc:
            raise TemplateProblem(f"template {name}: {type(exc).__name__}: {exc}") from None
        subject, _, body = text.partition("\n")
        if not subject.strip():
            raise TemplateProblem(f"template {name} makes no subject line")
        return Message(subject=subject.strip(), body=body.strip())

    def _values(self, facts: Mapping[str, str], language: str) -> dict[str, object]:
        """The facts, with every ISO instant or day also written for people (`<name>_words`)."""
        values: dict[str, object] = dict(facts)
        for key, value in facts.items():
            if key.endswith(("_at", "_by")):
                instant = datetime.fromisoformat(value)
                deadline = key in ("due_at", "reply_by", "previous_due_at")
                words = (written_deadline if deadline else written_moment)(
                    instant, self.zone, language)
                values[f"{key}_words"] = words
            elif key == "day":
                values["day_words"] = written_day(date.fromisoformat(value), language)
        return values
