"""Provenance: where each source got its information, and how many independent origins a claim rests on.

A source's `based_on` names the sources it reports, relays or summarises. Following those links to their
roots gives the source's *origins*: twenty outlets repeating one newspaper report have one origin, the report.
Independence is computed from these chains, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Claim, Corpus

# Evidence stances that count towards a verdict's independent origins; context does not.
WEIGHED_STANCES = ("supports", "contradicts")


@dataclass(frozen=True)
class Provenance:
    """The origins of every source, and the sources directly based on each."""

    origins: dict[str, tuple[str, ...]]  # source id -> ids of the sources at the roots of its chains
    derived: dict[str, tuple[str, ...]]  # source id -> ids of the sources whose based_on (or a passage's) names it

    def of_item(self, item) -> tuple[str, ...]:
        """The origins of one appearance or evidence entry: its own `based_on` when given, else its source's."""
        if not item.based_on:
            return self.origins.get(item.source, (item.source,))
        found: set[str] = set()
        for source_id in item.based_on:
            # Naming the entry's own source means the passage is that outlet's own reporting.
            found.update((source_id,) if source_id == item.source else self.origins.get(source_id, (source_id,)))
        return tuple(sorted(found))


@dataclass(frozen=True)
class ClaimOrigins:
    """The independent origins behind one claim's appearances and its weighed evidence."""

    appearances: tuple[str, ...]
    supports: tuple[str, ...]
    contradicts: tuple[str, ...]

    @property
    def evidence(self) -> tuple[str, ...]:
        """Origins of the evidence that supports or contradicts the claim, counted once each."""
        return tuple(sorted(set(self.supports) | set(self.contradicts)))


def trace(corpus: Corpus) -> Provenance:
    """Follow every source's `based_on` to its roots. A link into a cycle or to an unknown id ends the chain
    there (those are reported by the checks; this never loops)."""
    parents = {s.id: tuple(dict.fromkeys(s.based_on)) for s in corpus.sources}
    origins: dict[str, tuple[str, ...]] = {}

    def roots(source_id: str, path: tuple[str, ...]) -> tuple[str, ...]:
        if source_id in origins:
            return origins[source_id]
        above = [p for p in parents.get(source_id, ()) if p in parents and p != source_id and p not in path]
        if not above:
            found: tuple[str, ...] = (source_id,)
        else:
            found = tuple(sorted({r for p in above for r in roots(p, (*path, source_id))}))
        if not any(p in path for p in parents.get(source_id, ())):  # only results that no open cycle cut short
            origins[source_id] = found
        return found

    for source_id in sorted(parents):
        roots(source_id, ())
    derived: dict[str, set[str]] = {sid: set() for sid in parents}
    for source_id, above in parents.items():
        for parent in above:
            if parent in derived and parent != source_id:
                derived[parent].add(source_id)
    # A passage's own based_on makes its source rely on those too (an article relaying one report for one claim).
    for claim in corpus.claims:
        for item in claim.passages:
            for parent in item.based_on:
                if parent in derived and parent != item.source:
                    derived[parent].add(item.source)
    return Provenance(origins, {sid: tuple(sorted(ids)) for sid, ids in derived.items()})


def claim_origins(claim: Claim, provenance: Provenance) -> ClaimOrigins:
    """How many independent origins the claim's appearances and its weighed evidence trace back to."""
    def collect(items) -> tuple[str, ...]:
        return tuple(sorted({o for item in items for o in provenance.of_item(item)}))

    return ClaimOrigins(
        appearances=collect(claim.appearances),
        supports=collect(e for e in claim.evidence if e.stance == "supports"),
        contradicts=collect(e for e in claim.evidence if e.stance == "contradicts"),
    )


def cycles(corpus: Corpus) -> list[tuple[str, ...]]:
    """Every loop of `based_on` links, each once, starting at its smallest id (a source based on itself
    is a loop of one)."""
    parents = {s.id: tuple(s.based_on) for s in corpus.sources}
    found: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for parent in parents.get(node, ()):
            if parent not in parents:
                continue
            if state.get(parent) == 1:
                loop = path[path.index(parent):]
                start = loop.index(min(loop))
                found.add(tuple(loop[start:] + loop[:start]))
            elif state.get(parent) is None:
                visit(parent, path)
        path.pop()
        state[node] = 2

    for source_id in sorted(parents):
        if source_id not in state:
            visit(source_id, [])
    return sorted(found)
