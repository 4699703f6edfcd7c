"""The statistics charts and the who-said-what matrix, measured in Chromium at phone and desktop widths: chart
text big enough to read, the matrix readable on a phone without scrolling sideways, the charts mirrored for a
right-to-left page. Screenshots go to test-artifacts/screenshots/ for reviewers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest
from conftest import MEASUREMENTS, SCREENSHOTS, VIEWPORTS
from factdesk import stats
from factdesk.load import Layout
from factdesk.pipeline import check
from helpers import FIXTURE_PROJECT
from test_accessibility import describe, violations

pytestmark = pytest.mark.browser

MIN_TEXT_HEIGHT = 11  # CSS px, the rendered height of a chart label
MIN_FONT_SIZE = 12  # CSS px, the computed font size of a chart label

# For each text of each chart: its box, the chart's box, its computed font size, and how it is anchored.
CHART_TEXTS = """els => els.map(t => {
  const b = t.getBoundingClientRect(), s = t.ownerSVGElement.getBoundingClientRect();
  return {text: t.textContent, anchor: t.getAttribute('text-anchor'), y: t.getAttribute('y'),
          chart: [...document.querySelectorAll('svg.fd-chart')].indexOf(t.ownerSVGElement),
          size: parseFloat(getComputedStyle(t).fontSize), height: b.height, left: b.left, right: b.right,
          chartLeft: s.left, chartRight: s.right};
})"""
BARS = """els => els.map(r => {
  const b = r.getBoundingClientRect(), s = r.ownerSVGElement.getBoundingClientRect();
  return {left: b.left, right: b.right, width: b.width, chartLeft: s.left, chartRight: s.right};
})"""


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def rows(texts: list[dict]) -> list[tuple[dict, dict]]:
    """(label, count) of each row of each chart: the two texts that share a line."""
    lines: dict[tuple, dict] = {}
    for t in texts:
        lines.setdefault((t["chart"], t["y"]), {})[t["anchor"]] = t
    assert all(set(line) == {"start", "end"} for line in lines.values())
    return [(line["start"], line["end"]) for line in lines.values()]


def check_text_layout(texts: list[dict], direction: str) -> None:
    """Every text is inside its chart, label and count do not overlap, and each sits at the right edge."""
    for label, count in rows(texts):
        for t in (label, count):
            assert t["chartLeft"] - 0.5 <= t["left"] and t["right"] <= t["chartRight"] + 0.5, t
        first, last = (label, count) if direction == "ltr" else (count, label)
        assert first["right"] < last["left"], (label["text"], count["text"])
        assert first["left"] == pytest.approx(first["chartLeft"], abs=1), first
        assert last["right"] == pytest.approx(last["chartRight"], abs=1), last


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_statistics_chart_text_is_readable(viewport, website_where, open_tab):
    page = open_tab(website_where, viewport).page
    page.goto(website_where.url("statistics.md"))
    charts = page.locator("svg.fd-chart")
    assert charts.count() == 2
    assert all(charts.nth(i).get_attribute("role") == "img" for i in range(2))
    assert all(charts.nth(i).get_attribute("aria-label") for i in range(2))
    texts = page.eval_on_selector_all("svg.fd-chart text", CHART_TEXTS)
    assert len(texts) >= 2 * 7
    heights, sizes = [t["height"] for t in texts], [t["size"] for t in texts]
    MEASUREMENTS[f"statistics chart text, {viewport}: smallest rendered height (px)"] = round(min(heights), 1)
    MEASUREMENTS[f"statistics chart text, {viewport}: smallest font size (px)"] = round(min(sizes), 1)
    assert min(heights) >= MIN_TEXT_HEIGHT, [t for t in texts if t["height"] < MIN_TEXT_HEIGHT][:3]
    assert min(sizes) >= MIN_FONT_SIZE, [t for t in texts if t["size"] < MIN_FONT_SIZE][:3]
    check_text_layout(texts, "ltr")
    # The charts span the text column, and the page, tables included, fits the screen.
    column = page.locator("article").bounding_box()["width"]
    assert all(charts.nth(i).bounding_box()["width"] > 0.9 * column for i in range(2))
    assert scroll_width(page) <= VIEWPORTS[viewport]["width"]
    assert page.locator("table.fd-stats").count() == 2
    screenshot(page, f"statistics-{viewport}")
    found = violations(page)
    assert found == [], describe(found)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_statistics_charts_mirror_right_to_left(viewport, website_where, open_tab):
    """Charts drawn with direction="rtl", put in the statistics page turned right to left: labels at the right
    edge, counts at the left, bars growing leftwards; and a left-to-right chart on the same page stays as it is."""
    corpus = check(Layout.under(FIXTURE_PROJECT), today=dt.date(2026, 11, 22), strict=True).corpus
    persian = ["درست", "عمدتاً درست", "نیمه درست", "گمراه‌کننده", "عمدتاً نادرست", "نادرست", "اثبات‌نشده"]
    scale = dataclasses.replace(corpus.scale, ratings=tuple(dataclasses.replace(r, label=label) for r, label
                                                            in zip(corpus.scale.ratings, persian, strict=True)))
    corpus = dataclasses.replace(corpus, scale=scale)
    base = corpus.source("daily-planet-moon")
    articles = [dataclasses.replace(base, publisher="روزنامه همشهری"), dataclasses.replace(base, id="b", publisher="BBC فارسی")]
    counts = {base.id: Counter({"mostly-true": 1, "false": 1}), "b": Counter({"false": 3, "unproven": 1})}
    rtl = stats.charts(corpus, articles, counts, direction="rtl")
    ltr = stats.distribution_svg(corpus, Counter(c.verdict for c in corpus.claims), "ltr")

    page = open_tab(website_where, viewport).page
    page.goto(website_where.url("statistics.md"))
    page.evaluate("""([overall, articles, ltr]) => {
      document.documentElement.dir = document.body.dir = 'rtl';  // the theme sets it on the body
      const figures = document.querySelectorAll('figure.fd-figure');
      figures[0].querySelector('svg').outerHTML = overall;
      figures[1].querySelector('svg').outerHTML = articles;
      figures[0].insertAdjacentHTML('afterend', '<figure class="fd-figure">' + ltr + '</figure>');
    }""", [rtl["overall"], rtl["articles"], ltr])
    texts = page.eval_on_selector_all("svg.fd-chart[direction=rtl] text", CHART_TEXTS)
    assert len(texts) == 2 * 7 + 2 * 2
    assert min(t["height"] for t in texts) >= MIN_TEXT_HEIGHT
    check_text_layout(texts, "rtl")
    # Every bar of the distribution grows from the right edge, the longest across the whole chart.
    bars = [b for b in page.eval_on_selector_all("svg.fd-chart:not(.fd-chart--stacked)[direction=rtl] rect", BARS)
            if b["width"] > 0]
    assert len(bars) == 2
    assert all(b["right"] == pytest.approx(b["chartRight"], abs=1) for b in bars)
    assert max(b["width"] for b in bars) == pytest.approx(bars[0]["chartRight"] - bars[0]["chartLeft"], abs=1)
    # Each article's first segment starts at the right edge; the others follow it leftwards.
    firsts = page.eval_on_selector_all("svg.fd-chart--stacked[direction=rtl] rect", BARS)
    assert firsts[0]["right"] == pytest.approx(firsts[0]["chartRight"], abs=1)
    assert firsts[1]["right"] == pytest.approx(firsts[0]["left"], abs=1)
    check_text_layout(page.eval_on_selector_all("svg.fd-chart[direction=ltr] text", CHART_TEXTS), "ltr")
    assert scroll_width(page) <= VIEWPORTS[viewport]["width"]
    screenshot(page, f"statistics-rtl-{viewport}")


def test_matrix_on_a_phone_lists_each_claims_articles_without_scrolling_sideways(website_where, open_tab):
    page = open_tab(website_where, "phone").page
    page.goto(website_where.url("matrix.md"))
    width = scroll_width(page)
    MEASUREMENTS["matrix page width at 390 px (px)"] = width
    assert width <= VIEWPORTS["phone"]["width"]
    table = page.locator("table.fd-matrix")
    assert page.locator("table.fd-matrix thead").bounding_box()["width"] <= 1  # hidden, but read by screen readers
    table_width = table.bounding_box()["width"]
    claims = table.locator("tbody th[scope=row]")
    assert claims.count() > 0
    assert all(claims.nth(i).bounding_box()["width"] > 0.9 * table_width for i in range(min(claims.count(), 10)))
    # Each claim lists the articles that made it, by name, each with the verdict; the others are left out.
    made = table.locator("tbody td[data-label]")
    assert made.count() > 0 and made.count() == table.locator("tbody .fd-badge").count()
    assert table.locator("tbody td.fd-matrix__none").count() > 0
    assert table.locator("tbody td.fd-matrix__none").filter(visible=True).count() == 0
    cells = made.evaluate_all("""tds => tds.map(td => {
      const before = getComputedStyle(td, '::before'), badge = td.querySelector('.fd-badge').getBoundingClientRect();
      return {label: td.dataset.label, shown: before.content, size: parseFloat(before.fontSize),
              right: td.getBoundingClientRect().right, badge: badge.right};
    })""")
    assert all(c["shown"] == f'"{c["label"]}"' for c in cells), cells[:3]
    assert min(c["size"] for c in cells) >= MIN_FONT_SIZE
    assert all(c["badge"] <= c["right"] + 0.5 for c in cells)
    # The scorecards keep their columns, headed by the ratings' icons, and fit too.
    scorecards = page.locator("table.fd-scorecards")
    assert scorecards.bounding_box()["x"] + scorecards.bounding_box()["width"] <= VIEWPORTS["phone"]["width"]
    assert scorecards.locator("thead .fd-key").first.is_visible()
    screenshot(page, "matrix-phone")
    found = violations(page)
    assert found == [], describe(found)


def test_matrix_on_a_desktop_is_a_table_whose_claims_stay_in_view(website_where, open_tab):
    page = open_tab(website_where, "desktop").page
    page.goto(website_where.url("matrix.md"))
    assert scroll_width(page) <= VIEWPORTS["desktop"]["width"]
    table = page.locator("table.fd-matrix")
    assert table.locator("thead").is_visible()
    assert table.locator("tbody td").first.evaluate("td => getComputedStyle(td).display") == "table-cell"
    screenshot(page, "matrix-desktop")
    wrap = page.locator(".fd-matrix-wrap")
    # With more articles than fit, the table scrolls inside its box; make sure it has to, then scroll to the end.
    if not wrap.evaluate("w => w.scrollWidth > w.clientWidth"):
        wrap.evaluate("w => { w.style.maxWidth = (w.scrollWidth / 2) + 'px'; }")
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    first_claim = table.locator("tbody th[scope=row]").first
    first_column = table.locator("thead th").first
    box = wrap.bounding_box()
    for cell in (first_claim, first_column):
        assert cell.bounding_box()["x"] == pytest.approx(box["x"], abs=1)
    last_header = table.locator("thead th").last.bounding_box()
    assert last_header["x"] + last_header["width"] <= box["x"] + box["width"] + 1  # it did scroll
    # Nothing shows through the claim column: the cell under its middle is the claim's own.
    middle = first_claim.bounding_box()
    under = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('th')?.getAttribute('scope')",
                          [middle["x"] + middle["width"] / 2, middle["y"] + 4])
    assert under == "row"
    screenshot(page, "matrix-desktop-scrolled")
    found = violations(page)
    assert found == [], describe(found)
