"""Checks across fields and files. Each rule is a generator of problems.

Record rules look at one claim, source or scale at a time. Corpus rules look
at references between files; they run only once every file is valid on its
own, so one typo does not bury the reader in follow-on errors.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from .model import Claim, Corpus, Scale, Source, Timeline
from .problems import Problem, Severity, did_you_mean, plural
from .provenance import claim_origins, cycles, trace
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
    if claim.reviewed is not None and claim.reviewed < claim.published:
        yield _at(claim, "reviewed", f"reviewed ({claim.reviewed}) is before published ({claim.published})",
                  "reviewed is when the published verdict was last re-checked: on or after publication")
    last_check = claim.last_reviewed
    if claim.next_review is not None and claim.next_review <= last_check:
        which = "reviewed" if claim.reviewed else "published"
        yield _at(claim, "next_review", f"next_review ({claim.next_review}) is not after {which} ({last_check})",
                  "set next_review to a date after the latest check, or leave it out")


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
            for i, item in enumerate(getattr(claim, group)):
                for j, source_id in enumerate(item.based_on):
                    if source_id not in source_ids:
                        yield _at(claim, f"{group}[{i}].based_on[{j}]", f"unknown source '{source_id}'",
                                  did_you_mean(source_id, source_ids) or
                                  f"add claims/sources/{source_id}.yaml or correct the id")
        for i, other in enumerate(claim.related):
            if other == claim.id:
                yield _at(claim, f"related[{i}]", "a claim cannot be related to itself", "remove this entry")
            elif other not in claim_ids:
                yield _at(claim, f"related[{i}]", f"unknown claim '{other}'",
                          did_you_mean(other, claim_ids) or "correct the id or remove the entry")


def source_links(corpus: Corpus) -> Iterator[Problem]:
    """Every `based_on` names a known source other than itself, and no chain of them loops."""
    source_ids = corpus.sources_by_id.keys()
    for source in corpus.sources:
        for i, other in enumerate(source.based_on):
            if other == source.id:
                yield _at(source, f"based_on[{i}]", "a source cannot be based on itself",
                          "remove this entry; leave based_on out when the source is original reporting")
            elif other not in source_ids:
                yield _at(source, f"based_on[{i}]", f"unknown source '{other}'",
                          did_you_mean(other, source_ids) or f"add claims/sources/{other}.yaml or correct the id")
    for loop in cycles(corpus):
        if len(loop) == 1:
            continue  # reported above as a source based on itself
        first = corpus.cited_source(loop[0])  # a loop is made of known sources
        chain = " -> ".join((*loop, loop[0]))
        yield _at(first, f"based_on[{first.based_on.index(loop[1])}]",
                  f"sources are based on each other in a loop: {chain}",
                  "a source is based on what it got its information from; remove the link that points back")


def independent_origins(corpus: Corpus, minimum: int) -> Iterator[Problem]:
    """A verdict that needs evidence cites evidence from `minimum` independent origins, or says why fewer do
    (a warning)."""
    provenance = trace(corpus)
    for claim in corpus.claims:
        rating = corpus.rating_scale.get(claim.verdict)
        if rating is None or not rating.needs_evidence or not claim.evidence or claim.single_origin_reason:
            continue
        found = claim_origins(claim, provenance).evidence
        if len(found) < minimum:
            named = ", ".join(found) if found else "none"
            yield _at(claim, "evidence", f"verdict '{claim.verdict}' rests on supporting or contradicting evidence "
                                         f"from {plural(len(found), 'independent origin')} ({named}); "
                                         f"the methodology asks for at least {minimum}",
                      "cite evidence that traces back to another origin, or give single_origin_reason: why one "
                      "origin is enough", Severity.WARNING)


def reviews_due(corpus: Corpus, today: dt.date) -> Iterator[Problem]:
    """A developing story whose next review date has passed (a warning)."""
    for claim in corpus.claims:
        if claim.next_review is not None and claim.next_review < today:
            yield _at(claim, "next_review", f"review was due on {claim.next_review}; "
                                            f"{plural((today - claim.next_review).days, 'day')} overdue",
                      "re-check the verdict against new evidence, then set reviewed to today and next_review to "
                      "the next date (or remove it)", Severity.WARNING)


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
    """A source that no claim or event cites, directly or through a source based on it, is probably a
    leftover (a warning)."""
    cited = {item.source for c in corpus.claims for item in c.passages}
    cited |= {sid for c in corpus.claims for item in c.passages for sid in item.based_on}
    if corpus.timeline is not None:
        cited |= {sid for event in corpus.timeline.events for sid in event.sources}
    # A source that a cited source is based on is cited through it (an original read only through copies).
    pending = list(cited)
    while pending:
        source = corpus.source(pending.pop())
        for parent in source.based_on if source is not None else ():
            if parent not in cited:
                cited.add(parent)
                pending.append(parent)
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
                    snapshot = corpus.cited_source(item.source).snapshot  # it has a snapshot, so it is known
                    yield _at(claim, f"{group}[{i}].quote", f"quote not found in the snapshot of '{item.source}' "
                                                            f"({snapshot})",
                              closest_passage(item.quote, normalised[item.source]) or
                              "copy the words exactly from the snapshot; mark omissions with '...'")


def verdicts_have_evidence(corpus: Corpus) -> Iterator[Problem]:
    """A verdict other than 'unproven' rests on at least one evidence source."""
    for claim in corpus.claims:
        rating = corpus.rating_scale.get(claim.verdict)
        if rating is not None and rating.needs_evidence and not claim.evidence:
            yield _at(claim, "verdict", f"verdict '{claim.verdict}' needs at least one evidence entry, found none",
                      "add evidence, or use a rating for claims that cannot be verified")


def appearance_dates(corpus: Corpus) -> Iterator[Problem]:
    """claim_date is the first time the claim was made, so no appearance is older (a warning)."""
    for claim in corpus.claims:
        for item in claim.appearances:
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
    source_links,
    event_sources,
    cited_sources,
    quotes_in_snapshots,
    verdicts_have_evidence,
    appearance_dates,
)


def check_records(corpus: Corpus) -> Iterator[Problem]:
    records = [*(r for r in (corpus.scale, corpus.timeline) if r is not None), *corpus.sources, *corpus.claims]
    for record in records:
        for rule in RECORD_RULES[type(record)]:
            yield from rule(record)


# Plugin option `min_origins`: the independent origins a verdict needs, as the methodology promises.
MIN_ORIGINS = 2


def check_corpus(corpus: Corpus, *, min_origins: int = MIN_ORIGINS,
                 review_date: dt.date | None = None) -> Iterator[Problem]:
    """The corpus rules; with `review_date`, also every claim whose next review is before it."""
    for rule in CORPUS_RULES:
        yield from rule(corpus)
    if min_origins > 0:
        yield from independent_origins(corpus, min_origins)
    if review_date is not None:
        yield from reviews_due(corpus, review_date)
