"""The bank's client policy file (scoring, tiers, cadences, churn figures)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from domain.client.policy import ClientPolicy


def client_policy(path: Path | None = None) -> ClientPolicy:
    """The bank's client policy: caseflow/policy/client_policy.json unless another file is given."""
    text = path.read_text("utf-8") if path is not None else (
        resources.files("caseflow") / "policy" / "client_policy.json").read_text("utf-8")
    return ClientPolicy.model_validate_json(text)
