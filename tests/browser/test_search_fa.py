"""Persian search in Chromium: a reader typing on an Arabic keyboard layout, with a space for a ZWNJ, or with
Arabic-Indic digits finds the Persian page, on the website (HTTP) and from disk with Material's offline plugin.

The site is a throwaway MkDocs project with `language: fa`, Material's search and search-fa.js. On the website
fold_search_index runs on the built site, as a last step; offline it runs from a hook at the priority the plugin
is to use (-50, between the search and offline plugins), so the index script the offline plugin writes is
folded too. A control site built without the folding shows that Material alone misses these queries.
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import Where
from factdesk.bundle import SHIM, SHIM_URI
from factdesk.searchfold import SCRIPT_URI, fold, fold_search_index, search_script
from helpers import NODE_MODULES, run

pytestmark = pytest.mark.browser

PAGE = "escape"  # the page every query must find
PAGE_TEXT = ("# برنامهٔ فرار به مسکو\n\n"
             "گزارش‌ها می‌گویند رهبر «می‌خواهد» در سال ۱۴۰۳ به کرملین برود؛ این ادعا نادرست است.\n")
HOME_TEXT = "# خانه\n\nاین سایت فقط برای آزمودن جستجو ساخته شده است.\n"
NONE = "سندی یافت نشد"  # Material's Persian "no matching documents"
QUERIES = {
    "Arabic letter forms": "كرملين",  # Arabic kaf and yeh, as an Arabic keyboard layout types کرملین
    "a space for the ZWNJ": "می خواهد",  # the page has می‌خواهد
    "Arabic-Indic digits": "١٤٠٣",  # the page has Persian digits, ۱۴۰۳
    "ASCII digits": "1403",
}
HOOK = '''\
from pathlib import Path

from mkdocs.plugins import event_priority

from factdesk.searchfold import fold_search_index


@event_priority(-50)  # after the search plugin (0) writes the index, before the offline plugin (-100) copies it
def on_post_build(config, **kwargs):
    fold_search_index(Path(config.site_dir) / "search" / "search_index.json")
'''


def make_site(root: Path, *, offline: bool, folded: bool) -> Path:
    """Write and build a tiny Persian MkDocs project under root; returns its site folder."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(HOME_TEXT, encoding="utf-8")
    (docs / f"{PAGE}.md").write_text(PAGE_TEXT, encoding="utf-8")
    lines = ["site_name: جستجوی فارسی", "theme:", "  name: material", "  language: fa", "  font: false",
             "  features: [search.highlight, search.suggest]",  # as mkdocs.fa.yml has them
             "plugins:", "  - search"]  # Material's own separator, so that the ZWNJ query tests ours
    if offline:
        lines.append("  - offline")
        shim = docs / SHIM_URI
        shim.parent.mkdir(parents=True)
        shutil.copyfile(NODE_MODULES / SHIM, shim)
        lines += ["extra:", "  polyfills:", f"    - {SHIM_URI}"]
    if folded:
        (docs / SCRIPT_URI).parent.mkdir(parents=True, exist_ok=True)
        (docs / SCRIPT_URI).write_text(search_script(), encoding="utf-8")
        lines += ["extra_javascript:", f"  - {SCRIPT_URI}"]
        if offline:
            (root / "fold_hook.py").write_text(HOOK, encoding="utf-8")
            lines += ["hooks:", "  - fold_hook.py"]
    (root / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["mkdocs", "build", "--strict"], cwd=root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    if folded and not offline:
        fold_search_index(site / "search" / "search_index.json")
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory, browser):
    """The website, the offline site and the unfolded control, each built once."""
    base = tmp_path_factory.mktemp("search-fa")
    return {"website": make_site(base / "website", offline=False, folded=True),
            "offline": make_site(base / "offline", offline=True, folded=True),
            "unfolded": make_site(base / "unfolded", offline=False, folded=False)}


@pytest.fixture(scope="module")
def serve():
    """Serves a folder over HTTP on a free local port (one server per folder); returns its address."""
    servers: dict[Path, ThreadingHTTPServer] = {}

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    def start(directory: Path) -> str:
        if directory not in servers:
            httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            servers[directory] = httpd
        return f"http://127.0.0.1:{servers[directory].server_address[1]}/"

    yield start
    for httpd in servers.values():
        httpd.shutdown()
        httpd.server_close()


def where(name: str, sites, serve) -> Where:
    if name == "offline":
        return Where("bundle", sites["offline"].as_uri() + "/", False)
    return Where("website", serve(sites[name]), True)


def type_like_a_reader(page, text: str) -> None:
    """Types text key by key as a keyboard with that layout does: keydown, input and keyup for every character.

    Playwright's keyboard.type sends only an input event for characters that are not on a US keyboard, and
    Material reads the query on keyup; a Persian or Arabic layout sends key events like any other.
    """
    cdp = page.context.new_cdp_session(page)
    for char in text:
        cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": char, "text": char, "unmodifiedText": char})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": char})
        page.wait_for_timeout(20)
    cdp.detach()


def search_for(page, query: str) -> None:
    """Opens the search, types the query and waits until the results have stopped changing."""
    page.locator("input.md-search__input").click()
    type_like_a_reader(page, query)
    page.wait_for_function("""(none) => {
        const meta = document.querySelector(".md-search-result__meta");
        const text = meta ? meta.textContent : "";
        return /[0-9۰-۹]/.test(text) || text.includes(none);
    }""", arg=NONE, timeout=15_000)
    page.evaluate("""() => new Promise(resolve => {
        const list = document.querySelector(".md-search-result");
        let timer = setTimeout(done, 400);
        const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 400); });
        function done() { observer.disconnect(); resolve(); }
        observer.observe(list, {childList: true, subtree: true, characterData: true});
    })""")


@pytest.mark.parametrize("name", ["website", "offline"])
@pytest.mark.parametrize("case", list(QUERIES))
def test_persian_query_variants_find_the_page(name, case, sites, serve, open_tab):
    place = where(name, sites, serve)
    page = open_tab(place).page
    page.goto(place.url("index.md"))
    query = QUERIES[case]
    search_for(page, query)
    article = page.locator(f'a.md-search-result__link[href*="{PAGE}"] article').first
    assert article.is_visible(), f"{case}: {query!r} did not find the page ({name})"
    assert article.locator(".md-search-result__terms").count() == 0, (
        f"{case}: Material reports words of {query!r} missing from the page: "
        f"{article.locator('.md-search-result__terms').inner_text()}")
    # The box keeps what the reader typed; Material reads the folded query.
    typed, read = page.evaluate("""() => {
        const input = document.querySelector("[data-md-component=search-query]");
        const own = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");
        return [own.get.call(input), input.value];
    }""")
    assert typed == query
    assert fold(read) == fold(query)


@pytest.mark.parametrize("name", ["website", "offline"])
def test_the_result_opens_the_page_with_the_word_highlighted(name, sites, serve, open_tab):
    """search.highlight marks the folded query on the page: کرملین, though the reader typed كرملين."""
    place = where(name, sites, serve)
    page = open_tab(place).page
    page.goto(place.url("index.md"))
    search_for(page, QUERIES["Arabic letter forms"])
    page.locator(f'a.md-search-result__link[href*="{PAGE}"]').first.click()
    page.wait_for_url(lambda url: url.split("?")[0] == place.url(f"{PAGE}.md"))
    assert page.locator("mark[data-md-highlight]").first.inner_text() == "کرملین"


def test_offline_index_script_is_folded(sites):
    """The offline plugin's search_index.js was written after the fold: it holds the folded index."""
    script = (sites["offline"] / "search" / "search_index.js").read_text(encoding="utf-8")
    index = (sites["offline"] / "search" / "search_index.json").read_text(encoding="utf-8")
    assert script == f"var __index = {index}"
    assert "\\u06f1\\u06f4\\u06f0\\u06f3" not in script and "1403" in script  # ۱۴۰۳ became 1403
    assert "\\\\u200c" in script  # the separator splits at ZWNJ


def test_without_folding_material_alone_misses_them(sites, serve, open_tab):
    """The control, which makes the tests above real: on the same site built without the folding, the page is
    found when typed as it is written, but not with Arabic letter forms or digits, and a space for its ZWNJ
    leaves a word missing."""
    place = where("unfolded", sites, serve)
    page = open_tab(place).page
    page.goto(place.url("index.md"))
    result = page.locator(f'a.md-search-result__link[href*="{PAGE}"] article').first
    search_for(page, "کرملین")
    assert result.is_visible()
    for case in ("Arabic letter forms", "Arabic-Indic digits"):
        page.locator("input.md-search__input").fill("")
        search_for(page, QUERIES[case])
        assert page.locator(".md-search-result__meta").inner_text().strip() == NONE, case
    page.locator("input.md-search__input").fill("")
    search_for(page, QUERIES["a space for the ZWNJ"])
    assert "خواهد" in result.locator(".md-search-result__terms").inner_text()
