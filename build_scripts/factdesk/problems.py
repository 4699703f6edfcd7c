"""Problems found in the input, and the one formatter that prints them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file.

    `path` is relative to the project folder; `field` is a dotted path such as
    ``appearances[1].quote`` (empty when the problem is with the whole file).
    """

    path: str
    line: int
    col: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}:"
        field = f" {self.field}:" if self.field else ""
        level = " warning:" if self.severity is Severity.WARNING else ""
        hint = f" Hint: {self.hint}" if self.hint else ""
        return f"{where}{field}{level} {self.message}{hint}"

    def promoted(self) -> Problem:
        """The same problem as an error (what --strict does to warnings)."""
        return Problem(self.path, self.line, self.col, self.field, self.message, self.hint)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems))


def format_report(problems: Iterable[Problem]) -> str:
    """All problems, one per line, then a count."""
    items = sort_problems(problems)
    errors = sum(p.is_error for p in items)
    warnings = len(items) - errors
    lines = [p.format() for p in items]
    lines.append(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}.")
    return "\n".join(lines)


def format_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions annotations, one workflow command per problem, then the count."""
    items = sort_problems(problems)
    lines = []
    for p in items:
        level = "error" if p.is_error else "warning"
        props = ",".join(f"{k}={_gh_property(str(v))}" for k, v in (
            ("file", p.path), ("line", p.line), ("col", p.col), ("title", f"factdesk: {p.field or 'file'}")))
        text = f"{p.message} Hint: {p.hint}" if p.hint else p.message
        lines.append(f"::{level} {props}::{_gh_data(text)}")
    return "\n".join(lines + [format_report(items).splitlines()[-1]])


JSON_FORMAT = "factdesk-check"
JSON_VERSION = 1


def report_data(problems: Iterable[Problem], **counts: int) -> dict:
    """A machine-readable report: format name and version, counts, and every problem."""
    items = sort_problems(problems)
    errors = sum(p.is_error for p in items)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "ok": errors == 0,
        "counts": {"errors": errors, "warnings": len(items) - errors, **counts},
        "problems": [{"path": p.path, "line": p.line, "column": p.col, "field": p.field, "message": p.message,
                      "hint": p.hint, "severity": p.severity.value} for p in items],
    }


def _gh_data(text: str) -> str:
    # The escaping GitHub's own toolkit applies to a workflow command's message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close enough.

    The cutoff of 0.75 still allows one wrong letter in four ('newz' -> 'news') or two
    swapped letters ('verdcit' -> 'verdict'), but not names that merely share letters
    ('reviewer' -> 'evidence' scores 0.625, 'date' -> 'updated' 0.73).
    """
    matches = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.75)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    match = nearest(word, choices)
    return f"did you mean '{match}'?" if match else ""
