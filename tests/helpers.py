"""Shared helpers for tests: paths and a runner for the real `factdesk` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURE_PROJECT = TESTS / "fixtures" / "project"
REPO = TESTS.parent
NODE_MODULES = REPO / "node_modules"


def npm_package(name: str) -> Path:
    """The folder of an npm package the tests need. Missing, it skips the test, or fails it where CI asks for
    every test to run (FACTDESK_REQUIRE_BROWSER=1, set by .ci/run)."""
    folder = NODE_MODULES / name
    if not folder.is_dir():
        message = f"the npm package {name} is missing from node_modules/: run `npm ci` (make test does)"
        if os.environ.get("FACTDESK_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return folder


def copy_project(tmp_path: Path, source: Path = FIXTURE_PROJECT) -> Path:
    """A throwaway copy of a project, safe to break."""
    target = tmp_path / "project"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".*-building-*"))
    return target


def run(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run a console script installed next to this Python (factdesk, mkdocs)."""
    exe = Path(sys.executable).parent / args[0]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(exe), *args[1:]], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def edit(project: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` in one of a project's files; fails when the text is not there."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def matches_golden(text: str, golden: Path) -> bool:
    """Whether a rendered page equals its golden file; with FACTDESK_UPDATE_GOLDEN=1 the file is rewritten first
    (then review the diff)."""
    if os.environ.get("FACTDESK_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    return text == golden.read_text(encoding="utf-8")
