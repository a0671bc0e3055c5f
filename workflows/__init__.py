"""Temporal workflows: deterministic, they decide with domain/ and act through activities/."""
