"""Charts of the verdicts, drawn at build time as inline SVG (no script, works offline).

Each bar has its own row: the label and the count on a line of text, the bar below it across the full width.
The SVG has no viewBox, so its text is drawn at FONT_SIZE CSS pixels on a phone and on a desktop alike;
only the bars stretch, because their positions and widths are percentages of the chart's width. Text is
anchored by its logical start or end, and the SVG says which way it runs, so the right-to-left layout is
the same drawing with its x positions mirrored.
"""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape, quoteattr

from .model import Corpus, Source

FONT_SIZE = 14
ROW = 42  # one row: a line of text, then its bar
BASELINE = 16  # of the row's text, from the top of the row
BAR_TOP = 23
BAR_HEIGHT = 12
NAME_MAX = 36  # longer publisher names are cut, so that the name and the count fit on one line on a phone
DIRECTIONS = ("ltr", "rtl")


def charts(corpus: Corpus, articles: list[Source], by_article: dict[str, Counter],
           direction: str = "ltr") -> dict[str, str]:
    """SVG markup for the overall distribution and for the verdicts of each article's claims."""
    overall = Counter(c.verdict for c in corpus.claims)
    return {"overall": distribution_svg(corpus, overall, direction),
            "articles": stacked_svg(corpus, articles, by_article, direction)}


def distribution_svg(corpus: Corpus, counts: Counter, direction: str = "ltr") -> str:
    """One bar per rating, in scale order, as long as its share of the largest count."""
    layout = _Layout(direction)
    ratings = corpus.rating_scale.ratings
    top = max(counts.values(), default=0) or 1
    summary = ", ".join(f"{r.label}: {counts[r.id]}" for r in ratings)
    parts = [layout.open(len(ratings), f"Verdicts of all claims. {summary}")]
    for i, rating in enumerate(ratings):
        y = i * ROW
        parts.append(layout.texts(y, f"{rating.icon} {rating.label}", str(counts[rating.id])))
        parts.append(layout.bar(y, 0.0, 100 * counts[rating.id] / top, rating.colour))
    parts.append("</svg>")
    return "".join(parts)


def stacked_svg(corpus: Corpus, articles: list[Source], counts: dict[str, Counter], direction: str = "ltr") -> str:
    """One bar per article, split by verdict, as long as its share of the largest number of claims."""
    layout = _Layout(direction, stacked=True)
    ratings = corpus.rating_scale.ratings
    top = max((sum(c.values()) for c in counts.values()), default=0) or 1
    summary = "; ".join(f"{s.publisher}: " + ", ".join(f"{r.label} {counts[s.id][r.id]}" for r in ratings
                                                        if counts[s.id][r.id]) for s in articles)
    parts = [layout.open(len(articles), f"Verdicts of the claims each article made. {summary}")]
    for i, source in enumerate(articles):
        y = i * ROW
        name = source.publisher if len(source.publisher) <= NAME_MAX else source.publisher[:NAME_MAX - 1] + "\u2026"
        parts.append(layout.texts(y, name, str(sum(counts[source.id].values()))))
        start = 0.0
        for rating in ratings:
            n = counts[source.id][rating.id]
            if n:
                parts.append(layout.bar(y, start, 100 * n / top, rating.colour, f"{rating.label}: {n}"))
                start += 100 * n / top
    parts.append("</svg>")
    return "".join(parts)


class _Layout:
    """Where things go in one chart, for a direction: the start edge is the left one, or the right one."""

    def __init__(self, direction: str, stacked: bool = False):
        if direction not in DIRECTIONS:
            raise ValueError(f"direction: expected one of {', '.join(DIRECTIONS)}, found {direction!r}")
        self.direction = direction
        self.stacked = stacked

    def open(self, rows: int, label: str) -> str:
        # The direction is always written out: an inline SVG would otherwise inherit the page's, and a
        # left-to-right chart on a right-to-left page would anchor its text at the wrong ends.
        kind = " fd-chart--stacked" if self.stacked else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="fd-chart{kind}" role="img" '
                f'aria-label={quoteattr(label)} width="100%" height="{max(rows * ROW - (ROW - BAR_TOP - BAR_HEIGHT), 0)}" '
                f'direction="{self.direction}" font-size="{FONT_SIZE}" fill="currentColor">')

    def texts(self, y: int, label: str, count: str) -> str:
        """The row's label at its start edge and its count at its end edge."""
        start, end = ("0", "100%") if self.direction == "ltr" else ("100%", "0")
        return (f'<text x="{start}" y="{y + BASELINE}" text-anchor="start">{escape(label)}</text>'
                f'<text x="{end}" y="{y + BASELINE}" text-anchor="end" font-weight="700">{count}</text>')

    def bar(self, y: int, start: float, width: float, colour: str, title: str = "") -> str:
        """A bar, or a segment of one, from `start` to `start + width` per cent of the way from the start edge."""
        x = start if self.direction == "ltr" else 100 - start - width
        inner = f"<title>{escape(title)}</title></rect>" if title else "/>"
        return (f'<rect x="{_pct(x)}" y="{y + BAR_TOP}" width="{_pct(width)}" height="{BAR_HEIGHT}" '
                f'fill={quoteattr(colour)}' + (">" + inner if title else inner))


def _pct(value: float) -> str:
    # Two decimals are finer than a pixel on any screen; "-0.00%" would differ from "0.00%" for nothing.
    return f"{max(value, 0.0):.2f}%"
