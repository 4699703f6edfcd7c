"""Translations: prose in another language beside the canonical record, caught when it goes stale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from factdesk.load import Layout
from factdesk.pipeline import check
from factdesk.translations import version
from helpers import TESTS, copy_project, edit, run

RELAYS = TESTS / "fixtures" / "relays"
TODAY = dt.date(2026, 5, 1)
BUDGET = "claims/council-confirmed-budget.yaml"
BUDGET_FA = "claims/council-confirmed-budget.fa.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, RELAYS)


def problems(project: Path, languages=("fa",)) -> list[str]:
    return [p.format() for p in check(Layout.under(project), today=TODAY, languages=languages).problems]


def test_the_fixture_translations_are_current():
    result = check(Layout.under(RELAYS), today=TODAY, strict=True, languages=("fa",))
    assert result.problems == []
    assert sorted(result.corpus.claim_translations["fa"]) == ["council-confirmed-budget"]
    assert sorted(result.corpus.source_translations["fa"]) == ["harbour-courier-tunnel"]


def test_a_change_to_the_original_prose_makes_the_translation_stale(project):
    before = version(check(Layout.under(project), today=TODAY, languages=("fa",)).corpus.claim(
        "council-confirmed-budget"))
    edit(project, BUDGET, "summary: The minutes record the vote.", "summary: The minutes record the vote, 7 to 2.")
    after = version(check(Layout.under(project), today=TODAY, languages=("fa",)).corpus.claim(
        "council-confirmed-budget"))
    assert problems(project) == [
        f"{BUDGET_FA}:4:13: translates: warning: out of date: {BUDGET} has changed since version {before} (now "
        f"{after}) Hint: bring the translation up to date, then set translates: {after}; `factdesk translations "
        f"fa` lists every stale file"]
    strict = run(["factdesk", "check", "--strict", "--today", "2026-05-01"], cwd=project)
    assert strict.returncode == 1 and "translates: out of date" in strict.stderr


def test_a_change_outside_the_prose_leaves_the_translation_current(project):
    edit(project, BUDGET, "claim_date: 2026-03-10", "claim_date: 2026-03-09")
    edit(project, BUDGET, 'verdict: "true"', "verdict: mostly-true")
    assert problems(project) == []


def test_translations_lists_missing_and_stale_files_with_the_version_to_write(project):
    edit(project, "claims/sources/harbour-courier-tunnel.yaml", "citing one unnamed council official",
         "citing two unnamed council officials")
    result = run(["factdesk", "translations", "fa"], cwd=project)
    assert result.returncode == 1  # a stale translation
    lines = result.stdout.splitlines()
    assert lines[0].startswith("stale    claims/sources/harbour-courier-tunnel.fa.yaml  (translates e724af163f4c, "
                               "now ")
    assert lines[1:] == [
        "missing  claims/mayor-tunnel-escape-plan.fa.yaml  (version 94fe6ec2bede)",
        "missing  claims/sources/bay-gazette-tunnel.fa.yaml  (version f5aa69bfe4ef)",
        "missing  claims/sources/coast-digest-tunnel.fa.yaml  (version 4fe6271550a4)",
        "missing  claims/sources/council-minutes-march.fa.yaml  (version 9f1ab664effd)",
        "missing  claims/sources/survey-office-plans.fa.yaml  (version e9139ee04438)",
        "fa: 1 current, 1 stale, 5 missing of 7 claims and sources."]


def test_new_translation_writes_a_file_that_needs_only_the_text(project):
    result = run(["factdesk", "new", "translation", "mayor-tunnel-escape-plan", "fa"], cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "claims/mayor-tunnel-escape-plan.fa.yaml").read_text(encoding="utf-8")
    assert "translates: \"94fe6ec2bede\"\n" in text
    assert "# The mayor has a plan to leave town through a secret tunnel.\nclaim:\n" in text
    assert text.count("  - translated_quote:") == 3 and text.count("  - change:") == 2
    checked = run(["factdesk", "check"], cwd=project)
    assert checked.returncode == 1
    assert "claims/mayor-tunnel-escape-plan.fa.yaml:5:12: translator: missing required field 'translator'" \
        in checked.stderr
    again = run(["factdesk", "new", "translation", "mayor-tunnel-escape-plan", "fa"], cwd=project)
    assert again.returncode == 1 and "already exists" in again.stderr


@pytest.mark.parametrize("name, expected", [
    ("council-confirmed-budget.xx.yaml", "claims/council-confirmed-budget.xx.yaml:1:1: unknown language code 'xx' in "
     "the file name Hint: name the file <id>.<language>.yaml with a code such as fa, de or pt_BR"),
    ("council-confirmed-budget.de.yaml", "claims/council-confirmed-budget.de.yaml:1:1: the site publishes no 'de' "
     "edition (languages: fa) Hint: add de to the factdesk option languages in mkdocs.yml, or remove the file"),
    ("council-confirmed-budgets.fa.yaml", "claims/council-confirmed-budgets.fa.yaml:4:1: translation of an unknown "
     "claim 'council-confirmed-budgets' Hint: did you mean 'council-confirmed-budget'?"),
])
def test_a_translation_file_must_name_a_published_language_and_a_known_record(project, name, expected):
    (project / "claims" / name).write_text((project / BUDGET_FA).read_text(encoding="utf-8"), encoding="utf-8")
    assert problems(project) == [expected]


def test_a_translation_mirrors_the_entries_of_the_original(project):
    edit(project, BUDGET_FA, "  - translated_quote: بودجهٔ بندر\n", "  - translated_quote: بودجهٔ بندر\n"
         "  - translated_quote: اضافه\n")
    edit(project, BUDGET_FA, "single_origin_reason:", "# single_origin_reason:")
    edit(project, BUDGET_FA, "summary:", "what_changed: چیزی عوض شد.\nsummary:")
    assert problems(project) == [
        f"{BUDGET_FA}:4:1: single_origin_reason is missing; the original has one Hint: add single_origin_reason",
        f"{BUDGET_FA}:12:15: what_changed: what_changed is given, but the original has none Hint: remove it",
        f"{BUDGET_FA}:21:3: appearances: appearances has 2 entries; the original has 1 Hint: give one entry for "
        "each entry of the original, in the same order"]


def test_persian_text_with_zero_width_non_joiners_and_marks_is_accepted_overrides_are_not(project):
    edit(project, BUDGET_FA, "summary: صورت‌جلسهٔ", "summary: \u200fصورت\u200cجلسهٔ \u200e(2026)\u200e")
    assert problems(project) == []
    edit(project, BUDGET_FA, "summary: \u200f", "summary: \u202e")
    (line,) = problems(project)
    assert line.startswith(f"{BUDGET_FA}:12:10: summary: ")
    assert "U+202E" in line


def test_the_plugin_option_strict_translations_makes_a_stale_translation_an_error(project):
    edit(project, BUDGET, "summary: The minutes record the vote.", "summary: The minutes record the vote, 7 to 2.")
    assert run(["factdesk", "check"], cwd=project).returncode == 0  # a warning
    edit(project, "mkdocs.yml", "      languages: [fa]\n", "      languages: [fa]\n      strict_translations: true\n")
    result = run(["factdesk", "check"], cwd=project)
    assert result.returncode == 1
    assert f"{BUDGET_FA}:4:13: translates: out of date" in result.stderr
    assert run(["factdesk", "build"], cwd=project).returncode == 1
