"""Charts of the verdicts, drawn at build time as inline SVG (no script, works offline)."""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape, quoteattr

from .model import Corpus, Source

BAR_HEIGHT = 22
LABEL_WIDTH = 150
CHART_WIDTH = 640


def charts(corpus: Corpus, articles: list[Source], by_article: dict[str, Counter]) -> dict[str, str]:
    """SVG markup for the overall distribution and for the verdicts of each article's claims."""
    overall = Counter(c.verdict for c in corpus.claims)
    return {"overall": distribution_svg(corpus, overall), "articles": stacked_svg(corpus, articles, by_article)}


def distribution_svg(corpus: Corpus, counts: Counter) -> str:
    """One horizontal bar per rating, in scale order."""
    ratings = corpus.scale.ratings
    top = max(counts.values(), default=0) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / top
    height = BAR_HEIGHT * len(ratings) + 8
    summary = ", ".join(f"{r.label}: {counts[r.id]}" for r in ratings)
    parts = [_open(height, f"Verdicts of all claims. {summary}")]
    for i, rating in enumerate(ratings):
        y = 4 + i * BAR_HEIGHT
        width = counts[rating.id] * scale
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(rating.icon)} '
                     f'{escape(rating.label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{BAR_HEIGHT - 6}" '
                     f'fill={quoteattr(rating.colour)}/>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}">{counts[rating.id]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_svg(corpus: Corpus, articles: list[Source], counts: dict[str, Counter]) -> str:
    """One bar per article, split by verdict."""
    ratings = corpus.scale.ratings
    top = max((sum(c.values()) for c in counts.values()), default=0) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / top
    height = BAR_HEIGHT * len(articles) + 8
    summary = "; ".join(f"{s.publisher}: " + ", ".join(f"{r.label} {counts[s.id][r.id]}" for r in ratings
                                                        if counts[s.id][r.id]) for s in articles)
    parts = [_open(height, f"Verdicts of the claims each article made. {summary}")]
    for i, source in enumerate(articles):
        y = 4 + i * BAR_HEIGHT
        x = float(LABEL_WIDTH)
        name = source.publisher if len(source.publisher) <= 22 else source.publisher[:21] + "\u2026"
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        for rating in ratings:
            n = counts[source.id][rating.id]
            if n:
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{n * scale:.1f}" height="{BAR_HEIGHT - 6}" '
                             f'fill={quoteattr(rating.colour)}><title>{escape(rating.label)}: {n}</title></rect>')
                x += n * scale
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{sum(counts[source.id].values())}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _open(height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="fd-chart" role="img" aria-label={quoteattr(label)} '
            f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" font-size="13" '
            f'font-family="system-ui, sans-serif" fill="currentColor">')
