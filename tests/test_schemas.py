"""JSON Schemas: generated from the model, named on line 1 of every data file, and a second check that can fail."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import jsonschema
import pytest
import yaml
from factdesk.schema import SCHEMAS, render_schemas
from helpers import FIXTURE_PROJECT, REPO, run

REGENERATE = "regenerate them: python -m factdesk.schema {folder}"
PROJECTS = {"repository": REPO, "fixture": FIXTURE_PROJECT, "relays": FIXTURE_PROJECT.parent / "relays"}


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2): dates stay text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def data_files(root: Path) -> list[tuple[Path, str]]:
    """Each data file of a project with the schema it should name."""
    def kind(path: Path, record: str) -> str:  # translations are named <id>.<language>.yaml
        return f"{record}-translation.schema.json" if "." in path.stem else f"{record}.schema.json"

    out = [(p, kind(p, "claim")) for p in sorted((root / "claims").glob("*.yaml"))]
    out += [(p, kind(p, "source")) for p in sorted((root / "claims" / "sources").glob("*.yaml"))]
    out += [(root / name, schema) for name, schema in (("ratings.yaml", "ratings.schema.json"),
                                                       ("events.yaml", "events.schema.json")) if (root / name).exists()]
    return out


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = yaml.safe_load(render_schemas()[name])
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(name: str, data: dict) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.validator}" for e in validator(name).iter_errors(data))


@pytest.mark.parametrize("project", PROJECTS)
def test_committed_schemas_are_the_generated_ones(project):
    folder = PROJECTS[project] / "schemas"
    expected = render_schemas()
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(expected), REGENERATE.format(folder=folder)
    for name, text in expected.items():
        assert (folder / name).read_text(encoding="utf-8") == text, REGENERATE.format(folder=folder)


@pytest.mark.parametrize("project", PROJECTS)
def test_every_data_file_names_its_schema_on_line_one(project):
    root = PROJECTS[project]
    files = data_files(root)
    assert len(files) >= 5
    for path, schema in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = os.path.relpath(root / "schemas" / schema, path.parent).replace(os.sep, "/")
        assert first == f"# yaml-language-server: $schema={target}", path.relative_to(root)
        assert (path.parent / target).is_file()


@pytest.mark.parametrize("project", PROJECTS)
def test_every_data_file_validates_against_its_schema(project):
    for path, schema in data_files(PROJECTS[project]):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)
        assert errors(schema, data) == [], path


CLAIM = yaml.load((FIXTURE_PROJECT / "claims" / "moon-distance.yaml").read_text(encoding="utf-8"), Loader=EditorLoader)
SOURCE = yaml.load((FIXTURE_PROJECT / "claims" / "sources" / "daily-planet-moon.yaml").read_text(encoding="utf-8"),
                   Loader=EditorLoader)
RATINGS = yaml.load((FIXTURE_PROJECT / "ratings.yaml").read_text(encoding="utf-8"), Loader=EditorLoader)


def changed(data: dict, path: str, value) -> dict:
    """A copy of `data` with the field at dotted `path` set to `value` (or removed, for `...`)."""
    out = copy.deepcopy(data)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = out
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return out


@pytest.mark.parametrize("schema, data, path, value, expected", [
    ("claim.schema.json", CLAIM, "verdcit", "false", [": additionalProperties"]),
    ("claim.schema.json", CLAIM, "summary", ..., [": required"]),
    ("claim.schema.json", CLAIM, "id", "Moon_Distance", ["id: pattern"]),
    ("claim.schema.json", CLAIM, "claim_date", "6 January 2026", ["claim_date: format", "claim_date: pattern"]),
    ("claim.schema.json", CLAIM, "claim_date", "2026-02-30", ["claim_date: format"]),
    ("claim.schema.json", CLAIM, "summary", "   ", ["summary: pattern"]),
    ("claim.schema.json", CLAIM, "summary", "x" * 1201, ["summary: maxLength"]),
    ("claim.schema.json", CLAIM, "summary", "hidden\u202etext", ["summary: not"]),
    ("claim.schema.json", CLAIM, "claimant_kind", "people", ["claimant_kind: enum"]),
    ("claim.schema.json", CLAIM, "evidence.0.stance", "agrees", ["evidence/0/stance: enum"]),
    ("claim.schema.json", CLAIM, "appearances", [], ["appearances: minItems"]),
    ("claim.schema.json", CLAIM, "tags", ["moon", "moon"], ["tags: uniqueItems"]),
    ("claim.schema.json", CLAIM, "history.0.when", "2026-02-01", ["history/0: additionalProperties"]),
    ("source.schema.json", SOURCE, "url", "javascript:alert(1)", ["url: pattern"]),
    ("source.schema.json", SOURCE, "kind", "newz", ["kind: enum"]),
    ("source.schema.json", SOURCE, "snapshot", "../secret.txt", ["snapshot: pattern"]),
    ("source.schema.json", SOURCE, "published", 20260106, ["published: type"]),
    ("ratings.schema.json", RATINGS, "ratings.0.colour", "green", ["ratings/0/colour: pattern"]),
    ("ratings.schema.json", RATINGS, "ratings.0.value", "6", ["ratings/0/value: type"]),
    ("ratings.schema.json", RATINGS, "ratings.6.needs_evidence", "no", ["ratings/6/needs_evidence: type"]),
])
def test_schemas_reject_known_bad_data(schema, data, path, value, expected):
    assert errors(schema, data) == []
    assert errors(schema, changed(data, path, value)) == expected


def test_check_jsonschema_cli_accepts_every_data_file_and_rejects_a_bad_one(tmp_path):
    by_schema: dict[str, list[str]] = {}
    for root in PROJECTS.values():
        for path, schema in data_files(root):
            by_schema.setdefault(schema, []).append(str(path))
    assert sorted(by_schema) == sorted(SCHEMAS)
    for schema, files in by_schema.items():
        result = run(["check-jsonschema", "--schemafile", str(REPO / "schemas" / schema), *files], cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip() == "ok -- validation done"
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURE_PROJECT / "claims" / "moon-distance.yaml").read_text(encoding="utf-8")
                   .replace("verdict: mostly-true", "verdict: Mostly True"), encoding="utf-8")
    result = run(["check-jsonschema", "--schemafile", str(REPO / "schemas" / "claim.schema.json"), str(bad)],
                 cwd=tmp_path)
    assert result.returncode == 1
    assert "'Mostly True' does not match" in result.stdout


def test_the_built_site_publishes_the_schemas(tmp_path):
    from helpers import copy_project

    project = copy_project(tmp_path)
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    for name, text in render_schemas().items():
        assert (project / "site" / "schemas" / name).read_text(encoding="utf-8") == text
    data_page = (project / "site" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../schemas/claim.schema.json"' in data_page
