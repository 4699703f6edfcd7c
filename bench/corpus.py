"""Synthetic but realistic fact-check projects of any size, for the scale benchmark.

Every project is generated from a seed, so the same size gives the same files.
Each source has a text snapshot; every quote in a claim is copied from the
snapshot of the source it cites, so quote verification does real work. There is
one source for every five claims, and every source is cited by some claim, so
the project passes `factdesk check --strict`.

generate_realistic() instead clones the repository's own claims, sources,
snapshots and events under new ids, with their words varied (see its docstring):
pages that look like the real report's, long analyses and many sources included.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import shutil
import unicodedata
from dataclasses import fields
from pathlib import Path

import yaml
from factdesk.model import Timeline

REPO = Path(__file__).resolve().parent.parent
CLAIMS_PER_SOURCE = 5
FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

WORDS = (
    "minister army budget election protest border treaty ministry sanction report leader embassy council "
    "parliament inflation currency oil pipeline airport province court judge spokesman agency statement "
    "ceasefire refugee harbour missile drone satellite contract bank reserve export import factory strike "
    "union vaccine hospital school university bridge railway port tanker cargo cable network broadcast "
    "newspaper editor reporter witness document letter interview poll survey census forecast drought flood "
    "harvest wheat rice gas grid outage tariff loan debt bond investor company merger lawsuit verdict appeal "
    "prison guard officer general admiral colonel militia convoy checkpoint village capital region district "
    "summit delegation envoy mediator talks proposal deadline vote majority coalition opposition campaign"
).split()
TAGS = [f"{a}-{b}" for a in ("energy", "security", "economy", "health", "media", "law", "climate", "trade",
                              "diplomacy", "elections") for b in ("policy", "figures", "quotes", "history",
                                                                   "rumours", "data")]
PUBLISHERS = ["The Daily Ledger", "Northern Courier", "Harbour Times", "Civic Wire", "Evening Standard Post",
              "Metro Dispatch", "The Observer Review", "Global Desk", "Capital Chronicle", "Frontier News",
              "Weekly Record", "Public Bulletin", "The Lantern", "Coastline Herald", "Valley Gazette"]
EVIDENCE_KINDS = ["reference", "research", "official-statement", "dataset", "fact-check", "analysis"]
RATINGS = ["true", "mostly-true", "mixed", "misleading", "mostly-false", "false", "unproven"]


def generate(root: Path, claims: int, *, seed: int = 8) -> Path:
    """Write a complete project with `claims` claims under `root` (replaced if present); return mkdocs.yml."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed * 1_000_003 + claims)
    (root / "claims" / "sources").mkdir(parents=True)
    (root / "docs").mkdir()
    shutil.copy(REPO / "ratings.yaml", root / "ratings.yaml")
    _write_config(root)
    _write_docs(root)
    sources = _sources(rng, max(2, claims // CLAIMS_PER_SOURCE))
    for source in sources:
        _dump(root / "claims" / "sources" / f"{source['id']}.yaml", _source_fields(source))
        (root / "claims" / "sources" / f"{source['id']}.txt").write_text(source["text"], encoding="utf-8")
    claimants = [_name(rng) for _ in range(max(1, claims // 10))]
    ids = [f"claim-{i:05d}-{rng.choice(WORDS)}-{rng.choice(WORDS)}" for i in range(claims)]
    articles = [s for s in sources if s["kind"] == "news"]
    others = [s for s in sources if s["kind"] != "news"]
    for i, claim_id in enumerate(ids):
        # Round-robin first appearance and first evidence, so that every source is cited.
        made_in = [articles[i % len(articles)]] + rng.sample(articles, min(len(articles), rng.randint(1, 3)))
        made_in = list({s["id"]: s for s in made_in}.values())
        _dump(root / "claims" / f"{claim_id}.yaml",
              _claim(rng, claim_id, ids, made_in, others[i % len(others)], others, claimants))
    return root / "mkdocs.yml"


# -- realistic: the repository's own report, cloned -----------------------------------------------

PROSE = {"claim", "claimant", "summary", "analysis", "what_changed", "single_origin_reason", "caveats", "quote",
         "note", "change", "title", "publisher", "author", "date_note"}  # fields whose words are varied
ID_LISTS = {"related", "based_on", "sources"}  # fields holding lists of claim or source ids
COPY_SHIFT_DAYS = 9  # each copy's dates lie this many days before the previous copy's
MAX_EVENTS = next(f.metadata["max_items"] for f in fields(Timeline) if f.name == "events")
_WORD = re.compile(r"[A-Za-z]+")


def generate_realistic(root: Path, claims: int, *, seed: int = 8) -> Path:
    """Write a project of `claims` claims cloned from the repository's own report; return its mkdocs.yml.

    Copy 0 is the report itself (English files only, no translations); copy k > 0 has every id suffixed
    with `-c<k>`, its dates moved k * COPY_SHIFT_DAYS days earlier (next_review aside, so no review falls
    due), and its words replaced, the same way in every field and snapshot, by other words of the report
    of the same length, so quotes still match their snapshots and no text is longer than the original.
    The last copy holds only as many claims as are left, with the sources and events they need. Events
    (and the sources only they cite) are copied while the timeline has room for them (MAX_EVENTS).
    """
    if root.exists():
        shutil.rmtree(root)
    report = _read_report()
    (root / "claims" / "sources").mkdir(parents=True)
    (root / "docs").mkdir()
    shutil.copy(REPO / "ratings.yaml", root / "ratings.yaml")
    _write_config(root)
    _write_docs(root)
    per_copy = len(report["claims"])
    only_events = set(report["sources"]) - _needed_sources(report["claims"], report["sources"])
    events: list[dict] = []
    for copy in range(math.ceil(claims / per_copy)):
        chosen = report["claims"][:min(per_copy, claims - copy * per_copy)]
        needed = _needed_sources(chosen, report["sources"])
        dated = [e for e in report["events"] if set(e["sources"]) <= needed | only_events]
        dated = dated if len(events) + len(dated) <= MAX_EVENTS else []
        needed |= {source_id for e in dated for source_id in e["sources"]}
        kept = {c["id"] for c in chosen}
        vary = _Variation(report["vocabulary"], random.Random(seed * 1_000_003 + copy)) if copy else None
        clone = _cloner(copy, vary)
        for claim in chosen:
            related = [r for r in claim.get("related", []) if r in kept]  # the last copy may lack some
            data = clone({k: related if k == "related" else v for k, v in claim.items() if k != "related" or related})
            _dump(root / "claims" / f"{data['id']}.yaml", data)
        for source_id in sorted(needed):
            source = report["sources"][source_id]
            data = clone(source)
            if source_id in report["snapshots"]:
                data["snapshot"] = f"{data['id']}.txt"
                text = report["snapshots"][source_id]
                (root / "claims" / "sources" / data["snapshot"]).write_text(vary(text) if vary else text,
                                                                              encoding="utf-8")
            _dump(root / "claims" / "sources" / f"{data['id']}.yaml", data)
        events += [clone(e) for e in dated]
    _dump(root / "events.yaml", {"events": events})
    return root / "mkdocs.yml"


def _read_report() -> dict:
    """The repository's claims (in file order), sources, snapshots and events, and the words of their text."""
    def read(path: Path) -> dict:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    claims = [read(p) for p in sorted((REPO / "claims").glob("*.yaml")) if "." not in p.stem]
    sources = {p.stem: read(p) for p in sorted((REPO / "claims" / "sources").glob("*.yaml")) if "." not in p.stem}
    snapshots = {sid: (REPO / "claims" / "sources" / s["snapshot"]).read_text(encoding="utf-8")
                 for sid, s in sources.items() if s.get("snapshot")}
    events = read(REPO / "events.yaml")["events"]
    text = " ".join([*snapshots.values(), *(_prose(r) for r in (*claims, *sources.values(), *events))])
    return {"claims": claims, "sources": sources, "snapshots": snapshots, "events": events,
            "vocabulary": sorted(set(_WORD.findall(unicodedata.normalize("NFKC", text))))}


def _prose(value, key: str = "") -> str:
    if isinstance(value, dict):
        return " ".join(_prose(v, k) for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_prose(v, key) for v in value)
    return value if isinstance(value, str) and key in PROSE else ""


def _needed_sources(claims: list[dict], sources: dict[str, dict]) -> set[str]:
    """The sources the claims cite, directly, through based_on, or through the sources those are based on."""
    pending = [ref for c in claims for item in (*c.get("appearances", ()), *c.get("evidence", ()))
               for ref in (item["source"], *item.get("based_on", ()))]
    needed: set[str] = set()
    while pending:
        source_id = pending.pop()
        if source_id not in needed:
            needed.add(source_id)
            pending += sources[source_id].get("based_on", [])
    return needed


def _cloner(copy: int, vary: _Variation | None):
    """A function that clones one record (claim, source or event) into copy number `copy`."""
    shift = dt.timedelta(days=COPY_SHIFT_DAYS * copy)

    def new_id(old: str) -> str:
        return f"{old}-c{copy}" if copy else old

    def clone(value, key: str = ""):
        if isinstance(value, dict):
            return {k: clone(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [clone(v, key) for v in value]
        if isinstance(value, dt.date) and key != "next_review":
            return value - shift
        if isinstance(value, str) and (key in ("id", "source") or key in ID_LISTS):
            return new_id(value)
        if isinstance(value, str) and key in PROSE and vary is not None:
            return vary(value)
        return value

    return clone


class _Variation:
    """Replaces each word by another word of the report of the same length and case, always the same one."""

    def __init__(self, vocabulary: list[str], rng: random.Random) -> None:
        self.words: dict[str, str] = {}
        by_shape: dict[tuple[int, str], list[str]] = {}
        for word in vocabulary:
            shape = "lower" if word.islower() else "title" if word.istitle() else ""
            if shape and len(word) >= 4:
                by_shape.setdefault((len(word), shape), []).append(word)
        for group in by_shape.values():
            shuffled = group[:]
            rng.shuffle(shuffled)
            self.words.update(zip(group, shuffled, strict=True))

    def __call__(self, text: str) -> str:
        # NFKC first, as the quote check reads both sides: then a quote and its snapshot change alike.
        return _WORD.sub(lambda m: self.words.get(m.group(), m.group()), unicodedata.normalize("NFKC", text))


def _write_config(root: Path) -> None:
    """The same theme and plugins as the repository's own site."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("plugins:")[0] + """plugins:
  - search
  - factdesk:
      publisher_name: Factdesk bench
      publisher_url: https://bench.example/

markdown_extensions:
  - toc:
      permalink: true
  - tables
  - attr_list
  - md_in_html
  - admonition

nav:
  - Home: index.md
  - Claims:
      - All claims: claims/index.md
      - Who said what: matrix.md
      - Timeline: timeline.md
      - Statistics: statistics.md
      - Tags: tags/index.md
      - Claimants: claimants/index.md
  - Sources: sources/index.md
  - Rating scale: ratings.md
  - Data and feeds: data.md
"""
    config = config.replace("site_url: https://factdesk.example/", "site_url: https://bench.example/")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def _write_docs(root: Path) -> None:
    (root / "docs" / "index.md").write_text(
        "# Benchmark desk\n\nA generated archive of fact checks, used to measure build times.\n"
        "Start with [all claims](claims/index.md) or the [sources](sources/index.md).\n", encoding="utf-8")


def _sources(rng: random.Random, count: int) -> list[dict]:
    out = []
    for i in range(count):
        kind = "news" if i % 2 == 0 else EVIDENCE_KINDS[i % len(EVIDENCE_KINDS)]
        published = _day(rng)
        sentences = [_sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(18, 30))]
        paragraphs = ["\n".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
        title = _sentence(rng, rng.randint(5, 10)).rstrip(".")
        out.append({"id": f"source-{i:05d}-{rng.choice(WORDS)}", "title": title,
                    "publisher": rng.choice(PUBLISHERS) if kind == "news" else f"{rng.choice(WORDS).title()} Institute",
                    "author": _name(rng) if rng.random() < 0.7 else None, "published": published,
                    "accessed": min(LAST_DAY, published + dt.timedelta(days=rng.randint(0, 400))), "kind": kind,
                    "sentences": sentences, "text": title + "\n\n" + "\n\n".join(paragraphs) + "\n"})
    return out


def _source_fields(source: dict) -> dict:
    fields = {"id": source["id"], "title": source["title"], "publisher": source["publisher"]}
    if source["author"]:
        fields["author"] = source["author"]
    fields.update({"published": source["published"], "url": f"https://news.example/{source['id']}",
                   "archive_url": f"https://archive.example/{source['id']}", "accessed": source["accessed"],
                   "kind": source["kind"], "language": "en", "snapshot": f"{source['id']}.txt"})
    return fields


def _claim(rng: random.Random, claim_id: str, ids: list[str], made_in: list[dict], evidence_source: dict,
           others: list[dict], claimants: list[str]) -> dict:
    verdict = RATINGS[rng.randrange(len(RATINGS))]
    claim_date = min(s["published"] for s in made_in)
    published = min(LAST_DAY, claim_date + dt.timedelta(days=rng.randint(1, 30)))
    updated = min(LAST_DAY, published + dt.timedelta(days=rng.choice((0, 0, 3, 40))))
    appearances = []
    for source in made_in:
        item = {"source": source["id"], "quote": _quote(rng, source)}
        if rng.random() < 0.3:
            item["note"] = _sentence(rng, 12)
        appearances.append(item)
    evidence = []
    if verdict != "unproven":
        for source in [evidence_source] + rng.sample(others, min(len(others), rng.randint(0, 2))):
            item = {"source": source["id"], "stance": rng.choice(("supports", "contradicts", "context"))}
            if rng.random() < 0.6:
                item["quote"] = _quote(rng, source)
            item["note"] = _sentence(rng, rng.randint(8, 20))
            evidence.append(item)
    fields = {"id": claim_id, "claim": _sentence(rng, rng.randint(10, 24)), "claimant": rng.choice(claimants),
              "claimant_kind": "person", "claim_date": claim_date, "verdict": verdict,
              "summary": " ".join(_sentence(rng, rng.randint(12, 20)) for _ in range(3)),
              "analysis": _analysis(rng), "appearances": appearances}
    if evidence:
        fields["evidence"] = evidence
        if len({e["source"] for e in evidence if e["stance"] != "context"}) < 2:
            fields["single_origin_reason"] = _sentence(rng, rng.randint(8, 14))
    if rng.random() < 0.5:
        fields["caveats"] = [_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(1, 2))]
    fields["tags"] = sorted(set(rng.sample(TAGS, rng.randint(1, 3))))
    related = sorted(set(rng.sample(ids, min(len(ids), rng.randint(0, 3)))) - {claim_id})
    if related:
        fields["related"] = related
    history = [{"date": published, "change": "First published."}]
    if updated > published:
        history.append({"date": updated, "change": _sentence(rng, 10)})
    fields.update({"published": published, "updated": updated, "history": history})
    return fields


def _analysis(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(3, 5)):
        words = " ".join(_sentence(rng, rng.randint(12, 25)) for _ in range(rng.randint(2, 4)))
        paragraphs.append(words)
    paragraphs[0] = f"**{rng.choice(WORDS).title()}.** " + paragraphs[0]
    paragraphs[1] += f" See the [{rng.choice(WORDS)} report](https://records.example/{rng.randint(1, 10**6)})."
    paragraphs.append("\n".join(f"- {_sentence(rng, rng.randint(6, 12))}" for _ in range(rng.randint(2, 4))))
    paragraphs.append(f"We rate the claim *{rng.choice(WORDS)}*.")
    return "\n\n".join(paragraphs) + "\n"


def _quote(rng: random.Random, source: dict) -> str:
    """A few words taken from one sentence of the source's snapshot."""
    words = rng.choice(source["sentences"]).rstrip(".").split()
    start = rng.randint(0, max(0, len(words) - 8))
    return " ".join(words[start:start + rng.randint(6, 14)])


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 9999)))
    return " ".join(words).capitalize() + "."


def _name(rng: random.Random) -> str:
    return f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}son"


def _day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))


class _Dumper(yaml.CSafeDumper):
    """Writes shared values (e.g. the same date twice) out in full: project files may not hold anchors."""

    def ignore_aliases(self, data) -> bool:
        return True


def _text(dumper: yaml.Dumper, value: str) -> yaml.Node:
    """Multi-line text as a literal block, the way contributors write analyses."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def _dump(path: Path, data: dict) -> None:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
