"""Blocks of finished HTML in the generated pages, kept away from the Markdown converter.

Pages that list the whole archive (the claims index, the timeline, the matrix)
are mostly one large HTML block that Markdown passes through unchanged, after
parsing it twice. Templates mark such blocks; the MkDocs adapter swaps each for
a short placeholder before Markdown runs and puts it back in the HTML after.
The marks are HTML comments, so any other engine can use the pages as they are.
Marked blocks must be complete block-level elements without `id` attributes
(nothing may link to an anchor inside them).
"""

from __future__ import annotations

import re

START = "<!-- factdesk:verbatim -->"
END = "<!-- /factdesk:verbatim -->"
_BLOCK = re.compile(re.escape(START) + r"\n(.*?)\n" + re.escape(END), re.DOTALL)
_PLACEHOLDER = '<div data-factdesk-verbatim="{}"></div>'


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The page with each marked block replaced by a placeholder, and the blocks in order."""
    blocks: list[str] = []

    def keep(match: re.Match) -> str:
        blocks.append(match.group(1))
        return "\n\n" + _PLACEHOLDER.format(len(blocks) - 1) + "\n\n"

    return _BLOCK.sub(keep, markdown), blocks


def put_back(html: str, blocks: list[str]) -> str:
    """The converted page with its blocks where the placeholders are; a lost placeholder is an error."""
    for number, block in enumerate(blocks):
        placeholder = _PLACEHOLDER.format(number)
        if html.count(placeholder) != 1:
            raise ValueError(f"the converted page has {html.count(placeholder)} copies of block {number}, not 1")
        html = html.replace(placeholder, block, 1)
    return html
