"""`factdesk check`: output formats, limiting the check to named or changed files, and silent verdict changes.

Everything runs through the real command; git scenarios use throwaway repositories.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import copy_project, run

CHEESE = "claims/moon-made-of-cheese.yaml"
DISTANCE = "claims/moon-distance.yaml"
RATINGS_LIST = "true, mostly-true, mixed, misleading, mostly-false, false, unproven"
BAD_VERDICT = (f"{CHEESE}:6:10: verdict: expected a rating from the scale ({RATINGS_LIST}), found 'fals' "
               "Hint: did you mean 'false'?")


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True)
    return result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


@pytest.fixture
def repo(project: Path) -> Path:
    """The fixture project as a git repository with one commit on branch main."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Fixture")
    return project


# -- output formats -----------------------------------------------------------------------------

def test_github_format_prints_one_annotation_per_problem(project):
    edit(project, CHEESE, 'verdict: "false"', "verdict: fals")
    edit(project, DISTANCE, "claimant: The Daily Planet", "claimant: The Daily Planet\nreviewer: 50%, then: more")
    result = run(["factdesk", "check", "--format", "github"], cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file={DISTANCE},line=5,col=20,title=factdesk%3A file::invalid YAML: mapping values are not "
        "allowed in this context Hint: a value containing ': ' must be quoted",
        f"::error file={CHEESE},line=6,col=10,title=factdesk%3A verdict::expected a rating from the scale "
        f"({RATINGS_LIST}), found 'fals' Hint: did you mean 'false'?",
        "2 errors, 0 warnings.",
    ]
    assert result.stderr == ""


def test_github_format_escapes_what_github_reads_as_syntax():
    from factdesk.problems import Problem, Severity, format_github

    problem = Problem("claims/a,b:c%.yaml", 3, 7, "appearances[0].quote", "line one\nline two\r 100%",
                      "fix it", Severity.WARNING)
    assert format_github([problem]).splitlines() == [
        "::warning file=claims/a%2Cb%3Ac%25.yaml,line=3,col=7,title=factdesk%3A appearances[0].quote::"
        "line one%0Aline two%0D 100% Hint: fix it".replace("100%", "100%25"),
        "0 errors, 1 warning.",
    ]


def test_github_format_on_a_clean_project_prints_only_the_count(project):
    result = run(["factdesk", "check", "--format", "github"], cwd=project)
    assert (result.returncode, result.stdout) == (0, "0 errors, 0 warnings.\n")


def test_json_format_is_a_versioned_report(project):
    edit(project, CHEESE, 'verdict: "false"', "verdict: fals")
    (project / "claims/sources/unused.yaml").write_text(
        (project / "claims/sources/nasa-moon-facts.yaml").read_text().replace("nasa-moon-facts", "unused"))
    result = run(["factdesk", "check", "--format", "json"], cwd=project)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "format": "factdesk-check",
        "version": 1,
        "ok": False,
        "counts": {"errors": 1, "warnings": 0, "claims": 1, "sources": 3},
        "problems": [{"path": CHEESE, "line": 6, "column": 10, "field": "verdict",
                      "message": f"expected a rating from the scale ({RATINGS_LIST}), found 'fals'",
                      "hint": "did you mean 'false'?", "severity": "error"}],
    }


def test_json_format_reports_warnings_and_ok(project):
    (project / "claims/sources/unused.yaml").write_text(
        (project / "claims/sources/nasa-moon-facts.yaml").read_text().replace("nasa-moon-facts", "unused"))
    result = run(["factdesk", "check", "--format", "json"], cwd=project)
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert (report["ok"], report["counts"]) == (True, {"errors": 0, "warnings": 1, "claims": 2, "sources": 3})
    assert report["problems"] == [{
        "path": "claims/sources/unused.yaml", "line": 2, "column": 5, "field": "id",
        "message": "source 'unused' is cited by no claim",
        "hint": "cite it in a claim's appearances or evidence, or delete the file", "severity": "warning"}]


def test_unknown_format_is_a_usage_error(project):
    result = run(["factdesk", "check", "--format", "xml"], cwd=project)
    assert result.returncode == 2
    assert "Invalid value for '--format': 'xml' is not one of 'text', 'github', 'json'." in result.stderr


# -- named files (as pre-commit passes them) ---------------------------------------------------

def test_named_files_limit_per_file_problems(project):
    edit(project, CHEESE, 'verdict: "false"', "verdict: fals")
    edit(project, DISTANCE, "claim_date: 2026-01-06", "claim_date: 6 January")
    result = run(["factdesk", "check", CHEESE], cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [BAD_VERDICT, "1 error, 0 warnings."]


def test_errors_outside_the_named_files_are_counted_not_hidden(project):
    edit(project, DISTANCE, "claim_date: 2026-01-06", "claim_date: 6 January")
    result = run(["factdesk", "check", CHEESE], cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{DISTANCE}:5:13: 1 error in files outside this check stop the cross-file checks "
        "Hint: run 'factdesk check' on the whole project to see them",
        "1 error, 0 warnings."]


# -- --changed-since ---------------------------------------------------------------------------

def test_changed_since_with_nothing_changed_passes(repo):
    result = run(["factdesk", "check", "--changed-since", "main"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Checked 2 claims and 2 sources in ")


def test_changed_since_reports_per_file_problems_only_in_changed_files(repo):
    edit(repo, DISTANCE, "claim_date: 2026-01-06", "claim_date: 6 January")
    git(repo, "commit", "-qam", "Broken on the base branch")
    git(repo, "checkout", "-qb", "topic")
    edit(repo, CHEESE, 'verdict: "false"', "verdict: fals")
    result = run(["factdesk", "check", "--changed-since", "main"], cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [BAD_VERDICT, "1 error, 0 warnings."]


def test_changed_since_counts_untracked_and_committed_changes(repo):
    git(repo, "checkout", "-qb", "topic")
    edit(repo, CHEESE, 'verdict: "false"', "verdict: fals")
    git(repo, "commit", "-qam", "Committed on the topic branch")
    (repo / "claims/moon-new.yaml").write_text(
        (repo / DISTANCE).read_text().replace("id: moon-distance", "id: moon-new").replace("tags: [moon]", "tags: moon"))
    result = run(["factdesk", "check", "--changed-since", "main"], cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        BAD_VERDICT, "claims/moon-new.yaml:19:7: tags: expected a list (lines starting with '- '), found 'moon' "
        "Hint: write each entry on its own line, starting with '- ', indented under the field",
        "2 errors, 0 warnings."]


def test_changed_since_still_runs_cross_file_checks_on_everything(repo):
    edit(repo, "claims/sources/daily-planet-moon.txt", "made entirely of cheese", "made mostly of cheese")
    result = run(["factdesk", "check", "--changed-since", "main"], cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{CHEESE}:17:12: appearances[0].quote: quote not found in the snapshot of 'daily-planet-moon' "
        "(daily-planet-moon.txt) Hint: the snapshot matches up to '...the Moon is made ', then differs",
        "1 error, 0 warnings."]


def test_a_changed_rating_scale_rechecks_every_claim(repo):
    edit(repo, "ratings.yaml", "id: mostly-true", "id: largely-true")
    result = run(["factdesk", "check", "--changed-since", "main"], cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{DISTANCE}:6:10: verdict: expected a rating from the scale (true, largely-true, mixed, misleading, "
        "mostly-false, false, unproven), found 'mostly-true' "
        "Hint: use one of the ratings listed, or add the rating to the rating scale")


def test_a_verdict_never_changes_silently(repo):
    edit(repo, CHEESE, 'verdict: "false"', "verdict: mostly-false")
    result = run(["factdesk", "check", "--changed-since", "main"], cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{CHEESE}:6:10: verdict: verdict changed from 'false' (at main) to 'mostly-false' without a new history "
        "entry Hint: add a history entry saying it changed from 'false' to 'mostly-false' and why, and set "
        "updated to its date",
        "1 error, 0 warnings."]
    edit(repo, CHEESE, "    change: Added a caveat.\n",
         "    change: Added a caveat.\n  - date: 2026-02-03\n    change: Verdict changed from False to Mostly false.\n")
    fixed = run(["factdesk", "check", "--changed-since", "main"], cwd=repo)
    assert fixed.returncode == 0, fixed.stderr


def test_a_verdict_change_is_caught_in_json_and_github_formats_too(repo):
    edit(repo, CHEESE, 'verdict: "false"', "verdict: mostly-false")
    result = run(["factdesk", "check", "--changed-since", "main", "--format", "github"], cwd=repo)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(
        f"::error file={CHEESE},line=6,col=10,title=factdesk%3A verdict::verdict changed from 'false' (at main)")


def test_a_new_claim_has_no_verdict_to_compare(repo):
    (repo / "claims/moon-new.yaml").write_text((repo / DISTANCE).read_text().replace("id: moon-distance", "id: moon-new"))
    result = run(["factdesk", "check", "--changed-since", "main"], cwd=repo)
    assert result.returncode == 0, result.stderr


def test_changed_since_outside_git_is_a_usage_error(project):
    result = run(["factdesk", "check", "--changed-since", "main"], cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {project.resolve()} is not in a git repository, so --changed-since cannot compare with 'main'")


def test_changed_since_an_unknown_ref_is_a_usage_error(repo):
    result = run(["factdesk", "check", "--changed-since", "origin/nope"], cwd=repo)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == ("Error: unknown git ref 'origin/nope'; give a branch, tag or commit, "
                                              "e.g. origin/main (in a shallow clone, fetch it first)")
