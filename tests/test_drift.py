"""Drift: the model, the contributor guide and the templates must agree."""

from __future__ import annotations

import re
from pathlib import Path

from factdesk.fieldref import SECTIONS, field_reference
from factdesk.model import yaml_fields

REPO = Path(__file__).parent.parent
TEMPLATES = REPO / "build_scripts" / "factdesk" / "templates"


def test_contributing_holds_the_generated_field_reference():
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert field_reference() in guide, "regenerate the field reference: python -m factdesk.fieldref"


def test_every_model_field_is_documented_with_a_description():
    for _, cls in SECTIONS:
        for f in yaml_fields(cls):
            assert f.metadata["doc"].endswith("."), f"{cls.__name__}.{f.name} needs a one-sentence description"


def test_templates_use_only_fields_the_model_defines():
    known = {f.name for _, cls in SECTIONS for f in yaml_fields(cls)} | {"verdict_date"}
    used = set()
    for template in TEMPLATES.glob("*.j2"):
        used |= set(re.findall(r"\b(?:claim|source|item|entry|rating|other)\.([a-z_]+)\b", template.read_text()))
    assert used - known == set()
    claim_fields = {f.name for f in yaml_fields(SECTIONS[0][1])}
    # id and verdict are shown through pages and badges, as_of through verdict_date, claimant_kind in the JSON-LD.
    unused = claim_fields - used - {"id", "verdict", "as_of", "claimant_kind"}
    assert unused == set(), f"claim fields never shown to readers: {unused}"
