"""The Kiwix edition: the site built for reading from disk, written as a ZIM file with a full-text index.

One ZIM per language. Kiwix libraries (library.kiwix.org, the apps' catalogue) file a ZIM under its one
Language metadata and filter by it, and the full-text index is built for one language; a bilingual ZIM would be
listed under one language only and its other half searched with the wrong rules. Each edition's ZIM opens on
its own home page; the other edition is a separate download.

Every file of the built folder but 404.html becomes an entry at its relative path, so the pages' relative
links work as they do in the folder. Material's search files are kept: the pages' search box loads them, and
without them it would fail. Kiwix's own search reads the full-text index built here from each page's article
text (not the navigation every page repeats), in the form libzim compares queries with.

The entries, metadata and index are the same for the same site; the file's bytes are not quite, because libzim
gives each ZIM a random UUID and its Python bindings offer no way to set it.
"""

from __future__ import annotations

import contextlib
import io
import mimetypes
import os
import posixpath
import re
import shutil
import sys
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from . import __version__
from .bundle import BundleError, OfflineSite

MISSING = "the Kiwix edition needs the libzim package: pip install 'libzim>=3.4,<4' (make bundle installs it)"
MAIN_PAGE = "index.html"
LEFT_OUT = ("404.html",)  # for web servers; Kiwix shows its own page for a missing entry
TITLE_MAX, DESCRIPTION_MAX, LONG_DESCRIPTION_MAX = 30, 80, 4000  # openZIM's metadata limits
ILLUSTRATION_SIZE = 48
BADGE_COLOUR, MARK_COLOUR = (63, 81, 181, 255), (255, 255, 255, 255)  # Material's indigo, the theme's primary
TAGS = "fact-check;_category:other;_ftindex:yes"
# ISO 639-3 codes (what Kiwix files a ZIM under and what the indexer needs) of the theme's two-letter codes.
ISO639_3 = {"ar": "ara", "az": "aze", "de": "deu", "en": "eng", "es": "spa", "fa": "fas", "fr": "fra", "he": "heb",
            "hy": "hye", "it": "ita", "ku": "kur", "nl": "nld", "pl": "pol", "ps": "pus", "pt": "por", "ru": "rus",
            "tr": "tur", "uk": "ukr", "ur": "urd", "zh": "zho"}
# Mimetypes by file ending, and whether the content is worth compressing (images and fonts already are).
MIMETYPES = {
    ".html": ("text/html", True), ".css": ("text/css", True), ".js": ("text/javascript", True),
    ".json": ("application/json", True), ".map": ("application/json", True), ".xml": ("application/xml", True),
    ".txt": ("text/plain;charset=utf-8", True), ".csv": ("text/csv;charset=utf-8", True),
    ".svg": ("image/svg+xml", True), ".png": ("image/png", False), ".jpg": ("image/jpeg", False),
    ".jpeg": ("image/jpeg", False), ".gif": ("image/gif", False), ".webp": ("image/webp", False),
    ".ico": ("image/vnd.microsoft.icon", False), ".woff": ("font/woff", False), ".woff2": ("font/woff2", False),
    ".ttf": ("font/ttf", True), ".gz": ("application/gzip", False), ".pdf": ("application/pdf", False),
}
UNNAMED_TYPE = ("text/plain;charset=utf-8", True)  # files without an ending: README, LICENSE, SHA256SUMS
ZWNJ = "\u200c"  # the zero-width non-joiner inside Persian words (می‌گوید)
# Persian letters and digits as readers also type them: on an Arabic keyboard, or with Western digits.
TYPED_FORMS = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643",
                             **{chr(0x06F0 + d): str(d) for d in range(10)}})


def write_zim(site: OfflineSite, target: Path, *, name: str) -> int:
    """Write the built site into one ZIM file at `target` and return its size in bytes; on failure nothing is
    left at `target` (a file already there stays as it was)."""
    try:
        from libzim import writer
    except ImportError:
        raise BundleError(MISSING) from None
    folder = site.folder
    if not (folder / MAIN_PAGE).is_file():
        raise BundleError(f"{folder} has no {MAIN_PAGE} to open the Kiwix edition on; build the site first")
    language = iso639_3(site)
    metadata = zim_metadata(site, name, language)
    site_name = str(_config(site).site_name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".factdesk-zim-", dir=target.parent))
    except OSError as exc:
        raise BundleError(f"cannot write the Kiwix edition into {target.parent}: {exc.strerror}") from None
    try:
        partial = scratch / target.name
        creator = writer.Creator(partial).config_indexing(True, language).config_verbose(False)
        with _quiet_stdout(), creator:
            creator.set_mainpath(MAIN_PAGE)
            for key, value in metadata.items():
                creator.add_metadata(key, value)
            creator.add_illustration(ILLUSTRATION_SIZE, illustration())
            types = _libzim_types(writer)
            for path in site_files(folder):
                creator.add_item(_entry(types, folder, path, site_name))
        os.replace(partial, target)  # the finished file appears at once, never half-written
    except (RuntimeError, OSError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
        raise BundleError(f"cannot write the Kiwix edition {target.name}: {reason}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target.stat().st_size


@contextlib.contextmanager
def _quiet_stdout():
    """libzim prints its progress on standard output whatever config_verbose says; keep the command's own
    output clean by sending it to the null device while the file is written."""
    import ctypes

    if sys.stdout is not None:
        sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        try:
            ctypes.CDLL(None).fflush(None)  # what libzim printed is still in the C library's buffer
        except (OSError, TypeError, AttributeError):
            pass
        os.dup2(saved, 1)
        os.close(saved)


def site_files(folder: Path) -> list[str]:
    """The files that become entries, as sorted paths relative to the folder."""
    files = (p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return sorted(path for path in files if path not in LEFT_OUT)


def iso639_3(site: OfflineSite) -> str:
    """The edition's language as the three-letter code Kiwix and its indexer use."""
    code = re.split(r"[-_]", site.language)[0].lower()
    if len(code) == 3 and code.isalpha():
        return code
    if code not in ISO639_3:
        raise BundleError(f"{_config(site).config_file_path}: theme.language '{site.language}' has no ISO 639-3 code "
                          "known to the Kiwix edition; add it to ISO639_3 in factdesk/zim.py")
    return ISO639_3[code]


def zim_metadata(site: OfflineSite, name: str, language: str) -> dict[str, str]:
    """The ZIM's metadata (openZIM's names and limits), all taken from the configuration and the edition date."""
    config = _config(site)
    plugin = config.plugins.get("factdesk")
    publisher = (plugin.config.publisher_name if plugin is not None else None) or config.site_name
    code = site.language.lower()
    base = name[: -len(code) - 1] if name.lower().endswith((f"-{code}", f"_{code}")) else name
    description = " ".join(str(config.site_description or config.site_name).split())
    metadata = {
        "Name": f"{base}_{code}",
        "Title": clip(str(config.site_name), TITLE_MAX),
        "Description": clip(description, DESCRIPTION_MAX),
        "Language": language,
        "Creator": str(publisher),
        "Publisher": str(publisher),
        "Date": site.date.isoformat(),
        "Tags": TAGS,
        "Source": str(config.site_url or ""),
        "Scraper": f"factdesk {__version__}",
    }
    if len(description) > DESCRIPTION_MAX:
        metadata["LongDescription"] = clip(description, LONG_DESCRIPTION_MAX)
    return {key: value for key, value in metadata.items() if value}


def _config(site: OfflineSite) -> Any:
    return site.config  # as Any: MkDocs' types do not know the factdesk plugin's options (plugin.config)


def clip(text: str, limit: int) -> str:
    """Text cut to `limit` characters at a word boundary, with an ellipsis when anything was cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    while cut and unicodedata.combining(text[len(cut)]):  # one long word: never part a letter from its mark
        cut = cut[:-1]
    return cut.rstrip(" \u200c\u200d:;,،؛-–—") + "…"  # no joiner or colon left hanging before the ellipsis


def illustration() -> bytes:
    """The 48×48 PNG Kiwix shows in its library: a white check mark on the theme's indigo, drawn large and
    scaled down for smooth edges; the same bytes every time."""
    from PIL import Image, ImageDraw

    big = ILLUSTRATION_SIZE * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BADGE_COLOUR)
    draw.line([(big * 0.24, big * 0.52), (big * 0.42, big * 0.70), (big * 0.77, big * 0.32)], fill=MARK_COLOUR,
              width=big // 9, joint="curve")
    out = io.BytesIO()
    image.resize((ILLUSTRATION_SIZE, ILLUSTRATION_SIZE), Image.Resampling.LANCZOS).save(out, format="PNG")
    return out.getvalue()


def mimetype(path: str) -> tuple[str, bool]:
    """A file's mimetype and whether to compress it."""
    ending = posixpath.splitext(path)[1].lower()
    if ending in MIMETYPES:
        return MIMETYPES[ending]
    if not ending:
        return UNNAMED_TYPE
    guessed = mimetypes.guess_type(path, strict=True)[0] or "application/octet-stream"
    return guessed, guessed.startswith("text/")


def _entry(types, folder: Path, path: str, site_name: str):
    """One entry: a page with its title, front-article hint and index text, or any other file as it is."""
    writer, item_type, index_type = types
    kind, compress = mimetype(path)
    hints = {writer.Hint.COMPRESS: compress, writer.Hint.FRONT_ARTICLE: kind == "text/html"}
    if kind != "text/html":
        return item_type(path, "", kind, hints, lambda: writer.FileProvider(str(folder / path)), None)
    data = (folder / path).read_bytes()
    try:
        page = PageText.of(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BundleError(f"{path}: not UTF-8 text (byte {exc.start}); MkDocs writes pages as UTF-8, so "
                          "something changed it after the build") from None
    title = page.title.removesuffix(f" - {site_name}").strip()
    if title in ("", site_name) and path != MAIN_PAGE:  # Material names pages outside the navigation by the site
        title = page.heading or site_name
    return item_type(path, title, kind, hints, lambda: writer.StringProvider(data), index_type(title, page.text))


def _libzim_types(writer):
    """libzim's item and index-data classes, filled in (libzim is imported only when an edition is written)."""
    from libzim.writer import IndexData, Item

    class Entry(Item):
        def __init__(self, path, title, kind, hints, provider, index):
            super().__init__()
            self.path, self.title, self.kind, self.hints, self.provider = path, title, kind, hints, provider
            # None leaves the choice to libzim, which indexes no file that is not a page
            self.get_indexdata = None if index is None else (lambda: index)

        def get_path(self):
            return self.path

        def get_title(self):
            return self.title

        def get_mimetype(self):
            return self.kind

        def get_contentprovider(self):
            return self.provider()

        def get_hints(self):
            return self.hints

    class Index(IndexData):
        def __init__(self, title, text):
            self.title, self.text, self.words = unaccented(title), searchable(text), len(text.split())

        def has_indexdata(self):
            return self.words > 0

        def get_title(self):
            return self.title

        def get_content(self):
            return self.text

        def get_keywords(self):
            return ""

        def get_wordcount(self):
            return self.words

    return writer, Entry, Index


def searchable(text: str) -> str:
    """A page's text for the full-text index, unaccented, followed by other forms of its Persian words that
    readers type: Xapian joins the parts of a word written with a zero-width non-joiner (صورت‌جلسه is indexed
    as صورتجلسه), so the parts are added on their own, and so are the Arabic-keyboard letters and Western
    digits (Kiwix passes the query on as typed, apart from the accents)."""
    forms: dict[str, None] = {}  # an ordered set
    for word in text.split():
        parts = word.replace(ZWNJ, " ")
        for form in (parts, word.translate(TYPED_FORMS), parts.translate(TYPED_FORMS)):
            if form != word:
                forms[form] = None
    return unaccented(" ".join([text, *forms]))


def unaccented(text: str) -> str:
    """Text as libzim compares it with a query, which it passes through ICU's "Lower; NFD; [:M:] remove; NFC":
    libzim does the same to the pages it parses itself, not to index text given to it, as here."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")))


class PageText(HTMLParser):
    """A page's <title> and the text of its article, which Kiwix indexes: without the navigation every page
    repeats, permalink marks and scripts. Unlike Material's search, which keeps its index small for the browser
    (data-search-exclude, searchscope.py), Kiwix's index is a real search engine's: it holds the whole article."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SKIPPED = {"script", "style", "template", "noscript"}
    INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark",
              "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}  # no word break

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""  # the document's own, not an inline SVG's
        self.heading = ""  # the article's first <h1>
        self._article: list[str] = []
        self._body: list[str] = []
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, whether its text is left out)
        self._where = ""  # "title", "h1" or "article" while inside the first of these
        self._done: set[str] = set()  # which of them have been read
        self._article_depth = 0

    @classmethod
    def of(cls, html: str) -> PageText:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    @property
    def text(self) -> str:
        return " ".join("".join(self._article if "article" in self._done else self._body).split())

    def handle_starttag(self, tag, attrs):
        if tag not in self.INLINE:
            self._buffer().append(" ")
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        skipped = (tag in self.SKIPPED
                   or "headerlink" in (attrs.get("class") or "").split()
                   or (not self._article_depth and tag in ("header", "nav", "footer")))
        self._open.append((tag, skipped or bool(self._open and self._open[-1][1])))
        if tag == "article" and tag not in self._done:
            self._done.add(tag)
            self._article_depth = len(self._open)
        elif tag in ("title", "h1") and tag not in self._done and (tag == "title" or self._article_depth):
            self._done.add(tag)
            self._where = tag

    def handle_endtag(self, tag):
        if tag == self._where:
            self._where = ""
            self.title, self.heading = " ".join(self.title.split()), " ".join(self.heading.split())
        if tag not in self.INLINE:
            self._buffer().append(" ")
        if not any(open_tag == tag for open_tag, _ in self._open):
            return  # a stray end tag
        while self._open:
            open_tag, _ = self._open.pop()
            if len(self._open) < self._article_depth:
                self._article_depth = 0
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._where == "title":
            self.title += data
            return
        if self._open and self._open[-1][1]:
            return
        if self._where == "h1":
            self.heading += data
        self._buffer().append(data)

    def _buffer(self) -> list[str]:
        return self._article if self._article_depth else self._body
