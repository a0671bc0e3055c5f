"""Read models kept in the append transaction, so they change if and only if events are stored."""
