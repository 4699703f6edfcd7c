"""What readers do, on the website over HTTP and in the unzipped bundle from disk with the network off:
search and open a claim, filter the claims index, read a claim page."""

from __future__ import annotations

import json
import re

import pytest
from conftest import CLAIM, QUERY, search

pytestmark = pytest.mark.browser

NAV_PAGES = ["index.md", "claims/index.md", "matrix.md", "timeline.md", "statistics.md", "tags/index.md",
             "claimants/index.md", "sources/index.md", "ratings.md", "data.md", "methodology.md", "corrections.md",
             "about.md"]


def claim(claims_data: dict, claim_id: str) -> dict:
    return next(c for c in claims_data["claims"] if c["id"] == claim_id)


def test_every_page_in_the_navigation_loads_without_outside_requests(where, open_tab):
    reader = open_tab(where)
    for uri in NAV_PAGES:
        response = reader.page.goto(where.url(uri))
        assert response is None or response.ok, uri  # file:// gives no response object
        assert reader.page.locator("article h1").count() == 1, uri
    # open_tab fails the test if any request left the site or any console error occurred


def test_search_finds_a_claim_and_opens_it(where, open_tab, claims_data):
    page = open_tab(where).page
    page.goto(where.url("index.md"))
    search(page, QUERY)
    meta = page.locator(".md-search-result__meta").inner_text()
    assert meta.endswith("matching documents") or meta == "1 matching document", meta
    result = page.locator(f'a.md-search-result__link[href*="claims/{CLAIM}"]').filter(visible=True).first
    result.click()
    target = where.url(f"claims/{CLAIM}.md")  # followed by ?h=<query>, which highlights the words found
    page.wait_for_url(lambda url: url.split("#")[0].split("?")[0] == target)
    # Material highlights the words found once its script has run on the new page: wait for it.
    page.locator("mark[data-md-highlight]").first.wait_for(state="attached", timeout=10_000)
    heading = page.locator("article h1").inner_text()
    assert heading.removesuffix("¶") == claim(claims_data, CLAIM)["claim"]  # ¶: the heading's permalink


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_claims_index_filters_by_verdict(where, open_tab, claims_data, viewport):
    page = open_tab(where, viewport).page
    page.goto(where.url("claims/index.md"))
    rows = page.locator("table.fd-claims tbody tr")
    status = page.locator("#fd-filter-status")
    total = len(claims_data["claims"])
    assert rows.count() == total
    assert status.inner_text() == f"{total} of {total} claims shown"
    for verdict in ("false", "misleading"):
        page.select_option("form.fd-filter select[name=verdict]", verdict)
        expected = sorted(c["id"] for c in claims_data["claims"] if c["verdict"] == verdict)
        assert 0 < len(expected) < total
        visible = rows.filter(visible=True)
        assert status.inner_text() == f"{len(expected)} of {total} claims shown"
        assert visible.count() == len(expected)
        assert {visible.nth(i).get_attribute("data-verdict") for i in range(visible.count())} == {verdict}
        links = visible.locator("td:nth-child(2) a").evaluate_all("links => links.map(a => a.href)")
        assert sorted(re.search(r"/claims/([^/.]+)", href).group(1) for href in links) == expected
    page.click("form.fd-filter button[type=reset]")
    page.wait_for_function(f"document.getElementById('fd-filter-status').textContent === '{total} of {total} claims shown'")
    assert rows.filter(visible=True).count() == total
    # On a phone each row is a card and the claim text takes the table's full width.
    table_width = page.locator("table.fd-claims").bounding_box()["width"]
    claim_width = rows.first.locator("td:nth-child(2)").bounding_box()["width"]
    if viewport == "phone":
        assert claim_width > 0.9 * table_width, (claim_width, table_width)
    else:
        assert claim_width < 0.8 * table_width, (claim_width, table_width)


def test_claim_page_shows_badge_sources_and_structured_data(where, open_tab, claims_data):
    data = claim(claims_data, CLAIM)
    rating = next(r for r in claims_data["ratings"] if r["id"] == data["verdict"])
    page = open_tab(where).page
    page.goto(where.url(f"claims/{CLAIM}.md"))
    badge = page.locator(".fd-verdict .fd-badge")
    assert badge.is_visible()
    assert badge.locator(".fd-badge__label").inner_text() == rating["label"]
    listed = page.locator("ul.fd-appearances > li")
    assert listed.count() == len(data["appearances"])
    sources = {a.get_attribute("href") for a in page.locator(".fd-appearances a, .fd-evidence a").all()}
    wanted = {x["source"] for x in data["appearances"]} | {x["source"] for x in data["evidence"]}
    suffix = "/" if where.directory_urls else ".html"
    assert {s for s in wanted if any(h.endswith(f"sources/{s}{suffix}") for h in sources)} == wanted
    scripts = page.eval_on_selector_all('script[type="application/ld+json"]', "els => els.map(e => e.textContent)")
    assert len(scripts) == 1
    review = json.loads(scripts[0])
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == data["claim"]
    assert review["reviewRating"]["alternateName"] == rating["label"]
    assert review["url"] == data["url"]  # the website's address, from the bundle as well
