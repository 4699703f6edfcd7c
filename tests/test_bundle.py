"""The offline bundle through `factdesk bundle`: its name, contents and bytes, and clear failures.

That the bundle works in a browser from disk is tested in tests/browser/.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from factdesk.bundle import network_references, offline_overrides
from helpers import REPO, copy_project, npm_package, run
from test_cli_and_build import BROKEN_MESSAGE, break_claim

NODE_MODULES = REPO / "node_modules"
NAME = "fixture-desk-offline-2026-02-03"  # the newest `updated` date among the fixture's claims


def bundle(project: Path, out: Path, *extra: str):
    return run(["factdesk", "bundle", "-o", str(out), *extra], cwd=project)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    npm_package("iframe-worker")
    project = copy_project(tmp_path_factory.mktemp("bundle"))
    out = project / "out"
    result = bundle(project, out, "--node-modules", str(NODE_MODULES))
    assert result.returncode == 0, result.stderr
    return project, out, result


def entries(path: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as archive:
        return archive.infolist()


def read(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"{NAME}/{name}").decode("utf-8")


def test_bundle_is_named_after_the_site_and_the_latest_update(bundled):
    _, out, result = bundled
    assert [p.name for p in out.iterdir()] == [f"{NAME}.zip"]  # nothing else left behind
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Bundled 20 pages in \d+\.\d s: [\d,]+ bytes zipped, [\d,]+ unzipped\.", lines[0]), lines
    assert lines[1] == f"Bundle: {out / (NAME + '.zip')}"
    zipped = int(lines[0].split(": ")[1].split(" bytes")[0].replace(",", ""))
    assert zipped == (out / f"{NAME}.zip").stat().st_size
    unzipped = int(lines[0].split("zipped, ")[1].split(" ")[0].replace(",", ""))
    assert unzipped == sum(i.file_size for i in entries(out / f"{NAME}.zip"))


def test_bundle_holds_the_offline_site_readme_data_and_checksums(bundled):
    _, out, _ = bundled
    names = [i.filename for i in entries(out / f"{NAME}.zip")]
    assert names == sorted(names)
    assert all(n.startswith(NAME + "/") for n in names)
    files = {n[len(NAME) + 1:] for n in names}
    assert {"index.html", "README.txt", "claims.json", "SHA256SUMS", "claims/index.html",
            "claims/moon-distance.html", "sources/daily-planet-moon.html", "ratings.html",
            "search/search_index.js", "assets/javascripts/iframe-worker/shim.js",
            "assets/javascripts/iframe-worker/LICENSE"} <= files
    assert not files & {"sitemap.xml", "sitemap.xml.gz"}
    shim = (NODE_MODULES / "iframe-worker" / "shim" / "index.js").read_text(encoding="utf-8")
    assert read(out / f"{NAME}.zip", "assets/javascripts/iframe-worker/shim.js") == shim
    home = read(out / f"{NAME}.zip", "index.html")
    assert '<script src="assets/javascripts/iframe-worker/shim.js"></script>' in home
    assert home.index("iframe-worker/shim.js") < home.index("assets/javascripts/bundle.")
    assert 'href="claims/index.html"' in home
    for name in (n for n in files if n.endswith(".html")):
        page = read(out / f"{NAME}.zip", name)
        assert "fonts.googleapis" not in page and "unpkg.com" not in page, name
    readme = read(out / f"{NAME}.zip", "README.txt")
    assert readme.startswith("Fixture desk\nOffline copy, up to date as of 3 February 2026\n")
    assert "one page for each of the 2 claims" in readme
    assert "    sha256sum -c path/to/SHA256SUMS\n" in readme


def test_bundle_data_gives_the_websites_addresses(bundled, tmp_path):
    project, out, _ = bundled
    site = tmp_path / "site"
    assert run(["factdesk", "build", "-d", str(site)], cwd=project).returncode == 0
    website = (site / "exports" / "claims.json").read_text(encoding="utf-8")
    assert read(out / f"{NAME}.zip", "claims.json") == website
    assert read(out / f"{NAME}.zip", "exports/claims.json") == website
    urls = [c["url"] for c in json.loads(website)["claims"]]
    assert urls == ["https://fixture.example/claims/moon-distance/", "https://fixture.example/claims/moon-made-of-cheese/"]
    page = read(out / f"{NAME}.zip", "claims/moon-distance.html")
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert review["url"] == "https://fixture.example/claims/moon-distance/"


def test_snapshot_checksums_verify_with_sha256sum(bundled, tmp_path):
    project, out, _ = bundled
    project = copy_project(tmp_path, project)  # this test changes a snapshot
    snapshot = project / "claims" / "sources" / "daily-planet-moon.txt"
    sums = read(out / f"{NAME}.zip", "SHA256SUMS")
    assert sums == f"{hashlib.sha256(snapshot.read_bytes()).hexdigest()}  claims/sources/daily-planet-moon.txt\n"
    if shutil.which("sha256sum"):
        (project / "SHA256SUMS").write_text(sums, encoding="utf-8")
        checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=project, capture_output=True, text=True)
        assert checked.stdout == "claims/sources/daily-planet-moon.txt: OK\n"
        snapshot.write_text(snapshot.read_text(encoding="utf-8") + "changed\n", encoding="utf-8")
        checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=project, capture_output=True, text=True)
        assert checked.returncode == 1


def test_same_data_gives_a_byte_identical_bundle(bundled, tmp_path):
    project, out, _ = bundled
    again = bundle(project, tmp_path / "again", "--node-modules", str(NODE_MODULES))
    assert again.returncode == 0, again.stderr
    first, second = out / f"{NAME}.zip", tmp_path / "again" / f"{NAME}.zip"
    assert first.read_bytes() == second.read_bytes()
    assert {i.date_time for i in entries(first)} == {(2026, 2, 3, 0, 0, 0)}


def test_missing_npm_packages_give_one_clear_line(tmp_path):
    project = copy_project(tmp_path)
    result = bundle(project, project / "dist")
    shim = project / "node_modules" / "iframe-worker" / "shim" / "index.js"
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: the search-worker polyfill {shim} is missing; run `npm ci` (or `make bundle`) first",
        "No bundle was made."]
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "dist").exists() or list((project / "dist").iterdir()) == []


def test_bad_data_makes_no_bundle(tmp_path):
    project = copy_project(tmp_path)
    break_claim(project)
    result = bundle(project, project / "dist", "--node-modules", str(NODE_MODULES))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [BROKEN_MESSAGE, "1 error, 0 warnings.", "No bundle was made."]
    assert not (project / "dist").exists()


def test_a_failed_build_keeps_the_previous_bundle_and_leaves_no_partial_files(bundled, tmp_path):
    project, out, _ = bundled
    broken = copy_project(tmp_path, project)
    before = (out / f"{NAME}.zip").read_bytes()
    (broken / "docs" / "index.md").write_text("# Home\n\n[missing](nowhere.md)\n", encoding="utf-8")
    result = bundle(broken, out, "--node-modules", str(NODE_MODULES))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "No bundle was made."
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == [f"{NAME}.zip"]
    assert (out / f"{NAME}.zip").read_bytes() == before


def test_a_page_loading_files_from_the_network_makes_no_bundle(tmp_path):
    project = copy_project(tmp_path)
    (project / "docs" / "index.md").write_text('# Home\n\n<img src="https://cdn.example/logo.png" alt="Logo">\n',
                                               encoding="utf-8")
    result = bundle(project, project / "dist", "--node-modules", str(NODE_MODULES))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: 1 reference(s) in the pages would load files from the network, which the offline bundle must not "
        "do: index.html: https://cdn.example/logo.png. Hint: save such files under docs/ and link to them with a "
        "relative path",
        "No bundle was made."]
    assert list((project / "dist").iterdir()) == []


# -- units ---------------------------------------------------------------------------------------

def test_network_references_finds_what_a_browser_would_fetch(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.html").write_text(
        '<link rel="stylesheet" href="https://fonts.example/css"><link rel="canonical" href="https://x.example/">'
        '<script src="//cdn.example/x.js"></script><script src="../local.js"></script>'
        '<a href="https://outside.example/">fine: only on click</a><img src="HTTP://img.example/a.png">',
        encoding="utf-8")
    assert network_references(tmp_path) == [("a/page.html", "https://fonts.example/css"),
                                            ("a/page.html", "//cdn.example/x.js"),
                                            ("a/page.html", "HTTP://img.example/a.png")]


def test_offline_overrides_keep_the_projects_settings(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\ntheme: material\nplugins:\n  - search\n  - factdesk\n"
                      "extra:\n  polyfills: [a.js]\n  other: 1\n", encoding="utf-8")
    assert offline_overrides(config) == {
        "use_directory_urls": False,
        "theme": {"name": "material", "font": False},
        "plugins": [{"search": {}}, {"factdesk": {"public_directory_urls": True}}, {"material/offline": {}}],
        "extra": {"polyfills": ["a.js", "assets/javascripts/iframe-worker/shim.js"], "other": 1},
    }
    config.write_text("site_name: X\nuse_directory_urls: false\ntheme: {name: material, font: {text: Inter}}\n"
                      "plugins:\n  factdesk: {claims: data}\n  offline: {}\n", encoding="utf-8")
    assert offline_overrides(config) == {
        "use_directory_urls": False,
        "theme": {"name": "material", "font": False},
        "plugins": [{"factdesk": {"claims": "data", "public_directory_urls": False}}, {"offline": {}}],
        "extra": {"polyfills": ["assets/javascripts/iframe-worker/shim.js"]},
    }
