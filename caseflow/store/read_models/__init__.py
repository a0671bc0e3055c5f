"""Read models kept in the append transaction, so they change if and only if events are stored."""

from caseflow.store.read_models.clients import project_client
from caseflow.store.read_models.complaints import project_complaint

WRITERS = {"complaint": project_complaint, "client": project_client}
"""The writer of each stream category's row."""
