"""The offline bundle as a reader gets it: unzipped, opened from disk, with the network off."""

from __future__ import annotations

import time
import zipfile

import pytest
from conftest import CLAIM, MEASUREMENTS, QUERY, Where, search, unzip

pytestmark = pytest.mark.browser


def test_unzipped_bundle_searches_offline_and_opens_a_claim(bundle_zip, tmp_path, open_tab):
    started = time.perf_counter()
    top = unzip(bundle_zip, tmp_path)
    unzipped = time.perf_counter()
    where = Where("bundle", top.as_uri() + "/", False)
    page = open_tab(where, offline=True).page
    page.goto(where.url("index.md"))
    search(page, QUERY)
    result = page.locator(f'a.md-search-result__link[href*="claims/{CLAIM}.html"]').filter(visible=True).first
    result.wait_for()
    found = time.perf_counter()
    result.click()
    page.wait_for_url(lambda url: url.split("?")[0] == where.url(f"claims/{CLAIM}.md"))
    with zipfile.ZipFile(bundle_zip) as archive:
        MEASUREMENTS.update({
            "bundle": bundle_zip.name,
            "bundle zipped (bytes)": bundle_zip.stat().st_size,
            "bundle unzipped (bytes)": sum(i.file_size for i in archive.infolist()),
            "bundle files": len(archive.infolist()),
            "bundle HTML pages": sum(1 for n in archive.namelist() if n.endswith(".html")),
        })
    MEASUREMENTS["unzip (s)"] = round(unzipped - started, 2)
    MEASUREMENTS["unzip start to first search result (s)"] = round(found - started, 2)


def test_outside_requests_and_console_errors_are_caught(website_where, open_tab):
    """The guard every browser test relies on: it sees a request to another host and a console error."""
    reader = open_tab(website_where)
    reader.page.goto(website_where.url("index.md"))
    reader.page.evaluate("() => fetch('https://example.org/tracker.js').catch(() => null)")
    reader.page.evaluate("() => console.error('deliberate')")
    assert reader.blocked == ["https://example.org/tracker.js"]
    assert any("deliberate" in e for e in reader.errors)
    reader.blocked.clear()
    reader.errors.clear()
