"""End to end, through the entry points users touch: `factdesk check|build` and `mkdocs build`."""

from __future__ import annotations

import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
from helpers import copy_project, run


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def break_claim(project: Path) -> None:
    path = project / "claims" / "moon-made-of-cheese.yaml"
    path.write_text(path.read_text().replace('verdict: "false"', "verdict: fals"))


BROKEN_MESSAGE = ("claims/moon-made-of-cheese.yaml:6:10: verdict: expected a rating from the scale (true, mostly-true, "
                  "mixed, misleading, mostly-false, false, unproven), found 'fals' Hint: did you mean 'false'?")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def internal_links(site: Path, page: Path) -> list[Path]:
    """Files that a built page's relative links point to."""
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    base = "file://" + page.as_posix()
    out = []
    for href in parser.hrefs:
        if href.startswith(("http:", "https:", "mailto:", "#", "/")):  # "/": 404.html, rooted at site_url
            continue
        target = Path(urldefrag(urljoin(base, href))[0][len("file://"):])
        out.append(target / "index.html" if target.is_dir() or href.endswith("/") else target)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("built"))
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Site: " in result.stdout
    return project


# -- factdesk check -----------------------------------------------------------------------------

def test_check_passes_on_a_clean_project(tmp_path):
    result = run(["factdesk", "check", "--strict"], cwd=copy_project(tmp_path))
    assert result.returncode == 0
    assert result.stdout.startswith("Checked 2 claims and 2 sources in ")


def test_check_reports_file_line_field_and_hint_without_traceback(tmp_path):
    project = copy_project(tmp_path)
    break_claim(project)
    result = run(["factdesk", "check"], cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [BROKEN_MESSAGE, "1 error, 0 warnings."]
    assert "Traceback" not in result.stderr + result.stdout


def test_check_works_from_another_folder_with_config_file(tmp_path):
    project = copy_project(tmp_path)
    result = run(["factdesk", "check", "-f", str(project / "mkdocs.yml")], cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_orphan_source_is_a_warning_and_an_error_with_strict(tmp_path):
    project = copy_project(tmp_path)
    (project / "claims" / "sources" / "unused.yaml").write_text(
        (project / "claims" / "sources" / "nasa-moon-facts.yaml").read_text().replace("nasa-moon-facts", "unused"))
    relaxed = run(["factdesk", "check"], cwd=project)
    strict = run(["factdesk", "check", "--strict"], cwd=project)
    assert relaxed.returncode == 0 and "1 warning" in relaxed.stdout
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[0] == ("claims/sources/unused.yaml:2:5: id: source 'unused' is cited by no claim "
                                             "Hint: cite it in a claim's appearances or evidence, or delete the file")


@pytest.mark.parametrize("args, message", [
    (["check", "--no-such-option"], "No such option"),
    (["check", "-f", "missing/mkdocs.yml"], "no project configuration at"),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    result = run(["factdesk", *args], cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr


def test_check_outside_a_project_is_a_usage_error(tmp_path):
    result = run(["factdesk", "check"], cwd=tmp_path)
    assert result.returncode == 2
    assert "run inside a project folder or pass --config-file" in result.stderr


# -- factdesk build -----------------------------------------------------------------------------

def test_build_writes_a_page_per_claim_and_source_and_the_indexes(built):
    site = built / "site"
    for page in ["index.html", "claims/index.html", "claims/moon-made-of-cheese/index.html",
                 "claims/moon-distance/index.html", "sources/index.html", "sources/daily-planet-moon/index.html",
                 "sources/nasa-moon-facts/index.html", "ratings/index.html", "assets/factdesk.css"]:
        assert (site / page).is_file(), page


def test_generated_pages_link_to_each_other_and_every_link_resolves(built):
    site = built / "site"
    claim = site / "claims/moon-made-of-cheese/index.html"
    targets = internal_links(site, claim)
    assert site / "sources/daily-planet-moon/index.html" in targets
    assert site / "sources/nasa-moon-facts/index.html" in targets
    assert site / "claims/moon-distance/index.html" in targets
    assert site / "ratings/index.html" in targets
    assert site / "claims/moon-made-of-cheese/index.html" in internal_links(site, site / "claims/index.html")
    assert claim in internal_links(site, site / "sources/daily-planet-moon/index.html")
    for page in site.rglob("*.html"):
        for target in internal_links(site, page):
            assert target.exists(), f"{page.relative_to(site)} links to missing {target}"


def test_site_search_indexes_claim_text(built):
    index = json.loads((built / "site/search/search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"] if "entirely of cheese" in doc["title"] + doc["text"]]
    assert "claims/moon-made-of-cheese/" in locations


def test_generated_pages_are_kept_out_of_the_navigation(built):
    html = (built / "site/index.html").read_text(encoding="utf-8")
    assert 'href="claims/"' in html  # the index is in the nav
    assert "moon-made-of-cheese" not in html.split('<div class="md-content"')[0]


def test_failed_build_leaves_the_previous_site_untouched(tmp_path):
    project = copy_project(tmp_path)
    assert run(["factdesk", "build"], cwd=project).returncode == 0
    before = tree_digest(project / "site")
    break_claim(project)
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 1
    assert BROKEN_MESSAGE in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_plain_mkdocs_build_runs_the_checks_and_keeps_the_old_site(tmp_path):
    project = copy_project(tmp_path)
    ok = run(["mkdocs", "build", "--strict"], cwd=project)
    assert ok.returncode == 0, ok.stderr
    before = tree_digest(project / "site")
    break_claim(project)
    failed = run(["mkdocs", "build", "--strict"], cwd=project)
    assert failed.returncode == 1
    assert BROKEN_MESSAGE in failed.stderr
    assert tree_digest(project / "site") == before


def test_repository_site_builds(tmp_path):
    """The repository's own claims pass the strict checks and build."""
    from helpers import REPO
    project = tmp_path / "repo"
    import shutil
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(".venv", "site", "dist", ".git", "tests", "*.egg-info"))
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr + result.stdout
    site = project / "site"
    from factdesk.structured import missing_properties
    from test_reader_features import Page
    claims = sorted(p for p in (project / "claims").glob("*.yaml") if "." not in p.stem)  # not translations
    assert len(claims) >= 30
    for claim in claims:
        built = Page((site / "claims" / claim.stem / "index.html").read_text(encoding="utf-8"))
        [review] = built.json_ld()
        assert missing_properties(review) == [], claim.stem
        assert built.meta["og:url"] == review["url"]
    data = json.loads((site / "exports/claims.json").read_text(encoding="utf-8"))
    assert len(data["claims"]) == len(claims)
    assert len(json.loads((site / "exports/claimreview.json").read_text(encoding="utf-8"))) == len(claims)
    for page in ("matrix", "timeline", "statistics", "tags", "claimants", "data", "ratings", "sources"):
        assert (site / page / "index.html").is_file(), page
    matrix = (site / "matrix/index.html").read_text(encoding="utf-8")
    for article in ("washington-examiner-few-options-for-asylum", "4ever-news-one-foot-out-the-door",
                    "albawaba-feiler-escape-scenario", "newsy-today-khamenei-escape-plan",
                    "aajtak-could-khamenei-flee-to-russia"):
        assert f"../sources/{article}/" in matrix
