"""The texts people read: message templates (Chinese by default, English by preference) and the
way dates are written for them."""

from caseflow.messages.render import (
    LANGUAGES,
    Message,
    MessageTemplates,
    TemplateProblem,
    written_day,
    written_deadline,
    written_moment,
)

__all__ = ["LANGUAGES", "Message", "MessageTemplates", "TemplateProblem", "written_day",
           "written_deadline", "written_moment"]
