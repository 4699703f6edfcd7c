"""The Persian edition in Chromium: right to left at both widths, accessible, reachable from the same page in
English and back, and searchable in Persian (letter forms typed on an Arabic keyboard included) over HTTP and
from its own offline bundle with the network off."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from conftest import MEASUREMENTS, SCREENSHOTS, Where
from test_accessibility import describe, violations
from test_search_fa import type_like_a_reader

pytestmark = pytest.mark.browser

PAGES = {"home": "index.md", "claims": "claims/index.md", "claim": "claims/assad-fled-to-russia.md",
         "source": "sources/reuters-uol-assad-last-hours.md", "ratings": "ratings.md", "statistics": "statistics.md",
         "matrix": "matrix.md"}
# Queries a Persian reader types, with the word each must find on a claim page: Arabic letter forms (ك ي)
# for کرملین, and a space where Persian writes a zero-width non-joiner (خامنه‌ای).
QUERIES = {"arabic-letter-forms": ("كرملين", "کرملین"), "space-for-zwnj": ("خامنه ای", "خامنه\u200cای")}


@pytest.fixture
def persian(server) -> Where:
    return Where("website", server + "fa/", True)


@pytest.fixture
def persian_bundle(edition_bundle_dirs) -> Where:
    return Where("bundle", edition_bundle_dirs["fa"].as_uri() + "/", False)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_persian_page_reads_right_to_left_with_no_serious_accessibility_violations(name, viewport, persian, open_tab):
    page = open_tab(persian, viewport).page
    page.goto(persian.url(PAGES[name]))
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "fa"
    assert page.evaluate("document.body.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"fa-{name}-{viewport}.png"), full_page=True)
    found = violations(page)
    assert found == [], f"fa/{PAGES[name]} at {viewport} width:\n{describe(found)}"


def test_the_language_switcher_leads_to_the_same_page_both_ways(server, open_tab):
    english = Where("website", server, True)
    page = open_tab(english).page
    page.goto(english.url(PAGES["claim"]))
    page.locator(".md-select__link[hreflang=fa]").first.dispatch_event("click")
    page.wait_for_url("**/fa/claims/assad-fled-to-russia/")
    assert page.evaluate("document.documentElement.lang") == "fa"
    page.locator(".md-select__link[hreflang=en]").first.dispatch_event("click")
    page.wait_for_url(english.url(PAGES["claim"]))
    assert page.evaluate("document.documentElement.lang") == "en"


def search(page, query: str) -> list[str]:
    """The addresses of the results a query typed key by key gives."""
    page.locator("input.md-search__input").click()
    type_like_a_reader(page, query)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")


def pages_with(site_exports, word: str) -> set[str]:
    """The claim ids whose Persian text holds the word."""
    data = json.loads(site_exports.read_text(encoding="utf-8"))
    return {c["id"] for c in data["claims"] if word in json.dumps(c, ensure_ascii=False)}


@pytest.mark.parametrize("case", QUERIES)
@pytest.mark.parametrize("place", ["website", "bundle"])
def test_persian_search_finds_the_claims(case, place, persian, persian_bundle, website, open_tab):
    where = persian if place == "website" else persian_bundle
    query, word = QUERIES[case]
    expected = pages_with(website / "fa" / "exports" / "claims.json", word)
    assert expected, f"no Persian claim holds {word!r}"
    page = open_tab(where).page
    page.goto(where.url("index.md"))
    found = search(page, query)
    paths = [urlsplit(href).path.rstrip("/") for href in found]
    claims = {path.split("/")[-1].removesuffix(".html") for path in paths if "/claims/" in path}
    MEASUREMENTS[f"Persian search, {place}, {query!r}: claim pages among the results"] = len(claims)
    assert claims & expected, f"{query!r} found {found[:5]}, none of {sorted(expected)[:5]}"
