"""The timeline: claims, sources and events in date order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Corpus
from .urls import claim_uri, source_uri


@dataclass(frozen=True)
class Entry:
    date: dt.date
    kind: str  # "event", "source" or "claim"
    title: str
    target: str = ""  # page uri of the claim or source, if any
    verdict: str = ""
    sources: tuple[str, ...] = ()
    publisher: str = ""  # for an article: who published it, and its headline
    headline: str = ""


_ORDER = {"event": 0, "source": 1, "claim": 2}


def timeline_entries(corpus: Corpus) -> list[Entry]:
    """Every dated thing the site knows, oldest first."""
    entries = [Entry(c.claim_date, "claim", c.claim, claim_uri(c.id), c.verdict) for c in corpus.claims]
    made = {a.source for c in corpus.claims for a in c.appearances}
    entries += [Entry(s.published, "source", f"{s.publisher} publishes \u201c{s.title}\u201d", source_uri(s.id),
                      publisher=s.publisher, headline=s.title)
                for s in corpus.sources if s.id in made]
    if corpus.timeline is not None:
        entries += [Entry(e.date, "event", e.title, sources=e.sources) for e in corpus.timeline.events]
    return sorted(entries, key=lambda e: (e.date, _ORDER[e.kind], e.title))
