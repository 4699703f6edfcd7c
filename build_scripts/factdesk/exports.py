"""Machine-readable exports: claims.json, claims.csv, a ClaimReview feed and an Atom feed."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

from .memo import Memo, key
from .model import Corpus, yaml_fields
from .provenance import ClaimOrigins, Provenance, claim_origins

FORMAT_NAME = "factdesk-claims"
FORMAT_VERSION = 1
CSV_COLUMNS = ("id", "claim", "claimant", "claim_date", "verdict", "verdict_label", "as_of", "summary", "sources",
               "appearance_origins", "evidence_origins", "tags", "published", "updated", "reviewed", "next_review",
               "url")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def claims_json(corpus: Corpus, urls: dict[str, str], provenance: Provenance, memo: Memo | None = None) -> str:
    """Every claim, source and rating, as documented on the data page, with the origins the build traced.

    The text is what json.dumps(data, indent=1) writes, put together from one piece per record so that with a
    `memo` only the records that changed are serialised.
    """
    ratings = [_dumped(memo, r, lambda r=r: _record(r), False) for r in corpus.rating_scale.ratings]
    claims = []
    for c in sorted(corpus.claims, key=lambda c: c.id):
        found = claim_origins(c, provenance)
        traced = {"appearances": list(found.appearances), "supports": list(found.supports),
                  "contradicts": list(found.contradicts), "evidence": list(found.evidence)}
        claims.append(_dumped(memo, (c, urls[c.id], found),
                              lambda c=c, t=traced: {**_record(c), "last_reviewed": c.last_reviewed.isoformat(),
                                                     "origins": t, "url": urls[c.id]}, False))
    sources = [_dumped(memo, (s, provenance.origins[s.id], provenance.derived[s.id]),
                       lambda s=s: {**_record(s), "origins": list(provenance.origins[s.id]),
                                    "basis_for": list(provenance.derived[s.id])}, False)
               for s in sorted(corpus.sources, key=lambda s: s.id)]
    members = [f'"format": {json.dumps(FORMAT_NAME)}', f'"version": {FORMAT_VERSION}',
               f'"ratings": {_array(ratings, 1)}', f'"claims": {_array(claims, 1)}', f'"sources": {_array(sources, 1)}']
    return "{\n " + ",\n ".join(members) + "\n}\n"


def claims_csv(corpus: Corpus, urls: dict[str, str], origins: dict[str, ClaimOrigins]) -> str:
    """One row per claim; cells that a spreadsheet would run as a formula are defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in sorted(corpus.claims, key=lambda c: c.id):
        rating = corpus.rating(claim.verdict)
        row = (claim.id, claim.claim, claim.claimant, claim.claim_date, claim.verdict, rating.label,
               claim.as_of or "", claim.summary, " ".join(sorted({a.source for a in claim.appearances})),
               " ".join(origins[claim.id].appearances), " ".join(origins[claim.id].evidence),
               " ".join(claim.tags), claim.published, claim.updated, claim.reviewed or "", claim.next_review or "",
               urls[claim.id])
        writer.writerow([safe_cell(str(v)) for v in row])
    return out.getvalue()


def safe_cell(text: str) -> str:
    """A CSV cell that spreadsheets show as text, never evaluate (OWASP CSV injection guidance)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def claimreview_feed(reviews: list[dict[str, Any]], keys: list | None = None, memo: Memo | None = None) -> str:
    """All ClaimReview objects as one JSON array (the data-feed format fact-check aggregators read).

    With `keys` (what each review was made from) and a `memo`, unchanged reviews are not serialised again.
    """
    if keys is None or memo is None:
        return json.dumps(reviews, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    items = [_dumped(memo, made_from, lambda r=review: r, True)
             for made_from, review in zip(keys, reviews, strict=True)]
    return _array(items, 0) + "\n"


def _dumped(memo: Memo | None, parts, make, sort_keys: bool) -> str:
    """One value as json.dumps(indent=1) writes it, from the memo when the same inputs were serialised before."""
    digest = key(parts, sort_keys) if memo is not None else ""
    found = memo.get("json", digest) if memo is not None else None
    if found is not None:
        return found.decode("utf-8")
    text = json.dumps(make(), ensure_ascii=False, indent=1, sort_keys=sort_keys)
    if memo is not None:
        memo.put("json", digest, text.encode("utf-8"))
    return text


def _array(items: list[str], level: int) -> str:
    """A JSON array as json.dumps(indent=1) writes it `level` deep, from items written at the top level."""
    if not items:
        return "[]"
    pad = "\n" + " " * (level + 1)
    return "[" + pad + ("," + pad).join(item.replace("\n", pad) for item in items) + "\n" + " " * level + "]"


def atom_feed(corpus: Corpus, urls: dict[str, str], *, title: str, site_url: str, feed_url: str) -> str:
    """An Atom feed of claims, newest change first."""
    ns = "http://www.w3.org/2005/Atom"
    claims = sorted(corpus.claims, key=lambda c: (c.updated, c.id), reverse=True)
    feed = ET.Element("feed", xmlns=ns)
    ET.SubElement(feed, "title").text = title
    ET.SubElement(feed, "id").text = feed_url
    ET.SubElement(feed, "link", rel="self", href=feed_url)
    ET.SubElement(feed, "link", rel="alternate", href=site_url)
    newest = max((c.updated for c in claims), default=dt.date(1970, 1, 1))
    ET.SubElement(feed, "updated").text = _stamp(newest)
    for claim in claims:
        rating = corpus.rating(claim.verdict)
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = f"{rating.label}: {claim.claim}"
        ET.SubElement(entry, "id").text = urls[claim.id]
        ET.SubElement(entry, "link", rel="alternate", href=urls[claim.id])
        ET.SubElement(entry, "published").text = _stamp(claim.published)
        ET.SubElement(entry, "updated").text = _stamp(claim.updated)
        ET.SubElement(ET.SubElement(entry, "author"), "name").text = title
        ET.SubElement(entry, "summary").text = claim.summary
        for tag in claim.tags:
            ET.SubElement(entry, "category", term=tag)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def corrections_feed(corrections: list, urls: dict[str, str], *, title: str, site_url: str, feed_url: str) -> str:
    """An Atom feed of corrections and verdict changes only: history entries after first publication."""
    ns = "http://www.w3.org/2005/Atom"
    feed = ET.Element("feed", xmlns=ns)
    ET.SubElement(feed, "title").text = title
    ET.SubElement(feed, "id").text = feed_url
    ET.SubElement(feed, "link", rel="self", href=feed_url)
    ET.SubElement(feed, "link", rel="alternate", href=site_url)
    newest = max((c.entry.date for c in corrections), default=dt.date(1970, 1, 1))
    ET.SubElement(feed, "updated").text = _stamp(newest)
    for item in corrections:
        url = f"{urls[item.claim.id]}#{item.anchor}"
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = f"Correction: {item.claim.claim}"
        ET.SubElement(entry, "id").text = url
        ET.SubElement(entry, "link", rel="alternate", href=url)
        ET.SubElement(entry, "updated").text = _stamp(item.entry.date)
        ET.SubElement(ET.SubElement(entry, "author"), "name").text = item.entry.reviewer or title
        ET.SubElement(entry, "summary").text = item.entry.change
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _record(obj) -> dict[str, Any]:
    out = {}
    for f in yaml_fields(type(obj)):
        value = getattr(obj, f.name)
        out[f.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value):
        return _record(value)
    return value


