"""The data model: every field a contributor can write is defined here, once.

Each dataclass field carries its YAML contract in `metadata` (kind, whether it
is required, a one-line description). The validator, the JSON Schema, the
contributor guide and the templates are all derived from or tested against
these definitions.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import Any

STANCES = ("supports", "contradicts", "context")
CLAIMANT_KINDS = ("organization", "person")
SOURCE_KINDS = (
    "news",
    "analysis",
    "opinion",
    "satire",
    "official-statement",
    "fact-check",
    "research",
    "dataset",
    "social-post",
    "reference",
    "other",
)

# Kinds of value a field can hold; convert.py knows how to read each.
KINDS = ("id", "text", "markdown", "date", "url", "choice", "rating", "source_ref", "claim_ref",
         "path", "colour", "int", "bool", "list", "object")


# Limits that keep files reviewable and pages readable; each field may set its own.
MAX_TEXT = 2000  # characters in a text field that sets no limit of its own
MAX_ITEMS = 200  # entries in a list that sets no limit of its own
MAX_YEARS_AHEAD = 5  # how far ahead a planning date (next_review) may lie
MAX_QUOTE = 400  # characters in a quote: quotes are a sentence or two, the rest is in the snapshot


def spec(kind: str, doc: str, *, required: bool = True, item: Any = None, choices: tuple[str, ...] = (),
         max_len: int | None = None, min_items: int = 0, max_items: int = MAX_ITEMS, default: Any = None,
         future: bool = False) -> Any:
    """Declare one YAML field of a model class.

    `max_len` limits a text field, or each text in a list of texts; `min_items`/`max_items` bound a list.
    A date field is in the past unless `future` says it plans ahead (then up to MAX_YEARS_AHEAD years).
    """
    meta = {"kind": kind, "doc": doc, "required": required, "item": item, "choices": choices,
            "max_len": max_len, "min_items": min_items, "max_items": max_items, "future": future, "default": default}
    if kind == "list":
        return field(default_factory=tuple, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Origin:
    """Where a record came from: its file and the line/column of each field path."""

    path: str
    marks: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, hash=False)

    def at(self, field_path: str) -> tuple[int, int]:
        """Line and column of a field, or of its nearest enclosing field."""
        probe = field_path
        while probe:
            if probe in self.marks:
                return self.marks[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return self.marks.get("", (1, 1))


def _origin() -> Any:
    return field(default=None, compare=False, hash=False, repr=False, metadata={})


@dataclass(frozen=True, kw_only=True)
class Rating:
    """One step of the rating scale."""

    id: str = spec("id", "Short name used in claim files as `verdict:` (lower case, hyphens).")
    label: str = spec("text", "Label shown to readers, e.g. 'Mostly false'.", max_len=40)
    definition: str = spec("text", "What this rating means, in one or two sentences.", max_len=600)
    colour: str = spec("colour", "Badge colour as #rrggbb; the text colour is chosen for contrast.")
    icon: str = spec("text", "A short symbol shown with the label, so the badge does not rely on colour.", max_len=4)
    value: int = spec("int", "Numeric value for structured data (ClaimReview ratingValue); higher is more accurate.")
    needs_evidence: bool = spec("bool", "Whether a claim with this verdict must cite evidence (false only for 'unproven').",
                                required=False, default=True)
    origin: Origin = _origin()


@dataclass(frozen=True, kw_only=True)
class Scale:
    """The rating scale, in display order (most accurate first)."""

    ratings: tuple[Rating, ...] = spec("list", "The ratings, from the most accurate to the least, then any 'unproven' rating.",
                                       item=Rating, min_items=2, max_items=20)
    origin: Origin = _origin()

    def get(self, rating_id: str) -> Rating | None:
        return next((r for r in self.ratings if r.id == rating_id), None)

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.ratings]


@dataclass(frozen=True, kw_only=True)
class Source:
    """A document a claim appeared in or that serves as evidence."""

    id: str = spec("id", "Identifier, equal to the file name without `.yaml`.")
    title: str = spec("text", "Title or headline as published.", max_len=300)
    publisher: str = spec("text", "Outlet, organisation or platform that published it.", max_len=200)
    author: str | None = spec("text", "Author or authors as credited; leave out when uncredited.", required=False, max_len=200)
    published: dt.date = spec("date", "Date of publication (YYYY-MM-DD), as best established.")
    date_note: str | None = spec("text", "How the publication date was established, when it is not printed on the source.",
                                 required=False, max_len=600)
    url: str = spec("url", "Address of the original (http or https).")
    archive_url: str | None = spec("url", "Address of an archived copy.", required=False)
    accessed: dt.date = spec("date", "Date the source was last read (YYYY-MM-DD).")
    kind: str = spec("choice", "What sort of document it is.", choices=SOURCE_KINDS)
    based_on: tuple[str, ...] = spec("list", "Ids of the sources this one reports, relays or summarises; leave it out "
                                             "when the source is original reporting or a primary document. The "
                                             "build follows these links to each source's origins.",
                                     item="source_ref", required=False, max_items=20)
    language: str = spec("text", "Language of the source as a code such as 'en' or 'fa'.", max_len=12)
    snapshot: str | None = spec("path", "Plain-text copy of the source, relative to this file, used to verify quotes.",
                                required=False)
    note: str | None = spec("text", "Anything a reader should know about this source, e.g. that it was read only "
                                    "through an outlet that quoted it.", required=False, max_len=1000)
    origin: Origin = _origin()


@dataclass(frozen=True, kw_only=True)
class Appearance:
    """Where the claim was made."""

    source: str = spec("source_ref", "Id of the source the claim appeared in.")
    quote: str = spec("text", "The claim's words, copied exactly from the source (checked against its snapshot).",
                      max_len=MAX_QUOTE)
    note: str | None = spec("text", "Remark on this appearance, e.g. how it differs from others.", required=False,
                            max_len=600)
    based_on: tuple[str, ...] = spec("list", "Ids of the sources this passage relies on, when they differ from its "
                                             "source's `based_on`; name the passage's own source when it is that "
                                             "outlet's own reporting.", item="source_ref", required=False,
                                     max_items=20)


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """A source that bears on the claim."""

    source: str = spec("source_ref", "Id of the source.")
    stance: str = spec("choice", "How the source bears on the claim.", choices=STANCES)
    quote: str | None = spec("text", "Words copied exactly from the source (checked against its snapshot).",
                             required=False, max_len=MAX_QUOTE)
    note: str = spec("text", "What this source shows, in our words.", max_len=1000)
    based_on: tuple[str, ...] = spec("list", "Ids of the sources this passage relies on, when they differ from its "
                                             "source's `based_on`; name the passage's own source when it is that "
                                             "outlet's own reporting.", item="source_ref", required=False,
                                     max_items=20)


@dataclass(frozen=True, kw_only=True)
class Change:
    """One entry in a claim's change history."""

    date: dt.date = spec("date", "Date of the change (YYYY-MM-DD).")
    change: str = spec("text", "What changed and why; a verdict change says from what to what.", max_len=1000)
    reviewer: str | None = spec("text", "Who checked this change: a name or a pseudonym.", required=False, max_len=100)


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One checked claim."""

    id: str = spec("id", "Identifier, equal to the file name without `.yaml`; it becomes the page address.")
    claim: str = spec("text", "The claim as stated, in one sentence.", max_len=400)
    claimant: str = spec("text", "Who made the claim.", max_len=200)
    claimant_kind: str = spec("choice", "Whether the claimant is a person or an organization (for structured data).",
                              choices=CLAIMANT_KINDS, required=False, default="organization")
    claim_date: dt.date = spec("date", "When the claim was first made (YYYY-MM-DD).")
    verdict: str = spec("rating", "Id of a rating in the rating scale.")
    as_of: dt.date | None = spec("date", "Date the verdict holds for, when the truth of the claim changed over time.",
                                 required=False)
    what_changed: str | None = spec("text", "What changed after the `as_of` date.", required=False, max_len=1000)
    summary: str = spec("text", "What we found, in one paragraph.", max_len=1200)
    analysis: str = spec("markdown", "The full argument for the verdict, in Markdown, from the cited sources.",
                         max_len=20000)
    appearances: tuple[Appearance, ...] = spec("list", "Where the claim was made, with a verbatim quote.",
                                               item=Appearance, min_items=1, max_items=50)
    evidence: tuple[Evidence, ...] = spec("list", "Sources that support, contradict or give context to the claim.",
                                          item=Evidence, required=False, max_items=50)
    caveats: tuple[str, ...] = spec("list", "Limits of this check a reader should know.", item="text", required=False,
                                    max_len=600, max_items=20)
    tags: tuple[str, ...] = spec("list", "Topics, lower case with hyphens.", item="id", required=False, max_items=20)
    related: tuple[str, ...] = spec("list", "Ids of related claims.", item="claim_ref", required=False, max_items=30)
    published: dt.date = spec("date", "When this fact-check was first published (YYYY-MM-DD).")
    updated: dt.date = spec("date", "When it was last changed (YYYY-MM-DD).")
    reviewed: dt.date | None = spec("date", "When the verdict was last re-checked against new evidence (YYYY-MM-DD); "
                                            "unlike `updated`, an edit that re-checks nothing leaves it alone.",
                                    required=False)
    next_review: dt.date | None = spec("date", "For a developing story: when the verdict is due for another check "
                                               "(YYYY-MM-DD). `factdesk check` reports it once the date has passed.",
                                       required=False, future=True)
    single_origin_reason: str | None = spec("text", "Why the verdict may rest on evidence from fewer independent origins "
                                                    "than the methodology asks for, e.g. 'the official statement is "
                                                    "itself the fact being checked'. Shown to readers.",
                                            required=False, max_len=600)
    history: tuple[Change, ...] = spec("list", "Every change, from first publication on, oldest first.", item=Change,
                                       min_items=1, max_items=100)
    origin: Origin = _origin()

    @property
    def verdict_date(self) -> dt.date:
        """The date the verdict is stated for."""
        return self.as_of or self.updated

    @property
    def last_reviewed(self) -> dt.date:
        """When the verdict was last checked: the review date, or else publication."""
        return self.reviewed or self.published

    @property
    def passages(self) -> tuple[Appearance | Evidence, ...]:
        """Every passage the claim cites from a source: its appearances, then its evidence."""
        return (*self.appearances, *self.evidence)


# -- translations: prose only; verdicts, dates, sources and links always come from the original ---------------

VERSION_RE = re.compile(r"^[0-9a-f]{12}$")


@dataclass(frozen=True, kw_only=True)
class AppearanceText:
    """One appearance of the original, in the translation's language (same order as the original)."""

    translated_quote: str | None = spec("text", "The quote rendered in this language; shown beside the original words "
                                                "and marked as a translation.", required=False, max_len=2 * MAX_QUOTE)
    note: str | None = spec("text", "The appearance's note, translated (only when the original has one).",
                            required=False, max_len=600)


@dataclass(frozen=True, kw_only=True)
class EvidenceText:
    """One evidence entry of the original, in the translation's language (same order as the original)."""

    translated_quote: str | None = spec("text", "The quote rendered in this language (only when the original has "
                                                "one).", required=False, max_len=2 * MAX_QUOTE)
    note: str = spec("text", "What this source shows, translated.", max_len=1000)


@dataclass(frozen=True, kw_only=True)
class ChangeText:
    """One history entry of the original, in the translation's language (same order as the original)."""

    change: str = spec("text", "What changed and why, translated.", max_len=1000)


@dataclass(frozen=True, kw_only=True)
class ClaimTranslation:
    """The prose of one claim in another language (`claims/<id>.<language>.yaml`)."""

    translates: str = spec("text", "Version of the original this translates, as `factdesk translations` prints it "
                                   "(12 hexadecimal digits).", max_len=12)
    translator: str = spec("text", "Who translated it: a name or a pseudonym.", max_len=100)
    reviewer: str | None = spec("text", "Who checked the translation: a name or a pseudonym.", required=False,
                                max_len=100)
    claim: str = spec("text", "The claim, translated.", max_len=600)
    claimant: str | None = spec("text", "Who made the claim, as readers of this language know them.", required=False,
                                max_len=300)
    what_changed: str | None = spec("text", "What changed after the `as_of` date, translated (when the original "
                                            "has it).", required=False, max_len=1500)
    summary: str = spec("text", "What we found, translated.", max_len=1800)
    analysis: str = spec("markdown", "The analysis, translated, in Markdown.", max_len=30000)
    single_origin_reason: str | None = spec("text", "Why fewer independent origins suffice, translated (when the "
                                                    "original has it).", required=False, max_len=900)
    caveats: tuple[str, ...] = spec("list", "The caveats, translated, in the original's order.", item="text",
                                    required=False, max_len=900, max_items=20)
    appearances: tuple[AppearanceText, ...] = spec("list", "One entry per appearance of the original, in its order.",
                                                   item=AppearanceText, min_items=1, max_items=50)
    evidence: tuple[EvidenceText, ...] = spec("list", "One entry per evidence entry of the original, in its order.",
                                              item=EvidenceText, required=False, max_items=50)
    history: tuple[ChangeText, ...] = spec("list", "One entry per history entry of the original, in its order.",
                                           item=ChangeText, min_items=1, max_items=100)
    origin: Origin = _origin()


@dataclass(frozen=True, kw_only=True)
class SourceTranslation:
    """What a reader of another language needs about a source (`claims/sources/<id>.<language>.yaml`)."""

    translates: str = spec("text", "Version of the original this translates, as `factdesk translations` prints it "
                                   "(12 hexadecimal digits).", max_len=12)
    translator: str = spec("text", "Who translated it: a name or a pseudonym.", max_len=100)
    title: str | None = spec("text", "The title rendered in this language; the original title is shown too.",
                             required=False, max_len=450)
    date_note: str | None = spec("text", "How the date was established, translated (when the original has it).",
                                 required=False, max_len=900)
    note: str | None = spec("text", "The note, translated (when the original has one).", required=False,
                            max_len=1500)
    origin: Origin = _origin()


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened, shown on the timeline with the claims and sources."""

    date: dt.date = spec("date", "When it happened (YYYY-MM-DD).")
    title: str = spec("text", "What happened, in one short sentence.", max_len=300)
    sources: tuple[str, ...] = spec("list", "Ids of the sources that report it.", item="source_ref", min_items=1,
                                    max_items=20)


@dataclass(frozen=True, kw_only=True)
class Timeline:
    """Dated events that give the claims their context (`events.yaml`, optional)."""

    events: tuple[Event, ...] = spec("list", "The events, in any order; the timeline sorts them by date.", item=Event,
                                     max_items=1000)
    origin: Origin = _origin()


def slug(text: str) -> str:
    """A URL-safe id made from free text (lower case ASCII letters, digits and hyphens)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:80]


def yaml_fields(cls: type) -> list:
    """The dataclass fields of `cls` that appear in YAML files, in order."""
    return [f for f in fields(cls) if f.metadata.get("kind")]


@dataclass(frozen=True)
class Corpus:
    """Everything loaded from one project, fixed once made: a changed corpus is a new one
    (`dataclasses.replace`), with id lookups of its own."""

    scale: Scale | None = None
    timeline: Timeline | None = None
    claims: tuple[Claim, ...] = ()
    sources: tuple[Source, ...] = ()
    snapshots: Mapping[str, str] = field(default_factory=dict)  # source id -> snapshot text
    # language -> record id -> translation (claims and sources)
    claim_translations: Mapping[str, Mapping[str, ClaimTranslation]] = field(default_factory=dict)
    source_translations: Mapping[str, Mapping[str, SourceTranslation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only copies of what the caller passed: changing a list or table afterwards cannot reach the corpus.
        fix = object.__setattr__  # how a frozen dataclass sets its own fields
        fix(self, "claims", tuple(self.claims))
        fix(self, "sources", tuple(self.sources))
        fix(self, "snapshots", MappingProxyType(dict(self.snapshots)))
        for name in ("claim_translations", "source_translations"):
            tables = getattr(self, name)
            fix(self, name, MappingProxyType({lang: MappingProxyType(dict(t)) for lang, t in tables.items()}))

    def source(self, source_id: str) -> Source | None:
        return self.sources_by_id.get(source_id)

    def claim(self, claim_id: str) -> Claim | None:
        return self.claims_by_id.get(claim_id)

    # For code that runs only on a checked corpus (the cross-file checks, a build): loading reports a missing
    # scale and every unknown verdict, the cross-file checks every unknown source, and neither goes on past an
    # error. A lookup that fails here is a bug, so it raises instead of returning None.
    @property
    def rating_scale(self) -> Scale:
        """The rating scale."""
        if self.scale is None:
            raise LookupError("the corpus has no rating scale")
        return self.scale

    def rating(self, rating_id: str) -> Rating:
        """The rating a claim's verdict names."""
        rating = self.rating_scale.get(rating_id)
        if rating is None:
            raise LookupError(f"rating '{rating_id}' is not in the rating scale")
        return rating

    def cited_source(self, source_id: str) -> Source:
        """A source that a record cites."""
        source = self.sources_by_id.get(source_id)
        if source is None:
            raise LookupError(f"unknown source '{source_id}'")
        return source

    # Built on first use; the fields they are built from never change.
    @cached_property
    def sources_by_id(self) -> Mapping[str, Source]:
        return MappingProxyType({s.id: s for s in self.sources})

    @cached_property
    def claims_by_id(self) -> Mapping[str, Claim]:
        return MappingProxyType({c.id: c for c in self.claims})
