"""The bank's policy data (working-day calendar entries, the client policy) and their loaders."""
