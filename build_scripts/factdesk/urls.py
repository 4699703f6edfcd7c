"""Where each generated page is published: its path in the docs tree and the URLs that lead to it.

Every module that links to a page asks here, so that a page's address is written in one place.
"""

from __future__ import annotations

import posixpath

from .model import slug


def tag_uri(tag: str) -> str:
    # 'index' is the list of all tags; a tag of that name gets another address.
    return f"tags/{tag}.md" if tag != "index" else "tags/index-tag.md"


def claimant_key(claimant: str) -> str:
    """The address of a claimant's page, from the name ('index' is taken by the list of claimants)."""
    key = slug(claimant) or "unnamed"
    return key if key != "index" else "index-claimant"


def claim_uri(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


def source_uri(source_id: str) -> str:
    return f"sources/{source_id}.md"


def page_url(uri: str, use_directory_urls: bool) -> str:
    """The URL path (relative to the site root) a page's Markdown file is published at."""
    if not uri.endswith(".md"):
        return uri
    stem = uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        base = stem[: -len("index")]
        return base if use_directory_urls else base + "index.html"
    return stem + "/" if use_directory_urls else stem + ".html"


def relative_url(from_uri: str, to_uri: str, use_directory_urls: bool) -> str:
    """A link from one page to another page or file, relative so that it works from any folder."""
    here = page_url(from_uri, use_directory_urls)
    there = page_url(to_uri, use_directory_urls)
    rel = _relpath(there, posixpath.dirname(here))
    if there.endswith("/") or not there:
        rel = "./" if rel == "." else rel + "/"
    return rel


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for clean relative paths, without its calls to os.getcwd() (thousands per page list)."""
    to, base = [p for p in target.split("/") if p], [p for p in start.split("/") if p]
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."
