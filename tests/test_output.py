"""Nothing lost, nothing stray, nothing random: the output folder through `factdesk build` and `mkdocs build`.

A failed or interrupted build leaves the previous site byte for byte; a staging folder left by a hard kill
is removed by the next build; a build writes nothing outside its output folder; two builds of the same
inputs are identical, on any day.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factdesk import output
from helpers import copy_project, run

BUILDS = {"factdesk": ["factdesk", "build"], "mkdocs": ["mkdocs", "build", "--strict"]}
NEWEST_DATA_DATE = "2026-02-03"  # the fixture's latest date: moon-made-of-cheese was updated then


def digest(folder: Path, skip=lambda rel: False) -> dict[str, str]:
    """Every file and folder under `folder`, with the hash of each file's bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if skip(rel):
            continue
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
    return out


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if re.match(r"\.site-(building|old)-", p.name))


@pytest.fixture
def built(tmp_path) -> Path:
    """A project with a good site already built."""
    project = copy_project(tmp_path)
    result = run(BUILDS["factdesk"], cwd=project)
    assert result.returncode == 0, result.stderr
    return project


# -- failures after the build has started -------------------------------------------------------------

def conflicting_page(project: Path) -> str:
    """A hand-written page where a generated one goes: the plugin stops after MkDocs emptied site_dir."""
    (project / "docs/claims").mkdir()
    (project / "docs/claims/moon-distance.md").write_text("# Moon distance\n")
    return "docs/claims/moon-distance.md is written by factdesk from the claim data"


def broken_theme_template(project: Path) -> str:
    """A theme override with a template error: the build stops while pages are being written."""
    (project / "overrides").mkdir()
    (project / "overrides/main.html").write_text('{% extends "base.html" %}\n{% block content %}'
                                                 "{{ page.no_such_thing.attribute }}{% endblock %}\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    return "no_such_thing"


def warning_in_strict_mode(project: Path) -> str:
    """A broken link in a hand-written page: a strict build fails after every file has been written."""
    (project / "docs/index.md").write_text("# Home\n\nSee [the missing page](missing.md).\n")
    return "missing.md"


@pytest.mark.parametrize("entry", BUILDS)
@pytest.mark.parametrize("failure", [conflicting_page, broken_theme_template, warning_in_strict_mode])
def test_failed_build_leaves_the_previous_site_byte_identical(built, entry, failure):
    before = digest(built / "site")
    said = failure(built)
    result = run(BUILDS[entry], cwd=built)
    assert result.returncode == 1, result.stdout + result.stderr
    assert said in result.stdout + result.stderr
    assert digest(built / "site") == before
    assert leftovers(built) == []
    if entry == "factdesk":
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1] == (f"Build failed; the previous site in {built / 'site'} "
                                                  "was left untouched.")


def test_factdesk_build_reports_a_template_error_in_one_line(built):
    broken_theme_template(built)
    result = run(BUILDS["factdesk"], cwd=built)
    assert result.stderr.splitlines()[-2:] == [
        "template error: 'mkdocs.structure.pages.Page object' has no attribute 'no_such_thing'",
        f"Build failed; the previous site in {built / 'site'} was left untouched."]


# -- interrupted builds ---------------------------------------------------------------------------------

def slow_project(project: Path) -> None:
    """A hundred more claims and no build cache, so a build takes long enough to be interrupted part-way."""
    shutil.rmtree(project / ".factdesk-cache", ignore_errors=True)
    text = (project / "claims/moon-distance.yaml").read_text()
    for i in range(100):
        (project / f"claims/moon-distance-{i}.yaml").write_text(text.replace("id: moon-distance", f"id: moon-distance-{i}"))


def start_and_interrupt(project: Path, args: list[str], sig: int) -> subprocess.CompletedProcess:
    """Start a build, wait until it is writing into its staging folder, then send `sig`."""
    exe = Path(sys.executable).parent / args[0]
    proc = subprocess.Popen([str(exe), *args[1:]], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    deadline = time.monotonic() + 120
    while not list(project.glob(".site-building-*/assets")):
        assert proc.poll() is None, "the build ended before it could be interrupted: " + proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


# Plain mkdocs dies at once on SIGTERM, like on a hard kill: see the next test.
@pytest.mark.parametrize("entry, sig", [("factdesk", signal.SIGINT), ("factdesk", signal.SIGTERM),
                                        ("mkdocs", signal.SIGINT)], ids=["factdesk-SIGINT", "factdesk-SIGTERM",
                                                                         "mkdocs-SIGINT"])
def test_interrupted_build_keeps_the_previous_site_and_cleans_up(built, entry, sig):
    slow_project(built)
    before = digest(built / "site")
    result = start_and_interrupt(built, BUILDS[entry], sig)
    assert result.returncode != 0
    assert digest(built / "site") == before
    assert leftovers(built) == []
    if entry == "factdesk":
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1] == "Aborted!"


@pytest.mark.parametrize("entry", BUILDS)
def test_staging_folder_of_a_killed_build_is_removed_by_the_next_build(built, entry):
    slow_project(built)
    before = digest(built / "site")
    result = start_and_interrupt(built, BUILDS[entry], signal.SIGKILL)
    assert result.returncode == -signal.SIGKILL
    assert digest(built / "site") == before
    [stale] = leftovers(built)
    assert stale.startswith(".site-building-")
    again = run(BUILDS[entry], cwd=built)
    assert again.returncode == 0, again.stderr
    assert leftovers(built) == []
    assert (built / "site/claims/moon-distance-29/index.html").is_file()


def test_an_old_site_left_between_the_two_renames_is_put_back(tmp_path):
    """A build killed after moving the old site aside but before moving the new one in."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    old = tmp_path / f".site-old-{pid}"
    old.mkdir()
    (old / "index.html").write_text("the last good site")
    staging = tmp_path / f".site-building-{pid}-abc"
    staging.mkdir()
    output.clear_leftovers(tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (tmp_path / "site/index.html").read_text() == "the last good site"


def test_folders_of_running_builds_are_left_alone(tmp_path):
    live = tmp_path / f".site-building-{os.getppid()}-abc"  # the parent process is alive
    live.mkdir()
    other = tmp_path / ".notes-building-1-abc"  # not a build of this site
    other.mkdir()
    output.clear_leftovers(tmp_path / "site")
    assert live.is_dir() and other.is_dir()


# -- nothing written elsewhere --------------------------------------------------------------------------

def outside_site(rel: str) -> bool:
    """Whether a path is the build's own: the site, its staging folder, or the memo (see memo.py)."""
    return rel in ("project/site", "project/.factdesk-cache") or rel.startswith(
        ("project/site/", "project/.site-building-", "project/.factdesk-cache/"))


@pytest.mark.parametrize("entry", BUILDS)
def test_a_build_writes_nothing_outside_its_output_folder(tmp_path, entry):
    project = copy_project(tmp_path)
    before = digest(tmp_path, skip=outside_site)
    result = run(BUILDS[entry], cwd=project)
    assert result.returncode == 0, result.stderr
    assert digest(tmp_path, skip=outside_site) == before
    assert (project / "site/index.html").is_file()


@pytest.mark.parametrize("entry", BUILDS)
def test_ids_that_climb_out_of_the_folder_write_nothing(tmp_path, entry):
    project = copy_project(tmp_path)
    claim = project / "claims/moon-made-of-cheese.yaml"
    claim.write_text(claim.read_text().replace("id: moon-made-of-cheese", "id: ../../../escaped"))
    before = digest(tmp_path, skip=outside_site)
    result = run(BUILDS[entry], cwd=project)
    assert result.returncode == 1
    assert "id: expected an id of lower-case letters" in result.stderr
    assert digest(tmp_path, skip=outside_site) == before
    assert not (project / "site").exists()


# -- determinism ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> dict[str, list[Path]]:
    """The fixture built twice through each entry point, from copies in different folders."""
    sites = {}
    for entry, args in BUILDS.items():
        sites[entry] = []
        for copy in ("first", "second"):
            project = copy_project(tmp_path_factory.mktemp(f"{entry}-{copy}"))
            env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
            exe = Path(sys.executable).parent / args[0]
            result = subprocess.run([str(exe), *args[1:]], cwd=project, capture_output=True, text=True,
                                    env={**env, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
            assert result.returncode == 0, result.stderr
            sites[entry].append(project / "site")
    return sites


@pytest.mark.parametrize("entry", BUILDS)
def test_two_builds_are_byte_identical(two_builds, entry):
    first, second = two_builds[entry]
    files = digest(first)
    assert "sitemap.xml.gz" in files and "search/search_index.json" in files and "feed.xml" in files
    assert files == digest(second)


def test_both_entry_points_build_the_same_site(two_builds):
    assert digest(two_builds["factdesk"][0]) == digest(two_builds["mkdocs"][0])


def test_build_date_comes_from_the_data(two_builds):
    site = two_builds["factdesk"][0]
    lastmods = set(re.findall(r"<lastmod>([^<]*)</lastmod>", (site / "sitemap.xml").read_text()))
    assert lastmods == {NEWEST_DATA_DATE}
    with gzip.open(site / "sitemap.xml.gz") as unzipped:
        assert unzipped.read() == (site / "sitemap.xml").read_bytes()
    mtime = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")  # RFC 1952 MTIME field
    assert dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat() == NEWEST_DATA_DATE


def test_a_build_date_set_by_the_user_wins(tmp_path):
    project = copy_project(tmp_path)
    epoch = int(dt.datetime(2026, 3, 1, tzinfo=dt.UTC).timestamp())
    exe = Path(sys.executable).parent / "factdesk"
    result = subprocess.run([str(exe), "build"], cwd=project, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", (project / "site/sitemap.xml").read_text())) == {"2026-03-01"}


def test_source_date_epoch_is_midnight_of_the_newest_date():
    from factdesk.load import Layout
    from factdesk.pipeline import check
    from helpers import FIXTURE_PROJECT

    corpus = check(Layout.under(FIXTURE_PROJECT), today=dt.date(2026, 11, 22)).corpus
    assert output.source_date_epoch(corpus) == int(dt.datetime(2026, 2, 3, tzinfo=dt.UTC).timestamp())
