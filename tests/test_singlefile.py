"""The single-file edition: one HTML file of the whole report, self-contained, with links made local.

Built once per module from the fixture projects' offline sites (English, and the relays fixture's Persian
edition); that it reads on a phone in Chromium is tested in tests/browser/test_singlefile_phone.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from factdesk.bundle import BundleError, OfflineSite, build_offline_site, latest_update, network_references
from factdesk.i18n import catalogue
from factdesk.load import Layout
from factdesk.localdates import long_date
from factdesk.model import Corpus
from factdesk.pipeline import check
from factdesk.singlefile import write_single_file
from helpers import NODE_MODULES, TESTS, copy_project, npm_package, run
from PIL import Image

RELAYS = TESTS / "fixtures" / "relays"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>\n'
ADDED = """
![The Moon seen from Metropolis](moon.png)

![Phases](phases.svg)

The verdict's [evidence](claims/moon-made-of-cheese.md#evidence), the [sources](sources/index.md), the
[data](exports/claims.json) and [elsewhere](https://example.org/moon). Back to [the top](#fixture-desk).
"""


@dataclass
class Made:
    project: Path
    site: OfflineSite
    corpus: Corpus
    file: Path
    size: int
    doc: Document


@dataclass
class Element:
    tag: str
    attrs: dict
    section: str | None  # the id of the <section class="sf-page"> it is in


@dataclass
class Document:
    """The file as a browser's parser sees it: its elements in order, and each page section's text."""
    elements: list[Element] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def sections(self) -> list[str]:
        return [e.attrs["id"] for e in self.elements if e.tag == "section" and "sf-page" in e.attrs.get("class", "")]

    def find(self, tag: str, **attrs) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def section(self, anchor: str) -> Element:
        (found,) = [e for e in self.find("section") if e.attrs.get("id") == anchor]
        return found


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self.stack: list[tuple[str, str | None]] = []  # open sections: (tag, page anchor)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        here = self.stack[-1][1] if self.stack else None
        if tag == "section":
            page = attrs.get("id") if "sf-page" in (attrs.get("class") or "") else here
            self.stack.append((tag, page))
            here = page
        self.doc.elements.append(Element(tag, attrs, here))

    def handle_startendtag(self, tag, attrs):
        self.doc.elements.append(Element(tag, dict(attrs), self.stack[-1][1] if self.stack else None))

    def handle_endtag(self, tag):
        if tag == "section" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            self.doc.texts[self.stack[-1][1]] = self.doc.texts.get(self.stack[-1][1], "") + data


def nav_pages(nav: list) -> list[str]:
    """The anchors of the pages a MkDocs nav names, in order."""
    found = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += nav_pages(value) if isinstance(value, list) else [value.removesuffix(".md")]
    return found


def parse(path: Path) -> Document:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.doc


def offline_site(project: Path, config: str, folder: Path, languages: tuple[str, ...] = ()) -> tuple:
    """Check the project and build its offline site, as `factdesk bundle` does."""
    npm_package("iframe-worker")
    result = check(Layout.under(project), strict=True, languages=languages)
    assert result.ok, result.problems
    return build_offline_site(project / config, result.corpus, project, folder, NODE_MODULES), result.corpus


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Made:
    project = copy_project(tmp_path_factory.mktemp("singlefile"))
    Image.new("RGB", (4, 3), (200, 180, 40)).save(project / "docs" / "moon.png")
    (project / "docs" / "phases.svg").write_text(SVG, encoding="utf-8")
    (project / "docs" / "index.md").write_text((project / "docs" / "index.md").read_text(encoding="utf-8") + ADDED,
                                               encoding="utf-8")
    site, corpus = offline_site(project, "mkdocs.yml", project / "offline")
    target = project / "out" / "edition.html"
    return Made(project, site, corpus, target, write_single_file(site, target), parse(target))


@pytest.fixture(scope="module")
def persian(tmp_path_factory) -> Made:
    project = copy_project(tmp_path_factory.mktemp("singlefile-fa"), RELAYS)
    site, corpus = offline_site(project, "mkdocs.fa.yml", project / "offline", ("fa",))
    target = project / "out" / "edition.html"
    return Made(project, site, corpus, target, write_single_file(site, target), parse(target))


@pytest.fixture(params=["english", "persian"])
def made(request) -> Made:
    return request.getfixturevalue(request.param)


def test_every_claim_is_a_section_with_its_verdict(made):
    strings = catalogue(made.site.language, made.project)
    assert made.corpus.claims
    for claim in made.corpus.claims:
        section = made.doc.section(f"claims/{claim.id}")
        assert section.attrs["data-verdict"] == claim.verdict
        assert "sf-claim" in section.attrs["class"]
        label = strings.gettext(made.corpus.scale.get(claim.verdict).label)
        assert len([e for e in made.doc.find("a") if e.section == section.attrs["id"] and "fd-badge--large" in
                    e.attrs.get("class", "") and e.attrs.get("href") == f"#ratings:{claim.verdict}"]) == 1
        assert label in made.doc.texts[section.attrs["id"]], claim.id
    assert made.size == made.file.stat().st_size


def test_the_file_holds_the_home_page_the_nav_then_the_claims_and_sources_in_the_indexes_order(english):
    sections = english.doc.sections
    nav = nav_pages(english.site.config.nav)
    assert nav[:4] == ["index", "claims/index", "sources/index", "ratings"]  # mkdocs.yml's, with the offline pages
    assert sections[:len(nav)] == nav
    rest = sections[len(nav):]
    claims = [s for s in rest if s.startswith("claims/")]
    sources = [s for s in rest if s.startswith("sources/")]
    assert rest == claims + sources + [s for s in rest if not s.startswith(("claims/", "sources/"))]
    assert sorted(claims) == sorted(f"claims/{c.id}" for c in english.corpus.claims)
    assert sorted(sources) == sorted(f"sources/{s.id}" for s in english.corpus.sources)
    index = english.site.folder.joinpath("claims", "index.html").read_text(encoding="utf-8")
    assert claims == sorted(claims, key=lambda s: index.index(f'href="{s.split("/")[1]}.html"'))
    assert not [s for s in sections if s.startswith(("tags/", "claimants/")) or s == "404"]


def test_nothing_in_the_file_loads_anything(made):
    assert network_references(made.file.parent) == []
    assert [e for e in made.doc.elements if e.tag in ("iframe", "link", "object", "embed", "audio", "video", "form")
            ] == []
    (script,) = made.doc.find("script")
    assert script.attrs == {}  # inline, and the only one: the verdict filter
    assert all(e.attrs["src"].startswith("data:") for e in made.doc.find("img"))
    text = made.file.read_text(encoding="utf-8")
    assert "application/ld+json" not in text and "@import" not in text and "@font-face" not in text


def test_every_link_inside_the_file_has_its_target_and_no_id_is_repeated(made):
    ids = Counter(e.attrs["id"] for e in made.doc.elements if "id" in e.attrs)
    assert [i for i, n in ids.items() if n > 1] == []
    hrefs = [e.attrs["href"] for e in made.doc.find("a") if e.attrs.get("href")]
    local = [h for h in hrefs if h.startswith("#")]
    assert len(local) > 20
    assert [h for h in local if unquote(h[1:]) not in ids] == []
    assert [h for h in hrefs if not h.startswith(("#", "https://", "http://", "mailto:"))] == []
    # Labels and headings that point at ids were renamed with them.
    for e in made.doc.elements:
        for name in ("for", "aria-labelledby", "aria-describedby", "aria-controls"):
            assert all(ref in ids for ref in e.attrs.get(name, "").split()), (e.tag, e.attrs)


def test_links_between_pages_become_links_to_sections_and_the_rest_go_to_the_website(english):
    home = {e.attrs["href"]: e for e in english.doc.find("a") if e.section == "index" and e.attrs.get("href")}
    assert "#claims/moon-made-of-cheese" in home
    assert "#claims/moon-made-of-cheese:evidence" in home  # a heading of another page: prefixed with its page
    assert english.doc.find("h2", id="claims/moon-made-of-cheese:evidence")
    assert "#sources/index" in home
    assert "#index:fixture-desk" in home  # a heading of the same page
    assert "https://fixture.example/exports/claims.json" in home  # not a page: the website has it
    assert "https://example.org/moon" in home


def test_images_are_embedded_as_data(english):
    images = {e.attrs["alt"]: e.attrs["src"] for e in english.doc.find("img")}
    png = images["The Moon seen from Metropolis"]
    assert png.startswith("data:image/png;base64,")
    assert base64.b64decode(png.split(",", 1)[1]) == (english.project / "docs" / "moon.png").read_bytes()
    svg = images["Phases"]
    assert svg.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(svg.split(",", 1)[1]).decode("utf-8") == SVG


def test_the_theme_and_the_sites_scripts_are_left_out_and_the_styles_are_our_own(english):
    text = english.file.read_text(encoding="utf-8")
    body = text.split("<body>")[1]
    assert "headerlink" not in body and "md-content__button" not in body and "md-header" not in body
    (style,) = re.findall(r"<style>(.*?)</style>", text, re.S)
    assert ".sf-claim { break-before: page; }" in style and "@media print" in style
    assert len(style.encode("utf-8")) < 20_000  # not Material's 100+ KB
    assert english.size < 100_000


def test_a_source_keeps_its_facts_not_the_list_of_claims_citing_it(english):
    for source in english.corpus.sources:
        anchor = f"sources/{source.id}"
        assert any(e.attrs.get("href") == source.url for e in english.doc.find("a") if e.section == anchor)
        assert "Claims that cite this source" not in english.doc.texts[anchor]
        assert source.publisher in english.doc.texts[anchor]


def test_the_header_names_the_site_the_edition_date_and_the_website(english):
    text = english.file.read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in text
    assert '<p class="sf-site">Fixture desk</p>' in text
    assert f'<p class="sf-edition">Edition of {long_date(english.site.date, "en")}</p>' in text
    assert english.site.date == dt.date(2026, 2, 3)
    assert 'The website is <a href="https://fixture.example/">https://fixture.example/</a>.' in text
    toc = [e.attrs["href"] for e in english.doc.elements if e.tag == "a" and e.section is None
           and e.attrs.get("href", "").startswith("#")]
    assert toc[:4] == ["#index", "#claims/index", "#sources/index", "#ratings"]


def test_the_persian_edition_reads_right_to_left_in_persian(persian):
    text = persian.file.read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in text
    date = long_date(persian.site.date, "fa")
    assert "۱۴۰" in date  # the Solar Hijri year, in Persian digits
    assert f'<p class="sf-edition">نسخهٔ {date}</p>' in text
    assert '<h2 id=":contents-title">فهرست مطالب</h2>' in text
    assert '<a href="https://relays.example/fa/"><bdi dir="ltr">https://relays.example/fa/</bdi></a>' in text
    assert 'aria-label="پالایش بر پایهٔ حکم"' in text
    assert persian.doc.sections[:4] == nav_pages(persian.site.config.nav)[:4] == ["index", "corrections",
                                                                                  "claims/index", "sources/index"]


def test_the_same_site_gives_the_same_bytes(english, tmp_path):
    again = tmp_path / "again.html"
    assert write_single_file(english.site, again) == english.size
    assert again.read_bytes() == english.file.read_bytes()


def test_a_file_over_the_limit_is_refused_and_nothing_is_left(english, tmp_path):
    target = tmp_path / "out" / "edition.html"
    target.parent.mkdir()
    with pytest.raises(BundleError) as caught:
        write_single_file(english.site, target, limit=10_000)
    message = str(caught.value)
    assert re.fullmatch(rf"the single-file edition is {english.size:,} bytes, over the limit of 10,000; hint: "
                        r"shorten the longest pages \(\S+\.html \([\d,]+ bytes\), .+\) or allow a higher limit",
                        message), message
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_a_missing_image_is_named_with_its_page(english, tmp_path):
    broken = OfflineSite(tmp_path / "site", english.site.config, english.site.language, english.site.date)
    shutil.copytree(english.site.folder, broken.folder)
    (broken.folder / "moon.png").unlink()
    target = tmp_path / "edition.html"
    with pytest.raises(BundleError, match=r"index\.html: the image moon\.png is not a file of the built site, so "
                                          r"the single-file edition cannot embed it; hint: save it under docs/"):
        write_single_file(broken, target)
    assert list(tmp_path.glob("*.html")) == [] and list(tmp_path.glob(".*")) == []


def test_factdesk_bundle_writes_one_html_file_per_language(tmp_path):
    npm_package("iframe-worker")
    project = copy_project(tmp_path, RELAYS)
    result = run(["factdesk", "bundle", "--format", "html", "-o", str(tmp_path / "dist"),
                  "--node-modules", str(NODE_MODULES)], cwd=project)
    assert result.returncode == 0, result.stderr
    day = latest_update(check(Layout.under(project), languages=("fa",)).corpus).isoformat()
    files = sorted(p.name for p in (tmp_path / "dist").iterdir())
    assert files == [f"relay-desk-fa-offline-{day}.html", f"relay-desk-offline-{day}.html"]
    for name, language in zip(files, ("fa", "en"), strict=True):
        doc = parse(tmp_path / "dist" / name)
        assert doc.find("html")[0].attrs["lang"] == language
        assert {"claims/council-confirmed-budget", "claims/mayor-tunnel-escape-plan"} <= set(doc.sections)
    sizes = re.findall(r"Bundled \d+ pages in [\d.]+ s: ([\d,]+) bytes in one HTML file\.", result.stdout)
    assert [int(s.replace(",", "")) for s in sizes] == [(tmp_path / "dist" / n).stat().st_size
                                                        for n in reversed(files)]
