"""Activities: every side effect of a workflow (event store, notifications, escalations)."""
