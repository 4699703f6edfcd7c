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
    known = {f.name for _, cls in SECTIONS for f in yaml_fields(cls)} | {"verdict_date", "last_reviewed"}
    used = set()
    for template in TEMPLATES.glob("*.j2"):
        used |= set(re.findall(r"\b(?:claim|source|item|entry|rating|other)\.([a-z_]+)\b", template.read_text()))
    assert used - known == set()
    claim_fields = {f.name for f in yaml_fields(SECTIONS[0][1])}
    # id and verdict are shown through pages and badges, as_of through verdict_date, reviewed through
    # last_reviewed, claimant_kind in the JSON-LD.
    unused = claim_fields - used - {"id", "verdict", "as_of", "reviewed", "claimant_kind"}
    assert unused == set(), f"claim fields never shown to readers: {unused}"


def test_lock_file_pins_final_releases_inside_the_declared_ranges():
    import tomllib

    from packaging.requirements import Requirement
    from packaging.version import Version

    locked = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            locked[name.lower().replace("_", "-")] = Version(version)
    assert all(not v.is_prerelease for v in locked.values())
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        req = Requirement(spec)
        assert req.specifier, f"{req.name} needs a version range"
        assert req.specifier.contains(locked[req.name.lower()]), f"{req.name} {locked[req.name.lower()]} not in {req.specifier}"
    assert locked["mkdocs"] < Version("2")


def test_contributing_states_the_current_limits():
    from factdesk.load import MAX_SNAPSHOT_BYTES
    from factdesk.model import MAX_QUOTE
    from factdesk.yamlstrict import MAX_DEPTH, MAX_FILE_BYTES

    guide = " ".join((REPO / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert f"may be at most {MAX_FILE_BYTES // 1_000_000} MB and nested at most {MAX_DEPTH} levels" in guide
    assert f"a snapshot may be at most {MAX_SNAPSHOT_BYTES // 1_000_000} MB" in guide
    assert f"a quote is at most {MAX_QUOTE} characters" in guide
