"""What of a generated page the site search indexes: its head, up to a mark the template sets.

Material's search builds its whole index in the reader's browser, in time proportional to the words in it: at
10,000 claims, indexing claim pages in full gave a 53 MB index and 25 seconds to the first result. Readers look
for a claim by its words or its claimant, and for a source by its title or outlet, so the claim and source
templates put those first, then MARK; the MkDocs adapter cuts each converted page at the mark before the search
plugin reads it, and joins the rest back on once the page is laid out. Blocks above the mark are left out with
`data-search-exclude`. The mark is an HTML comment, so another engine shows (and indexes) the whole page.
Measurements: maintainers/performance.md, "Search".
"""

from __future__ import annotations

MARK = "<!-- factdesk:unsearched -->"


def cut(html: str) -> tuple[str, str | None]:
    """The converted page up to and with the mark, and the rest after it (None when the page has no mark)."""
    head, mark, rest = html.partition(MARK)
    if not mark:
        return html, None
    return head + MARK, rest


def rejoin(output: str, rest: str) -> str:
    """The laid-out page with the rest in place of the mark, which must occur in it exactly once."""
    if output.count(MARK) != 1:
        raise ValueError(f"the laid-out page has {output.count(MARK)} copies of {MARK}, not 1")
    return output.replace(MARK, rest, 1)
