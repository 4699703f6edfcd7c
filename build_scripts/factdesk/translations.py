"""Translations: one canonical record per claim or source, and files that carry only its prose in another language.

A translation sits next to its original as `<id>.<language>.yaml` (the suffix convention of
mkdocs-static-i18n). It records which version of the original it translates; the version is a digest of the
original's prose, so any change to that prose makes the translation out of date, and nothing else does.
Verdicts, dates, sources and links are never translated: they always come from the original.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from .localdates import known_language
from .model import VERSION_RE, Claim, Corpus, Source, SourceTranslation
from .problems import Problem, Severity, did_you_mean

# `moon-distance.fa.yaml`: an id, a dot, a language code.
NAME_RE = re.compile(r"^(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<language>[A-Za-z0-9_-]+)$")


def split_name(stem: str) -> tuple[str, str] | None:
    """(record id, language) for a translation's file name without `.yaml`, or None for an original."""
    match = NAME_RE.match(stem)
    return (match["id"], match["language"]) if match else None


def language_problem(code: str, languages: tuple[str, ...]) -> tuple[str, str] | None:
    """Why a file may not be a translation into `code` (message, hint), or None when it may."""
    if not known_language(code):
        return (f"unknown language code '{code}' in the file name",
                "name the file <id>.<language>.yaml with a code such as fa, de or pt_BR")
    if code not in languages:
        published = ", ".join(languages) if languages else "none"
        return (f"the site publishes no '{code}' edition (languages: {published})",
                did_you_mean(code, languages) or f"add {code} to the factdesk option languages in mkdocs.yml, "
                                                   "or remove the file")
    return None


def version(record: Claim | Source) -> str:
    """The version of a record's prose: 12 hexadecimal digits that change whenever a translator would need to
    look at the original again, and only then."""
    data = json.dumps(_prose(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


def _prose(record: Claim | Source) -> dict:
    if isinstance(record, Source):
        return {"title": record.title, "date_note": record.date_note, "note": record.note}
    return {
        "claim": record.claim, "claimant": record.claimant, "what_changed": record.what_changed,
        "summary": record.summary, "analysis": record.analysis, "single_origin_reason": record.single_origin_reason,
        "caveats": list(record.caveats),
        "appearances": [[a.quote, a.note] for a in record.appearances],
        "evidence": [[e.quote, e.note] for e in record.evidence],
        "history": [h.change for h in record.history],
    }


# -- checks ---------------------------------------------------------------------------------------

def _at(record, field: str, message: str, hint: str, severity: Severity = Severity.ERROR) -> Problem:
    line, col = record.origin.at(field)
    return Problem(record.origin.path, line, col, field, message, hint, severity)


def check_translations(corpus: Corpus) -> Iterator[Problem]:
    """Every translation belongs to a record, mirrors its structure, and translates its current version."""
    for kind, table, originals in (("claim", corpus.claim_translations, corpus.claims_by_id),
                                   ("source", corpus.source_translations, corpus.sources_by_id)):
        for language, translations in sorted(table.items()):
            for record_id, translation in sorted(translations.items()):
                original = originals.get(record_id)
                if original is None:
                    yield _at(translation, "", f"translation of an unknown {kind} '{record_id}'",
                              did_you_mean(record_id, originals) or
                              f"name the file after the {kind} it translates, <id>.{language}.yaml")
                    continue
                yield from _mirrors(translation, original)
                yield from _current(translation, original, language)


def _current(translation, original, language: str) -> Iterator[Problem]:
    now = version(original)
    if not VERSION_RE.match(translation.translates):
        yield _at(translation, "translates", f"expected 12 hexadecimal digits, found '{translation.translates}'",
                  f"copy the version that `factdesk translations {language}` prints: {now}")
    elif translation.translates != now:
        yield _at(translation, "translates", f"out of date: {original.origin.path} has changed since version "
                                             f"{translation.translates} (now {now})",
                  f"bring the translation up to date, then set translates: {now}; "
                  f"`factdesk translations {language}` lists every stale file", Severity.WARNING)


def _mirrors(translation, original) -> Iterator[Problem]:
    """The translation has an entry for each entry of the original, and a text exactly where the original has one."""
    if isinstance(translation, SourceTranslation):
        texts = [("date_note", original.date_note, translation.date_note), ("note", original.note, translation.note)]
    else:
        for group in ("caveats", "appearances", "evidence", "history"):
            have, want = len(getattr(translation, group)), len(getattr(original, group))
            if have != want:
                yield _at(translation, group, f"{group} has {have} {'entry' if have == 1 else 'entries'}; "
                                              f"the original has {want}",
                          "give one entry for each entry of the original, in the same order")
        texts = [("what_changed", original.what_changed, translation.what_changed),
                 ("single_origin_reason", original.single_origin_reason, translation.single_origin_reason)]
        for i, (item, text) in enumerate(zip(original.appearances, translation.appearances, strict=False)):
            texts += [(f"appearances[{i}].translated_quote", item.quote, text.translated_quote),
                      (f"appearances[{i}].note", item.note, text.note)]
        for i, (item, text) in enumerate(zip(original.evidence, translation.evidence, strict=False)):
            texts.append((f"evidence[{i}].translated_quote", item.quote, text.translated_quote))
    for path, theirs, ours in texts:
        if theirs and not ours:
            parent = path.rsplit(".", 1)[0] if "." in path else ""
            yield _at(translation, parent, f"{path} is missing; the original has one", f"add {path.rsplit('.', 1)[-1]}")
        elif ours and not theirs:
            yield _at(translation, path, f"{path} is given, but the original has none", "remove it")


# -- the contributors' listing -------------------------------------------------------------------

@dataclass(frozen=True)
class Status:
    kind: str  # "claim" or "source"
    record: Claim | Source
    state: str  # "missing", "stale" or "current"
    version: str  # the original's current version
    translated: str = ""  # the version the translation says it translates

    @property
    def path(self) -> str:
        return self.record.origin.path


def statuses(corpus: Corpus, language: str) -> list[Status]:
    """Every claim and source and the state of its translation into `language`, missing and stale first."""
    rows = []
    for kind, records, table in (("claim", corpus.claims, corpus.claim_translations.get(language, {})),
                                 ("source", corpus.sources, corpus.source_translations.get(language, {}))):
        for record in records:
            now = version(record)
            translation = table.get(record.id)
            if translation is None:
                rows.append(Status(kind, record, "missing", now))
            else:
                state = "current" if translation.translates == now else "stale"
                rows.append(Status(kind, record, state, now, translation.translates))
    order = {"stale": 0, "missing": 1, "current": 2}
    return sorted(rows, key=lambda r: (order[r.state], r.kind, r.record.id))


def format_statuses(rows: list[Status], language: str, *, show_current: bool = False) -> str:
    lines = []
    for row in rows:
        if row.state == "current" and not show_current:
            continue
        target = row.path[: -len(".yaml")] + f".{language}.yaml"
        detail = f"translates {row.translated}, now {row.version}" if row.state == "stale" else f"version {row.version}"
        lines.append(f"{row.state:<8} {target}  ({detail})")
    counts = {state: sum(r.state == state for r in rows) for state in ("current", "stale", "missing")}
    lines.append(f"{language}: {counts['current']} current, {counts['stale']} stale, {counts['missing']} missing "
                 f"of {len(rows)} claims and sources.")
    return "\n".join(lines)


# -- a start for the translator ----------------------------------------------------------------------

def template(record: Claim | Source, language: str) -> str:
    """A translation file to fill in: every field to translate, empty, with the original's text above it as a
    comment, the right number of entries, and the version it translates."""
    schema = "../schemas/" if isinstance(record, Claim) else "../../schemas/"
    kind = "claim" if isinstance(record, Claim) else "source"
    out = [f"# yaml-language-server: $schema={schema}{kind}-translation.schema.json",
           f"# Translation into '{language}' of {record.origin.path}. Write the text after each field; the",
           "# original is in the comment above it. Verdict, dates, sources and links come from the original.",
           f"translates: \"{version(record)}\"", "translator:"]
    if isinstance(record, Claim):
        out.append("# reviewer: (optional) who checked the translation")
        for name in ("claim", "claimant", "what_changed", "summary"):
            out += _field(name, getattr(record, name), optional=name in ("claimant", "what_changed"))
        out += _comment(record.analysis) + ["analysis: |", "  "]
        out += _field("single_origin_reason", record.single_origin_reason, optional=True)
        if record.caveats:
            out.append("caveats:")
            for caveat in record.caveats:
                out += _comment(caveat, "  ") + ["  - "]
        out.append("appearances:")
        for item in record.appearances:
            out += _comment(item.quote, "    ") + ["  - translated_quote:"]
            if item.note:
                out += _comment(item.note, "    ") + ["    note:"]
        if record.evidence:
            out.append("evidence:")
            for evidence in record.evidence:
                out += _comment(evidence.note, "    ") + ["  - note:"]
                if evidence.quote:
                    out += _comment(evidence.quote, "    ") + ["    translated_quote:"]
        out.append("history:")
        for entry in record.history:
            out += _comment(entry.change, "    ") + ["  - change:"]
    else:
        for name in ("title", "date_note", "note"):
            out += _field(name, getattr(record, name), optional=True)
    return "\n".join(out) + "\n"


def _field(name: str, original: str | None, optional: bool = False) -> list[str]:
    if original is None:
        return []
    return _comment(original) + [f"{name}:"]


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in (text.strip().splitlines() or [""])]


# -- an edition in another language ------------------------------------------------------------------

@dataclass
class Edition:
    """What an edition in another language knows besides its localised records (empty for the original's)."""

    claim_states: dict[str, str] = field(default_factory=dict)  # claim id -> 'current', 'stale' or 'missing'
    source_states: dict[str, str] = field(default_factory=dict)  # source id -> the same
    quotes: dict[str, tuple] = field(default_factory=dict)  # claim id -> (appearance, evidence) translated quotes
    credits: dict[str, tuple[str, str]] = field(default_factory=dict)  # claim id -> (translator, reviewer)
    titles: dict[str, str] = field(default_factory=dict)  # source id -> translated title


def localize(corpus: Corpus, language: str) -> tuple[Corpus, Edition]:
    """The corpus with the prose of `language` wherever a translation exists, and what the pages say about the
    translations. Verdicts, dates, sources and links stay those of the original."""
    edition = Edition()
    claims = []
    table = corpus.claim_translations.get(language, {})
    for claim in corpus.claims:
        text = table.get(claim.id)
        edition.claim_states[claim.id] = _state(text, claim)
        if text is None:
            claims.append(claim)
            continue
        claims.append(replace(
            claim, claim=text.claim, claimant=text.claimant or claim.claimant, summary=text.summary,
            analysis=text.analysis, what_changed=text.what_changed if claim.what_changed else None,
            single_origin_reason=text.single_origin_reason if claim.single_origin_reason else None,
            caveats=_aligned(text.caveats, claim.caveats),
            appearances=tuple(replace(item, note=(t.note if t and item.note else item.note))
                              for item, t in _pairs(claim.appearances, text.appearances)),
            evidence=tuple(replace(item, note=(t.note if t else item.note))
                           for item, t in _pairs(claim.evidence, text.evidence)),
            history=tuple(replace(entry, change=(t.change if t else entry.change))
                          for entry, t in _pairs(claim.history, text.history))))
        edition.credits[claim.id] = (text.translator, text.reviewer or "")
        edition.quotes[claim.id] = (
            tuple(t.translated_quote if t else None for _, t in _pairs(claim.appearances, text.appearances)),
            tuple(t.translated_quote if t else None for _, t in _pairs(claim.evidence, text.evidence)))
    sources = []
    stable = corpus.source_translations.get(language, {})
    for source in corpus.sources:
        source_text = stable.get(source.id)
        edition.source_states[source.id] = _state(source_text, source)
        if source_text is not None and source_text.title:
            edition.titles[source.id] = source_text.title
        sources.append(source if source_text is None else replace(
            source, note=source_text.note if source.note else None,
            date_note=source_text.date_note if source.date_note else None))
    localized = Corpus(scale=corpus.scale, timeline=corpus.timeline, claims=tuple(claims), sources=tuple(sources),
                       snapshots=corpus.snapshots, claim_translations=corpus.claim_translations,
                       source_translations=corpus.source_translations)
    return localized, edition


def _state(translation, original) -> str:
    if translation is None:
        return "missing"
    return "current" if translation.translates == version(original) else "stale"


def _pairs(originals: tuple, texts: tuple) -> list[tuple]:
    """Each entry of the original with its translation (None past the end of a shorter list)."""
    return [(item, texts[i] if i < len(texts) else None) for i, item in enumerate(originals)]


def _aligned(texts: tuple[str, ...], originals: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(texts[i] if i < len(texts) else text for i, text in enumerate(originals))
