"""Rendering: golden pages, links, escaping and sanitising."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from factdesk.load import Layout
from factdesk.pipeline import check
from factdesk.render import SiteOptions, contrast_ratio, markdown_html, markdown_text, render_site, text_colour
from factdesk.urls import page_url, relative_url
from helpers import FIXTURE_PROJECT

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FACTDESK_UPDATE_GOLDEN") == "1"
TODAY = dt.date(2026, 11, 22)
OPTIONS = SiteOptions(use_directory_urls=True, site_url="https://fixture.example/", site_name="Fixture desk",
                      publisher_name="Fixture desk", publisher_url="https://fixture.example/")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    result = check(Layout.under(FIXTURE_PROJECT), today=TODAY, strict=True)
    assert result.problems == []
    return render_site(result.corpus, OPTIONS)


@pytest.mark.parametrize("uri", ["claims/moon-made-of-cheese.md", "claims/moon-distance.md", "claims/index.md",
                                 "sources/daily-planet-moon.md", "sources/nasa-moon-facts.md", "sources/index.md",
                                 "ratings.md", "matrix.md", "timeline.md", "statistics.md", "data.md",
                                 "tags/moon.md", "claimants/index.md"])
def test_page_matches_golden_file(pages, uri):
    """Refresh with: FACTDESK_UPDATE_GOLDEN=1 make test, then review the diff."""
    golden = GOLDEN / uri
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[uri], encoding="utf-8")
    assert golden.exists(), f"no golden file for {uri}; run with FACTDESK_UPDATE_GOLDEN=1"
    assert pages[uri] == golden.read_text(encoding="utf-8")


def test_every_claim_and_source_gets_a_page(pages):
    assert sorted(pages) == [
        "assets/factdesk.css", "assets/factdesk.js", "claimants/bob-smith-a-metropolis-resident.md",
        "claimants/index.md", "claimants/the-daily-planet.md", "claims/index.md", "claims/moon-distance.md",
        "claims/moon-made-of-cheese.md", "corrections.xml", "data.md", "exports/claimreview.json", "exports/claims.csv",
        "exports/claims.json", "feed.xml", "matrix.md", "ratings.md", "schemas/claim-translation.schema.json",
        "schemas/claim.schema.json", "schemas/events.schema.json", "schemas/ratings.schema.json",
        "schemas/source-translation.schema.json", "schemas/source.schema.json",
        "sources/daily-planet-moon.md",
        "sources/index.md", "sources/nasa-moon-facts.md", "statistics.md", "tags/food.md", "tags/index.md",
        "tags/moon.md", "timeline.md"]


@pytest.mark.parametrize("src, dst, dir_urls, expected", [
    ("claims/a.md", "sources/b.md", True, "../../sources/b/"),
    ("claims/a.md", "claims/b.md", True, "../b/"),
    ("claims/a.md", "ratings.md", True, "../../ratings/"),
    ("claims/index.md", "claims/a.md", True, "a/"),
    ("ratings.md", "ratings.md", True, "./"),
    ("claims/a.md", "index.md", True, "../../"),
    ("claims/a.md", "sources/b.md", False, "../sources/b.html"),
    ("claims/index.md", "claims/a.md", False, "a.html"),
    ("claims/a.md", "ratings.md", False, "../ratings.html"),
    ("claims/a.md", "assets/factdesk.css", True, "../../assets/factdesk.css"),
])
def test_relative_urls(src, dst, dir_urls, expected):
    assert relative_url(src, dst, dir_urls) == expected


def test_page_urls_follow_mkdocs_rules():
    assert page_url("claims/index.md", True) == "claims/"
    assert page_url("claims/index.md", False) == "claims/index.html"
    assert page_url("index.md", True) == ""
    assert page_url("claims/x.md", False) == "claims/x.html"


def test_markdown_fields_lose_raw_html_scripts_and_unsafe_links():
    html = str(markdown_html('Hi <script>alert(1)</script> <img src=x onerror=alert(2)> '
                             '[a](javascript:alert(3)) [b](https://ok.example/) *em*'))
    assert "<script" not in html and "onerror" not in html and "<img" not in html
    assert "javascript:" not in html
    assert '<a href="https://ok.example/" rel="noopener noreferrer nofollow">b</a>' in html
    assert "<em>em</em>" in html


def test_plain_text_is_escaped_for_markdown_headings():
    assert markdown_text("A *bold* <b>claim</b> [x](y)") == \
        r"A \*bold\* &lt;b&gt;claim&lt;/b&gt; \[x\]\(y\)"


def test_badge_text_colour_meets_wcag_aa_on_every_rating():
    result = check(Layout.under(FIXTURE_PROJECT), today=TODAY)
    for rating in result.corpus.scale.ratings:
        assert contrast_ratio(rating.colour, text_colour(rating.colour)) >= 4.5, rating.id


def test_a_generated_path_outside_the_docs_tree_stops_the_render():
    """Ids are checked on loading; should one slip through, nothing is written outside the site folder."""
    import dataclasses

    from factdesk.render import RenderError

    corpus = check(Layout.under(FIXTURE_PROJECT), today=TODAY, strict=True).corpus
    corpus = dataclasses.replace(corpus, claims=[  # a new Corpus, so its id indexes are built afresh
        dataclasses.replace(c, id="../../escaped" if c.id == "moon-distance" else c.id, related=())
        for c in corpus.claims])
    with pytest.raises(RenderError) as caught:
        render_site(corpus, OPTIONS)
    assert [p.format() for p in caught.value.problems] == [
        "claims/../../escaped.md:1:1: generated file would be written outside the site folder "
        "Hint: use ids of lower-case letters, digits and hyphens"]


def test_a_tag_or_claimant_named_index_does_not_replace_the_lists():
    import dataclasses

    corpus = check(Layout.under(FIXTURE_PROJECT), today=TODAY, strict=True).corpus
    corpus = dataclasses.replace(corpus, claims=[dataclasses.replace(c, tags=("index",), claimant="Index")
                                                 for c in corpus.claims])
    pages = render_site(corpus, OPTIONS)
    assert "tags/index-tag.md" in pages and "claimants/index-claimant.md" in pages
    assert "Tag: index" in pages["tags/index-tag.md"]
    assert 'href="../../tags/index-tag/"' in pages["claims/moon-distance.md"]
    assert 'href="../../claimants/index-claimant/"' in pages["claims/moon-distance.md"]
    assert 'href="index-tag/"' in pages["tags/index.md"]
    assert 'href="index-claimant/"' in pages["claimants/index.md"]
