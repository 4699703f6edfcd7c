"""Incremental rebuilds for the live preview: after an edit, only the pages whose content changed are rebuilt.

MkDocs' dirty builds skip a page when `File.is_modified()` is false, but a page
created in memory always counts as modified. Here each generated file carries
its own answer: its content differs from what the previous build published.
The rest of the site is kept correct around that:

- anything that is not claim data (mkdocs.yml, the hand-written pages, the
  theme's files) changes the site's fingerprint, and the next build is a full one;
- hand-written pages are always rebuilt (there are few, and their links point
  into the generated pages);
- pages whose source disappeared are removed from the output;
- the search index is merged: the entries of the rebuilt pages replace theirs,
  the others are kept from the previous build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import clean_directory

log = logging.getLogger("mkdocs.plugins.factdesk")


class GeneratedFile(File):
    """A file made by factdesk that knows whether it changed since the previous build."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed or not os.path.isfile(self.abs_dest_path)


class Preview:
    """What the previous preview build published, kept by the plugin between rebuilds."""

    def __init__(self) -> None:
        self.digests: dict[str, str] = {}  # generated file -> digest of the content published
        self.fingerprint: str | None = None
        self.search: dict[str, list[dict]] | None = None  # page url -> its search entries
        self.full = True
        self.rebuilt: set[str] = set()
        self.pages: set[str] = set()
        self.pending: dict[str, str] = {}

    def start(self, config) -> None:
        """Decide whether this build can be incremental; if not, start from an empty output folder."""
        fingerprint = site_fingerprint(config)
        self.full = self.full or fingerprint != self.fingerprint
        self.fingerprint = fingerprint
        self.rebuilt, self.pending = set(), {}
        if self.full:
            self.digests, self.search = {}, None
            if os.path.isdir(config.site_dir):
                clean_directory(config.site_dir)  # what a build that is not dirty does first
        _forget_previous_search_index(config)

    def add(self, files, config, uri: str, content: str, inclusion) -> None:
        """Add a generated file, marked changed only if its content differs from the published one."""
        file = GeneratedFile.generated(config, uri, content=content, inclusion=inclusion)
        assert isinstance(file, GeneratedFile)  # File.generated builds an instance of the class it is called on
        digest = hashlib.sha1(content.encode("utf-8")).hexdigest()
        file.changed = self.digests.get(uri) != digest
        self.pending[uri] = digest
        files.append(file)

    def prepare(self, files, config) -> None:
        """Remove the output of vanished pages; make hand-written pages rebuild (their output looks older)."""
        for uri in set(self.digests) - set(self.pending):
            gone = File.generated(config, uri, content="")
            if os.path.isfile(gone.abs_dest_path):
                os.remove(gone.abs_dest_path)
        for file in files.documentation_pages():
            if not isinstance(file, GeneratedFile) and os.path.isfile(file.abs_dest_path):
                os.utime(file.abs_dest_path, (0, 0))
        self.pages = {file.url for file in files.documentation_pages()}

    def finish(self, config) -> None:
        """Merge the search index and remember what was published."""
        path = Path(config.site_dir) / "search" / "search_index.json"
        if path.is_file():
            self.search = merge_search_index(path, self.search, self.rebuilt, self.pages)
        changed = sum(1 for uri, digest in self.pending.items() if self.digests.get(uri) != digest)
        log.info(f"factdesk: {'full build' if self.full else 'incremental build'}, "
                 f"{changed} of {len(self.pending)} generated files changed, {len(self.rebuilt)} pages rebuilt")
        self.digests, self.pending, self.full = self.pending, {}, False

    def failed(self) -> None:
        """A build stopped: if it had started writing, the output may be mixed, so the next one is full."""
        if self.pending:
            self.full, self.pending = True, {}


def site_fingerprint(config) -> str:
    """Everything but the claim data that shapes every page: the configuration and the hand-written files."""
    digest = hashlib.sha1(Path(config.config_file_path).read_bytes() if config.config_file_path else b"")
    folders = [config.docs_dir] + ([config.theme.custom_dir] if config.theme.custom_dir else [])
    for folder in folders:
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                stat = os.stat(os.path.join(base, name))
                digest.update(f"{os.path.join(base, name)}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


def merge_search_index(path: Path, previous: dict[str, list[dict]] | None, rebuilt: set[str],
                       pages: set[str]) -> dict[str, list[dict]]:
    """Rewrite the search index written for the rebuilt pages only into one for the whole site."""
    data = json.loads(path.read_text(encoding="utf-8"))
    fresh: dict[str, list[dict]] = {}
    for entry in data["docs"]:
        fresh.setdefault(entry["location"].split("#")[0], []).append(entry)
    if previous is None:
        return fresh
    merged = {page: entries for page, entries in previous.items() if page in pages and page not in rebuilt}
    merged.update(fresh)
    data["docs"] = [entry for entries in merged.values() for entry in entries]
    path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
    return merged


def _forget_previous_search_index(config) -> None:
    """Material's search plugin merges a dirty build's entries with its previous index, assuming one page was
    rebuilt; several were, so it is made to write this build's entries only, and merge_search_index merges."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None and hasattr(plugin, "search_index_prev"):
            plugin.search_index_prev = None


class DirtyNotice(logging.Filter):
    """Drops MkDocs' warning that dirty builds leave navigation stale: the preview rebuilds what it must."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()
