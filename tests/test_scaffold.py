"""`factdesk new` and `factdesk init`, through the real command: templates, refusals, and the contributor's path."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from factdesk.model import Appearance, Change, Claim, Evidence, Source, yaml_fields
from helpers import REPO, copy_project, run
from test_schemas import EditorLoader, data_files, errors

STARTER = REPO / "build_scripts" / "factdesk" / "starter"
MISSING = "found an empty value Hint: add it; see the field list in CONTRIBUTING.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def fill(path: Path, replacements: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert text.count(old) == 1, f"{old!r} must occur exactly once in {path.name}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


# -- templates --------------------------------------------------------------------------------

@pytest.mark.parametrize("template, classes", [
    ("claim.yaml.j2", (Claim, Appearance, Evidence, Change)),
    ("source.yaml.j2", (Source,)),
])
def test_templates_show_every_field_the_model_defines_and_no_other(template, classes):
    text = (STARTER / template).read_text(encoding="utf-8")
    shown = set(re.findall(r"^[#\s-]*([a-z_]+):(?: |$)", text, flags=re.MULTILINE)) - {"example", "schema"}
    defined = {f.name for cls in classes for f in yaml_fields(cls)}
    assert shown - {"yaml-language-server"} == defined


def test_new_claim_writes_the_commented_template_with_todays_date(project):
    result = run(["factdesk", "new", "claim", "moon-has-no-air"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Wrote claims/moon-has-no-air.yaml. Fill in the empty fields, then run: factdesk check\n"
    text = (project / "claims/moon-has-no-air.yaml").read_text(encoding="utf-8")
    today = dt.date.today().isoformat()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/claim.schema.json"
    assert "\nid: moon-has-no-air\n" in text
    assert f"\npublished: {today}\nupdated: {today}\n" in text
    assert f"  - date: {today}\n    change: First published.\n" in text
    # The notes name the project's own ratings and the model's stances.
    assert "# true, mostly-true, mixed, misleading, mostly-false, false, unproven.\n" in text
    assert "# supports, contradicts, context; note says" in text


def test_a_fresh_claim_fails_the_check_with_one_fill_in_problem_per_empty_field(project):
    assert run(["factdesk", "new", "claim", "moon-has-no-air"], cwd=project).returncode == 0
    result = run(["factdesk", "check"], cwd=project)
    assert result.returncode == 1
    path = "claims/moon-has-no-air.yaml"
    assert result.stderr.splitlines() == [
        f"{path}:12:7: claim: missing required field 'claim' (The claim as stated, in one sentence.); {MISSING}",
        f"{path}:16:10: claimant: missing required field 'claimant' (Who made the claim.); {MISSING}",
        f"{path}:23:12: claim_date: missing required field 'claim_date' (When the claim was first made "
        f"(YYYY-MM-DD).); {MISSING}",
        f"{path}:28:9: verdict: missing required field 'verdict' (Id of a rating in the rating scale.); {MISSING}",
        f"{path}:37:9: summary: missing required field 'summary' (What we found, in one paragraph.); {MISSING}",
        f"{path}:46:10: analysis: missing required field 'analysis' (The full argument for the verdict, in Markdown, "
        f"from the cited sources.); {MISSING}",
        f"{path}:53:12: appearances[0].source: missing required field 'source' (Id of the source the claim "
        f"appeared in.); {MISSING}",
        f"{path}:54:11: appearances[0].quote: missing required field 'quote' (The claim's words, copied exactly "
        f"from the source (checked against its snapshot).); {MISSING}",
        f"{path}:63:12: evidence[0].source: missing required field 'source' (Id of the source.); {MISSING}",
        f"{path}:64:12: evidence[0].stance: missing required field 'stance' (How the source bears on the claim.); "
        f"{MISSING}",
        f"{path}:65:10: evidence[0].note: missing required field 'note' (What this source shows, in our words.); "
        f"{MISSING}",
        "11 errors, 0 warnings.",
    ]
    lines = (project / path).read_text(encoding="utf-8").splitlines()
    assert [lines[n - 1] for n in (12, 28, 53, 65)] == ["claim:", "verdict:", "  - source:", "    note:"]


def test_new_refuses_to_overwrite_an_existing_file(project):
    before = (project / "claims/moon-distance.yaml").read_bytes()
    result = run(["factdesk", "new", "claim", "moon-distance"], cwd=project)
    assert result.returncode == 1
    assert result.stderr == "Error: claims/moon-distance.yaml already exists; edit it, or choose another id\n"
    assert (project / "claims/moon-distance.yaml").read_bytes() == before


@pytest.mark.parametrize("kind", ["claim", "source"])
def test_new_rejects_a_bad_id_with_the_checkers_message(project, kind):
    result = run(["factdesk", "new", kind, "Moon_Rocks"], cwd=project)
    assert result.returncode == 1
    assert result.stderr == ("Error: id: expected an id of lower-case letters, digits and single hyphens (at most 80 "
                             "characters), found 'Moon_Rocks' Hint: try 'moon-rocks'\n")
    # The same words the check prints for the same id in a file.
    (project / "claims/moon-distance.yaml").write_text(
        (project / "claims/moon-distance.yaml").read_text().replace("id: moon-distance", "id: Moon_Rocks"))
    checked = run(["factdesk", "check"], cwd=project)
    assert ("id: expected an id of lower-case letters, digits and single hyphens (at most 80 characters), found "
            "'Moon_Rocks' Hint: try 'moon-rocks'") in checked.stderr


def test_new_source_writes_into_the_folder_named_in_mkdocs_yml(project):
    (project / "data/srcs").mkdir(parents=True)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - factdesk\n", "  - factdesk:\n      sources: data/srcs\n"))
    result = run(["factdesk", "new", "source", "moon-rocks"], cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "data/srcs/moon-rocks.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/source.schema.json"
    assert f"\naccessed: {dt.date.today().isoformat()}\n" in text
    assert "# news, analysis, opinion, satire, official-statement, fact-check, research, dataset, social-post, " \
           "reference, other.\n" in text


def test_contributor_path_new_source_new_claim_check_build(project):
    """What CONTRIBUTING.md tells a newcomer to do, step by step, through the command."""
    assert run(["factdesk", "new", "source", "moon-rock-lab"], cwd=project).returncode == 0
    assert run(["factdesk", "new", "claim", "moon-is-hollow"], cwd=project).returncode == 0
    (project / "claims/sources/moon-rock-lab.txt").write_text(
        "Moon Rock Lab\n\nSeismometers left on the Moon show that it has a dense core. It is not hollow.\n",
        encoding="utf-8")
    fill(project / "claims/sources/moon-rock-lab.yaml", {
        "\ntitle:\n": "\ntitle: What the seismometers heard\n",
        "\npublisher:\n": "\npublisher: Moon Rock Lab\n",
        "\npublished:\n": "\npublished: 2026-01-02\n",
        "\nurl:\n": "\nurl: https://moonrocks.example/seismometers\n",
        "\nkind:\n": "\nkind: research\n",
        "\nlanguage:\n": "\nlanguage: en\n",
        "# snapshot: moon-rock-lab.txt": "snapshot: moon-rock-lab.txt",
    })
    fill(project / "claims/moon-is-hollow.yaml", {
        "\nclaim:\n": "\nclaim: The Moon is hollow.\n",
        "\nclaimant:\n": "\nclaimant: The Daily Planet\n",
        "\nclaim_date:\n": "\nclaim_date: 2026-01-06\n",
        "\nverdict:\n": "\nverdict: false\n",
        "\nsummary:\n": "\nsummary: Moonquake records show a dense core, so the Moon is not hollow.\n",
        "\nanalysis:\n": "\nanalysis: |\n  Seismometers show a **dense core**.\n",
        "  - source:\n    quote:\n": "  - source: daily-planet-moon\n    quote: Says Local Man\n",
        "  - source:\n    stance:\n    note:\n": "  - source: moon-rock-lab\n    stance: contradicts\n"
                                               "    quote: It is not hollow.\n    note: Seismic data show a core.\n",
        "# single_origin_reason: The official statement is itself the fact being checked.":
            "single_origin_reason: The seismometers left on the Moon are the only record of its interior.",
    })
    checked = run(["factdesk", "check", "--strict"], cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("Checked 3 claims and 3 sources in ")
    built = run(["factdesk", "build"], cwd=project)
    assert built.returncode == 0, built.stderr
    page = (project / "site/claims/moon-is-hollow/index.html").read_text(encoding="utf-8")
    assert "The Moon is hollow." in page
    assert "<strong>dense core</strong>" in page


# -- init -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def started(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "desk"
    result = run(["factdesk", "init", str(folder), "--title", "Harbour checks"], cwd=folder.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Created a fact-check project in {folder}. Next:\n  cd {folder}\n  factdesk check\n" \
                            "  factdesk serve\n"
    return folder


def test_init_writes_a_complete_project(started):
    files = sorted(p.relative_to(started).as_posix() for p in started.rglob("*") if p.is_file())
    assert files == [
        ".gitignore", "README.md",
        "claims/high-tide-same-time-every-day.yaml",
        "claims/sources/example-coastal-survey-tide-tables.txt",
        "claims/sources/example-coastal-survey-tide-tables.yaml",
        "claims/sources/example-harbour-gazette-tides.txt",
        "claims/sources/example-harbour-gazette-tides.yaml",
        "docs/about.md", "docs/corrections.md", "docs/index.md", "docs/methodology.md",
        "mkdocs.yml", "ratings.yaml",
        "schemas/claim-translation.schema.json", "schemas/claim.schema.json", "schemas/events.schema.json",
        "schemas/ratings.schema.json", "schemas/source-translation.schema.json", "schemas/source.schema.json",
    ]
    assert yaml.safe_load((started / "mkdocs.yml").read_text())["site_name"] == "Harbour checks"


def test_init_data_files_name_and_pass_their_schemas(started):
    files = data_files(started)
    assert len(files) == 4
    for path, schema in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=") and first.endswith(schema)
        assert (path.parent / first.split("=", 1)[1]).is_file()
        assert errors(schema, yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)) == [], path


def test_init_project_passes_the_strict_check(started):
    result = run(["factdesk", "check", "--strict"], cwd=started)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Checked 1 claim and 2 sources in ")


@pytest.mark.slow
def test_init_project_builds_with_factdesk_and_strict_mkdocs(started, tmp_path):
    built = run(["factdesk", "build", "-d", str(tmp_path / "a")], cwd=started)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "a/claims/high-tide-same-time-every-day/index.html").read_text(encoding="utf-8")
    assert "High tide comes at the same time every day." in page
    strict = run(["mkdocs", "build", "--strict", "-d", str(tmp_path / "b")], cwd=started)
    assert strict.returncode == 0, strict.stderr
    for page in ("index.html", "methodology/index.html", "corrections/index.html", "about/index.html",
                 "ratings/index.html", "claims/index.html", "sources/index.html"):
        assert (tmp_path / "b" / page).is_file(), page
    # No web fonts or other third-party hosts: the starter is for readers on censored networks too.
    home = (tmp_path / "b/index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home


def test_new_claim_in_an_init_project_lists_its_ratings(started, tmp_path):
    import shutil

    folder = tmp_path / "desk"
    shutil.copytree(started, folder)
    assert run(["factdesk", "new", "claim", "tide-tables-are-wrong"], cwd=folder).returncode == 0
    text = (folder / "claims/tide-tables-are-wrong.yaml").read_text(encoding="utf-8")
    assert "# true, mostly-true, mixed, misleading, mostly-false, false, unproven.\n" in text


@pytest.mark.parametrize("setup", ["file-inside", "is-a-file"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path, setup):
    target = tmp_path / "desk"
    if setup == "file-inside":
        target.mkdir()
        (target / "notes.txt").write_text("keep me")
    else:
        target.write_text("keep me")
    result = run(["factdesk", "init", str(target)], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"Error: {target} is not an empty folder; give a new or empty folder\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == (["desk", "notes.txt"] if setup == "file-inside" else ["desk"])


def test_init_into_an_empty_folder_is_allowed(tmp_path):
    (tmp_path / "desk").mkdir()
    result = run(["factdesk", "init", "desk"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert run(["factdesk", "check"], cwd=tmp_path / "desk").returncode == 0


def test_init_starts_a_project_in_another_language(tmp_path):
    folder = tmp_path / "desk"
    result = run(["factdesk", "init", str(folder), "--title", "میز فارسی", "--language", "fa"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  language: fa\n" in config and "source_language: fa" in config
    assert run(["factdesk", "check", "--strict"], cwd=folder).returncode == 0
    built = run(["factdesk", "build"], cwd=folder)
    assert built.returncode == 0, built.stderr
    page = (folder / "site" / "claims" / "high-tide-same-time-every-day" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fa"' in page and '<body dir="rtl"' in page
    assert "آنچه یافتیم:" in page  # the interface comes from the Persian catalogue
    assert (folder / "site" / "assets" / "search-fa.js").is_file()


def test_init_refuses_an_unknown_language(tmp_path):
    result = run(["factdesk", "init", str(tmp_path / "desk"), "--language", "xx"], cwd=tmp_path)
    assert result.returncode == 1
    assert "--language: unknown language code 'xx'" in result.stderr
    assert not (tmp_path / "desk").exists()
