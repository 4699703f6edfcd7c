"""What changed since a git ref: the files to report on, and verdicts that changed without a word.

A verdict never changes silently: when a claim's verdict differs from the one at the ref, its
`history` must have gained an entry saying from what to what and why.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .load import Layout
from .model import Corpus
from .problems import Problem
from .yamlstrict import parse_yaml


class GitError(Exception):
    """The project is not in a git repository, or the ref is unknown; the message says which."""


@dataclass(frozen=True)
class Baseline:
    """The project as it was at a git ref."""

    ref: str
    commit: str
    top: Path  # the repository's top folder
    layout: Layout
    changed: frozenset[str]  # paths relative to the project folder, changed or added since the ref

    def old_bytes(self, rel: str) -> bytes | None:
        """A project file's content at the ref, or None if it did not exist there."""
        repo_path = (self.layout.root / rel).relative_to(self.top).as_posix()
        result = _git(self.top, "cat-file", "blob", f"{self.commit}:{repo_path}", check=False)
        return result.stdout if result.returncode == 0 else None


def baseline(layout: Layout, ref: str) -> Baseline:
    """The files changed since `ref` (committed, staged, unstaged or untracked); GitError if git cannot say."""
    probe = _git(layout.root, "rev-parse", "--show-toplevel", check=False)
    if probe.returncode != 0:
        raise GitError(f"{layout.root} is not in a git repository, so --changed-since cannot compare with '{ref}'")
    top = Path(probe.stdout.decode().strip()).resolve()
    resolved = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if ref.startswith("-") or resolved.returncode != 0:
        raise GitError(f"unknown git ref '{ref}'; give a branch, tag or commit, e.g. origin/main "
                       "(in a shallow clone, fetch it first)")
    commit = resolved.stdout.decode().strip()
    diff = _git(top, "diff", "--name-only", "--no-renames", "-z", commit, "--").stdout
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z").stdout
    names = {n for n in (diff + untracked).decode("utf-8", "surrogateescape").split("\0") if n}
    changed = frozenset(layout.rel(top / name) for name in names)
    return Baseline(ref, commit, top, layout, changed)


def silent_verdict_changes(corpus: Corpus, base: Baseline) -> Iterator[Problem]:
    """Each changed claim whose verdict differs from the ref's and whose history gained no entry."""
    for claim in corpus.claims:
        if claim.origin.path not in base.changed:
            continue
        old = _old_claim(base, claim.origin.path)
        if old is None:
            continue
        old_verdict, old_entries = old
        if old_verdict is not None and old_verdict != claim.verdict and len(claim.history) <= old_entries:
            line, col = claim.origin.at("verdict")
            yield Problem(claim.origin.path, line, col, "verdict",
                          f"verdict changed from '{old_verdict}' (at {base.ref}) to '{claim.verdict}' "
                          "without a new history entry",
                          f"add a history entry saying it changed from '{old_verdict}' to '{claim.verdict}' "
                          "and why, and set updated to its date")


def _old_claim(base: Baseline, rel: str) -> tuple[str | None, int] | None:
    """The verdict and number of history entries of a claim file at the ref, read leniently."""
    data = base.old_bytes(rel)
    if data is None:
        return None
    root, _ = parse_yaml(data, rel)
    if root is None:
        return None
    verdict = root.get("verdict")
    history = root.get("history")
    return (verdict.text if verdict is not None and verdict.kind == "scalar" else None,
            len(history.items) if history is not None and history.kind == "seq" else 0)


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise GitError("git is not installed; --changed-since needs it") from None
    if check and result.returncode != 0:
        raise GitError(f"git {args[0]} failed: {result.stderr.decode(errors='replace').strip()}")
    return result


