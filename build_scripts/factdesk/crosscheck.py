"""Checks across fields and files. Each rule is a generator of problems.

Record rules look at one claim, source or scale at a time. Corpus rules look
at references between files; they run only once every file is valid on its
own, so one typo does not bury the reader in follow-on errors.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable, Iterator

from .model import Claim, Corpus, Scale, Source, Timeline
from .problems import Problem, Severity, did_you_mean
from .quotes import closest_passage, find_quote, normalise


def _at(record, field: str, message: str, hint: str = "", severity: Severity = Severity.ERROR) -> Problem:
    line, col = record.origin.at(field)
    return Problem(record.origin.path, line, col, field, message, hint, severity)


# -- record rules ------------------------------------------------------------------------------

def scale_entries(scale: Scale) -> Iterator[Problem]:
    """Rating ids, labels and values are each unique."""
    for attr in ("id", "label", "value"):
        counts = Counter(getattr(r, attr) for r in scale.ratings)
        for i, rating in enumerate(scale.ratings):
            value = getattr(rating, attr)
            if counts[value] > 1 and [getattr(r, attr) for r in scale.ratings].index(value) < i:
                yield _at(scale, f"ratings[{i}].{attr}", f"{attr} {value!r} is used by more than one rating",
                          f"give each rating its own {attr}")


def claim_dates(claim: Claim) -> Iterator[Problem]:
    """Dates follow each other in the order events happen."""
    if claim.updated < claim.published:
        yield _at(claim, "updated", f"updated ({claim.updated}) is before published ({claim.published})",
                  "updated is the date of the latest change, on or after publication")
    if claim.claim_date > claim.published:
        yield _at(claim, "claim_date", f"claim_date ({claim.claim_date}) is after published ({claim.published})",
                  "a claim is made before it is checked")
    if claim.as_of is not None and not claim.claim_date <= claim.as_of <= claim.updated:
        yield _at(claim, "as_of", f"as_of ({claim.as_of}) must lie between claim_date ({claim.claim_date}) "
                                  f"and updated ({claim.updated})",
                  "as_of is the date the verdict holds for: not before the claim was made, not after the last update")
    if claim.what_changed and claim.as_of is None:
        yield _at(claim, "what_changed", "what_changed is given without as_of",
                  "add as_of: the date the verdict holds for")
    previous = None
    for i, entry in enumerate(claim.history):
        if not claim.published <= entry.date <= claim.updated:
            yield _at(claim, f"history[{i}].date", f"history date {entry.date} is outside published..updated "
                                                   f"({claim.published}..{claim.updated})",
                      "set updated to the date of the latest history entry")
        if previous and entry.date < previous:
            yield _at(claim, f"history[{i}].date", f"history entries must be oldest first; {entry.date} "
                                                   f"comes after {previous}", "list the changes from oldest to newest")
        previous = entry.date


def source_dates(source: Source) -> Iterator[Problem]:
    """A source cannot be read before it was published."""
    if source.accessed < source.published:
        yield _at(source, "accessed", f"accessed ({source.accessed}) is before published ({source.published})",
                  "check both dates; accessed is when you last read the source")


# -- corpus rules ------------------------------------------------------------------------------

def references(corpus: Corpus) -> Iterator[Problem]:
    """Every cited source and related claim exists."""
    source_ids = corpus.sources_by_id.keys()
    claim_ids = corpus.claims_by_id.keys()
    for claim in corpus.claims:
        for group in ("appearances", "evidence"):
            for i, item in enumerate(getattr(claim, group)):
                if item.source not in source_ids:
                    yield _at(claim, f"{group}[{i}].source", f"unknown source '{item.source}'",
                              did_you_mean(item.source, source_ids) or
                              f"add claims/sources/{item.source}.yaml or correct the id")
        for i, other in enumerate(claim.related):
            if other == claim.id:
                yield _at(claim, f"related[{i}]", "a claim cannot be related to itself", "remove this entry")
            elif other not in claim_ids:
                yield _at(claim, f"related[{i}]", f"unknown claim '{other}'",
                          did_you_mean(other, claim_ids) or "correct the id or remove the entry")


def event_sources(corpus: Corpus) -> Iterator[Problem]:
    """Every source an event cites exists."""
    if corpus.timeline is None:
        return
    for i, event in enumerate(corpus.timeline.events):
        for j, source_id in enumerate(event.sources):
            if source_id not in corpus.sources_by_id:
                yield _at(corpus.timeline, f"events[{i}].sources[{j}]", f"unknown source '{source_id}'",
                          did_you_mean(source_id, corpus.sources_by_id) or
                          f"add claims/sources/{source_id}.yaml or correct the id")


def cited_sources(corpus: Corpus) -> Iterator[Problem]:
    """A source that no claim cites is probably a leftover (a warning)."""
    cited = {item.source for c in corpus.claims for item in (*c.appearances, *c.evidence)}
    if corpus.timeline is not None:
        cited |= {sid for event in corpus.timeline.events for sid in event.sources}
    for source in corpus.sources:
        if source.id not in cited:
            yield _at(source, "id", f"source '{source.id}' is cited by no claim",
                      "cite it in a claim's appearances or evidence, or delete the file", Severity.WARNING)


def quotes_in_snapshots(corpus: Corpus) -> Iterator[Problem]:
    """Every quote from a source with a snapshot appears in it word for word."""
    normalised = {sid: normalise(text) for sid, text in corpus.snapshots.items()}
    for claim in corpus.claims:
        for group in ("appearances", "evidence"):
            for i, item in enumerate(getattr(claim, group)):
                if not item.quote or item.source not in normalised:
                    continue
                if not find_quote(item.quote, normalised[item.source]):
                    snapshot = corpus.source(item.source).snapshot
                    yield _at(claim, f"{group}[{i}].quote", f"quote not found in the snapshot of '{item.source}' "
                                                            f"({snapshot})",
                              closest_passage(item.quote, normalised[item.source]) or
                              "copy the words exactly from the snapshot; mark omissions with '...'")


def verdicts_have_evidence(corpus: Corpus) -> Iterator[Problem]:
    """A verdict other than 'unproven' rests on at least one evidence source."""
    for claim in corpus.claims:
        rating = corpus.scale.get(claim.verdict)
        if rating is not None and rating.needs_evidence and not claim.evidence:
            yield _at(claim, "verdict", f"verdict '{claim.verdict}' needs at least one evidence entry, found none",
                      "add evidence, or use a rating for claims that cannot be verified")


def appearance_dates(corpus: Corpus) -> Iterator[Problem]:
    """claim_date is the first time the claim was made, so no appearance is older (a warning)."""
    for claim in corpus.claims:
        for i, item in enumerate(claim.appearances):
            source = corpus.source(item.source)
            if source is not None and source.published < claim.claim_date:
                yield _at(claim, "claim_date", f"claim_date ({claim.claim_date}) is after the date of its appearance "
                                               f"in '{source.id}' ({source.published})",
                          "set claim_date to the first time the claim was made", Severity.WARNING)


RECORD_RULES: dict[type, tuple[Callable, ...]] = {
    Scale: (scale_entries,),
    Claim: (claim_dates,),
    Source: (source_dates,),
    Timeline: (),
}
CORPUS_RULES: tuple[Callable[[Corpus], Iterable[Problem]], ...] = (
    references,
    event_sources,
    cited_sources,
    quotes_in_snapshots,
    verdicts_have_evidence,
    appearance_dates,
)


def check_records(corpus: Corpus) -> Iterator[Problem]:
    records = [r for r in (corpus.scale, corpus.timeline) if r is not None] + corpus.sources + corpus.claims
    for record in records:
        for rule in RECORD_RULES[type(record)]:
            yield from rule(record)


def check_corpus(corpus: Corpus) -> Iterator[Problem]:
    for rule in CORPUS_RULES:
        yield from rule(corpus)
