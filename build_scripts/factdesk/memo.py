"""One memo for everything Factdesk computes from its inputs: in memory for a session, on disk between builds.

A value is stored under a namespace (what kind of output it is: "card", "page", ...) and a key computed from
every input it depends on (`key(...)` hashes them). The disk cache lives in one folder, git-ignored and safe
to delete (`.factdesk-cache/` next to mkdocs.yml by default); its entries are also keyed by Factdesk's
version, so an upgrade never reads what an older version wrote. Writes are atomic: a reader sees a whole
entry or none.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from . import __version__

FOLDER = ".factdesk-cache"


def key(*parts: Any) -> str:
    """A stable digest of the inputs an output depends on: text, bytes, numbers, JSON-able structures, records
    (dataclasses, by their fields), sets (in sorted order) and dates."""
    digest = hashlib.sha256(_code())
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = part.encode("utf-8")
        else:
            data = json.dumps(part, sort_keys=True, ensure_ascii=False, default=_plain).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """A value json.dumps cannot write, as one it can that stays the same from one run to the next."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, [getattr(value, f.name) for f in dataclasses.fields(value)]]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(v, sort_keys=True, ensure_ascii=False, default=_plain) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return repr(value)  # an object without a stable text changes its key every run: a miss, never a wrong hit


@functools.lru_cache(maxsize=1)
def _code() -> bytes:
    """Factdesk's version and a digest of its own files (code, templates, catalogues, assets): entries written
    by other code are never read, also while Factdesk is being worked on without a new version."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


class Memo:
    """Values by (namespace, key): kept in memory, and as files under `folder` when one is given."""

    def __init__(self, folder: Path | None = None, remember: bool = True) -> None:
        self.folder = folder
        # A build reads each entry once: with a folder and `remember` off, values are not kept in memory too.
        self.remember = remember or folder is None
        self._made: set[Path] = set()  # folders known to exist
        self.memory: dict[tuple[str, str], bytes] = {}
        self.hits = 0
        self.misses = 0

    def get(self, namespace: str, digest: str) -> bytes | None:
        found = self.memory.get((namespace, digest))
        if found is None and self.folder is not None:
            try:
                found = self._path(namespace, digest).read_bytes()
            except OSError:
                found = None
            if found is not None and self.remember:
                self.memory[(namespace, digest)] = found
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, namespace: str, digest: str, value: bytes) -> None:
        if self.remember:
            self.memory[(namespace, digest)] = value
        if self.folder is None:
            return
        path = self._path(namespace, digest)
        partial = path.with_name(f".partial-{os.getpid()}-{threading.get_ident()}-{digest}")
        try:
            if path.parent not in self._made:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(path.parent)
            partial.write_bytes(value)
            os.replace(partial, path)
        except OSError:  # a cache that cannot be written is only slower, never wrong
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)

    def _path(self, namespace: str, digest: str) -> Path:
        assert self.folder is not None
        return self.folder / namespace / digest[:2] / digest
