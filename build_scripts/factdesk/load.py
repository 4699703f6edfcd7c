"""Loading a project: find the data files, read them strictly, convert each one."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .convert import ID_RE, Reader
from .memo import Memo
from .memo import key as memo_key
from .model import Claim, ClaimTranslation, Corpus, Scale, Source, SourceTranslation, Timeline
from .problems import Problem
from .translations import language_problem, split_name
from .yamlstrict import parse_yaml

MAX_SNAPSHOT_BYTES = 5_000_000
RECORDS = "record"  # the memo's namespace of files read: each one's record and problems
# Where a project keeps its data, relative to mkdocs.yml: the factdesk plugin options of these names change it.
DEFAULT_PATHS = {"claims": "claims", "sources": "claims/sources", "ratings": "ratings.yaml", "events": "events.yaml"}


@dataclass(frozen=True)
class Layout:
    """Where a project keeps its data; every path is absolute."""

    root: Path
    claims_dir: Path
    sources_dir: Path
    ratings_file: Path
    events_file: Path

    @classmethod
    def under(cls, root: Path, claims: str = DEFAULT_PATHS["claims"], sources: str = DEFAULT_PATHS["sources"],
              ratings: str = DEFAULT_PATHS["ratings"], events: str = DEFAULT_PATHS["events"]) -> Layout:
        root = root.resolve()
        return cls(root, root / claims, root / sources, root / ratings, root / events)

    def rel(self, path: Path) -> str:
        """A path as shown in messages: relative to the project folder.

        Symlinks are not followed: a problem is reported under the name the contributor sees.
        """
        path = Path(os.path.abspath(path))
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def contains(self, path: Path) -> bool:
        """Whether `path`, with symlinks followed, is inside the project (a symlink loop counts as inside:
        reading it fails with a clear error)."""
        try:
            return path.resolve().is_relative_to(self.root)
        except RuntimeError:  # a symlink loop (Python < 3.13)
            return True


def load(layout: Layout, today: dt.date, memo: Memo | None = None,
         languages: tuple[str, ...] = ()) -> tuple[Corpus, list[Problem]]:
    """Read the scale, every source and every claim, and their translations into `languages`; convert what is
    valid, report the rest.

    With a `memo`, a file whose bytes were read before (with the same day and rating scale) is not parsed
    again: its record and problems come from the memo (a build reloads thousands of files, and the live
    preview does after each edit).
    """
    problems: list[Problem] = []
    scale = _read_one(layout, layout.ratings_file, Scale, today, None, problems, kind="rating scale", memo=memo)
    rating_ids = scale.ids if scale else None
    timeline = None
    if layout.events_file.exists():  # the timeline's events are optional
        timeline = _read_one(layout, layout.events_file, Timeline, today, None, problems, memo=memo)
    sources: list[Source] = []
    snapshots: dict[str, str] = {}
    source_translations: dict[str, dict[str, SourceTranslation]] = {}
    for path in _data_files(layout, layout.sources_dir, problems):
        if _translation(layout, path, SourceTranslation, source_translations, today, languages, problems, memo):
            continue
        source = _read_one(layout, path, Source, today, None, problems, memo=memo)
        if source is not None:
            sources.append(source)
            snapshot = _read_snapshot(layout, path, source, problems)
            if snapshot is not None:
                snapshots[source.id] = snapshot
    claims: list[Claim] = []
    claim_translations: dict[str, dict[str, ClaimTranslation]] = {}
    for path in _data_files(layout, layout.claims_dir, problems):
        if _translation(layout, path, ClaimTranslation, claim_translations, today, languages, problems, memo):
            continue
        claim = _read_one(layout, path, Claim, today, rating_ids, problems, memo=memo)
        if claim is not None:
            claims.append(claim)
    corpus = Corpus(scale=scale, timeline=timeline, claims=tuple(claims), sources=tuple(sources), snapshots=snapshots,
                    claim_translations=claim_translations, source_translations=source_translations)
    return corpus, problems


def _translation(layout: Layout, path: Path, cls: type, table: dict, today: dt.date, languages: tuple[str, ...],
                 problems: list[Problem], memo: Memo | None) -> bool:
    """Read `path` into `table` if its name marks it as a translation (`<id>.<language>.yaml`); say whether it
    does."""
    named = split_name(path.stem)
    if named is None:
        return False
    record_id, language = named
    wrong = language_problem(language, languages)
    if wrong is not None:
        problems.append(Problem(layout.rel(path), 1, 1, "", *wrong))
        return True
    record = _read_one(layout, path, cls, today, None, problems, memo=memo)
    if record is not None:
        table.setdefault(language, {})[record_id] = record
    return True


def _data_files(layout: Layout, folder: Path, problems: list[Problem]) -> list[Path]:
    if not folder.is_dir():
        problems.append(Problem(layout.rel(folder), 1, 1, "", "folder not found",
                                "create it, or set the folder in the factdesk plugin options of mkdocs.yml"))
        return []
    for odd in sorted(folder.glob("*.yml")):
        problems.append(Problem(layout.rel(odd), 1, 1, "", "data files must end in .yaml, not .yml",
                                f"rename it to {odd.stem}.yaml"))
    return _distinct_names(layout, sorted(folder.glob("*.yaml")), problems)


def _distinct_names(layout: Layout, paths: list[Path], problems: list[Problem]) -> list[Path]:
    """The files whose names differ from every other's in more than letter case; the rest are reported.

    Windows and macOS do not tell 'Moon.yaml' from 'moon.yaml', so two such files would be one there, and
    their ids would give the same page address on those systems. The name that is a valid id is kept.
    """
    groups: dict[str, list[Path]] = {}
    for path in paths:
        groups.setdefault(unicodedata.normalize("NFKC", path.name).casefold(), []).append(path)
    keep = []
    for group in groups.values():
        group.sort(key=lambda p: (not ID_RE.match(p.stem), p.name))
        keep.append(group[0])
        for other in group[1:]:
            problems.append(Problem(layout.rel(other), 1, 1, "", f"file name '{other.name}' differs from "
                                    f"'{group[0].name}' only in upper and lower case",
                                    "Windows and macOS see the two as one file; give each record its own lower-case "
                                    "id and name the file after it"))
    return sorted(keep)


def _read_one(layout: Layout, path: Path, cls: type, today: dt.date, rating_ids, problems: list[Problem],
              kind: str = "", memo: Memo | None = None):
    rel = layout.rel(path)
    if path.is_symlink() and not layout.contains(path):  # a configured path outside the project is allowed
        problems.append(Problem(rel, 1, 1, "", f"{kind or 'file'} is a link leading outside the project",
                                "copy the file into the project instead of linking to it"))
        return None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(rel, 1, 1, "", f"{kind or 'file'} not found",
                                "create it, or point the factdesk plugin options in mkdocs.yml at it"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, 1, 1, "", f"cannot read the file: {exc.strerror}",
                                "check that it is a plain file you are allowed to read"))
        return None
    digest = memo_key(cls.__name__, rel, data, today, sorted(rating_ids or ())) if memo is not None else ""
    stored = memo.get(RECORDS, digest) if memo is not None else None
    if stored is not None:
        record, found = pickle.loads(stored)  # written by this code (the key holds its digest), from this file
    else:
        record, found = _convert(rel, path.stem, data, cls, today, rating_ids)
        if memo is not None:
            memo.put(RECORDS, digest, pickle.dumps((record, found), protocol=pickle.HIGHEST_PROTOCOL))
    problems.extend(found)
    return record


def _convert(rel: str, stem: str, data: bytes, cls: type, today: dt.date, rating_ids):
    """One file's record (or None) and its problems."""
    root, problems = parse_yaml(data, rel)
    if root is None:
        return None, problems
    reader = Reader(rel, today=today, rating_ids=rating_ids)
    record = reader.read(root, cls)
    problems.extend(reader.problems)
    if record is not None and hasattr(record, "id") and record.id != stem:
        line, col = record.origin.at("id")
        also = f" or set id: {stem}" if ID_RE.match(stem) else ""
        problems.append(Problem(rel, line, col, "id", f"id '{record.id}' differs from the file name '{stem}'",
                                f"rename the file to {record.id}.yaml{also}"))
        return None, problems
    return record, problems


def _read_snapshot(layout: Layout, path: Path, source: Source, problems: list[Problem]) -> str | None:
    if source.snapshot is None:
        return None
    rel = layout.rel(path)
    line, col = source.origin.at("snapshot")
    target = path.parent / source.snapshot
    if not layout.contains(target):
        problems.append(Problem(rel, line, col, "snapshot", "the snapshot path leads outside the project",
                                "keep the snapshot next to the source file"))
        return None
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(rel, line, col, "snapshot", f"snapshot file '{source.snapshot}' not found",
                                f"save the source's text as {layout.rel(target)}"))
        return None
    except IsADirectoryError:
        problems.append(Problem(rel, line, col, "snapshot", f"snapshot '{source.snapshot}' is a folder, not a file",
                                "give the name of the text file holding the source's text"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, line, col, "snapshot", f"cannot read snapshot file '{source.snapshot}': "
                                f"{exc.strerror}", "check that it is a plain file you are allowed to read"))
        return None
    if len(data) > MAX_SNAPSHOT_BYTES:
        problems.append(Problem(rel, line, col, "snapshot", f"snapshot is {len(data):,} bytes; "
                                f"the limit is {MAX_SNAPSHOT_BYTES:,}", "keep only the text of the article"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(rel, line, col, "snapshot", f"snapshot '{source.snapshot}' is not valid UTF-8",
                                "save it as UTF-8 plain text"))
        return None
