"""Temporal's names for caseflow's updates, queries and activities: one constant each, used by
their definitions and by every caller and reader (the services, the activities, the audit's
reading of histories), so a rename cannot silently break one of them. They are on the wire and
in every recorded history: changing a value breaks the replay of old cases."""

from typing import Final

COMMAND: Final = "command"
"""The update that takes a step (complaint and client workflows)."""
VIEW: Final = "view"
"""The query of a workflow's current state."""
APPEND_EVENTS: Final = "append_events"
NOTIFY: Final = "notify"
LINK_CLIENT: Final = "link_client"
RESOLVE_RECIPIENTS: Final = "resolve_recipients"
DELIVER: Final = "deliver"
RECORD_CLIENT_NOTICE: Final = "record_client_notice"
DELIVERY_WORKFLOW: Final = "DeliveryWorkflow"
"""One per notification (id `notification-<id>`): resolves its addresses and delivers it."""
FIND_AFFECTED_CASES: Final = "find_affected_cases"
RECOMPUTE_DEADLINES: Final = "recompute_deadlines"
CALENDAR_CHANGE_WORKFLOW: Final = "CalendarChangeWorkflow"
"""One per confirmed calendar revision (id `calendar-change-r<revision>`): brings it to the
open cases it touches."""
PROGRESS: Final = "progress"
"""The query of a long piece of work's progress."""
