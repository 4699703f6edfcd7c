"""What a reader finds with the site search, in Chromium over HTTP: a claim by its words or its claimant, a
source by its author; not a claim by words that only its analysis or caveats hold (they are not indexed)."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import Where
from helpers import copy_project, edit, run

pytestmark = pytest.mark.browser


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory, browser) -> Where:
    project = copy_project(tmp_path_factory.mktemp("search-scope"))
    edit(project, "mkdocs.yml", "  name: material\n", "  name: material\n  font: false\n")  # no web fonts
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(project / "site")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield Where("website", f"http://127.0.0.1:{httpd.server_address[1]}/", True)
    httpd.shutdown()
    httpd.server_close()


def results(open_tab, where: Where, query: str) -> tuple[str, list[str]]:
    """The result count line and the pages listed, once the search has answered the query."""
    page = open_tab(where).page
    page.goto(where.url("index.md"))
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)
    page.wait_for_function("""() => /matching document/i.test(
        document.querySelector(".md-search-result__meta")?.textContent || "")""", timeout=15_000)
    links = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    meta = page.locator(".md-search-result__meta").inner_text().strip()
    return meta, [link.split("?")[0].split("#")[0] for link in links]


@pytest.mark.parametrize(("query", "page"), [
    ("entirely of cheese", "claims/moon-made-of-cheese/"),  # the claim's words
    ("Metropolis", "claims/moon-made-of-cheese/"),  # its claimant
    ("Lois Lane", "sources/daily-planet-moon/"),  # a source's author
])
def test_search_finds_a_claim_by_its_words_and_claimant_and_a_source_by_its_author(fixture_site, open_tab,
                                                                                   query, page):
    meta, pages = results(open_tab, fixture_site, query)
    assert fixture_site.url(page.removesuffix("/") + ".md") in pages, (meta, pages)


@pytest.mark.parametrize("query", ["newspaper interview", "telescope"])  # in the analysis; in a caveat
def test_words_found_only_below_a_claims_summary_find_nothing(fixture_site, open_tab, query):
    meta, pages = results(open_tab, fixture_site, query)
    assert meta == "No matching documents" and pages == [], (meta, pages)
