"""Blocks of finished HTML in the generated pages, kept away from the Markdown converter.

Pages that list the whole archive (the claims index, the timeline, the matrix)
are mostly one large HTML block that Markdown passes through unchanged, after
parsing it twice. Templates mark such blocks; the MkDocs adapter swaps each for
a short placeholder before Markdown runs and puts it back in the HTML after.
The marks are HTML comments, so any other engine can use the pages as they are.
Marked blocks must be complete block-level elements without `id` attributes
(nothing may link to an anchor inside them). A block whose outer element is
left out of the search index (`data-search-exclude`) goes back in only once the
page is laid out, so the search plugin and the theme never parse it.
"""

from __future__ import annotations

import re

START = "<!-- factdesk:verbatim -->"
END = "<!-- /factdesk:verbatim -->"
_BLOCK = re.compile(re.escape(START) + r"\n(.*?)\n" + re.escape(END), re.DOTALL)
_PLACEHOLDER = '<div data-factdesk-verbatim="{}"></div>'
_UNSEARCHED = re.compile(r"<\w+[^>]*\sdata-search-exclude[\s>]")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The page with each marked block replaced by a placeholder, and the blocks in order."""
    blocks: list[str] = []

    def keep(match: re.Match) -> str:
        blocks.append(match.group(1))
        return "\n\n" + placeholder(len(blocks) - 1) + "\n\n"

    return _BLOCK.sub(keep, markdown), blocks


def unsearched(block: str) -> bool:
    """Whether the block's outer element is left out of the search index."""
    return _UNSEARCHED.match(block) is not None


def placeholder(key: int | str) -> str:
    """What stands in a page for the block set aside under `key`, until put_back."""
    return _PLACEHOLDER.format(key)


def put_back(html: str, blocks: dict[int, str] | dict[int | str, str]) -> str:
    """The converted page with blocks (by key, in order) where their placeholders are; a lost placeholder is an
    error. A block put back first may hold the placeholders of those after it."""
    for number, block in blocks.items():
        placeholder = _PLACEHOLDER.format(number)
        if html.count(placeholder) != 1:
            raise ValueError(f"the converted page has {html.count(placeholder)} copies of block {number}, not 1")
        html = html.replace(placeholder, block, 1)
    return html
