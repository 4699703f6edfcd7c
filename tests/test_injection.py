"""Hostile text: a claim, a source, a rating and an event stuffed with script payloads, built for real.

Every built page is parsed: no payload may survive as an element, an attribute, a script or a link with
a dangerous scheme; it must appear only as text. The exports must parse and carry the payload as data,
with spreadsheet formulas defused. The project uses the same Markdown extensions as the repository's
own site (attr_list and md_in_html widen what Markdown can do).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import copy_project, run

# Every payload calls alert() with a marker, so any that runs, or survives as markup, can be found.
CLAIM = {
    "claim": '=HYPERLINK("https://evil.example","xss") <script>alert("xss-claim")</script> '
             '</script><script>alert("xss-claim2")</script> [x](javascript:alert("xss-claim3")) {{ 7*7 }}',
    "claimant": '@SUM(1) <img src=x onerror=alert("xss-claimant")> "><svg onload=alert("xss-claimant2")>',
    "summary": '+1 <b onmouseover=alert("xss-summary")>bold</b> </script><script>alert("xss-summary2")</script>'
               ' {% raw %}\n\n[after a blank line](javascript:alert("xss-summary3"))\n\n'
               '<a href="javascript:alert(\'xss-summary4\')">raw link</a> {: onclick="alert(\'xss-summary5\')" }',
    "what_changed": '<iframe src="javascript:alert(\'xss-changed\')"></iframe>\n\n<b onclick=alert("xss-changed2")>',
    "caveat": '-1+2 <object data="javascript:alert(\'xss-caveat\')"></object> '
              '[c](vbscript:msgbox("xss-caveat2"))',
    "quote": '<script>alert("xss-quote")</script>',
    "appearance_note": '"><img src=x onerror=alert("xss-note")>',
    "evidence_quote": "</blockquote><script>alert('xss-evidence')</script>",
    "evidence_note": '<a href="data:text/html,<script>alert(1)</script>">xss-evidence2</a>',
    "change": '<form action="javascript:alert(\'xss-change\')"><button>go</button></form>',
    "reviewer": '<svg onload=alert("xss-reviewer")> =cmd',
    "single_origin_reason": '</p><script>alert("xss-reason")</script>',
}
ANALYSIS = """\
<script>alert("xss-a1")</script>
<img src=x onerror=alert("xss-a2")>

[js](javascript:alert("xss-a3")) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox("xss-a4"))
[fine](https://example.org/ok) and [in-site](../../ratings/)

<a href="javascript:alert('xss-a5')">raw</a> <a href="JaVaScRiPt:alert('xss-a6')">mixed case</a>

<iframe src="https://evil.example/"></iframe><style>body { display: none }</style>

![img](javascript:alert("xss-a7")) <javascript:alert("xss-a8")>

A paragraph with attributes.
{: onclick="alert('xss-a9')" }

<div markdown="1" onclick="alert('xss-a10')">**inside md_in_html**</div>

</script><svg onload=alert("xss-a11")></svg> {{ 7*7 }} {% raw %}
"""
SOURCE = {
    "title": '<script>alert("xss-title")</script> </script> "><svg onload=alert("xss-title2")>',
    "publisher": '=1+1 <img src=x onerror=alert("xss-publisher")>',
    "author": "<b onclick=alert('xss-author')>Lois</b>",
    "date_note": "<script>alert('xss-date-note')</script>",
    "note": "[n](javascript:alert('xss-source-note')) <iframe></iframe>",
    "language": "<i>en</i>",
    "url": 'https://evil.example/"><script>alert("xss-url")</script>',
    "archive_url": "https://evil.example/?a='onmouseover='alert(1)",
}
LABEL = '<img src=x onerror=alert("xss-label")>'
EVENT = '<script>alert("xss-event")</script> [e](javascript:alert("xss-event2"))'
MARKER = "xss"

# The same Markdown extensions as the repository's mkdocs.yml.
EXTENSIONS = """\
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - attr_list
  - md_in_html
  - admonition
"""


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def hostile_project(tmp_path: Path, extensions: str = EXTENSIONS) -> Path:
    project = copy_project(tmp_path)
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + extensions)
    (project / "claims/moon-made-of-cheese.yaml").write_text(f"""\
id: moon-made-of-cheese
claim: {q(CLAIM["claim"])}
claimant: {q(CLAIM["claimant"])}
claim_date: 2026-01-06
verdict: "false"
as_of: 2026-02-01
what_changed: {q(CLAIM["what_changed"])}
summary: {q(CLAIM["summary"])}
analysis: {q(ANALYSIS)}
appearances:
  - source: daily-planet-moon
    quote: {q(CLAIM["quote"])}
    note: {q(CLAIM["appearance_note"])}
evidence:
  - source: nasa-moon-facts
    stance: contradicts
    quote: {q(CLAIM["evidence_quote"])}
    note: {q(CLAIM["evidence_note"])}
single_origin_reason: {q(CLAIM["single_origin_reason"])}
caveats:
  - {q(CLAIM["caveat"])}
tags: [moon, food]
related: [moon-distance]
published: 2026-02-01
updated: 2026-02-03
history:
  - date: 2026-02-01
    change: {q(CLAIM["change"])}
    reviewer: {q(CLAIM["reviewer"])}
""", encoding="utf-8")
    (project / "claims/sources/daily-planet-moon.yaml").write_text(f"""\
id: daily-planet-moon
title: {q(SOURCE["title"])}
publisher: {q(SOURCE["publisher"])}
author: {q(SOURCE["author"])}
published: 2026-01-06
date_note: {q(SOURCE["date_note"])}
url: {q(SOURCE["url"])}
archive_url: {q(SOURCE["archive_url"])}
accessed: 2026-02-01
kind: news
language: {q(SOURCE["language"])}
note: {q(SOURCE["note"])}
""", encoding="utf-8")
    # Quotes from the source are not checked against a snapshot, so they can carry payloads too.
    (project / "claims/sources/daily-planet-moon.txt").unlink()
    ratings = project / "ratings.yaml"
    ratings.write_text(ratings.read_text(encoding="utf-8").replace('label: "False"', f"label: {q(LABEL)}"),
                       encoding="utf-8")
    (project / "events.yaml").write_text(f"events:\n  - date: 2026-01-07\n    title: {q(EVENT)}\n"
                                         "    sources: [daily-planet-moon]\n", encoding="utf-8")
    return project


def in_head(parsed: Markup, tag: str, attrs) -> bool:
    """Whether an element comes before <body> (the theme's own styles live there)."""
    index = parsed.elements.index((tag, attrs))
    return not any(t == "body" for t, _ in parsed.elements[:index])


class Markup(HTMLParser):
    """Every element, attribute, script and text run of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self._script: dict | None = None
        self._body: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script, self._body = dict(attrs), []

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_data(self, data):
        (self._body if self._script is not None else self.text).append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._body)))
            self._script = None


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "background"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "style"}


def problems_in_page(site: Path, page: Path) -> list[str]:
    """Everything in one built page that a payload could have produced."""
    html = page.read_text(encoding="utf-8")
    parsed = Markup(html)
    name = page.relative_to(site).as_posix()
    found = []
    for tag, attrs in parsed.elements:
        if tag in FORBIDDEN_TAGS and not (tag == "style" and in_head(parsed, tag, attrs)):
            found.append(f"{name}: <{tag}> element")
        known_form = dict(attrs).get("name") == "search" or dict(attrs).get("class") == "fd-filter"
        if tag == "form" and not (known_form and "action" not in dict(attrs)):  # the search box, the claims filter
            found.append(f"{name}: <form> element")
        for attr, value in attrs:
            if attr.startswith("on"):
                found.append(f"{name}: <{tag} {attr}=...> event handler")
            if attr in URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in ("", "http", "https"):
                    found.append(f"{name}: <{tag} {attr}={value!r}> with a {scheme}: URL")
            if attr == "style" and value and MARKER in value:
                found.append(f"{name}: payload in a style attribute")
    for attrs, body in parsed.scripts:
        kind = attrs.get("type", "")
        if kind == "application/ld+json":
            json.loads(body)  # data, not code: it must parse
        elif "src" in attrs:
            src = attrs["src"]
            target = (site / src.lstrip("/") if src.startswith("/") else page.parent / src).resolve()
            if not (urlsplit(src).scheme == "" and target.is_file() and target.is_relative_to(site)):
                found.append(f"{name}: script from {attrs['src']!r}")
        elif MARKER in body or "alert(" in body:
            found.append(f"{name}: payload inside an inline script")
    return found


@pytest.fixture(scope="module", params=[("factdesk", EXTENSIONS), ("mkdocs", EXTENSIONS), ("factdesk", "")],
                ids=["factdesk-build", "mkdocs-build", "factdesk-build-plain-markdown"])
def site(request, tmp_path_factory) -> Path:
    """The hostile project built through `factdesk build` and `mkdocs build --strict`, with the repository's
    Markdown extensions, and with none."""
    command, extensions = request.param
    project = hostile_project(tmp_path_factory.mktemp(command), extensions)
    args = ["factdesk", "build"] if command == "factdesk" else ["mkdocs", "build", "--strict"]
    result = run(args, cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_payloads_are_in_the_build(site):
    """The payloads did reach the pages (so the checks below have something to find)."""
    claim_page = (site / "claims/moon-made-of-cheese/index.html").read_text(encoding="utf-8")
    assert MARKER in claim_page and "alert(" in claim_page
    assert MARKER in (site / "sources/daily-planet-moon/index.html").read_text(encoding="utf-8")
    assert MARKER in (site / "timeline/index.html").read_text(encoding="utf-8")


def test_no_payload_survives_as_markup_or_script_on_any_page(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    found = [problem for page in pages for problem in problems_in_page(site, page)]
    assert found == []


def test_plain_text_payloads_are_shown_as_text(site):
    text = " ".join(Markup((site / "claims/moon-made-of-cheese/index.html").read_text(encoding="utf-8")).text)
    text = " ".join(text.split())
    for key in ("claim", "claimant", "quote", "appearance_note", "evidence_quote", "evidence_note", "change",
                "caveat", "reviewer", "single_origin_reason"):
        assert " ".join(CLAIM[key].split()) in text, key
    assert " ".join(CLAIM["summary"].split()) in text
    assert " ".join(CLAIM["what_changed"].split()) in text
    source = " ".join(" ".join(Markup((site / "sources/daily-planet-moon/index.html").read_text(
        encoding="utf-8")).text).split())
    for key in ("title", "publisher", "author", "date_note", "note", "language", "url"):
        assert SOURCE[key] in source, key


def test_markdown_keeps_safe_links_and_drops_the_rest(site):
    page = Markup((site / "claims/moon-made-of-cheese/index.html").read_text(encoding="utf-8"))
    hrefs = [dict(attrs).get("href") for tag, attrs in page.elements if tag == "a"]
    assert "https://example.org/ok" in hrefs
    assert "../../ratings/" in hrefs
    assert not [h for h in hrefs if h and urlsplit(h).scheme.lower() not in ("", "http", "https")]


def test_json_ld_carries_the_payload_as_data_and_cannot_close_its_script(site):
    page = Markup((site / "claims/moon-made-of-cheese/index.html").read_text(encoding="utf-8"))
    [(attrs, body)] = [s for s in page.scripts if s[0].get("type") == "application/ld+json"]
    assert "<" not in body and ">" not in body
    review = json.loads(body)
    assert review["claimReviewed"] == CLAIM["claim"]
    assert review["itemReviewed"]["author"]["name"] == CLAIM["claimant"]
    assert review["itemReviewed"]["appearance"][0]["headline"] == SOURCE["title"]
    assert review["itemReviewed"]["appearance"][0]["url"] == SOURCE["url"]
    assert review["reviewRating"]["alternateName"] == LABEL


def test_social_metadata_holds_the_payload_as_attribute_text(site):
    page = Markup((site / "claims/moon-made-of-cheese/index.html").read_text(encoding="utf-8"))
    meta = {dict(a).get("property") or dict(a).get("name"): dict(a).get("content") for t, a in page.elements
            if t == "meta"}
    assert meta["og:title"] == CLAIM["claim"]
    assert meta["twitter:title"] == CLAIM["claim"]
    titles = [t for t, _ in page.elements if t == "title"]
    assert titles == ["title"]


def test_feed_parses_and_carries_the_payload_as_text(site):
    root = ET.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    summaries = [e.text for e in root.iterfind("a:entry/a:summary", ns)]
    assert CLAIM["summary"] in summaries
    assert any(CLAIM["claim"] in e.text for e in root.iterfind("a:entry/a:title", ns))
    assert all(child.tag.startswith("{http://www.w3.org/2005/Atom}") for child in root.iter())


def test_json_export_parses_and_carries_the_payload(site):
    data = json.loads((site / "exports/claims.json").read_text(encoding="utf-8"))
    claim = next(c for c in data["claims"] if c["id"] == "moon-made-of-cheese")
    assert claim["claim"] == CLAIM["claim"] and claim["analysis"] == ANALYSIS.strip()
    feed = json.loads((site / "exports/claimreview.json").read_text(encoding="utf-8"))
    assert CLAIM["claim"] in [r["claimReviewed"] for r in feed]


def test_csv_cells_that_would_be_formulas_are_defused(site):
    rows = list(csv.DictReader(io.StringIO((site / "exports/claims.csv").read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["id"] == "moon-made-of-cheese")
    assert row["claim"] == "'" + CLAIM["claim"]
    assert row["claimant"] == "'" + CLAIM["claimant"]
    assert row["summary"] == "'" + CLAIM["summary"]
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_search_index_parses_and_holds_no_markup_from_the_payload(site):
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith("claims/moon-made-of-cheese/")]
    assert docs
    for doc in index["docs"]:
        for value in (doc["title"], doc["text"]):
            for tag in ("<script", "<img", "<svg", "<iframe", "<object", "<form", "<b "):
                assert tag not in value.lower(), (doc["location"], tag)
