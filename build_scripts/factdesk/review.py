"""Freshness: which claims are due for another check, for the editors' `factdesk review` listing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Claim, Corpus


def due_list(corpus: Corpus, today: dt.date, *, include_undated: bool = False) -> list[DueRow]:
    """Claims with a next review date, soonest first; then, if asked, the rest, longest unchecked first."""
    dated = sorted(((c.next_review, c) for c in corpus.claims if c.next_review), key=lambda d: (d[0], d[1].id))
    rows = [DueRow(c, due, due < today) for due, c in dated]
    if include_undated:
        undated = sorted((c for c in corpus.claims if not c.next_review), key=lambda c: (c.last_reviewed, c.id))
        rows += [DueRow(c, None, False) for c in undated]
    return rows


@dataclass(frozen=True)
class DueRow:
    claim: Claim
    due: dt.date | None
    overdue: bool


def format_due(rows: list[DueRow], today: dt.date) -> str:
    """One line per claim: due date (or 'no date'), state, last check, id and file."""
    if not rows:
        return "No claim has a next review date."
    lines = []
    for row in rows:
        if row.due is None:
            state = "no date"
            when = "-" * 10
        else:
            days = (row.due - today).days
            state = f"{-days} days overdue" if days < 0 else "due today" if days == 0 else f"in {days} days"
            when = row.due.isoformat()
        lines.append(f"{when}  {state:<17} last checked {row.claim.last_reviewed.isoformat()}  {row.claim.id}  "
                     f"({row.claim.origin.path})")
    overdue = sum(row.overdue for row in rows)
    lines.append(f"{overdue} overdue, {sum(1 for r in rows if r.due and not r.overdue)} scheduled"
                 + (f", {sum(1 for r in rows if r.due is None)} with no date." if any(r.due is None for r in rows) else "."))
    return "\n".join(lines)
