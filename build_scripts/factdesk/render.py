"""Rendering: the checked corpus becomes Markdown pages (and a stylesheet), keyed by path.

This module does not import MkDocs: the pages it returns can be handed to the
MkDocs adapter or written into any folder for another engine to build.
Contributor text is escaped (plain-text fields) or rendered and sanitised
(Markdown fields) here, so templates never emit unchecked markup.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import Counter
from dataclasses import dataclass
from importlib import resources

import markdown
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from .model import Claim, Corpus

CSS_URI = "assets/factdesk.css"
STANCE_ORDER = ("supports", "contradicts", "context")
STANCE_TITLES = {"supports": "Supports the claim", "contradicts": "Contradicts the claim", "context": "Context"}

# What contributor Markdown may produce; everything else is stripped.
ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4",
                "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https"}


@dataclass(frozen=True)
class SiteOptions:
    """What the renderer needs to know about the site it writes for."""

    use_directory_urls: bool = True


def render_site(corpus: Corpus, options: SiteOptions = SiteOptions()) -> dict[str, str]:
    """Every generated page (Markdown) and asset, keyed by its path in the docs tree."""
    env = _environment(options)
    claims = sorted(corpus.claims, key=lambda c: (c.claim_date, c.id), reverse=True)
    sources = sorted(corpus.sources, key=lambda s: (s.publisher.lower(), s.published, s.id))
    citations = _citations(corpus)
    common = {"corpus": corpus, "scale": corpus.scale}
    pages = {
        "claims/index.md": ("claims_index.md.j2", {"claims": claims,
                                                   "tally": Counter(c.verdict for c in claims)}),
        "sources/index.md": ("sources_index.md.j2", {"sources": sources, "citations": citations}),
        "ratings.md": ("ratings.md.j2", {"tally": Counter(c.verdict for c in claims)}),
    }
    for claim in claims:
        pages[claim_uri(claim.id)] = ("claim.md.j2", {"claim": claim})
    for source in sources:
        pages[source_uri(source.id)] = ("source.md.j2", {"source": source, "cited_by": citations[source.id]})
    out = {uri: env.get_template(name).render(page_uri=uri, **common, **context)
           for uri, (name, context) in pages.items()}
    out[CSS_URI] = resources.files("factdesk").joinpath("assets/factdesk.css").read_text(encoding="utf-8")
    return out


def claim_uri(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


def source_uri(source_id: str) -> str:
    return f"sources/{source_id}.md"


def _citations(corpus: Corpus) -> dict[str, list[tuple[Claim, str]]]:
    """For each source id, the claims citing it and how (appeared, supports, contradicts, context)."""
    out: dict[str, list[tuple[Claim, str]]] = {s.id: [] for s in corpus.sources}
    for claim in sorted(corpus.claims, key=lambda c: c.id):
        for item in claim.appearances:
            out.setdefault(item.source, []).append((claim, "appeared"))
        for item in claim.evidence:
            out.setdefault(item.source, []).append((claim, item.stance))
    return {sid: list(dict.fromkeys(refs)) for sid, refs in out.items()}


# -- URLs ----------------------------------------------------------------------------------------

def page_url(uri: str, use_directory_urls: bool) -> str:
    """The URL path (relative to the site root) a page's Markdown file is published at."""
    stem = uri[: -len(".md")] if uri.endswith(".md") else uri
    if not uri.endswith(".md"):
        return uri
    if stem == "index" or stem.endswith("/index"):
        base = stem[: -len("index")]
        return base if use_directory_urls else base + "index.html"
    return stem + "/" if use_directory_urls else stem + ".html"


def relative_url(from_uri: str, to_uri: str, use_directory_urls: bool) -> str:
    """A link from one page to another page or file, relative so that it works from any folder."""
    here = page_url(from_uri, use_directory_urls)
    there = page_url(to_uri, use_directory_urls)
    rel = posixpath.relpath(there or ".", posixpath.dirname(here) or ".")
    if there.endswith("/") or not there:
        rel = "./" if rel == "." else rel + "/"
    return rel


# -- template helpers ----------------------------------------------------------------------------

def _environment(options: SiteOptions) -> Environment:
    env = Environment(
        loader=PackageLoader("factdesk", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    @pass_context
    def link(context, target: str) -> str:
        return relative_url(context["page_uri"], target, options.use_directory_urls)

    env.globals.update(link=link, claim_uri=claim_uri, source_uri=source_uri, text_colour=text_colour,
                       STANCE_ORDER=STANCE_ORDER, STANCE_TITLES=STANCE_TITLES)
    env.filters.update(md=markdown_html, mdtext=markdown_text, longdate=long_date)
    return env


def markdown_html(text: str) -> Markup:
    """Contributor Markdown as sanitised HTML: no raw HTML, scripts, styles or non-http(s) links."""
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|~"})


def markdown_text(text: str) -> Markup:
    """Plain text made safe to place in Markdown (headings, table cells): escaped as HTML and as Markdown."""
    return Markup(escape(" ".join(text.split()).translate(_MD_SPECIAL)))


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG relative luminance)."""
    lum = _luminance(background)
    on_white = (1.05) / (lum + 0.05)
    on_black = (lum + 0.05) / 0.05
    return "#ffffff" if on_white >= on_black else "#000000"


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

