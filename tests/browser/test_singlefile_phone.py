"""The single-file edition of the repository's report as a reader gets it: one file opened from disk on a
phone, with scripting off and on, and no network at all."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import MEASUREMENTS, SCREENSHOTS, VIEWPORTS, Reader, Where
from factdesk.load import Layout
from factdesk.pipeline import check
from helpers import NODE_MODULES, REPO, run
from playwright.sync_api import expect
from test_accessibility import BLOCKING, describe

pytestmark = pytest.mark.browser

CLAIM = "khamenei-plan-to-flee-to-moscow"  # linked from the claims index, and rated unproven
# What axe-core checks (the whole file takes it a minute): the file's header and one page of each kind.
CHECKED = ("claims/index", f"claims/{CLAIM}", "sources/times-2026-01-04-khamenei-moscow-plan", "ratings", "statistics")
LANGUAGES = ("en", "fa")


@pytest.fixture(scope="module")
def single_files(browser, tmp_path_factory) -> dict[str, Path]:
    """Each language's single file, made as readers' copies are made: `factdesk bundle --format html`."""
    out = tmp_path_factory.mktemp("single-file")
    started = time.perf_counter()
    result = run(["factdesk", "bundle", "--format", "html", "-o", str(out)], cwd=REPO)
    assert result.returncode == 0, result.stderr
    made = {("fa" if "-fa-offline-" in p.name else "en"): p for p in out.glob("*.html")}
    assert sorted(made) == sorted(LANGUAGES)
    MEASUREMENTS["single files: bundle --format html, both languages (s)"] = round(time.perf_counter() - started, 1)
    for language, path in made.items():
        MEASUREMENTS[f"single file {language} (bytes)"] = path.stat().st_size
    return made


@pytest.fixture(scope="module")
def claim_ids() -> set[str]:
    return {c.id for c in check(Layout.under(REPO), languages=("fa",)).corpus.claims}


@pytest.fixture
def open_file(open_tab):
    """Opens a single file at phone width with the network off; any request for anything but the file itself is
    blocked and counted, and at the end none may have happened, nor any script error (see conftest.open_tab)."""
    def opener(path: Path, javascript: bool) -> Reader:
        reader = open_tab(Where("single-file", path.as_uri(), False), "phone", javascript=javascript)
        reader.page.goto(path.as_uri())
        return reader

    return opener


def test_the_guard_sees_a_request_leave_the_file(single_files, open_file):
    reader = open_file(single_files["en"], javascript=True)
    reader.page.evaluate("() => fetch('https://example.org/tracker.js').catch(() => null)")
    assert reader.blocked == ["https://example.org/tracker.js"]
    assert any("ERR_BLOCKED_BY_CLIENT" in e for e in reader.errors)
    reader.blocked.clear()
    reader.errors.clear()


@pytest.mark.parametrize("javascript", [False, True], ids=["scripts-off", "scripts-on"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_single_file_reads_on_a_phone_and_its_links_lead_to_the_claims(language, javascript, single_files,
                                                                           claim_ids, open_file):
    page = open_file(single_files[language], javascript).page
    claims = page.locator("section.sf-claim")
    assert {i.removeprefix("claims/") for i in claims.evaluate_all("all => all.map(s => s.id)")} == claim_ids
    assert claims.filter(visible=True).count() == len(claim_ids)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    direction = "rtl" if language == "fa" else "ltr"
    assert page.evaluate("document.documentElement.dir") == direction
    assert page.evaluate(f"getComputedStyle(document.getElementById('claims/{CLAIM}')).direction") == direction
    if javascript:  # the verdict filter: the script shows it
        expect(page.locator(".sf-filter")).to_be_visible()
    else:
        expect(page.locator(".sf-filter")).to_be_hidden()
    page.locator(f'[id="claims/index"] a[href="#claims/{CLAIM}"]').first.click()
    page.wait_for_function(f"decodeURIComponent(location.hash) === '#claims/{CLAIM}'")
    expect(page.locator(f'[id="claims/{CLAIM}"] h1')).to_be_in_viewport()
    if language == "fa" and not javascript:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "single-file-fa-claim-phone.png"))


def test_the_verdict_filter_shows_one_verdict_and_a_link_to_a_hidden_claim_shows_all_again(single_files, claim_ids,
                                                                                           open_file):
    page = open_file(single_files["en"], javascript=True).page
    page.locator('.sf-filter button[data-verdict="false"]').click()
    shown = page.locator("section.sf-claim").filter(visible=True)
    verdicts = set(shown.evaluate_all("all => all.map(s => s.dataset.verdict)"))
    assert verdicts == {"false"}
    assert 0 < shown.count() < len(claim_ids)
    expect(page.locator('.sf-filter button[data-verdict="false"]')).to_have_attribute("aria-pressed", "true")
    rows = page.locator('[id="claims/index"] tr[data-verdict]')
    assert set(rows.filter(visible=True).evaluate_all("all => all.map(r => r.dataset.verdict)")) == {"false"}
    expect(page.locator(f'[id="claims/{CLAIM}"]')).to_be_hidden()  # rated unproven
    page.locator(f'a[href="#claims/{CLAIM}"]').filter(visible=True).first.click()
    expect(page.locator(f'[id="claims/{CLAIM}"] h1')).to_be_in_viewport()
    assert page.locator("section.sf-claim").filter(visible=True).count() == len(claim_ids)


def test_the_single_file_prints_as_a_document(single_files, open_file):
    page = open_file(single_files["en"], javascript=False).page
    page.emulate_media(media="print")
    for hidden in (".sf-toc", ".sf-filter", ".sf-up"):
        assert page.locator(hidden).evaluate("e => getComputedStyle(e).display") == "none", hidden
    breaks = page.locator("section.sf-claim").evaluate_all("all => all.map(s => getComputedStyle(s).breakBefore)")
    assert set(breaks) == {"page"}
    external = page.locator('main :is(p, li) > a[href^="https://"]').first
    assert external.evaluate("a => getComputedStyle(a, '::after').content") == f'" <{external.get_attribute("href")}>"'


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_single_file_has_no_serious_accessibility_violations(language, single_files, open_file):
    page = open_file(single_files[language], javascript=True).page
    page.evaluate("kept => document.querySelectorAll('main > section').forEach(s => kept.includes(s.id) || s.remove())",
                  list(CHECKED))
    assert sorted(page.locator("main > section").evaluate_all("all => all.map(s => s.id)")) == sorted(CHECKED)
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    found = [v for v in page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                                      ".violations") if v["impact"] in BLOCKING]
    assert found == [], f"single file ({language}) at phone width:\n{describe(found)}"
