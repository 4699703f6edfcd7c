"""Browser tests: the repository's site and its offline bundle, read in Chromium the way readers read them.

The site is built once and the bundle made once per session, through the `factdesk` command. Every
page is opened in a fresh browser context that lets through only the local server (or file://),
counts every other request, and collects console errors; both must be empty when a test ends.

Chromium is Debian's (/usr/bin/chromium, or FACTDESK_CHROMIUM). Where it is missing the tests skip,
unless FACTDESK_REQUIRE_BROWSER=1 (set by .ci/run): then a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from factdesk.urls import page_url
from helpers import REPO, npm_package, run

CHROMIUM = Path(os.environ.get("FACTDESK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
MEASUREMENTS: dict[str, object] = {}  # printed at the end of the run, and saved for CI
PUBLIC_SITEMAPS = {"https://factdesk.example/sitemap.xml", "https://factdesk.example/fa/sitemap.xml"}
CLAIM = "assad-fled-to-russia"  # a claim that searching for QUERY finds
QUERY = "Assad"


def _unavailable(reason: str) -> None:
    if os.environ.get("FACTDESK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; FACTDESK_REQUIRE_BROWSER=1 forbids skipping the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        _unavailable(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                     "(or set FACTDESK_CHROMIUM) to run the browser tests")
    for package in ("axe-core", "iframe-worker"):
        npm_package(package)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def website(tmp_path_factory, browser) -> Path:
    """The repository's website, built as `make site` builds it."""
    site = tmp_path_factory.mktemp("website") / "site"
    result = run(["factdesk", "build", "-d", str(site)], cwd=REPO)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def server(website):
    """The website over HTTP on a free local port."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(website)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def bundle_zip(tmp_path_factory, browser) -> Path:
    """The repository's offline bundle, made as `make bundle` makes it."""
    out = tmp_path_factory.mktemp("dist")
    result = run(["factdesk", "bundle", "-o", str(out)], cwd=REPO)
    assert result.returncode == 0, result.stderr
    (made,) = [p for p in out.glob("*.zip") if "-offline-" in p.name and not _edition(p)]
    return made


def _edition(path: Path) -> str:
    """The language of a further edition's zip (…-fa-offline-….zip), or '' for the original's."""
    head = path.name.split("-offline-")[0]
    return head.rsplit("-", 1)[1] if head.rsplit("-", 1)[-1] in EDITIONS else ""


EDITIONS = ("fa",)


@pytest.fixture(scope="session")
def edition_bundle_dirs(bundle_zip, tmp_path_factory) -> dict[str, Path]:
    """Each further edition's offline bundle (made with the original's, by the same command), unzipped."""
    return {_edition(p): unzip(p, tmp_path_factory.mktemp(f"unzipped-{_edition(p)}"))
            for p in bundle_zip.parent.glob("*.zip") if _edition(p)}


def unzip(archive: Path, target: Path) -> Path:
    """Unpack the bundle as a reader would, with Info-ZIP's unzip; returns its top folder."""
    if shutil.which("unzip") is None:
        _unavailable("the unzip command is missing: install Debian's unzip package")
    done = subprocess.run(["unzip", "-q", str(archive), "-d", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (top,) = target.iterdir()
    return top


@pytest.fixture(scope="session")
def bundle_dir(bundle_zip, tmp_path_factory) -> Path:
    return unzip(bundle_zip, tmp_path_factory.mktemp("unzipped"))


@pytest.fixture(scope="session")
def claims_data(website) -> dict:
    return json.loads((website / "exports" / "claims.json").read_text(encoding="utf-8"))


@dataclass
class Where:
    """Where the site is read from: the website over HTTP, the unzipped bundle from disk, or one single-file
    edition from disk (only that file may be read)."""

    name: str
    base: str
    directory_urls: bool

    def url(self, uri: str) -> str:
        """The address of a page, given its Markdown path (e.g. claims/index.md)."""
        return self.base + page_url(uri, self.directory_urls)

    def allows(self, url: str) -> bool:
        if self.name == "single-file":
            return url.split("#")[0] == self.base
        return url.startswith(self.base) if self.base.startswith("http") else url.startswith("file:")


@pytest.fixture(params=["website", "bundle"])
def where(request) -> Where:
    if request.param == "website":
        return Where("website", request.getfixturevalue("server"), True)
    return Where("bundle", request.getfixturevalue("bundle_dir").as_uri() + "/", False)


@pytest.fixture
def website_where(server) -> Where:
    return Where("website", server, True)


@dataclass
class Reader:
    """A browser tab whose requests outside the site are blocked and counted."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_tab(browser):
    """Opens a fresh tab for a Where; at the end, no outside request and no console error may have happened."""
    readers: list[Reader] = []
    contexts = []

    def opener(where: Where, viewport: str = "desktop", offline: bool | None = None,
               javascript: bool = True) -> Reader:
        context = browser.new_context(viewport=VIEWPORTS[viewport], service_workers="block",
                                      java_script_enabled=javascript)
        contexts.append(context)
        if offline if offline is not None else where.name in ("bundle", "single-file"):
            context.set_offline(True)
        reader = Reader(context.new_page())

        def route(request_route):
            url = request_route.request.url
            if where.allows(url):
                request_route.continue_()
            elif where.name == "website" and url in PUBLIC_SITEMAPS:
                # Material's theme links every page to each edition in extra.alternate and reads the editions'
                # sitemaps to keep the reader on the same page when switching. Those are the published site's
                # own files; from this local copy, answer as it would, with no pages (the switcher's links
                # already lead to the same page). Offline bundles name no edition, so they ask for nothing.
                request_route.fulfill(status=200, content_type="application/xml",
                                      body='<?xml version="1.0" encoding="UTF-8"?>'
                                           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>')
            else:
                reader.blocked.append(url)
                request_route.abort("blockedbyclient")

        context.route("**/*", route)
        reader.page.on("console", lambda msg: reader.errors.append(f"console: {msg.text} ({msg.location.get('url')})")
                       if msg.type == "error" else None)
        reader.page.on("pageerror", lambda exc: reader.errors.append(f"page error: {exc}"))
        readers.append(reader)
        return reader

    yield opener
    for context in contexts:
        context.close()
    for reader in readers:
        assert reader.blocked == [], f"requests outside the site: {reader.blocked}"
        assert reader.errors == [], "\n".join(reader.errors)


def search(page, query: str) -> None:
    """Type into the theme's search box as a reader would, and wait for the results."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)


def pytest_runtest_logreport(report):
    """Adds up the time spent in browser tests, set-up (builds, browser start) included."""
    if Path(report.nodeid.split("::")[0]).parent.name == Path(__file__).parent.name:
        key = "browser tests, total time (s)"
        MEASUREMENTS[key] = round(MEASUREMENTS.get(key, 0) + report.duration, 1)


def pytest_terminal_summary(terminalreporter):
    if not MEASUREMENTS:
        return
    terminalreporter.section("browser measurements")
    for key, value in MEASUREMENTS.items():
        terminalreporter.write_line(f"{key}: {value}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "measurements.json").write_text(json.dumps(MEASUREMENTS, indent=1) + "\n", encoding="utf-8")
