"""The single-file edition: the whole report in one HTML file, for readers who get it hand to hand on a phone.

Made from the offline site (bundle.build_offline_site). The main article of every page becomes a <section>
whose id is the page's path without ".html" ("claims/moon-distance"); an element's id inside it becomes
"<page>:<id>", and the file's own parts (contents, filter) are ":<name>", so no two ids can meet. Links between
pages become links inside the file, links to files the edition leaves out (feeds, exports) go to the website,
images become data: URIs. The site's scripts and the theme's styles are left out for a small stylesheet of our
own; the file reads completely with scripting off, and a small inline script adds a verdict filter.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, unquote, urljoin, urlsplit

from .bundle import BundleError, OfflineSite
from .i18n import catalogue
from .localdates import direction, isolate_html, long_date
from .render import CSS_URI
from .urls import page_url, source_uri, tag_uri

LIMIT = 2_000_000  # bytes: what a reader can pass on through a messaging app and open on a cheap phone
SITE_CSS_LIMIT = 32_000  # the site's own stylesheet comes along while it is no bigger than this
HOME = "index.html"
LEFT_OUT = frozenset({"404.html"})
# The pages listing the claims of one tag or one claimant repeat rows of the claims index; each claim page
# names its tags and claimant. Links to them keep their text only.
LEFT_OUT_FOLDERS = (posixpath.dirname(tag_uri("x")) + "/", "claimants/")
# A source page keeps its facts and notes, not its closing list of the claims citing it: each claim lists its
# sources, and the browser's Back button returns to the claim.
SOURCES = posixpath.dirname(source_uri("x")) + "/"
ARTICLE = "md-content__inner"  # the class of Material's main article: the page's content, hand-written or generated
CONTENTS, FILTER = ":contents", ":filter"
DROPPED_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "applet", "form", "link", "meta", "base",
                          "audio", "video", "template"})
DROPPED_CLASSES = frozenset({"md-content__button", "headerlink"})  # "edit this page" buttons, ¶ permalinks
DROPPED_ATTRS = frozenset({"srcset", "sizes", "loading", "decoding", "ping"})
DROPPED_LINK_ATTRS = frozenset({"title", "rel"})  # tooltips (a badge's repeats the rating scale), hints to crawlers
UNWRAPPED = frozenset({"time"})  # the text stays; machine-readable dates serve search engines, not readers
KEPT_DATA = frozenset({"data-verdict"})  # other data- attributes feed the site's scripts, which are left out
IDREFS = frozenset({"for", "headers", "list", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns",
                    "aria-activedescendant", "aria-details", "aria-errormessage", "aria-flowto"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr", "param"})
KEEP_SPACE = frozenset({"pre", "textarea"})
SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML's white space; not \s, which would also eat no-break spaces
URL_REF = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)['\"]?\s*\)")
VERDICT_CLASS = "fd-verdict--"
CLASS_NAME = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")  # a class named in a stylesheet or a script's selector
CUSTOM_PROPERTIES = re.compile(r"\s*(--[\w-]+\s*:[^;{}<]+;?\s*)+")  # a style="" that only sets variables


def write_single_file(site: OfflineSite, target: Path, *, limit: int = LIMIT) -> int:
    """Write the site as one self-contained HTML file at `target`; returns the bytes written.

    Raises BundleError when a page cannot be read into it or the file would exceed `limit` bytes; nothing is
    left at `target` then (the file is written beside it and moved into place when complete)."""
    pages = read_pages(site.folder)
    if HOME not in pages:
        raise BundleError(f"{site.folder / HOME}: the built site has no home page; hint: build the offline site "
                          "first, as `factdesk bundle` does")
    nav = nav_entries(getattr(site.config, "nav", None), pages)
    order = page_order(pages, list(_flatten(nav)))
    edition = _Edition(site, pages)
    sections = {rel: edition.section(pages[rel]) for rel in order}
    data = edition.document(nav, [sections[rel] for rel in order]).encode("utf-8")
    if len(data) > limit:
        biggest = sorted(sections, key=lambda rel: (-len(sections[rel].encode("utf-8")), rel))[:3]
        shown = ", ".join(f"{rel} ({len(sections[rel].encode('utf-8')):,} bytes)" for rel in biggest)
        raise BundleError(f"the single-file edition is {len(data):,} bytes, over the limit of {limit:,}; hint: "
                          f"shorten the longest pages ({shown}) or allow a higher limit")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")  # beside it, with the usual permissions
    try:
        partial.write_bytes(data)
        os.replace(partial, target)  # the finished file appears at once, never half-written
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return len(data)


@dataclass
class Page:
    """The main article of one built page, read into a list of tokens, with what the edition needs of it."""
    rel: str  # its path in the built site: "claims/moon-distance.html"
    anchor: str  # the id of its section
    tokens: list[tuple] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # the hrefs of its links, in order
    title: str = ""  # the text of its first heading
    verdict: str | None = None  # a claim page's rating id
    badge: tuple[str, str, str | None, str] | None = None  # a claim's verdict badge: label, style, where it links


def read_pages(folder: Path) -> dict[str, Page]:
    """The main article of every page of a built site, by path; pages without one (redirects) are skipped."""
    pages = {}
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder).as_posix()
        if rel in LEFT_OUT or rel.startswith(LEFT_OUT_FOLDERS):
            continue
        reader = _Reader(rel)
        try:
            reader.feed(path.read_text(encoding="utf-8"))
            reader.close()
        except UnicodeDecodeError as exc:
            raise BundleError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); hint: rebuild the "
                              "site") from None
        if not reader.found:
            continue
        page = reader.page
        if rel.startswith(SOURCES) and rel != SOURCES + HOME and reader.sections:
            del page.tokens[reader.sections[-1]:]  # from the last heading on: the claims citing the source
        for token in page.tokens:
            if token[0] == "start":
                attrs = dict(token[2])
                if attrs.get("id"):
                    page.ids.append(attrs["id"])
                if token[1] in ("a", "area") and attrs.get("href"):
                    page.links.append(attrs["href"])
        pages[rel] = page
    return pages


def anchor(rel: str) -> str:
    """The id of a page's section: its path without ".html", white space escaped ("claims/moon-distance")."""
    return re.sub(r"\s", lambda m: quote(m.group()), rel.removesuffix(".html"))


@dataclass(frozen=True)
class NavEntry:
    title: str
    rel: str | None = None  # a page of the site, or None
    url: str | None = None  # a link elsewhere
    children: tuple[NavEntry, ...] = ()


def nav_entries(nav: list | None, pages: dict[str, Page]) -> list[NavEntry]:
    """The site's navigation (mkdocs.yml's nav) as entries pointing at built pages; pages missing from the
    built site are left out, and so are sections left empty. No nav: the top-level pages, by path."""
    if nav is None:
        nav = [rel.removesuffix(".html") + ".md" for rel in pages if "/" not in rel]
    entries = []
    for item in nav:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            children = tuple(nav_entries(value, pages))
            if children:
                entries.append(NavEntry(str(title or ""), children=children))
        elif isinstance(value, str) and urlsplit(value).scheme:
            entries.append(NavEntry(str(title or value), url=value))
        elif isinstance(value, str):
            rel = page_url(posixpath.normpath(value.lstrip("/")), False)
            if rel in pages:
                entries.append(NavEntry(str(title) if title else pages[rel].title, rel=rel))
    return entries


def page_order(pages: dict[str, Page], nav: list[str]) -> list[str]:
    """Home first, then the pages of the nav in its order, then the rest: each folder after the nav page that
    leads into it (claims/ after claims/index.html), in the order that page lists them."""
    placed = list(dict.fromkeys([HOME, *(rel for rel in nav if rel in pages)]))
    leads = [(posixpath.dirname(rel) + "/", rel) for rel in placed if "/" in rel]

    listed: dict[str, dict[str | None, int]] = {index: {} for _, index in leads}  # where each index links to what
    for index, positions in listed.items():
        for href in pages[index].links:
            positions.setdefault(_resolve(index, href), len(positions))

    def key(rel: str) -> tuple:
        for group, (folder, index) in enumerate(leads):
            if rel.startswith(folder):
                return group, listed[index].get(rel, len(listed[index])), rel
        return len(leads), 0, rel

    return placed + sorted((rel for rel in pages if rel not in placed), key=key)


def _flatten(entries: list[NavEntry] | tuple[NavEntry, ...]):
    for entry in entries:
        if entry.rel:
            yield entry.rel
        yield from _flatten(entry.children)


def _resolve(page: str, href: str) -> str | None:
    """The site path a relative link from `page` leads to, or None for links elsewhere and within the page."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return posixpath.join(target, HOME) if path.endswith("/") or target == "." else target


class _Edition:
    """Turns pages into sections of one file, with links between them made local."""

    def __init__(self, site: OfflineSite, pages: dict[str, Page]):
        self.site, self.pages = site, pages
        self.config: Any = cast(Any, site.config)  # MkDocs' configuration
        self.language = site.language
        self.strings = catalogue(self.language, Path(self.config.config_file_path).parent)
        self.site_url = self.config.site_url or ""
        factdesk = self.config.plugins.get("factdesk")
        public = getattr(getattr(factdesk, "config", None), "public_directory_urls", None)
        self.directory_urls = True if public is None else bool(public)
        self.idsets = {rel: set(page.ids) for rel, page in pages.items()}
        self.styles, self.script = _styles(site.folder), _asset("singlefile.js")
        # Classes that no stylesheet or script here names are left out, and so are the <span>s left bare.
        self.classes = set(CLASS_NAME.findall("\n".join([*self.styles, self.script])))
        # A badge's colours, written on every badge: one class each instead.
        self.hoisted: dict[str, str] = {}

    def section(self, page: Page) -> str:
        classes = "sf-page md-typeset" + (" sf-claim" if page.verdict else "")
        verdict = f' data-verdict="{_attr(page.verdict)}"' if page.verdict else ""
        out = [f'<section id="{_attr(page.anchor)}" class="{classes}"{verdict}>\n']
        spans: list[bool] = []  # for each open <span>, whether it was written
        for token in page.tokens:
            kind = token[0]
            if kind == "text":
                out.append(token[1])
            elif kind == "end":
                if token[1] != "span" or not spans or spans.pop():
                    out.append("</table></div>" if token[1] == "table" else f"</{token[1]}>")
            else:
                _, tag, attrs, raw, closed = token
                new = self._attrs(page, tag, attrs)
                if tag == "span" and not closed:
                    spans.append(bool(new))
                    if not new:
                        continue
                if tag == "table":
                    out.append('<div class="sf-scroll" tabindex="0">')  # a wide table scrolls, not the page
                out.append(raw if new == attrs and raw else _start_tag(tag, new, closed))
        out.append("\n</section>\n")
        return "".join(out)

    def _attrs(self, page: Page, tag: str, attrs: list) -> list:
        new, classes = [], []
        for name, value in attrs:
            if value is None:
                new.append((name, value))
                continue
            if name == "class":
                classes += [c for c in value.split() if c in self.classes]
                continue
            if name == "style" and CUSTOM_PROPERTIES.fullmatch(value):
                classes.append(self.hoisted.setdefault(value, f"sf-s{len(self.hoisted) + 1}"))
                continue
            if name == "id":
                value = f"{page.anchor}:{value}"
            elif name in IDREFS:
                value = " ".join(self._local(page, ref) for ref in value.split())
            elif name == "href" and tag in ("a", "area"):
                value = self._href(page, value)
                if value is None:
                    continue  # a link to nothing that this file or the website holds: keep its text only
            elif name in ("href", "xlink:href") and value.startswith("#"):
                value = "#" + self._local(page, value[1:])
            if (tag == "img" and name == "src") or (tag == "image" and name in ("href", "xlink:href")):
                value = self._data_uri(page, value)
            if "url(" in value:
                value = URL_REF.sub(lambda m: f"url(#{self._local(page, m.group(1))})", value)
            new.append((name, value))
        return [("class", " ".join(classes)), *new] if classes else new

    def _local(self, page: Page, ref: str) -> str:
        return f"{page.anchor}:{ref}" if ref in self.idsets[page.rel] else ref

    def _href(self, page: Page, href: str) -> str | None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href  # the website and the rest of the web stay where they are
        if not parts.path:
            return "#" + self._target(page.rel, parts.fragment)
        rel = _resolve(page.rel, href)
        if rel in self.pages:
            return "#" + self._target(rel, parts.fragment)
        if not self.site_url or rel is None or rel.startswith(("../", *LEFT_OUT_FOLDERS)):
            return None
        path = rel
        if self.directory_urls and rel.endswith(".html"):
            path = rel.removesuffix(HOME) if posixpath.basename(rel) == HOME else rel.removesuffix(".html") + "/"
        return urljoin(self.site_url, quote(path)) + (f"#{parts.fragment}" if parts.fragment else "")

    def _target(self, rel: str, fragment: str) -> str:
        fragment = unquote(fragment)
        page = self.pages[rel]
        return f"{page.anchor}:{fragment}" if fragment in self.idsets[rel] else page.anchor

    def _data_uri(self, page: Page, src: str) -> str:
        if src.startswith("data:"):
            return src
        rel = _resolve(page.rel, src)
        path = self.site.folder / rel if rel and not rel.startswith("../") else None
        if path is None or not path.is_file():
            raise BundleError(f"{self.site.folder / page.rel}: the image {src} is not a file of the built site, "
                              "so the single-file edition cannot embed it; hint: save it under docs/ and link to "
                              "it with a relative path")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"

    def document(self, nav: list[NavEntry], sections: list[str]) -> str:
        """The whole file: the file's header (site, edition, note, contents, filter), the sections, styles and
        the filter's script inline."""
        _ = self.strings.gettext
        name = _text(self.config.site_name)
        date = long_date(self.site.date, self.language)
        if self.site_url:
            shown = isolate_html(self.site_url) if direction(self.language) == "rtl" else _text(self.site_url)
            link = f'<a href="{_attr(self.site_url)}">{shown}</a>'
            note = _("An offline copy in one file, complete without a connection. The website is %(url)s.")
            note = _text(note) % {"url": link}
        else:
            note = _text(_("An offline copy in one file, complete without a connection."))
        contents = _("Contents")
        edition = _text(_("Edition of %(date)s") % {"date": date})
        header = (f'<header class="sf-header">\n<p class="sf-site">{name}</p>\n'
                  f'<p class="sf-edition">{edition}</p>\n<p class="sf-note">{note}</p>\n'
                  f'<nav class="sf-toc" id="{CONTENTS}" aria-labelledby="{CONTENTS}-title">'
                  f'<h2 id="{CONTENTS}-title">{_text(contents)}</h2>\n{self._toc(nav)}</nav>\n'
                  f'{self._filter()}</header>\n')
        styles = "\n".join([*self.styles, *(f".{cls} {{ {value} }}\n" for value, cls in self.hoisted.items())])
        return (f'<!doctype html>\n<html lang="{_attr(self.language)}" dir="{direction(self.language)}">\n<head>\n'
                '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f'<title>{name}</title>\n<style>\n{styles}</style>\n</head>\n<body>\n{header}<main>\n'
                f'{"".join(sections)}</main>\n'
                f'<a class="sf-up" href="#{CONTENTS}" aria-label="{_attr(contents)}">&uarr;</a>\n'
                f'<script>\n{self.script}</script>\n</body>\n</html>\n')

    def _toc(self, entries) -> str:
        items = []
        for entry in entries:
            title = _text(entry.title)
            href = f"#{self.pages[entry.rel].anchor}" if entry.rel else entry.url
            line = f'<a href="{_attr(href)}">{title}</a>' if href else title
            items.append(f"<li>{line}{self._toc(entry.children) if entry.children else ''}</li>\n")
        return f"<ul>\n{''.join(items)}</ul>" if items else ""

    def _filter(self) -> str:
        """Buttons for the script to show: one per verdict that claims have, in the rating scale's order."""
        badges = {}
        for page in self.pages.values():
            if page.verdict and page.badge and page.verdict not in badges:
                badges[page.verdict] = page.badge

        def order(verdict: str) -> tuple:  # a badge links to the verdict's entry in the rating scale
            label, _, rel, fragment = badges[verdict]
            ids = self.pages[rel].ids if rel in self.pages else []
            return (ids.index(fragment) if fragment in ids else len(ids)), label

        if not badges:
            return ""
        label, everything = self.strings.gettext("Filter by verdict"), self.strings.gettext("All")
        buttons = [f'<button type="button" data-verdict="" aria-pressed="true">{_text(everything)}</button>\n']
        for verdict in sorted(badges, key=order):
            text, style, *_ = badges[verdict]
            buttons.append(f'<button type="button" class="fd-badge" style="{_attr(style)}" '
                           f'data-verdict="{_attr(verdict)}" aria-pressed="false">{_text(text)}</button>\n')
        return (f'<div class="sf-filter" id="{FILTER}" role="group" aria-label="{_attr(label)}" hidden>\n'
                f'<span>{_text(label)}</span>\n{"".join(buttons)}</div>\n')


class _Reader(HTMLParser):
    """Reads the main article of a built page into tokens, leaving out scripts, forms, frames and the theme's
    buttons, and collapsing white space outside <pre>."""

    def __init__(self, rel: str):
        super().__init__(convert_charrefs=True)
        self.page = Page(rel, anchor(rel))
        self.found = False
        self.depth = 0  # nesting of <article> inside the main article; 0 outside it
        self.open = 0  # elements open inside the main article
        self.sections: list[int] = []  # where each of its top-level <h2> starts, as a token index
        self.skip: list | None = None  # [tag, nesting] of an element being left out
        self.keep_space = 0
        self.heading: list[str] | None = None  # text of the first heading, while inside it
        self.badge: list | None = None  # [style, href, nesting, text] of the verdict badge, while inside it

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, True)

    def _start(self, tag: str, attrs: list, closed: bool) -> None:
        opens = not closed and tag not in VOID
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        if not self.depth:
            if tag == "article" and ARTICLE in classes:
                self.depth, self.found = 1, True
            return
        if self.skip:
            self.skip[1] += opens and tag == self.skip[0]
            return
        if tag in DROPPED_TAGS or classes & DROPPED_CLASSES or (tag == "source" and "src" in values):
            if opens:
                self.skip = [tag, 1]
            return
        if tag in UNWRAPPED:
            return
        page = self.page
        if tag == "h2" and not self.open:
            self.sections.append(len(page.tokens))
        self.open += opens
        self.depth += opens and tag == "article"
        self.keep_space += opens and tag in KEEP_SPACE
        kept = [(k, v) for k, v in attrs if k not in DROPPED_ATTRS and not k.startswith("on")
                and (not k.startswith("data-") or k in KEPT_DATA) and not (tag == "a" and k in DROPPED_LINK_ATTRS)]
        if tag == "h1" and not page.title and self.heading is None:
            self.heading = []
        if tag == "div" and "fd-verdict" in classes and page.verdict is None:
            page.verdict = next((c[len(VERDICT_CLASS):] for c in sorted(classes) if c.startswith(VERDICT_CLASS)),
                                None)
        if self.badge is not None and tag == "a" and opens:
            self.badge[2] += 1
        if tag == "a" and "fd-badge" in classes and page.verdict and page.badge is None and self.badge is None:
            self.badge = [values.get("style") or "", values.get("href") or "", 1, []]
        page.tokens.append(("start", tag, kept, self.get_starttag_text() if kept == attrs else "", closed))

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if self.skip:
            if tag == self.skip[0]:
                self.skip[1] -= 1
                if not self.skip[1]:
                    self.skip = None
            return
        if tag == "article":
            self.depth -= 1
            if not self.depth:
                return
        if tag in VOID or tag in UNWRAPPED:
            return
        self.open -= self.open > 0
        self.keep_space -= tag in KEEP_SPACE and self.keep_space > 0
        if tag == "h1" and self.heading is not None:
            self.page.title = SPACES.sub(" ", "".join(self.heading)).strip()
            self.heading = None
        if tag == "a" and self.badge is not None:
            self.badge[2] -= 1
            if not self.badge[2]:
                style, href, _, text = self.badge
                self.page.badge = (SPACES.sub(" ", "".join(text)).strip(), style, _resolve(self.page.rel, href),
                                   unquote(urlsplit(href).fragment))
                self.badge = None
        self.page.tokens.append(("end", tag))

    def handle_data(self, data):
        if not self.depth or self.skip:
            return
        if self.heading is not None:
            self.heading.append(data)
        if self.badge is not None:
            self.badge[3].append(data)
        if self.cdata_elem:  # the text of <style>: written back as it is
            self.page.tokens.append(("text", data))
            return
        if not self.keep_space:
            data = SPACES.sub(lambda m: "\n" if "\n" in m.group() else " ", data)
        self.page.tokens.append(("text", _text(data)))


def _start_tag(tag: str, attrs: list, closed: bool) -> str:
    written = "".join(f" {k}" if v is None else f' {k}="{_attr(v)}"' for k, v in attrs)
    return f"<{tag}{written}{' /' if closed else ''}>"


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _asset(name: str) -> str:
    return resources.files("factdesk").joinpath("assets", name).read_text(encoding="utf-8")


def _styles(folder: Path) -> list[str]:
    """The site's own stylesheet when it is small (verdict boxes, tables as cards on phones), then ours."""
    site_css = folder / CSS_URI
    found = [site_css.read_text(encoding="utf-8")] if site_css.is_file() and \
        site_css.stat().st_size <= SITE_CSS_LIMIT else []
    return [*found, _asset("singlefile.css")]
