"""What of a generated page the site search indexes: its head, up to a mark the template sets.

Material's search builds its whole index in the reader's browser, in time proportional to the words in it: at
10,000 claims, indexing claim pages in full gave a 53 MB index and 25 seconds to the first result. Readers look
for a claim by its words or its claimant, and for a source by its title or outlet, so the claim and source
templates put those first, then MARK; the MkDocs adapter cuts each converted page at the mark before the search
plugin reads it, and puts the rest back once the page is laid out, as it does other blocks kept out of search
(verbatim.py). Blocks above the mark are left out with
`data-search-exclude`. The mark is an HTML comment, so another engine shows (and indexes) the whole page.
Measurements: maintainers/performance.md, "Search".
"""

from __future__ import annotations

from .verbatim import placeholder

MARK = "<!-- factdesk:unsearched -->"
REST = "unsearched"  # the key the rest of a page is set aside under, among the page's late blocks (verbatim.py)


def cut(html: str) -> tuple[str, str | None]:
    """The converted page up to the mark, with a placeholder for the rest, and the rest after the mark (None when
    the page has no mark). The adapter puts the rest back with verbatim.put_back once the page is laid out."""
    head, mark, rest = html.partition(MARK)
    if not mark:
        return html, None
    return head + placeholder(REST), rest
