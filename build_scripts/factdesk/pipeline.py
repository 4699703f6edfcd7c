"""The whole check, in order: load, validate each file, then check the corpus."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .crosscheck import check_corpus, check_records
from .load import Layout, load
from .model import Corpus
from .problems import Problem, sort_problems


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


def check(layout: Layout, *, today: dt.date | None = None, strict: bool = False, cache: dict | None = None) -> Result:
    """Load and check a project; with `strict`, warnings count as errors (`cache`: see load.load)."""
    today = today or dt.date.today()
    corpus, problems = load(layout, today, cache)
    problems.extend(check_records(corpus))
    if not any(p.is_error for p in problems):
        problems.extend(check_corpus(corpus))
    if strict:
        problems = [p.promoted() for p in problems]
    return Result(corpus, sort_problems(problems))
