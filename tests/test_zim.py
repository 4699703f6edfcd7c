"""The Kiwix edition (zim.py), read back with libzim's own reader, search and suggestions.

The fixture project's English ZIM and the relays fixture's Persian one are each built once, as
`factdesk bundle --format zim` builds them; the command itself is tested with the other editions.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from factdesk.bundle import BundleError, OfflineSite, build_offline_site, latest_update
from factdesk.load import Layout
from factdesk.model import Corpus
from factdesk.pipeline import check
from factdesk.zim import PageText, clip, illustration, searchable, unaccented, write_zim, zim_metadata
from helpers import NODE_MODULES, REPO, copy_project, npm_package
from libzim.reader import Archive
from libzim.search import Query, Searcher
from libzim.suggestion import SuggestionSearcher
from PIL import Image

RELAYS = REPO / "tests" / "fixtures" / "relays"
MISSING = "the Kiwix edition needs the libzim package: pip install 'libzim>=3.4,<4' (make bundle installs it)"


@dataclass
class Edition:
    site: OfflineSite
    corpus: Corpus
    path: Path
    archive: Archive


def make_edition(tmp: Path, config: str, name: str, source: Path | None = None) -> Edition:
    """Check and build a fixture project for reading from disk, as `factdesk bundle` does, then write its ZIM."""
    npm_package("iframe-worker")
    project = copy_project(tmp, source) if source else copy_project(tmp)
    result = check(Layout.under(project), strict=True, languages=("fa",) if source else ())
    assert result.ok, result.problems
    site = build_offline_site(project / config, result.corpus, project, tmp / "site", NODE_MODULES)
    path = tmp / "out" / f"{name}.zim"
    assert write_zim(site, path, name=name) == path.stat().st_size
    return Edition(site, result.corpus, path, Archive(path))


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Edition:
    return make_edition(tmp_path_factory.mktemp("zim-en"), "mkdocs.yml", "fixture-desk")


@pytest.fixture(scope="module")
def persian(tmp_path_factory) -> Edition:
    return make_edition(tmp_path_factory.mktemp("zim-fa"), "mkdocs.fa.yml", "relay-desk", RELAYS)


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def search(archive: Archive, query: str) -> list[str]:
    return list(Searcher(archive).search(Query().set_query(query)).getResults(0, 20))


def suggest(archive: Archive, query: str) -> list[str]:
    return list(SuggestionSearcher(archive).suggest(query).getResults(0, 20))


def test_the_main_page_is_the_home_page(english, persian):
    for edition in (english, persian):
        main = edition.archive.main_entry
        home = main.get_redirect_entry() if main.is_redirect else main
        assert home.path == "index.html"
        assert bytes(home.get_item().content) == (edition.site.folder / "index.html").read_bytes()
        assert home.title == edition.site.config.site_name


@pytest.mark.parametrize("language", ["english", "persian"])
def test_every_file_of_the_site_is_an_entry_with_its_bytes_and_type(language, request):
    edition = request.getfixturevalue(language)
    folder, archive = edition.site.folder, edition.archive
    built = files(folder)
    assert "404.html" in built and not archive.has_entry_by_path("404.html")  # the one file left out
    kept = [path for path in built if path != "404.html"]
    assert archive.entry_count == len(kept)
    types = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".png": "image/png",
             ".json": "application/json", ".txt": "text/plain;charset=utf-8"}
    for path in kept:
        item = archive.get_entry_by_path(path).get_item()
        assert bytes(item.content) == (folder / path).read_bytes(), path
        if posixpath.splitext(path)[1] in types:
            assert item.mimetype == types[posixpath.splitext(path)[1]], path
    assert {"search/search_index.js", "search/search_index.json", "README.txt", "SHA256SUMS",
            "assets/javascripts/iframe-worker/shim.js"} <= set(kept)
    # Pages are the front articles (random page, suggestions); nothing else is.
    assert archive.article_count == sum(1 for path in kept if path.endswith(".html"))


def test_every_claim_page_is_an_entry_titled_with_the_claim(english, persian):
    for claim in english.corpus.claims:
        assert english.archive.get_entry_by_path(f"claims/{claim.id}.html").title == claim.claim
    translated = persian.corpus.claim_translations["fa"]
    assert translated  # the fixture translates at least one claim
    for claim in persian.corpus.claims:
        expected = translated[claim.id].claim if claim.id in translated else claim.claim
        assert persian.archive.get_entry_by_path(f"claims/{claim.id}.html").title == expected


def test_pages_outside_the_navigation_are_titled_by_their_heading(english):
    # Material titles these pages with the site's name alone, which would give Kiwix a list of identical titles.
    assert english.archive.get_entry_by_path("timeline.html").title == "Timeline"
    assert english.archive.get_entry_by_path("tags/index.html").title == "Tags"
    assert english.archive.get_entry_by_path("sources/nasa-moon-facts.html").title == "Moon facts"


def test_metadata_comes_from_the_configuration_and_the_edition_date(english, persian):
    def metadata(edition: Edition) -> dict[str, str]:
        keys = [k for k in edition.archive.metadata_keys if not k.startswith("Illustration")]
        return {k: edition.archive.get_metadata(k).decode("utf-8") for k in keys}

    en, fa = metadata(english), metadata(persian)
    assert en["Name"] == "fixture-desk_en" and fa["Name"] == "relay-desk_fa"
    assert en["Title"] == "Fixture desk" and fa["Title"] == "میز بازنشر"
    assert en["Language"] == "eng" and fa["Language"] == "fas"
    assert en["Date"] == latest_update(english.corpus).isoformat() == "2026-02-03"  # not the day of the build
    assert fa["Date"] == latest_update(persian.corpus).isoformat()
    assert en["Creator"] == en["Publisher"] == "Fixture desk"  # no publisher_name: the site's name
    assert en["Description"] == "Fixture desk"  # no site_description either
    assert en["Source"] == "https://fixture.example/" and fa["Source"] == "https://relays.example/fa/"
    assert "_ftindex:yes" in en["Tags"].split(";")
    assert "LongDescription" not in en
    assert english.archive.has_fulltext_index and english.archive.has_title_index
    assert persian.archive.has_fulltext_index and persian.archive.has_title_index


@pytest.mark.parametrize("config, title, creator", [
    ("mkdocs.yml", "Factdesk: the Khamenei…", "Factdesk"),
    ("mkdocs.fa.yml", "فکت‌دسک: ماجرای نقشهٔ فرار…", "فکت‌دسک"),
])
def test_the_reports_long_names_fit_openzims_limits(config, title, creator):
    from mkdocs.config import load_config

    loaded = load_config(str(REPO / config))
    language = str(loaded.theme["language"])
    site = OfflineSite(REPO, loaded, language, dt.date(2026, 1, 1))  # only names and descriptions are read
    values = zim_metadata(site, f"factdesk-report-{language}", "fas" if language == "fa" else "eng")
    assert values["Name"] == f"factdesk-report_{language}"  # the language is not repeated
    assert values["Title"] == title and len(title) <= 30
    assert values["Creator"] == values["Publisher"] == creator  # the plugin's publisher_name
    description = " ".join(loaded.site_description.split())
    assert len(values["Description"]) <= 80 and len(description) > 80
    assert description.startswith(values["Description"].removesuffix("…"))
    assert values["LongDescription"] == description


def test_the_illustration_is_a_48_pixel_png_made_the_same_every_time(english):
    assert english.archive.has_illustration(48)
    image = Image.open(io.BytesIO(bytes(english.archive.get_illustration_item(48).content)))
    assert image.format == "PNG" and image.size == (48, 48)
    assert illustration() == illustration() == bytes(english.archive.get_illustration_item(48).content)
    assert image.convert("RGBA").getpixel((24, 2))[3] == 255  # drawn, not blank


def test_full_text_search_finds_a_claim_by_the_words_of_its_text(english):
    claim = english.corpus.claim("moon-made-of-cheese")
    assert "brought back from the Moon are rock" in claim.summary
    assert "claims/moon-made-of-cheese.html" in search(english.archive, "samples brought back")
    assert "claims/moon-made-of-cheese.html" in search(english.archive, "rock samples missions")
    assert search(english.archive, "zeppelin") == []


def test_full_text_search_skips_the_navigation_every_page_repeats(english):
    # "Rating scale" is in every page's navigation; only the pages whose text says it should be found.
    pages = [p for p in files(english.site.folder) if p.endswith(".html") and p != "404.html"]
    assert all("Rating scale" in (english.site.folder / p).read_text(encoding="utf-8") for p in pages)
    found = search(english.archive, "rating scale")
    assert "ratings.html" in found and len(found) < len(pages) // 4, found


@pytest.mark.parametrize("query", [
    "بودجهٔ بندر",  # as the claim writes it
    "بودجه بندر",  # without the hamza above, as most readers type it
    "تصويب",  # with the Arabic keyboard's yeh
    "صورت‌جلسه",  # a word written with a zero-width non-joiner
    "صورتجلسه",  # the same word typed without it
    "صورت جلسه",  # and with a space
])
def test_full_text_search_finds_a_persian_claim_by_persian_words(persian, query):
    translation = persian.corpus.claim_translations["fa"]["council-confirmed-budget"]
    assert "بودجهٔ بندر" in translation.claim and "تصویب" in translation.claim
    assert "صورت‌جلسه" in translation.summary
    # The whole article is indexed, so the claimant's and source's pages that quote the claim match too.
    assert "claims/council-confirmed-budget.html" in search(persian.archive, query)


def test_suggestions_find_pages_by_their_title(english, persian):
    assert "claims/moon-made-of-cheese.html" in suggest(english.archive, "moon made")[:2]
    assert "sources/nasa-moon-facts.html" in suggest(english.archive, "moon facts")
    title = persian.archive.get_entry_by_path("claims/council-confirmed-budget.html").title
    assert suggest(persian.archive, " ".join(title.split()[:3]))[0] == "claims/council-confirmed-budget.html"
    assert "claims/index.html" in suggest(persian.archive, "ادعاها")


class _References(HTMLParser):
    """The addresses of links, images, scripts and styles in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = {"a": "href", "link": "href", "img": "src", "script": "src"}.get(tag)
        if name and attrs.get(name):
            self.found.append(attrs[name])


@pytest.mark.parametrize("language", ["english", "persian"])
def test_every_internal_link_resolves_inside_the_zim(language, request):
    edition = request.getfixturevalue(language)
    archive, missing, checked = edition.archive, [], 0
    for path in files(edition.site.folder):
        if not path.endswith(".html") or path == "404.html":
            continue
        parser = _References()
        parser.feed(bytes(archive.get_entry_by_path(path).get_item().content).decode("utf-8"))
        for ref in parser.found:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or a place in the same page
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path)))
            checked += 1
            if not archive.has_entry_by_path(target):
                missing.append(f"{path}: {ref}")
    assert checked > 10 * archive.article_count  # every page links to its navigation, styles and scripts
    assert missing == []


def test_missing_libzim_gives_one_line_and_no_file(english, tmp_path, monkeypatch):
    for module in [name for name in sys.modules if name == "libzim" or name.startswith("libzim.")]:
        monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed: import fails
    target = tmp_path / "out" / "fixture-desk.zim"
    with pytest.raises(BundleError) as raised:
        write_zim(english.site, target, name="fixture-desk")
    assert str(raised.value) == MISSING
    assert not target.exists() and not target.parent.exists()


def test_a_failure_while_writing_leaves_the_previous_file_and_nothing_else(english, tmp_path, capfd):
    import shutil

    folder = tmp_path / "site"
    shutil.copytree(english.site.folder, folder)
    (folder / "tags" / "moon.html").write_bytes(b"<title>\xff</title>")  # not UTF-8: the writer stops there
    out = tmp_path / "out"
    out.mkdir()
    (out / "fixture-desk.zim").write_bytes(b"the last good edition")
    site = OfflineSite(folder, english.site.config, english.site.language, english.site.date)
    with pytest.raises(BundleError) as raised:
        write_zim(site, out / "fixture-desk.zim", name="fixture-desk")
    assert str(raised.value).startswith("tags/moon.html: not UTF-8 text (byte 7);")
    assert [p.name for p in out.iterdir()] == ["fixture-desk.zim"]
    assert (out / "fixture-desk.zim").read_bytes() == b"the last good edition"
    assert capfd.readouterr().out == ""  # libzim's progress notes are not the command's output


def test_an_unknown_language_is_named_with_its_configuration(english, tmp_path):
    site = OfflineSite(english.site.folder, english.site.config, "xx", english.site.date)
    with pytest.raises(BundleError, match=r"mkdocs\.yml: theme\.language 'xx' has no ISO 639-3 code"):
        write_zim(site, tmp_path / "x.zim", name="x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text, limit, expected", [
    ("Fixture desk", 30, "Fixture desk"),
    ("Factdesk: the Khamenei escape-plan story", 30, "Factdesk: the Khamenei…"),  # words end at spaces
    ("Factdesk: the Khamenei escape-plan story", 22, "Factdesk: the…"),  # no colon left before the ellipsis
    ("فکت‌دسک: ماجرای نقشهٔ فرار خامنه‌ای", 30, "فکت‌دسک: ماجرای نقشهٔ فرار…"),
    ("نقشهٔ‌فرار‌خامنه‌ای", 7, "نقشهٔ…"),  # one long word: cut inside it, with no joiner left before the "…"
    ("نقشهٔ‌فرار‌خامنه‌ای", 5, "نقش…"),  # never between a letter and its mark
])
def test_clip_cuts_at_a_word_boundary(text, limit, expected):
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit


def test_index_text_is_compared_as_libzim_compares_queries():
    assert unaccented("Élan رأی بودجهٔ") == "elan رای بودجه"
    words = searchable("صورت‌جلسهٔ شورای ۱۴۰۴").split()
    assert words[:3] == ["صورت\u200cجلسه", "شورای", "۱۴۰۴"]  # the text itself first, unaccented
    assert {"صورت", "جلسه", "شوراي", "1404"} <= set(words)
    assert searchable("The Moon is made of rock.") == "the moon is made of rock."


def test_page_text_is_the_whole_article_without_navigation_or_scripts():
    page = PageText.of(
        "<html><head><title>Moon - Desk</title><script>var x = 1;</script></head><body>"
        "<header>Desk header</header><nav><a href='a.html'>Rating scale</a></nav>"
        "<article><h1 id='m'>The <em>Moon</em><a class='headerlink' href='#m'>¶</a></h1>"
        "<p>Rock<br>samples, <strong>returned</strong>.</p><ul data-search-exclude><li>Other claim</li></ul>"
        "<svg><title>Chart tooltip</title></svg></article><footer>Licence</footer></body></html>")
    assert page.title == "Moon - Desk" and page.heading == "The Moon"
    assert page.text == "The Moon Rock samples, returned. Other claim Chart tooltip"
