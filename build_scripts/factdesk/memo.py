"""One memo for everything Factdesk computes from its inputs: in memory for a session, on disk between builds.

A value is stored under a namespace (what kind of output it is: "card", "page", ...) and a key computed from
every input it depends on (`key(...)` hashes them). The disk cache lives in one folder, git-ignored and safe
to delete (`.factdesk-cache/` next to mkdocs.yml by default); its entries are also keyed by Factdesk's
version, so an upgrade never reads what an older version wrote. Writes are atomic: a reader sees a whole
entry or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

FOLDER = ".factdesk-cache"


def key(*parts: Any) -> str:
    """A stable digest of the inputs an output depends on: text, bytes, numbers, or JSON-able structures."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = part.encode("utf-8")
        else:
            data = json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class Memo:
    """Values by (namespace, key): kept in memory, and as files under `folder` when one is given."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
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
            if found is not None:
                self.memory[(namespace, digest)] = found
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, namespace: str, digest: str, value: bytes) -> None:
        self.memory[(namespace, digest)] = value
        if self.folder is None:
            return
        path = self._path(namespace, digest)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, partial = tempfile.mkstemp(prefix=".partial-", dir=path.parent)
            with os.fdopen(fd, "wb") as out:
                out.write(value)
            os.replace(partial, path)
        except OSError:  # a cache that cannot be written is only slower, never wrong
            pass

    def _path(self, namespace: str, digest: str) -> Path:
        assert self.folder is not None
        return self.folder / namespace / digest[:2] / digest
