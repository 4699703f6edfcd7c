"""Quote matching: is a quote in a source's snapshot, word for word?

Only differences a copy-and-paste introduces are forgiven: white space, line
breaks, typographic versus straight quotes and apostrophes, and Unicode
compatibility forms (NFKC). Everything else must match exactly, case included.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The text with typographic quotes, white space and compatibility forms folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def find_quote(quote: str, normalised_snapshot: str) -> bool:
    """Whether `quote` occurs in a snapshot already passed through `normalise`."""
    needle = normalise(quote)
    # Ellipses mark omitted words: each part must appear, in order.
    parts = [p.strip() for p in needle.split("...") if p.strip()]
    position = 0
    for part in parts:
        found = normalised_snapshot.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return bool(parts)


def closest_passage(quote: str, normalised_snapshot: str) -> str:
    """The start of the longest prefix of the quote found in the snapshot, to help fix a typo."""
    needle = normalise(quote)
    lo, hi = 0, len(needle)
    while lo < hi:  # longest prefix that occurs
        mid = (lo + hi + 1) // 2
        if needle[:mid] in normalised_snapshot:
            lo = mid
        else:
            hi = mid - 1
    if lo < 12:
        return ""
    return f"the snapshot matches up to '...{needle[max(0, lo - 30):lo]}', then differs"
