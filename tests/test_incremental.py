"""`factdesk build` with what earlier builds left in the memo (.factdesk-cache/) writes what a cold build writes.

After each edit, addition and deletion the project is built twice: once on the memo of the builds before, once
cold (memo deleted), and the two site folders must be the same file for file, byte for byte. The memo must also
have done its work: an edit adds entries only for what depends on the edited claim.
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

import pytest
from factdesk.memo import FOLDER, Memo
from helpers import REPO, TESTS, copy_project, edit, run


def build(project: Path, site: Path, *, cold: bool = False) -> None:
    if cold:
        shutil.rmtree(project / FOLDER, ignore_errors=True)
    result = run(["factdesk", "build", "-d", str(site)], project)
    assert result.returncode == 0, result.stdout + result.stderr


def differences(a: Path, b: Path) -> list[str]:
    """The files (relative paths) that are in one folder only, or differ in content."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    return sorted((files_a ^ files_b) | {f for f in files_a & files_b if (a / f).read_bytes() != (b / f).read_bytes()})


def entries(project: Path, namespace: str) -> set[tuple[str, bytes]]:
    return set(Memo(project / FOLDER).entries(namespace).items())


def incremental_equals_cold(project: Path, tmp: Path, name: str) -> tuple[set, set]:
    """Build on the memo, then cold; the sites must be equal. Returns the page and HTML entries the first wrote
    (new ones, and slots whose value it replaced)."""
    pages, html = entries(project, "page"), entries(project, "html")
    build(project, tmp / f"{name}-incremental")
    added = entries(project, "page") - pages, entries(project, "html") - html
    build(project, tmp / f"{name}-cold", cold=True)
    assert differences(tmp / f"{name}-incremental", tmp / f"{name}-cold") == []
    return added


@pytest.fixture(scope="module")
def relays(tmp_path_factory):
    """The English and Persian fixture, built once so that its memo is full."""
    tmp = tmp_path_factory.mktemp("incremental")
    project = copy_project(tmp, TESTS / "fixtures" / "relays")
    build(project, tmp / "first", cold=True)
    return project, tmp


def test_an_edited_claim_is_rebuilt_alone_and_the_site_is_as_cold(relays):
    project, tmp = relays
    total = len(entries(project, "page"))
    edit(project, "claims/mayor-tunnel-escape-plan.yaml", "summary: ", "summary: Checked again. ")
    pages, html = incremental_equals_cold(project, tmp, "edit")
    assert 0 < len(pages) < total and 0 < len(html)  # two claims: most pages mention the edited one


def test_an_added_and_a_deleted_claim_give_the_site_a_cold_build_gives(relays):
    project, tmp = relays
    original = (project / "claims" / "mayor-tunnel-escape-plan.yaml").read_text(encoding="utf-8")
    added = project / "claims" / "mayor-tunnel-second-plan.yaml"
    added.write_text(original.replace("id: mayor-tunnel-escape-plan", "id: mayor-tunnel-second-plan", 1)
                     .replace("summary: ", "summary: A second look. ", 1), encoding="utf-8")
    assert "id: mayor-tunnel-second-plan" in added.read_text(encoding="utf-8")
    incremental_equals_cold(project, tmp, "added")
    assert (tmp / "added-incremental" / "claims" / "mayor-tunnel-second-plan").is_dir()
    added.unlink()
    incremental_equals_cold(project, tmp, "deleted")
    assert not (tmp / "deleted-incremental" / "claims" / "mayor-tunnel-second-plan").exists()


def test_a_larger_project_after_a_one_claim_edit(tmp_path):
    generate = runpy.run_path(str(REPO / "bench" / "corpus.py"))["generate"]  # the benchmark's generator
    project = tmp_path / "project"
    generate(project, 150)
    build(project, tmp_path / "first", cold=True)
    total = len(entries(project, "page"))
    claim = sorted((project / "claims").glob("*.yaml"))[40]
    edit(project, f"claims/{claim.name}", "summary: ", "summary: Checked again. ")
    pages, html = incremental_equals_cold(project, tmp_path, "edit")
    assert 0 < len(pages) < total / 10 and 0 < len(html) < total / 10
