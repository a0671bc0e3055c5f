"""The bank's complaint taxonomy file: caseflow/policy/complaint_categories.json unless another
is configured (`CASEFLOW_COMPLAINT_CATEGORIES`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from domain.complaint.categories import Taxonomy


def complaint_categories(path: Path | None = None) -> Taxonomy:
    text = path.read_text("utf-8") if path is not None else (
        resources.files("caseflow") / "policy" / "complaint_categories.json").read_text("utf-8")
    return Taxonomy.model_validate_json(text)
