"""The statistics charts (stats.py): readable at any width, described for screen readers, mirrored right to left."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from factdesk import stats
from factdesk.load import Layout
from factdesk.model import Corpus
from factdesk.pipeline import check
from helpers import FIXTURE_PROJECT

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def corpus():
    result = check(Layout.under(FIXTURE_PROJECT), today=dt.date(2026, 11, 22), strict=True)
    assert result.problems == []
    return result.corpus


@pytest.fixture(scope="module")
def articles(corpus):
    """Three articles with different tallies: the fixture's article, and two copies of it."""
    base = corpus.source("daily-planet-moon")
    made = [base, dataclasses.replace(base, id="a2", publisher="روزنامه همشهری"),
            dataclasses.replace(base, id="a3", publisher="An outlet whose name is far too long to fit on one line")]
    counts = {base.id: Counter({"mostly-true": 1, "false": 1}), "a2": Counter({"false": 4}),
              "a3": Counter({"true": 1, "mixed": 1, "unproven": 1})}
    return made, counts


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def rects(root: ET.Element) -> list[tuple[float, float, str]]:
    """(x, width, fill) of each bar, in per cent of the chart's width."""
    return [(float(r.get("x").rstrip("%")), float(r.get("width").rstrip("%")), r.get("fill"))
            for r in root.iter(f"{SVG}rect")]


def texts(root: ET.Element) -> list[tuple[str, str, str, str]]:
    return [(t.get("x"), t.get("y"), t.get("text-anchor"), t.text) for t in root.iter(f"{SVG}text")]


def both(make) -> tuple[ET.Element, ET.Element]:
    return parse(make("ltr")), parse(make("rtl"))


def charts_of(corpus, articles):
    made, counts = articles
    return {
        "distribution": lambda d: stats.distribution_svg(corpus, Counter(c.verdict for c in corpus.claims), d),
        "stacked": lambda d: stats.stacked_svg(corpus, made, counts, d),
    }


@pytest.mark.parametrize("kind", ["distribution", "stacked"])
def test_text_keeps_its_size_at_every_width(corpus, articles, kind):
    """No viewBox: one user unit is one CSS pixel whatever the width, so text is never scaled down on a phone.
    Bars are placed in per cent of the width, so they stretch instead."""
    for direction in stats.DIRECTIONS:
        root = parse(charts_of(corpus, articles)[kind](direction))
        assert root.get("viewBox") is None
        assert root.get("width") == "100%"
        assert int(root.get("font-size")) >= 12
        assert root.get("role") == "img"
        assert all(r.get("x").endswith("%") and r.get("width").endswith("%") for r in root.iter(f"{SVG}rect"))
        assert all(x in ("0", "100%") for x, *_ in texts(root))
        # Every row's text sits above its bar, inside the chart's height.
        assert max(float(r.get("y")) + float(r.get("height")) for r in root.iter(f"{SVG}rect")) <= int(root.get("height"))


def test_distribution_has_a_bar_label_and_count_per_rating(corpus):
    counts = Counter(c.verdict for c in corpus.claims)
    root = parse(stats.distribution_svg(corpus, counts))
    ratings = corpus.scale.ratings
    assert root.get("aria-label") == "Verdicts of all claims. " + ", ".join(f"{r.label}: {counts[r.id]}" for r in ratings)
    labels = [t for t in texts(root) if t[2] == "start"]
    numbers = [t for t in texts(root) if t[2] == "end"]
    assert [t[3] for t in labels] == [f"{r.icon} {r.label}" for r in ratings]
    assert [t[3] for t in numbers] == [str(counts[r.id]) for r in ratings]
    assert [(t[1]) for t in labels] == [t[1] for t in numbers]  # label and count share a line
    top = max(counts.values())
    assert rects(root) == [(0.0, pytest.approx(100 * counts[r.id] / top, abs=0.01), r.colour) for r in ratings]


def test_stacked_bars_split_by_verdict_and_scale_to_the_largest(corpus, articles):
    made, counts = articles
    root = parse(stats.stacked_svg(corpus, made, counts))
    assert "روزنامه همشهری: False 4" in root.get("aria-label")
    names = [t[3] for t in texts(root) if t[2] == "start"]
    assert names[:2] == ["The Daily Planet", "روزنامه همشهری"]
    assert names[2] == "An outlet whose name is far too lon\u2026" and len(names[2]) == stats.NAME_MAX
    assert [t[3] for t in texts(root) if t[2] == "end"] == ["2", "4", "3"]
    bars = rects(root)
    assert len(bars) == 2 + 1 + 3  # one segment per verdict an article's claims got
    # The article with the most claims fills the width; segments follow each other without gaps.
    assert bars[2] == (0.0, 100.0, corpus.scale.get("false").colour)
    assert [x for x, _, _ in bars[3:]] == pytest.approx([0, 25, 50], abs=0.01)
    assert [t.text for t in root.iter(f"{SVG}title")][:2] == ["Mostly true: 1", "False: 1"]


@pytest.mark.parametrize("kind", ["distribution", "stacked"])
def test_right_to_left_mirrors_the_layout(corpus, articles, kind):
    ltr, rtl = both(charts_of(corpus, articles)[kind])
    assert (ltr.get("direction"), rtl.get("direction")) == ("ltr", "rtl")
    assert ltr.get("aria-label") == rtl.get("aria-label")
    # Text is anchored by its logical start and end, and the SVG says which way text runs: the anchors stay,
    # the positions swap sides.
    swap = {"0": "100%", "100%": "0"}
    assert [(swap[x], y, anchor, text) for x, y, anchor, text in texts(ltr)] == texts(rtl)
    # Each bar starts at the right edge instead of the left one, with the same length and colour.
    for (x1, w1, fill1), (x2, w2, fill2) in zip(rects(ltr), rects(rtl), strict=True):
        assert (w1, fill1) == (w2, fill2)
        assert x2 == pytest.approx(100 - x1 - w1, abs=0.011)
        assert x2 >= 0


def test_charts_refuses_an_unknown_direction(corpus, articles):
    made, counts = articles
    with pytest.raises(ValueError, match=r"direction: expected one of ltr, rtl, found 'right'"):
        stats.charts(corpus, made, counts, direction="right")
    pair = stats.charts(corpus, made, counts, direction="rtl")
    assert all('direction="rtl"' in svg for svg in pair.values())
    assert all('direction="ltr"' in svg for svg in stats.charts(corpus, made, counts).values())


def test_empty_project_draws_empty_charts(corpus):
    empty = Corpus(scale=corpus.scale)
    pair = stats.charts(empty, [], {})
    articles = parse(pair["articles"])
    assert articles.get("aria-label") == "Verdicts of the claims each article made. "
    assert articles.get("height") == "0" and len(articles) == 0
    assert all(w == 0 for _, w, _ in rects(parse(pair["overall"])))
