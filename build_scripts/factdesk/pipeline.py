"""The whole check, in order: load, validate each file, then check the corpus."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .crosscheck import MIN_ORIGINS, check_corpus, check_records
from .load import Layout, load
from .memo import Memo
from .memo import key as memo_key
from .model import Corpus
from .problems import Problem, sort_problems
from .translations import check_translations

if TYPE_CHECKING:
    from .changes import Baseline


@dataclass
class Result:
    corpus: Corpus
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(layout: Layout, *, today: dt.date | None = None, strict: bool = False,
          only: frozenset[str] | None = None, since: Baseline | None = None, memo: Memo | None = None,
          min_origins: int = MIN_ORIGINS, reviews_due: bool = False, languages: tuple[str, ...] = (),
          strict_translations: bool = False) -> Result:
    """Load and check a project; with `strict`, warnings count as errors.

    `only` (paths relative to the project) limits per-file problems to those files; cross-file
    checks still look at everything. `since` adds the rule that a verdict never changes silently.
    With a `memo`, files read before are not parsed again (see load.load). `min_origins` is the number of
    independent origins a verdict's evidence needs; `reviews_due` reports claims whose next review is before
    `today` (the check command does; builds do not, so that a site never depends on the day it is built).
    `languages` are the editions besides the original's whose translations (`<id>.<language>.yaml`) are read;
    with `strict_translations`, an out-of-date one is an error.
    """
    today = today or dt.date.today()
    # One process checks a project once: `factdesk bundle` and `factdesk build` check before MkDocs runs, and the
    # plugin's check inside each edition's build finds the same inputs here.
    reuse = only is None and since is None
    inputs = memo_key(str(layout), today, strict, min_origins, reviews_due, languages, strict_translations)
    if reuse and (hit := _checked.get(inputs)) is not None and hit[0] == _stamps(layout, hit[1]):
        return hit[2]
    corpus, problems = load(layout, today, memo, languages)
    problems.extend(check_records(corpus))
    if only is not None:
        problems = _limit(layout, problems, only)
    if since is not None:
        from .changes import silent_verdict_changes

        problems.extend(silent_verdict_changes(corpus, since))
    if not any(p.is_error for p in problems):
        problems.extend(check_corpus(corpus, min_origins=min_origins, review_date=today if reviews_due else None))
        # Out-of-date translations are warnings unless the desk asks for more.
        problems.extend(p.promoted() if strict_translations else p for p in check_translations(corpus))
    if strict:
        problems = [p.promoted() for p in problems]
    result = Result(corpus, sort_problems(problems))
    if reuse:
        read = sorted({layout.root / s.origin.path for s in corpus.sources} | {
            (layout.root / s.origin.path).parent / s.snapshot for s in corpus.sources if s.snapshot})
        _checked[inputs] = (_stamps(layout, read), read, result)
    return result


_checked: dict[str, tuple[tuple, list, Result]] = {}


def _stamps(layout: Layout, extra: list) -> tuple:
    """Size and modification time of every data file, and of the snapshots the sources name: a check is reused
    only while none of them changed."""
    files = [*layout.claims_dir.rglob("*"), *layout.sources_dir.rglob("*"), layout.ratings_file, layout.events_file,
             *extra]
    stamps: list[tuple] = []
    for path in sorted(set(files)):
        try:
            info = path.stat()
        except OSError:
            stamps.append((str(path), None))
            continue
        stamps.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamps)


def _limit(layout: Layout, problems: list[Problem], only: frozenset[str]) -> list[Problem]:
    """Problems in the given files, plus those about missing folders; a changed rating scale re-checks
    every claim. Errors left out still stop the cross-file checks, which then say so."""
    ratings = layout.rel(layout.ratings_file)
    claims = layout.rel(layout.claims_dir) + "/"

    def shown(p: Problem) -> bool:
        if not p.path.endswith((".yaml", ".yml")) or p.path in only:
            return True
        return ratings in only and p.path.startswith(claims) and "/" not in p.path[len(claims):]

    kept = [p for p in problems if shown(p)]
    hidden = sorted(p for p in problems if p.is_error and not shown(p))
    if hidden and not any(p.is_error for p in kept):
        first = hidden[0]
        count = f"{len(hidden)} error" + ("s" if len(hidden) > 1 else "")
        kept.append(Problem(first.path, first.line, first.col, "",
                            f"{count} in files outside this check stop the cross-file checks",
                            "run 'factdesk check' on the whole project to see them"))
    return kept
