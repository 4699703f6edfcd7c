"""Machine-readable exports: claims.json, claims.csv, a ClaimReview feed and an Atom feed."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

from .model import Corpus, yaml_fields

FORMAT_NAME = "factdesk-claims"
FORMAT_VERSION = 1
CSV_COLUMNS = ("id", "claim", "claimant", "claim_date", "verdict", "verdict_label", "as_of", "summary", "sources",
               "tags", "published", "updated", "url")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def claims_json(corpus: Corpus, urls: dict[str, str]) -> str:
    """Every claim, source and rating, as documented on the data page."""
    data = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "ratings": [_record(r) for r in corpus.scale.ratings],
        "claims": [{**_record(c), "url": urls[c.id]} for c in sorted(corpus.claims, key=lambda c: c.id)],
        "sources": [_record(s) for s in sorted(corpus.sources, key=lambda s: s.id)],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def claims_csv(corpus: Corpus, urls: dict[str, str]) -> str:
    """One row per claim; cells that a spreadsheet would run as a formula are defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in sorted(corpus.claims, key=lambda c: c.id):
        rating = corpus.scale.get(claim.verdict)
        row = (claim.id, claim.claim, claim.claimant, claim.claim_date, claim.verdict, rating.label,
               claim.as_of or "", claim.summary, " ".join(sorted({a.source for a in claim.appearances})),
               " ".join(claim.tags), claim.published, claim.updated, urls[claim.id])
        writer.writerow([safe_cell(str(v)) for v in row])
    return out.getvalue()


def safe_cell(text: str) -> str:
    """A CSV cell that spreadsheets show as text, never evaluate (OWASP CSV injection guidance)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def claimreview_feed(reviews: list[dict[str, Any]]) -> str:
    """All ClaimReview objects as one JSON array (the data-feed format fact-check aggregators read)."""
    return json.dumps(reviews, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


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
        rating = corpus.scale.get(claim.verdict)
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


