"""Generated pages converted to HTML by Factdesk, once, the way MkDocs converts a page.

MkDocs converts every page's Markdown on every build, and generated pages are
mostly inline HTML, which its Markdown extensions parse slowly. The adapter
converts a generated page itself instead, with the extensions MkDocs is
configured with and MkDocs' own steps (title, table of contents, anchors,
links), keeps the result in the memo under the page's text, and gives MkDocs a
one-line placeholder to convert, swapped for the finished HTML afterwards.

Links are the one part of a page that depends on the rest of the site (which
files exist, where the page is published): the memo holds a token in place of
each link, and each build resolves them with MkDocs' own link resolver, so its
warnings and link checks are those of a page it converts itself.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
import mkdocs
from markdown.serializers import _escape_attrib_html  # type: ignore[attr-defined]  # how Markdown writes an attribute's value (private; Markdown is pinned)
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

# MkDocs' own steps of a page's conversion (mkdocs/structure/pages.py, Page.render); MkDocs 1.x is final.
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

from .memo import Memo, key

NAMESPACE = "html"
PLACEHOLDER = '<div data-factdesk-page="finished"></div>'
_TOKEN = "\x1afactdesk-link-{}\x1a"  # control characters never reach a page: YAML files cannot hold them
_TOKEN_RE = re.compile("\x1afactdesk-link-(\\d+)\x1a")
log = logging.getLogger("mkdocs.plugins.factdesk")


@dataclass(frozen=True)
class Converted:
    """A page's HTML with a token for each link, and what MkDocs reads from the conversion."""

    html: str
    toc: list  # the toc extension's tokens
    title: str | None  # the text of a first-level heading that opens the page
    anchors: list[str]  # ids (and <a name>) present in the page
    links: list[str]  # each token's link, as written


class PageConverter:
    """Converts generated pages with one MkDocs configuration's Markdown extensions, through the memo."""

    def __init__(self, config, memo: Memo) -> None:
        self.extensions = config["markdown_extensions"]
        self.configs = config["mdx_configs"] or {}
        self.memo = memo
        # Everything the HTML depends on besides the page's text.
        self.settings = key(markdown.__version__, mkdocs.__version__, [str(e) for e in self.extensions],
                            self.configs)
        self._md: markdown.Markdown | None = None

    def convert(self, text: str) -> Converted:
        """The page's Markdown (without front matter) converted, from the memo when it was converted before."""
        digest = key(self.settings, text)
        found = self.memo.get(NAMESPACE, digest)
        if found is not None:
            return Converted(**json.loads(found))
        converted = self._convert(text)
        self.memo.put(NAMESPACE, digest, json.dumps(
            {"html": converted.html, "toc": converted.toc, "title": converted.title, "anchors": converted.anchors,
             "links": converted.links}, ensure_ascii=False).encode("utf-8"))
        return converted

    def _convert(self, text: str) -> Converted:
        if self._md is None:  # one converter, reset for each page: building one costs about as much as a page
            md = self._md = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
            self._raw_html = _RawHTMLPreprocessor()
            self._raw_html._register(md)
            self._anchors = _ExtractAnchorsTreeprocessor(None, None, None)  # type: ignore[arg-type]  # unused
            self._anchors._register(md)
            self._links = _LinkTokens(md)
            md.treeprocessors.register(self._links, "relpath", 0)  # where MkDocs resolves links
            self._title = _ExtractTitleTreeprocessor()
            self._title._register(md)
            self._plain = _only_known_steps(md)
        md = self._md.reset()
        self._anchors.present_anchor_ids, self._links.found, self._title.title = set(), [], None
        text, blocks, ids = set_aside_html(text, md) if self._plain else (text, [], set())
        html = md.convert(text)
        for number, block in enumerate(blocks):
            html = html.replace(_RAW_PLACEHOLDER.format(number), block, 1)
        anchors = self._anchors.present_anchor_ids | self._raw_html.present_anchor_ids | ids
        return Converted(html=html, toc=getattr(md, "toc_tokens", []), title=self._title.title,
                         anchors=sorted(anchors, key=str), links=list(self._links.found))


class FinishedPage(Page):
    """A generated page whose Markdown is the placeholder, when the configured extensions are known to convert
    the placeholder to itself (`placeholder_unchanged`): MkDocs' converter is not built and run for it, and
    `finish` sets what a conversion sets. Any other Markdown is converted as MkDocs converts it."""

    def render(self, config, files) -> None:
        if self.markdown != PLACEHOLDER:
            super().render(config, files)
            return
        self.content = PLACEHOLDER
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        if log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = {}


def placeholder_unchanged(config) -> bool:
    """Whether MkDocs, with this configuration's extensions, converts the placeholder to itself, with no table
    of contents, title or anchors (true of the usual extensions; an extension that adds to every page is not)."""
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    raw_html, title = _RawHTMLPreprocessor(), _ExtractTitleTreeprocessor()
    anchors = _ExtractAnchorsTreeprocessor(None, None, None)  # type: ignore[arg-type]  # it reads none of them
    for step in (raw_html, anchors, title):
        step._register(md)
    return (md.convert(PLACEHOLDER) == PLACEHOLDER and not getattr(md, "toc_tokens", []) and title.title is None
            and not anchors.present_anchor_ids and not raw_html.present_anchor_ids)


def finish(converted: Converted, html: str, page, files, config) -> str:
    """The page's HTML with the placeholder replaced by the finished page, its links resolved as MkDocs does;
    the page's table of contents, title and anchors set as MkDocs' conversion sets them."""
    if html.count(PLACEHOLDER) != 1:
        raise ValueError(f"the converted page has {html.count(PLACEHOLDER)} copies of its placeholder, not 1")
    resolver = _RelativePathTreeprocessor(page.file, files, config)
    resolved = [_escape_attrib_html(resolver.path_to_url(link)) for link in converted.links]
    body = _TOKEN_RE.sub(lambda m: resolved[int(m.group(1))], converted.html) if resolved else converted.html
    page.toc = get_toc(converted.toc)
    page._title_from_render = converted.title
    page.present_anchor_ids = set(converted.anchors)
    if log.getEffectiveLevel() > logging.DEBUG:  # as MkDocs does: anchor checks are skipped in debug output
        page.links_to_anchors = resolver.links_to_anchors
    return html.replace(PLACEHOLDER, body, 1)


# -- raw HTML blocks -------------------------------------------------------------------------------
# Markdown passes a block of raw HTML through unchanged, after parsing it tag by tag (which is where its time
# goes). A block that certainly is one (see set_aside_html) is replaced by a placeholder, which Markdown passes
# through the same way, and is put back after. This is only done where nothing else reads the raw text: with
# no Markdown steps before or after the HTML parser other than the ones below, no fenced code, no `markdown`
# attribute (md_in_html would convert inside the block).
_KNOWN_PRE = {"normalize_whitespace", "html_block", "fenced_code_block", "mkdocs_raw_html"}
_KNOWN_POST = {"raw_html", "amp_substitute"}
_RAW_PLACEHOLDER = '<div data-factdesk-raw="{}"></div>'
_BLANK = re.compile(r"(\n(?:[ \t]*\n)+)")
_NOT_PLAIN = re.compile(r"```|~~~|[\x00-\x08\x0b-\x1f\x7f]|<[^>]*\smarkdown\b", re.IGNORECASE)
# A start or end tag: (end?, name, attributes, self-closing?); attribute values may hold any character but
# their own quote.
_TAG_TEXT = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)"""
                       r"""((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>""")
_ATTRIBUTE = re.compile(r"""\s+([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr"}
_RAW_TEXT = {"script", "style"}


def _only_known_steps(md: markdown.Markdown) -> bool:
    # Registry._priority is private (the stubs omit it); it is the only way to list the registered names.
    return ({item.name for item in md.preprocessors._priority} <= _KNOWN_PRE  # type: ignore[attr-defined]
            and {item.name for item in md.postprocessors._priority} <= _KNOWN_POST)  # type: ignore[attr-defined]


def set_aside_html(text: str, md: markdown.Markdown) -> tuple[str, list[str], set[str]]:
    """The text with each run of raw HTML blocks (between blank lines, well-formed, block-level) replaced by a
    placeholder, the runs as Markdown writes them, and the ids (anchors) in them, as MkDocs' scan finds them."""
    if _NOT_PLAIN.search(text):
        return text, [], set()
    parts = _BLANK.split(text)
    blocks: list[str] = []
    ids: set[str] = set()
    run: list[int] = []  # the parts of the current run of raw blocks

    def close_run() -> None:
        # Markdown writes raw blocks that blank lines separate with one blank line between them.
        blocks.append("\n\n".join(parts[i].rstrip("\n") for i in run))
        last = parts[run[-1]]
        for i in run[1:]:
            parts[i - 1] = parts[i] = ""
        parts[run[0]] = _RAW_PLACEHOLDER.format(len(blocks) - 1) + last[len(last.rstrip("\n")):]
        run.clear()

    for i in range(0, len(parts), 2):
        part = parts[i].rstrip("\n")  # the page's last line break stays
        found = _raw_block(part, md) if part.startswith("<") else None
        if found is None:
            if run:
                close_run()
            continue
        ids |= found
        run.append(i)
    if run:
        close_run()
    return "".join(parts), blocks, ids


def _raw_block(part: str, md: markdown.Markdown) -> set[str] | None:
    """If the text is one or more whole block-level elements, each starting a line and ending one, the ids and
    <a> names in it; otherwise None."""
    tags = list(_TAG_TEXT.finditer(part))
    if len(tags) != part.count("<"):  # a "<" that starts no tag: leave it to Markdown
        return None
    ids: set[str] = set()
    stack: list[str] = []
    end = 0
    raw_text = ""  # inside <script> or <style>: nothing is a tag until its end tag
    for match in tags:
        closing, tag, attributes, empty = match.groups()
        tag = tag.lower()
        if raw_text:
            if closing and tag == raw_text:
                raw_text = ""
                stack.pop()
                end = match.end()
            continue
        if not stack:  # a top-level element starts where the previous one's line ended
            if match.start() != (end + 1 if end else 0) or (end and part[end] != "\n") or closing or empty \
                    or tag in _VOID or not md.is_block_level(tag):
                return None
        if closing:
            if not stack or stack.pop() != tag:
                return None
        else:
            if "id" in attributes or "name" in attributes:
                for name, value in _ATTRIBUTE.findall(attributes):
                    name = name.lower()
                    if name == "id" or (name == "name" and tag == "a"):
                        if not value:
                            return None  # an id without a value: left to Markdown and MkDocs' own scan
                        ids.add(html.unescape(value[1:-1] if value[0] in "\"'" else value))
            if tag not in _VOID and not empty:
                stack.append(tag)
                raw_text = tag if tag in _RAW_TEXT else ""
        end = match.end()
    return ids if not stack and end == len(part) else None


class _LinkTokens(Treeprocessor):
    """Puts a token in place of each link MkDocs would resolve, and keeps the link."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.found: list[str] = []

    def run(self, root) -> None:
        for element in root.iter():
            name = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            url = element.get(name) if name else None
            if url is None or AMP_SUBSTITUTE in url:  # left as is by MkDocs, and Markdown still needs it
                continue
            try:
                parts = urlsplit(url)
            except ValueError:  # MkDocs' resolver reports it, as it would for a page it converts
                parts = None
            if parts is not None and (parts.scheme or parts.netloc):  # external: left as is, nothing recorded
                continue
            element.set(name, _TOKEN.format(len(self.found)))
            self.found.append(url)
