"""Reader features, read back from a real build: structured data, exports, matrix, timeline, charts, metadata."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from factdesk.exports import safe_cell
from factdesk.structured import missing_properties
from helpers import copy_project, run


class Page(HTMLParser):
    """Collects the parts of a built page the tests look at."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.rows: list[dict] = []
        self.elements: list[tuple[str, dict]] = []
        self._script: dict | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script, self._text = attrs, []
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content", "")
        elif tag == "a":
            self.links.append(attrs)
        elif tag == "tr" and "data-verdict" in attrs:
            self.rows.append(attrs)

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def json_ld(self) -> list[dict]:
        return [json.loads(text) for attrs, text in self.scripts if attrs.get("type") == "application/ld+json"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("reader"))
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text().replace("  name: material\n", "  name: material\n  features: [content.action.edit]\n") + "repo_url: https://github.com/example/desk\n"
                                                   "edit_uri: edit/main/docs/\n")
    (project / "events.yaml").write_text("events:\n  - date: 2026-01-07\n    title: Astronomers reply.\n"
                                         "    sources: [nasa-moon-facts]\n")
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def page(site: Path, path: str) -> Page:
    return Page((site / path).read_text(encoding="utf-8"))


def test_claim_page_carries_a_complete_claimreview(site):
    [review] = page(site, "claims/moon-made-of-cheese/index.html").json_ld()
    assert missing_properties(review) == []
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "The Moon is made entirely of cheese."
    assert review["url"] == "https://fixture.example/claims/moon-made-of-cheese/"
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "False", "name": "False",
                                      "ratingValue": 1, "bestRating": 6, "worstRating": 1}
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Bob Smith, a Metropolis resident"}
    assert review["itemReviewed"]["firstAppearance"]["url"] == "https://dailyplanet.example/moon-cheese"
    assert review["author"]["name"] == "Fixture desk"


def test_build_fails_when_structured_data_would_be_incomplete(tmp_path):
    project = copy_project(tmp_path)
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text().replace("site_url: https://fixture.example/\n", ""))
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 1
    assert ("claims/moon-made-of-cheese.yaml:1:1: structured data: ClaimReview is missing the required property "
            "'url' Hint: set site_url in mkdocs.yml") in result.stderr
    assert not (project / "site").exists()


def test_claim_page_first_screen_and_social_metadata(site):
    claim = page(site, "claims/moon-made-of-cheese/index.html")
    assert claim.meta["og:title"] == "The Moon is made entirely of cheese."
    assert claim.meta["og:description"].startswith("False: Samples brought back")
    assert claim.meta["og:url"] == "https://fixture.example/claims/moon-made-of-cheese/"
    assert claim.meta["twitter:card"] == "summary"
    assert claim.meta["factdesk:verdict"] == "False"
    badge = next(a for a in claim.links if "fd-badge--large" in a.get("class", ""))
    assert badge["href"] == "../../ratings/#false"
    canonical = [attrs for tag, attrs in claim.elements if tag == "link" and attrs.get("rel") == "canonical"]
    assert canonical[0]["href"] == "https://fixture.example/claims/moon-made-of-cheese/"


def test_edit_link_opens_the_claim_yaml(site):
    claim = page(site, "claims/moon-made-of-cheese/index.html")
    edits = [a["href"] for a in claim.links if "md-content__button" in a.get("class", "")]
    assert edits == ["https://github.com/example/desk/edit/main/claims/moon-made-of-cheese.yaml"]


def test_claims_index_rows_carry_filter_data_and_list_everything_without_script(site):
    index = page(site, "claims/index.html")
    assert sorted((r["data-verdict"], r["data-tags"], r["data-sources"], r["data-date"]) for r in index.rows) == [
        ("false", "moon food", "daily-planet-moon", "2026-01-06"),
        ("mostly-true", "moon", "daily-planet-moon", "2026-01-06")]
    form = next(attrs for tag, attrs in index.elements if tag == "form" and "fd-filter" in attrs.get("class", ""))
    assert "hidden" in form  # shown by the script; without it the full table stays
    names = {attrs.get("name") for tag, attrs in index.elements if tag in ("select", "input")}
    assert {"verdict", "tag", "source", "from", "to", "sort"} <= names
    scripts = [attrs.get("src", "") for attrs, _ in index.scripts]
    assert any(src.endswith("assets/factdesk.js") for src in scripts)
    assert not any(src.endswith(".json") for src in scripts)


def test_matrix_and_scorecards(site):
    html = (site / "matrix/index.html").read_text(encoding="utf-8")
    matrix = page(site, "matrix/index.html")
    assert {a["href"] for a in matrix.links if a.get("href", "").startswith("../sources/")} == \
        {"../sources/", "../sources/daily-planet-moon/"}
    assert html.count('class="fd-badge"') == 2
    source = (site / "sources/daily-planet-moon/index.html").read_text(encoding="utf-8")
    assert "Verdicts of the 2 claims made in this source" in source


def test_timeline_is_in_date_order_and_includes_events(site):
    html = (site / "timeline/index.html").read_text(encoding="utf-8")
    times = [attrs["datetime"] for tag, attrs in Page(html).elements if tag == "time"]
    assert times == sorted(times)
    assert "Astronomers reply." in html


def test_search_indexes_each_claim_once_not_the_lists_that_repeat_it(site):
    """Lists of other pages (indexes, tag and claimant pages, matrix, related claims) stay out of the search index,
    so that a search for a claim finds its page, and the index grows with the text, not with the cross-links."""
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    text = {}
    for doc in docs:
        page_location = doc["location"].split("#")[0]
        text[page_location] = text.get(page_location, "") + " " + doc["title"] + " " + doc["text"]
    holding = sorted(location for location, words in text.items() if "made entirely of cheese" in words.lower())
    # The claim's own page, and the source page whose title quotes it ("Moon \"Made Entirely of Cheese\""); not
    # moon-distance, which cites that source below the part of a claim page that is indexed (see searchscope.py).
    assert holding == ["claims/moon-made-of-cheese/", "sources/daily-planet-moon/"]
    assert "Astronomers reply." in text["timeline/"]
    assert "384,400" not in text["timeline/"] + text["claims/"] + text["tags/moon/"] + text["matrix/"]


def test_statistics_charts_are_svg_with_a_table(site):
    html = (site / "statistics/index.html").read_text(encoding="utf-8")
    assert "<script" not in html.split('<div class="md-content"')[1].split("</article>")[0]
    svg_start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="fd-chart"')
    svg = ET.fromstring(html[svg_start: html.index("</svg>", svg_start) + len("</svg>")])
    assert svg.get("role") == "img" and "False: 1" in svg.get("aria-label")
    assert len(svg.findall("{http://www.w3.org/2000/svg}rect")) == 7


def test_exports_parse_with_standard_libraries(site):
    data = json.loads((site / "exports/claims.json").read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("factdesk-claims", 1)
    assert [c["id"] for c in data["claims"]] == ["moon-distance", "moon-made-of-cheese"]
    assert data["claims"][1]["appearances"][0]["quote"] == "the Moon is made entirely of cheese"
    assert {s["id"] for s in data["sources"]} == {"daily-planet-moon", "nasa-moon-facts"}
    rows = list(csv.DictReader(io.StringIO((site / "exports/claims.csv").read_text(encoding="utf-8"))))
    assert [(r["id"], r["verdict_label"]) for r in rows] == [("moon-distance", "Mostly true"),
                                                              ("moon-made-of-cheese", "False")]
    feed = json.loads((site / "exports/claimreview.json").read_text(encoding="utf-8"))
    assert [missing_properties(r) for r in feed] == [[], []]
    atom = ET.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:id", namespaces=ns) for e in atom.findall("a:entry", ns)] == [
        "https://fixture.example/claims/moon-made-of-cheese/", "https://fixture.example/claims/moon-distance/"]


@pytest.mark.parametrize("cell, expected", [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"),
                                            ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("plain", "plain")])
def test_csv_cells_cannot_run_as_formulas(cell, expected):
    assert safe_cell(cell) == expected


def test_text_cannot_close_the_json_ld_script(tmp_path):
    project = copy_project(tmp_path)
    claim = project / "claims" / "moon-made-of-cheese.yaml"
    claim.write_text(claim.read_text().replace("claim: The Moon is made entirely of cheese.",
                                               'claim: "Cheese </script><script>alert(1)</script> moon"'))
    assert run(["factdesk", "build"], cwd=project).returncode == 0
    built = Page((project / "site/claims/moon-made-of-cheese/index.html").read_text(encoding="utf-8"))
    assert [text for attrs, text in built.scripts if "alert(1)" in text and attrs.get("type") != "application/ld+json"] == []
    assert "<script>" not in (project / "site/claims/moon-made-of-cheese/index.html").read_text().split("<title>")[1].split("</title>")[0]
    assert built.json_ld()[0]["claimReviewed"] == "Cheese </script><script>alert(1)</script> moon"


def test_print_stylesheet_is_linked_and_hides_the_site_chrome(site):
    claim = page(site, "claims/moon-made-of-cheese/index.html")
    sheets = [attrs["href"] for tag, attrs in claim.elements if tag == "link" and attrs.get("rel") == "stylesheet"]
    assert "../../assets/factdesk.css" in sheets
    css = (site / "assets/factdesk.css").read_text(encoding="utf-8")
    print_rules = css.split("@media print", 1)[1]
    assert ".md-header" in print_rules and ".md-sidebar" in print_rules and "display: none" in print_rules
