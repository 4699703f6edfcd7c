"""Loading and cross-file checks, on a copy of tests/fixtures/project broken one way per test.

Each test changes one file of the valid fixture project and checks the exact
list of formatted problems `pipeline.check` reports.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from factdesk import pipeline
from factdesk.load import Layout
from factdesk.problems import format_report

FIXTURE = Path(__file__).parent / "fixtures" / "project"
TODAY = date(2026, 11, 22)

AS_OF_HINT = "Hint: as_of is the date the verdict holds for: not before the claim was made, not after the last update"
CHEESE = "claims/moon-made-of-cheese.yaml"
DISTANCE = "claims/moon-distance.yaml"
PLANET = "claims/sources/daily-planet-moon.yaml"
PLANET_TXT = "claims/sources/daily-planet-moon.txt"
NASA = "claims/sources/nasa-moon-facts.yaml"
RATINGS = "ratings.yaml"

CHEESE_EVIDENCE = ("evidence:\n  - source: nasa-moon-facts\n    stance: contradicts\n"
                   "    note: Lunar samples are rock and dust.\n")
CHEESE_QUOTE = "    quote: the Moon is made entirely of cheese\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("site"))
    return target


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def check(project: Path, strict: bool = False) -> list[str]:
    result = pipeline.check(Layout.under(project), today=TODAY, strict=strict)
    return [p.format() for p in result.problems]


def test_fixture_project_passes_strict(project: Path) -> None:
    result = pipeline.check(Layout.under(project), today=TODAY, strict=True)
    assert [p.format() for p in result.problems] == []
    assert result.ok
    assert [c.id for c in sorted(result.corpus.claims, key=lambda c: c.id)] == ["moon-distance", "moon-made-of-cheese"]
    assert set(result.corpus.snapshots) == {"daily-planet-moon"}


# -- record rules: one claim, source or scale at a time ---------------------------------------

HISTORY_HINT = "Hint: set updated to the date of the latest history entry"

RECORD_CASES = [
    pytest.param(
        CHEESE, "updated: 2026-02-03", "updated: 2026-01-31",
        [f"{CHEESE}:27:10: updated: updated (2026-01-31) is before published (2026-02-01) "
         "Hint: updated is the date of the latest change, on or after publication",
         f"{CHEESE}:29:11: history[0].date: history date 2026-02-01 is outside published..updated "
         f"(2026-02-01..2026-01-31) {HISTORY_HINT}",
         f"{CHEESE}:31:11: history[1].date: history date 2026-02-03 is outside published..updated "
         f"(2026-02-01..2026-01-31) {HISTORY_HINT}"],
        id="updated-before-published",
    ),
    pytest.param(
        CHEESE, "claim_date: 2026-01-06", "claim_date: 2026-02-02",
        [f"{CHEESE}:5:13: claim_date: claim_date (2026-02-02) is after published (2026-02-01) "
         "Hint: a claim is made before it is checked"],
        id="claim-date-after-published",
    ),
    pytest.param(
        DISTANCE, "as_of: 2026-01-06", "as_of: 2026-01-05",
        [f"{DISTANCE}:7:8: as_of: as_of (2026-01-05) must lie between claim_date (2026-01-06) and updated (2026-02-01) "
         f"{AS_OF_HINT}"],
        id="as-of-before-claim-date",
    ),
    pytest.param(
        DISTANCE, "as_of: 2026-01-06", "as_of: 2026-02-02",
        [f"{DISTANCE}:7:8: as_of: as_of (2026-02-02) must lie between claim_date (2026-01-06) and updated (2026-02-01) "
         f"{AS_OF_HINT}"],
        id="as-of-after-updated",
    ),
    pytest.param(
        DISTANCE, "as_of: 2026-01-06\n", "",
        [f"{DISTANCE}:7:15: what_changed: what_changed is given without as_of "
         "Hint: add as_of: the date the verdict holds for"],
        id="what-changed-without-as-of",
    ),
    pytest.param(
        CHEESE, "  - date: 2026-02-03", "  - date: 2026-02-04",
        [f"{CHEESE}:31:11: history[1].date: history date 2026-02-04 is outside published..updated "
         f"(2026-02-01..2026-02-03) {HISTORY_HINT}"],
        id="history-after-updated",
    ),
    pytest.param(
        CHEESE, "  - date: 2026-02-01", "  - date: 2026-01-31",
        [f"{CHEESE}:29:11: history[0].date: history date 2026-01-31 is outside published..updated "
         f"(2026-02-01..2026-02-03) {HISTORY_HINT}"],
        id="history-before-published",
    ),
    pytest.param(
        CHEESE,
        "  - date: 2026-02-01\n    change: First published.\n  - date: 2026-02-03\n    change: Added a caveat.\n",
        "  - date: 2026-02-03\n    change: Added a caveat.\n  - date: 2026-02-01\n    change: First published.\n",
        [f"{CHEESE}:31:11: history[1].date: history entries must be oldest first; 2026-02-01 comes after 2026-02-03 "
         "Hint: list the changes from oldest to newest"],
        id="history-out-of-order",
    ),
    pytest.param(
        PLANET, "accessed: 2026-02-01", "accessed: 2026-01-05",
        [f"{PLANET}:9:11: accessed: accessed (2026-01-05) is before published (2026-01-06) "
         "Hint: check both dates; accessed is when you last read the source"],
        id="source-accessed-before-published",
    ),
    pytest.param(
        RATINGS, "  - id: misleading", "  - id: mixed",
        [f"{RATINGS}:27:9: ratings[3].id: id 'mixed' is used by more than one rating Hint: give each rating its own id"],
        id="scale-duplicate-id",
    ),
    pytest.param(
        RATINGS, 'label: "Misleading"\n    icon: "!"\n    colour: "#c2410c"\n    value: 3',
        'label: "Mixed"\n    icon: "!"\n    colour: "#c2410c"\n    value: 4',
        [f"{RATINGS}:28:12: ratings[3].label: label 'Mixed' is used by more than one rating "
         "Hint: give each rating its own label",
         f"{RATINGS}:31:12: ratings[3].value: value 4 is used by more than one rating "
         "Hint: give each rating its own value"],
        id="scale-duplicate-label-and-value",
    ),
]


@pytest.mark.parametrize("rel, old, new, expected", RECORD_CASES)
def test_record_rule(project: Path, rel: str, old: str, new: str, expected: list[str]) -> None:
    edit(project, rel, old, new)
    assert check(project) == expected


def test_as_of_on_its_bounds_is_accepted(project: Path) -> None:
    edit(project, DISTANCE, "as_of: 2026-01-06", "as_of: 2026-02-01")  # == updated; claim_date is 2026-01-06
    assert check(project, strict=True) == []


# -- corpus rules: references between files ---------------------------------------------------

CORPUS_CASES = [
    pytest.param(
        CHEESE, "  - source: daily-planet-moon", "  - source: daily-planet-mon",
        [f"{CHEESE}:16:13: appearances[0].source: unknown source 'daily-planet-mon' "
         "Hint: did you mean 'daily-planet-moon'?"],
        id="unknown-appearance-source-close",
    ),
    pytest.param(
        CHEESE, "  - source: daily-planet-moon", "  - source: bbc-news",
        [f"{CHEESE}:16:13: appearances[0].source: unknown source 'bbc-news' "
         "Hint: add claims/sources/bbc-news.yaml or correct the id"],
        id="unknown-appearance-source-far",
    ),
    pytest.param(
        CHEESE, "  - source: nasa-moon-facts", "  - source: nasa-moon-fact",
        [f"{CHEESE}:19:13: evidence[0].source: unknown source 'nasa-moon-fact' Hint: did you mean 'nasa-moon-facts'?"],
        id="unknown-evidence-source",
    ),
    pytest.param(
        CHEESE, "related: [moon-distance]", "related: [moon-distanse]",
        [f"{CHEESE}:25:11: related[0]: unknown claim 'moon-distanse' Hint: did you mean 'moon-distance'?"],
        id="unknown-related-claim-close",
    ),
    pytest.param(
        CHEESE, "related: [moon-distance]", "related: [sun-size]",
        [f"{CHEESE}:25:11: related[0]: unknown claim 'sun-size' Hint: correct the id or remove the entry"],
        id="unknown-related-claim-far",
    ),
    pytest.param(
        CHEESE, "related: [moon-distance]", "related: [moon-distance, moon-made-of-cheese]",
        [f"{CHEESE}:25:26: related[1]: a claim cannot be related to itself Hint: remove this entry"],
        id="self-related",
    ),
    pytest.param(
        CHEESE, CHEESE_EVIDENCE, "",
        [f"{CHEESE}:6:10: verdict: verdict 'false' needs at least one evidence entry, found none "
         "Hint: add evidence, or use a rating for claims that cannot be verified"],
        id="verdict-without-evidence",
    ),
    pytest.param(
        CHEESE, "claim_date: 2026-01-06", "claim_date: 2026-01-07",
        [f"{CHEESE}:5:13: claim_date: warning: claim_date (2026-01-07) is after the date of its appearance in "
         "'daily-planet-moon' (2026-01-06) Hint: set claim_date to the first time the claim was made"],
        id="claim-date-after-appearance-warning",
    ),
]


@pytest.mark.parametrize("rel, old, new, expected", CORPUS_CASES)
def test_corpus_rule(project: Path, rel: str, old: str, new: str, expected: list[str]) -> None:
    edit(project, rel, old, new)
    assert check(project) == expected


def test_unproven_verdict_needs_no_evidence(project: Path) -> None:
    edit(project, CHEESE, 'verdict: "false"', "verdict: unproven")
    edit(project, CHEESE, CHEESE_EVIDENCE, "")
    assert check(project, strict=True) == []


def test_orphan_source_is_a_warning(project: Path) -> None:
    (project / "claims/sources/extra-source.yaml").write_text(
        (project / NASA).read_text(encoding="utf-8").replace("id: nasa-moon-facts", "id: extra-source"),
        encoding="utf-8")
    result = pipeline.check(Layout.under(project), today=TODAY)
    assert [p.format() for p in result.problems] == [
        "claims/sources/extra-source.yaml:2:5: id: warning: source 'extra-source' is cited by no claim "
        "Hint: cite it in a claim's appearances or evidence, or delete the file"]
    assert result.ok
    assert format_report(result.problems).splitlines()[-1] == "0 errors, 1 warning."


def test_strict_promotes_the_orphan_warning_to_an_error(project: Path) -> None:
    (project / "claims/sources/extra-source.yaml").write_text(
        (project / NASA).read_text(encoding="utf-8").replace("id: nasa-moon-facts", "id: extra-source"),
        encoding="utf-8")
    result = pipeline.check(Layout.under(project), today=TODAY, strict=True)
    assert [p.format() for p in result.problems] == [
        "claims/sources/extra-source.yaml:2:5: id: source 'extra-source' is cited by no claim "
        "Hint: cite it in a claim's appearances or evidence, or delete the file"]
    assert not result.ok
    assert format_report(result.problems).splitlines()[-1] == "1 error, 0 warnings."


def test_corpus_rules_wait_for_per_file_errors(project: Path) -> None:
    # A corpus error (unknown related claim) and a record-rule error in one claim, a per-file
    # error in the other: the per-file and record errors are reported, the corpus one is not.
    edit(project, CHEESE, "related: [moon-distance]", "related: [sun-size]")
    edit(project, CHEESE, "claim_date: 2026-01-06", "claim_date: 2026-02-02")
    edit(project, DISTANCE, "claimant: The Daily Planet", "claimant: [The Daily Planet]")
    assert check(project) == [
        f"{DISTANCE}:4:11: claimant: expected text, found a list "
        "Hint: quote the value if it contains ': ' or starts with '- '",
        f"{CHEESE}:5:13: claim_date: claim_date (2026-02-02) is after published (2026-02-01) "
        "Hint: a claim is made before it is checked",
    ]


def test_corpus_rules_run_once_the_per_file_error_is_fixed(project: Path) -> None:
    edit(project, CHEESE, "related: [moon-distance]", "related: [sun-size]")
    edit(project, DISTANCE, "claimant: The Daily Planet", "claimant: [The Daily Planet]")
    assert len(check(project)) == 1
    edit(project, DISTANCE, "claimant: [The Daily Planet]", "claimant: The Daily Planet")
    assert check(project) == [
        f"{CHEESE}:25:11: related[0]: unknown claim 'sun-size' Hint: correct the id or remove the entry"]


def test_warnings_do_not_hold_back_corpus_rules(project: Path) -> None:
    edit(project, CHEESE, "claim_date: 2026-01-06", "claim_date: 2026-01-07")  # a warning
    edit(project, DISTANCE, "related: [moon-made-of-cheese]", "related: [sun-size]")
    assert check(project) == [
        f"{DISTANCE}:20:11: related[0]: unknown claim 'sun-size' Hint: correct the id or remove the entry",
        f"{CHEESE}:5:13: claim_date: warning: claim_date (2026-01-07) is after the date of its appearance in "
        "'daily-planet-moon' (2026-01-06) Hint: set claim_date to the first time the claim was made",
    ]


# -- quotes must appear in the source's snapshot ---------------------------------------------

def set_quote(project: Path, quote: str) -> None:
    yaml_quote = "'" + quote.replace("'", "''") + "'"
    edit(project, CHEESE, CHEESE_QUOTE, f"    quote: {yaml_quote}\n")


@pytest.mark.parametrize("quote", [
    pytest.param('adding that he had "seen it with his own telescope"', id="straight-for-curly-quotes"),
    pytest.param("Moon \u201cMade Entirely of Cheese\u201d, Says Local Man", id="curly-quotes-as-in-snapshot"),
    pytest.param("made entirely of cheese,   adding  that", id="extra-spaces-and-line-break"),
    pytest.param("Bob Smith said ... the Moon is made entirely of cheese", id="omission-with-dots"),
    pytest.param("Bob Smith said \u2026 made entirely of cheese", id="omission-with-ellipsis-character"),
    pytest.param("...the Moon is made entirely of cheese...", id="leading-and-trailing-dots"),
])
def test_quote_found_in_snapshot(project: Path, quote: str) -> None:
    set_quote(project, quote)
    assert check(project, strict=True) == []


QUOTE_NOT_FOUND = f"{CHEESE}:17:12: appearances[0].quote: quote not found in the snapshot of 'daily-planet-moon' " \
                  "(daily-planet-moon.txt) Hint: "


@pytest.mark.parametrize("quote, hint", [
    pytest.param("the Moon is made mostly of cheese", "the snapshot matches up to '...the Moon is made ', then differs",
                 id="changed-word"),
    pytest.param("the Moon is made entirely of cheese ... Bob Smith said",
                 "the snapshot matches up to '...oon is made entirely of cheese', then differs",
                 id="omission-parts-out-of-order"),
    pytest.param("The Moon is made entirely of cheese", "the snapshot matches up to '...The Moon is ', then differs",
                 id="capitalisation-differs"),
    pytest.param("cheese moon", "copy the words exactly from the snapshot; mark omissions with '...'",
                 id="nothing-close"),
    pytest.param("...", "copy the words exactly from the snapshot; mark omissions with '...'", id="only-dots"),
])
def test_quote_not_in_snapshot(project: Path, quote: str, hint: str) -> None:
    set_quote(project, quote)
    assert check(project) == [QUOTE_NOT_FOUND + hint]


def test_quote_from_a_source_without_snapshot_is_not_checked(project: Path) -> None:
    edit(project, DISTANCE, "quote: average distance of 384,400 km", "quote: words not in any snapshot")
    assert check(project, strict=True) == []


# -- loading: files, names and snapshots -------------------------------------------------------

def test_source_id_differs_from_file_name(project: Path) -> None:
    edit(project, NASA, "id: nasa-moon-facts", "id: nasa-moon")
    assert check(project) == [
        f"{NASA}:2:5: id: id 'nasa-moon' differs from the file name 'nasa-moon-facts' "
        "Hint: rename the file to nasa-moon.yaml or set id: nasa-moon-facts"]


def test_claim_id_differs_from_file_name(project: Path) -> None:
    edit(project, CHEESE, "id: moon-made-of-cheese", "id: moon-cheese")
    assert check(project) == [
        f"{CHEESE}:2:5: id: id 'moon-cheese' differs from the file name 'moon-made-of-cheese' "
        "Hint: rename the file to moon-cheese.yaml or set id: moon-made-of-cheese"]


@pytest.mark.parametrize("rel", ["claims/sources/other-source.yml", "claims/other-claim.yml"])
def test_yml_extension_is_reported(project: Path, rel: str) -> None:
    shutil.copy(project / NASA, project / rel)
    stem = Path(rel).stem
    assert check(project) == [f"{rel}:1:1: data files must end in .yaml, not .yml Hint: rename it to {stem}.yaml"]


def test_missing_snapshot(project: Path) -> None:
    (project / PLANET_TXT).unlink()
    assert check(project) == [
        f"{PLANET}:12:11: snapshot: snapshot file 'daily-planet-moon.txt' not found "
        f"Hint: save the source's text as {PLANET_TXT}"]


def test_snapshot_symlink_leading_outside_the_project(project: Path) -> None:
    outside = project.parent / "outside.txt"
    outside.write_text((project / PLANET_TXT).read_text(encoding="utf-8"), encoding="utf-8")
    (project / PLANET_TXT).unlink()
    (project / PLANET_TXT).symlink_to(outside)
    assert check(project) == [
        f"{PLANET}:12:11: snapshot: the snapshot path leads outside the project "
        "Hint: keep the snapshot next to the source file"]


def test_snapshot_symlink_inside_the_project_is_followed(project: Path) -> None:
    (project / PLANET_TXT).rename(project / "docs/moon.txt")
    (project / PLANET_TXT).symlink_to(project / "docs/moon.txt")
    assert check(project, strict=True) == []


def test_snapshot_in_a_subfolder(project: Path) -> None:
    (project / "claims/sources/snapshots").mkdir()
    (project / PLANET_TXT).rename(project / "claims/sources/snapshots/daily-planet-moon.txt")
    edit(project, PLANET, "snapshot: daily-planet-moon.txt", "snapshot: snapshots/daily-planet-moon.txt")
    assert check(project, strict=True) == []


def test_snapshot_not_utf8(project: Path) -> None:
    (project / PLANET_TXT).write_bytes("the Moon is made entirely of cheese caf\u00e9".encode("latin-1"))
    assert check(project) == [
        f"{PLANET}:12:11: snapshot: snapshot 'daily-planet-moon.txt' is not valid UTF-8 "
        "Hint: save it as UTF-8 plain text"]


def test_snapshot_with_byte_order_mark_is_read(project: Path) -> None:
    path = project / PLANET_TXT
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert check(project, strict=True) == []


def test_snapshot_that_is_a_folder(project: Path) -> None:
    (project / PLANET_TXT).unlink()
    (project / PLANET_TXT).mkdir()
    (line,) = check(project)
    assert line.startswith(f"{PLANET}:12:11: snapshot: ")
    assert "not found" not in line


def test_missing_ratings_file(project: Path) -> None:
    # Without a scale, verdicts are not judged and corpus rules do not run: one problem only.
    (project / RATINGS).unlink()
    edit(project, CHEESE, 'verdict: "false"', "verdict: pants-on-fire")
    assert check(project) == [
        f"{RATINGS}:1:1: rating scale not found "
        "Hint: create it, or point the factdesk plugin options in mkdocs.yml at it"]


def test_broken_ratings_file_does_not_bury_claims_in_verdict_errors(project: Path) -> None:
    edit(project, RATINGS, "value: 0", "value: zero")
    assert check(project) == [f"{RATINGS}:55:12: ratings[6].value: expected a whole number, found 'zero' "
                              "Hint: write digits only, e.g. 3"]


def test_missing_sources_folder(project: Path) -> None:
    shutil.rmtree(project / "claims/sources")
    assert check(project) == [
        "claims/sources:1:1: folder not found "
        "Hint: create it, or set the folder in the factdesk plugin options of mkdocs.yml"]


def test_missing_claims_folder(project: Path) -> None:
    shutil.rmtree(project / "claims")
    hint = "Hint: create it, or set the folder in the factdesk plugin options of mkdocs.yml"
    assert check(project) == [f"claims:1:1: folder not found {hint}", f"claims/sources:1:1: folder not found {hint}"]


def test_yaml_problem_in_a_data_file_is_reported_with_its_path(project: Path) -> None:
    edit(project, NASA, "title: Moon facts", "title: Moon facts\ntitle: Moon facts again")
    assert check(project) == [
        f"{NASA}:4:1: title: duplicate key (first set on line 3) "
        "Hint: remove one of the two; YAML would silently keep only the last"]


def test_symlinked_data_file_is_reported_under_its_own_name(project: Path) -> None:
    (project / "claims/sources/moon-link.yaml").symlink_to(project / NASA)
    assert check(project) == [
        "claims/sources/moon-link.yaml:2:5: id: id 'nasa-moon-facts' differs from the file name 'moon-link' "
        "Hint: rename the file to nasa-moon-facts.yaml or set id: moon-link"]


def test_data_file_symlink_leading_outside_the_project(project: Path) -> None:
    outside = project.parent / "outside-source.yaml"
    outside.write_text((project / NASA).read_text(encoding="utf-8").replace("id: nasa-moon-facts", "id: outside"),
                       encoding="utf-8")
    (project / "claims/sources/outside.yaml").symlink_to(outside)
    (line,) = check(project)
    assert line.startswith("claims/sources/outside.yaml:1:1: ")
    assert "outside the project" in line


def test_ratings_file_symlink_loop_is_a_problem_not_a_crash(project: Path) -> None:
    (project / RATINGS).unlink()
    (project / RATINGS).symlink_to(project / RATINGS)
    (line,) = check(project)
    assert line.startswith(f"{RATINGS}:1:1: ")


def test_snapshot_symlink_loop_is_a_problem_not_a_crash(project: Path) -> None:
    (project / PLANET_TXT).unlink()
    (project / PLANET_TXT).symlink_to(project / PLANET_TXT)
    (line,) = check(project)
    assert line.startswith(f"{PLANET}:12:11: snapshot: ")
