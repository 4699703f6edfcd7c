"""One memo for everything Factdesk computes from its inputs: in memory for a session, on disk between builds.

A value is stored under a namespace (what kind of output it is: "card", "page", ...) and a key computed from
every input it depends on (`key(...)` hashes them). The disk cache lives in one folder, git-ignored and safe
to delete (`.factdesk-cache/` next to mkdocs.yml by default); its entries are also keyed by Factdesk's
version, so an upgrade never reads what an older version wrote. An entry that no build has read or written
for `KEEP_DAYS` days is removed (`prune`, at most once a day), so the folder holds what recent builds use, of
every edition and format, and no more.

Entries are the project's own outputs and records (some as pickles): the folder must only ever be written by
Factdesk, like any build folder. Never restore it from a source you would not run code from.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import logging
import sqlite3
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from . import __version__

FOLDER = ".factdesk-cache"
DATABASE = "memo.sqlite"  # in FOLDER
KEEP_DAYS = 30
log = logging.getLogger("mkdocs.plugins.factdesk")


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
    """Values by (namespace, key): kept in memory, and in one SQLite database under `folder` when one is given.

    One file rather than a file per entry: a warm build of a large site reads a quarter of a million entries,
    and opening that many files costs more than the pages they save, above all right after a cache is restored
    (nothing of it in the system's caches yet). Writes are grouped into transactions of `BATCH` entries and
    committed at `flush()` (the adapter flushes at the end of each build; anything not yet flushed is committed
    when the memo is collected or the process ends). A reader sees whole entries or none. A database that
    cannot be opened or written only makes builds slower: the memo then keeps values in memory alone.
    """

    BATCH = 500

    def __init__(self, folder: Path | None = None, remember: bool = True) -> None:
        self.folder = folder
        # A build reads each entry once: with a folder and `remember` off, values are not kept in memory too.
        self.remember = remember or folder is None
        self.memory: dict[tuple[str, str], bytes] = {}
        self.hits = 0
        self.misses = 0
        self.clock = time.time  # seconds since the epoch: when entries are used (tests move it)
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._lock = threading.Lock()
        self._writes = 0  # entries written in the open transaction
        self._used: list[tuple[int, str, str]] = []  # entries read whose day of last use is older than today

    def get(self, namespace: str, digest: str) -> bytes | None:
        found = self.memory.get((namespace, digest))
        if found is None and (db := self._database()) is not None:
            with self._lock, _quiet():
                row = db.execute("SELECT value, used FROM entries WHERE namespace = ? AND key = ?",
                                 (namespace, digest)).fetchone()
                if row is not None:
                    found = row[0]
                    if row[1] < (today := self._day()):
                        self._used.append((today, namespace, digest))
            if found is not None and self.remember:
                self.memory[(namespace, digest)] = found
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def has(self, namespace: str, digest: str, prefix: bytes = b"") -> bool:
        """Whether a value is stored (that starts with `prefix`), without reading it."""
        if (namespace, digest) in self.memory:
            return self.memory[(namespace, digest)].startswith(prefix)
        db = self._database()
        if db is None:
            return False
        with self._lock, _quiet():
            return db.execute("SELECT 1 FROM entries WHERE namespace = ? AND key = ? AND substr(value, 1, ?) = ?",
                              (namespace, digest, len(prefix), prefix)).fetchone() is not None
        return False  # the database failed

    # A slot holds one value for one output (a page of one edition, say) and the key of the inputs it was made
    # from: an output that changes with every edit (a page listing the whole archive) replaces its previous
    # value rather than adding one more.

    def get_slot(self, namespace: str, slot: str, digest: str) -> bytes | None:
        """The value in a slot, if it was made from the inputs whose key is `digest`."""
        found = self.get(namespace, slot)
        head = digest.encode() + b"\n"
        if found is not None and not found.startswith(head):  # made from other inputs: a miss
            self.hits, self.misses, found = self.hits - 1, self.misses + 1, None
        return found[len(head):] if found is not None else None

    def has_slot(self, namespace: str, slot: str, digest: str) -> bool:
        return self.has(namespace, slot, digest.encode() + b"\n")

    def put_slot(self, namespace: str, slot: str, digest: str, value: bytes) -> None:
        self.put(namespace, slot, digest.encode() + b"\n" + value)

    def put(self, namespace: str, digest: str, value: bytes) -> None:
        if self.remember:
            self.memory[(namespace, digest)] = value
        db = self._database()
        if db is None:
            return
        with self._lock, _quiet():
            if not db.in_transaction:
                db.execute("BEGIN")
            db.execute("INSERT OR REPLACE INTO entries (namespace, key, value, used) VALUES (?, ?, ?, ?)",
                       (namespace, digest, value, self._day()))
            self._writes += 1
            if self._writes >= self.BATCH:
                self._commit(db)

    def flush(self) -> None:
        """Commit what was written, and when entries were last used."""
        db = self._db
        if db is not None:
            with self._lock, _quiet():
                self._commit(db)

    def entries(self, namespace: str) -> dict[str, bytes]:
        """Every value stored under a namespace, by key (in the database, and in memory)."""
        found: dict[str, bytes] = {}
        if (db := self._database()) is not None:
            with self._lock, _quiet():
                found.update(db.execute("SELECT key, value FROM entries WHERE namespace = ?", (namespace,)))
        found.update({digest: value for (ns, digest), value in self.memory.items() if ns == namespace})
        return found

    def prune(self, days: int = KEEP_DAYS) -> int:
        """Remove the entries no build has read or written for `days` days; at most once a day. The number
        removed."""
        db = self._database()
        if db is None:
            return 0
        today = self._day()
        with self._lock, _quiet():
            self._commit(db)
            last = db.execute("SELECT value FROM state WHERE name = 'pruned'").fetchone()
            if last is not None and int(last[0]) >= today:
                return 0
            removed = db.execute("DELETE FROM entries WHERE used < ?", (today - days,)).rowcount
            db.execute("INSERT OR REPLACE INTO state (name, value) VALUES ('pruned', ?)", (today,))
            return removed
        return 0  # the database failed

    def _day(self) -> int:
        return int(self.clock() // 86400)

    def _commit(self, db: sqlite3.Connection) -> None:
        if self._used:
            if not db.in_transaction:
                db.execute("BEGIN")
            db.executemany("UPDATE entries SET used = ? WHERE namespace = ? AND key = ?", self._used)
            self._used = []
        if db.in_transaction:
            db.execute("COMMIT")
        self._writes = 0

    def _database(self) -> sqlite3.Connection | None:
        if self._opened or self.folder is None:
            return self._db
        self._opened = True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.folder / DATABASE, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode = WAL")  # readers do not wait for a writer
            db.execute("PRAGMA synchronous = NORMAL")  # a cache: losing the last transaction in a crash is fine
            db.execute("CREATE TABLE IF NOT EXISTS entries (namespace TEXT NOT NULL, key TEXT NOT NULL, "
                       "value BLOB NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID")
            db.execute("CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            log.debug(f"factdesk: the build cache in {self.folder} cannot be used ({exc}); building without it")
            return None
        self._db = db
        weakref.finalize(self, _close, db)
        return db


def _close(db: sqlite3.Connection) -> None:
    """Commit what is left and close (when a memo is collected, or at exit)."""
    with contextlib.suppress(sqlite3.Error):
        if db.in_transaction:
            db.execute("COMMIT")
        db.close()


@contextlib.contextmanager
def _quiet():
    """A database error (a full disk, another process holding the lock too long) only costs the entry."""
    try:
        yield
    except sqlite3.Error as exc:
        log.debug(f"factdesk: the build cache failed: {exc}")
