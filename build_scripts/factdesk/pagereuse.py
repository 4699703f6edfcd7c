"""Unchanged generated pages reuse their finished page: the theme's output and the search index's entries.

Rendering the theme around a page and indexing it for search cost MkDocs more than anything else once the
page's own HTML is memoised (see pagehtml.py). Both depend only on what the theme and the search plugin read:

- the page: its HTML, table of contents, metadata, title, addresses, neighbours and edit link, and what
  the adapter adds to its context (the description, social tags and language links come from its PageMeta
  and share card);
- the site: the configuration (with every plugin's options), the navigation as built (titles, addresses,
  structure), the theme's files, the versions of the installed packages, and the build date
  (SOURCE_DATE_EPOCH, which the adapter sets from the data; without it every build is a new date, and
  nothing is reused).

Each page of each site (edition, format) has one slot in the memo, replaced when the page changes, so the
cache does not grow with every edit.

`Reuse` keys each generated page on all of these. A page whose key was built before gets a one-line template
that writes the memoised theme output, and the memoised search entries are added in its place; any other page
is built as usual and its output and entries are memoised. Plugins run on the output afterwards as always
(the adapter's blocks kept out of search go back in then).

This is only done where it is known to be correct: in a build (not the live preview, which rebuilds only
what changed anyway) whose plugins are all ones whose page events read nothing but the above. Any other
plugin or hook turns it off for the build.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import os
import sysconfig
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin
from mkdocs.theme import Theme

from .memo import Memo, key

THEME = "theme"  # memo namespaces: the theme's output of a page, and its search entries
SEARCH = "search"
TEMPLATE = "factdesk-reuse.html"  # overrides/factdesk-reuse.html: writes OUTPUT as it is
OUTPUT = "factdesk_output"
# Plugins whose page events depend only on what the key holds (Material's search indexes the page's HTML,
# toc, title, metadata and address; the offline plugin acts after the build).
KNOWN_PLUGINS = {"search", "material/search", "offline", "material/offline", "factdesk"}


class Reuse:
    """The theme output and search entries of one build's generated pages, by key, through the memo."""

    def __init__(self, memo: Memo, config) -> None:
        self.memo = memo
        self.search_plugin = _search_plugin(config)
        unknown = sorted(set(config.plugins) - KNOWN_PLUGINS)
        # Why a build does not reuse pages, or "" when it does.
        self.off = f"plugins {', '.join(unknown)} may read more than a page's key holds" if unknown else \
            "" if self.search_plugin is not None or not any(n.endswith("search") for n in config.plugins) else \
            "the search plugin is not Material's"
        self.page_parts: dict[str, str] = {}  # page -> digest of its own inputs (on_page_content)
        # page -> (its slot: the page in this site, its key: the page's own inputs); see Memo.get_slot
        self.keys: dict[str, tuple[str, str]] = {}
        self.hits: set[str] = set()
        self._entries_before = 0

    def note_page(self, page, html: str, meta, card_url: str) -> None:
        """Remember the page's own inputs, as they are once every plugin has changed its HTML."""
        if self.off:
            return
        neighbours = [(getattr(p, "url", None), p.title) if p is not None else None
                      for p in (page.previous_page, page.next_page, *page.ancestors)]
        self.page_parts[page.file.src_uri] = key(
            html, _toc(page.toc), _plain(page.meta), page.title, page.url, page.canonical_url, page.abs_url,
            page.edit_url, page.file.dest_uri, page.is_homepage, neighbours, _plain(meta), card_url)

    def decide(self, config, nav, files) -> None:
        """Once every page is read (MkDocs' env event): key each noted page on the site too, and give those
        built before the template that writes their memoised output."""
        if self.off or not self.page_parts:
            return
        site = key(_plain(dict(config), skip={"site_dir"}), _nav(nav), _theme_files(tuple(config.theme.dirs)),
                   _installed(), os.environ.get("SOURCE_DATE_EPOCH") or str(time.time()))  # the build date
        for file in files.documentation_pages():
            part = self.page_parts.get(file.src_uri)
            if part is None or file.page is None:
                continue
            slot = key(site, file.src_uri)
            self.keys[file.src_uri] = (slot, part)
            if self.memo.has_slot(THEME, slot, part) and self.memo.has_slot(SEARCH, slot, part):
                self.hits.add(file.src_uri)
                file.page.meta["template"] = TEMPLATE
        self.page_parts = {}

    def before_context(self, context, page) -> None:
        """Before the search plugin sees the page: for a reused page, its memoised output goes into the context
        and its entries into the index (and the page is kept out of the plugin's own indexing)."""
        uri = page.file.src_uri
        if uri in self.hits:
            output, entries = self.memo.get_slot(THEME, *self.keys[uri]), self.memo.get_slot(SEARCH, *self.keys[uri])
            if output is None or entries is None:  # the cache folder was emptied during the build
                raise ReuseError(f"the build cache lost the entries of {uri} during the build; build again")
            context[OUTPUT] = output.decode("utf-8")
            if self.search_plugin is not None:
                self.search_plugin.search_index.entries.extend(json.loads(entries))
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
            page.content = ""  # nothing reads it again
        elif self.search_plugin is not None:
            self._entries_before = len(self.search_plugin.search_index.entries)

    def after_context(self, page) -> None:
        """After the search plugin indexed a page that is built: memoise its entries."""
        uri = page.file.src_uri
        if uri in self.keys and uri not in self.hits:
            index = self.search_plugin.search_index if self.search_plugin is not None else None
            entries = index.entries[self._entries_before:] if index is not None else []
            self.memo.put_slot(SEARCH, *self.keys[uri], json.dumps(entries, ensure_ascii=False).encode("utf-8"))

    def after_theme(self, output: str, page) -> None:
        """The theme's output of a built page, before any plugin changes it: memoised."""
        uri = page.file.src_uri
        if uri in self.keys and uri not in self.hits:
            self.memo.put_slot(THEME, *self.keys[uri], output.encode("utf-8"))


class ReuseError(Exception):
    pass


def _search_plugin(config):
    """Material's search plugin, whose index entries are reused; None without it."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None and type(plugin).__module__.startswith("material."):
            return plugin
    return None


def _toc(items) -> list:
    return [[item.title, item.id, item.level, _toc(item.children)] for item in items]


def _nav(nav) -> list:
    """The navigation as the theme writes it: each item's kind, title, address and children."""
    def item(entry) -> list:
        children = getattr(entry, "children", None) or []
        return [type(entry).__name__, entry.title, getattr(entry, "url", None), [item(c) for c in children]]
    return [item(entry) for entry in nav.items] + [nav.homepage.url if nav.homepage else None]


def _plain(value: Any, skip: frozenset | set = frozenset()) -> Any:
    """The configuration (or page metadata) as a key reads it: every mapping as a dict with text keys (MkDocs'
    options are mappings of their own kind), the theme by its name, folders and options, a plugin by its class
    and options. Everything else is left to `memo.key` (records, sets, dates; an object it can only write by
    its text makes the key miss when that text changes from run to run, never hit wrongly)."""
    if isinstance(value, Theme):
        return ["theme", value.name, list(value.dirs), _plain(dict(value.items()))]
    if isinstance(value, BasePlugin):
        return [type(value).__module__, type(value).__qualname__, _plain(value.config)]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if k not in skip}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _theme_files(dirs: tuple[str, ...]) -> str:
    """The theme's folders by their files' content; a folder of an installed package by the package's version
    (in `_installed`), since reading its thousands of icons would cost more than the pages it saves."""
    packages = {Path(sysconfig.get_paths()[name]).resolve() for name in ("purelib", "platlib")}
    parts: list = []
    for folder in dirs:
        where = Path(folder).resolve()
        if any(where.is_relative_to(p) for p in packages):
            parts.append(str(where))
            continue
        for base, subdirs, names in os.walk(where):
            subdirs.sort()
            for name in sorted(names):
                path = Path(base, name)
                parts.append((str(path.relative_to(where)), path.read_bytes()))
    return key(*[repr(p) for p in parts])


@functools.lru_cache(maxsize=1)
def _installed() -> list:
    """Every installed distribution and its version: the theme, MkDocs, Markdown, Jinja and the rest."""
    return sorted({(d.metadata["Name"] or "", d.version) for d in importlib.metadata.distributions()})
