"""axe-core in Chromium on the main kinds of page, at desktop and phone widths; screenshots for reviewers."""

from __future__ import annotations

import pytest
from conftest import SCREENSHOTS
from helpers import NODE_MODULES

pytestmark = pytest.mark.browser

PAGES = {
    "home": "index.md",
    "claims": "claims/index.md",
    "claim": "claims/khamenei-plan-to-flee-to-moscow.md",
    "source": "sources/newsy-today-khamenei-escape-plan.md",
    "ratings": "ratings.md",
}
BLOCKING = ("serious", "critical")


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [v for v in result if v["impact"] in BLOCKING]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']}: {v['help']} ({v['helpUrl']})")
        lines += [f"    {', '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}"
                  for node in v["nodes"][:5]]
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(name, viewport, website_where, open_tab):
    page = open_tab(website_where, viewport).page
    page.goto(website_where.url(PAGES[name]))
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}.png"), full_page=True)
    found = violations(page)
    assert found == [], f"{PAGES[name]} at {viewport} width:\n{describe(found)}"
