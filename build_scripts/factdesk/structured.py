"""schema.org ClaimReview objects for each claim, and the check that they are complete.

The properties Google documents for fact-check markup are checked on every
object before it is published; a missing one stops the build.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Claim, Corpus

# (path, why) — Google's required properties for ClaimReview, plus the recommended ones we always emit.
REQUIRED_PATHS: tuple[tuple[str, ...], ...] = (
    ("@context",),
    ("@type",),
    ("claimReviewed",),
    ("url",),
    ("reviewRating",),
    ("reviewRating", "alternateName"),
    ("author", "name"),
    ("datePublished",),
    ("itemReviewed", "@type"),
    ("itemReviewed", "author", "name"),
    ("itemReviewed", "datePublished"),
    ("itemReviewed", "appearance"),
    ("itemReviewed", "firstAppearance"),
)


def claim_review(claim: Claim, corpus: Corpus, *, page_url: str, publisher_name: str,
                 publisher_url: str, language: str = "") -> dict[str, Any]:
    """The ClaimReview object for one claim page; `language` is the page's (inLanguage)."""
    rating = corpus.rating(claim.verdict)
    rated = [r.value for r in corpus.rating_scale.ratings if r.value >= 1]
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label, "name": rating.label}
    if rating.value >= 1 and rated:  # a non-numeric rating ('unproven') carries only its name
        review_rating.update(ratingValue=rating.value, bestRating=max(rated), worstRating=min(rated))
    appearances = _appearances(claim, corpus)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": claim.claim,
        "datePublished": claim.published.isoformat(),
        "dateModified": max(claim.updated, claim.reviewed or claim.updated).isoformat(),
        "author": {"@type": "Organization", "name": publisher_name, "url": publisher_url},
        "reviewRating": review_rating,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": claim.claimant_kind.title(), "name": claim.claimant},
            "datePublished": claim.claim_date.isoformat(),
            "appearance": appearances,
            "firstAppearance": appearances[0] if appearances else None,
        },
    }
    if language:
        review["inLanguage"] = language
    return review


def missing_properties(obj: dict[str, Any]) -> list[str]:
    """Dotted names of required properties that are absent or empty."""
    missing = []
    for path in REQUIRED_PATHS:
        value: Any = obj
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value in (None, "", [], {}):
            missing.append(".".join(path))
    return missing


def script_tag(obj: dict[str, Any]) -> str:
    """The object as a JSON-LD script element; '<', '>' and '&' are escaped so no text can close the tag."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def first_appearance(claim: Claim, corpus: Corpus):
    """The appearance in the earliest-published source (ties broken by source id)."""
    dated = appearances_by_date(claim, corpus)
    return dated[0] if dated else None


def appearances_by_date(claim: Claim, corpus: Corpus) -> list:
    return sorted(claim.appearances, key=lambda a: (corpus.cited_source(a.source).published, a.source))


def _appearances(claim: Claim, corpus: Corpus) -> list[dict[str, Any]]:
    out = []
    for item in appearances_by_date(claim, corpus):
        source = corpus.cited_source(item.source)
        out.append({"@type": "CreativeWork", "url": source.url, "headline": source.title,
                    "datePublished": source.published.isoformat(),
                    "author": {"@type": "Organization", "name": source.publisher}})
    return out

