"""The output folder: built aside, swapped in whole, the same every time.

A build writes into a hidden staging folder next to the output folder
(`.site-building-<pid>-<random>` beside `site/`), on the same file system, so
that the finished site replaces the old one by renaming, never file by file. A
failed or interrupted build only ever loses its staging folder; the next build
removes staging folders whose process has died (a hard kill cannot clean up
after itself). A `Run` holds the builds of one command (every edition of a
`factdesk build`) and puts them in place together when the command ends.

Reproducibility: MkDocs stamps the sitemap and its gzip copy with the build
date unless SOURCE_DATE_EPOCH is set; Factdesk sets it from the newest date in
the data, so the same inputs give the same bytes on any day.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import tempfile
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from .model import Corpus

_LEFTOVER = re.compile(r"^\.(?P<name>.+)-(?:building|old)-(?P<pid>\d+)(?:-.*)?$")


@dataclass
class _Build:
    target: Path
    staging: Path
    done: bool = False


class Run:
    """The builds of one command: each is written aside, and at the end all of them are put in place, or none.

    A build whose output folder lies inside that of an earlier build of the run (`site/fa/` inside `site/`) is
    written into that build's staging folder, so it goes in place with it. A run is used once.
    """

    def __init__(self) -> None:
        self._builds: list[_Build] = []
        self._failed = False

    def begin(self, target: Path) -> Path:
        """A new, empty staging folder for a build of `target`."""
        for outer in reversed(self._builds):
            if target != outer.target and target.is_relative_to(outer.target):
                target = outer.staging / target.relative_to(outer.target)
                break
        build = _Build(target, begin(target))
        self._builds.append(build)
        return build.staging

    def built(self) -> None:
        """The latest build has completed."""
        self._builds[-1].done = True

    def finish(self) -> bool:
        """Put every build in place if all of them completed, else discard them all; say whether they went in."""
        try:
            if self._failed or not self._builds or not all(b.done for b in self._builds):
                return False
            while self._builds:  # the latest first: it may lie inside the staging folder of an earlier one
                finish(self._builds[-1].staging, self._builds[-1].target)
                self._builds.pop()
            return True
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove every staging folder of the run: the previous output stays as it was."""
        for build in reversed(self._builds):
            discard(build.staging)
        self._builds = []
        self._failed = True


def begin(target: Path) -> Path:
    """A new, empty staging folder for a build of `target`, after clearing what dead builds left behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(target)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-building-{os.getpid()}-", dir=target.parent))


def finish(staging: Path, target: Path) -> None:
    """Put the finished build in place of the old site. Interrupting signals wait until the swap is done."""
    masking = hasattr(signal, "pthread_sigmask")  # not on Windows
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if masking else None
    try:
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        staging.rename(target)
    finally:
        if previous is not None:  # set exactly when masking
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def clear_leftovers(target: Path) -> None:
    """Remove staging and old folders of builds that are no longer running; if a build died between the two
    renames of `finish`, put its old site back."""
    if not target.parent.is_dir():
        return
    for path in sorted(target.parent.iterdir()):
        match = _LEFTOVER.match(path.name)
        if not match or match["name"] != target.name or _running(int(match["pid"])):
            continue
        if "-old-" in path.name and not target.exists():
            path.rename(target)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a folder of ours from an earlier build in this process is stale too
    if os.name == "nt":
        return True  # os.kill(pid, 0) would interrupt the process there; leave its folders alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def source_date_epoch(corpus: Corpus) -> int | None:
    """Seconds since 1970 at midnight UTC of the newest date in the data, or None when there is no date."""
    dates = [value for record in _records(corpus) for value in _dates(record)]
    if not dates:
        return None
    newest = max(dates)
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


def _records(corpus: Corpus) -> list:
    records = [*corpus.claims, *corpus.sources]
    if corpus.timeline is not None:
        records.append(corpus.timeline)
    return records


def _dates(value) -> list[dt.date]:
    if isinstance(value, dt.date):
        return [value]
    if isinstance(value, tuple):
        return [d for item in value for d in _dates(item)]
    if is_dataclass(value):
        return [d for f in fields(value) if f.metadata.get("kind") for d in _dates(getattr(value, f.name))]
    return []
