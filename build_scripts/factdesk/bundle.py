"""The offline bundle: the whole site in one zip file that works from disk, without any network."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined

from .manifest import NAMESPACE, ManifestError, PublishedKey, check_previous
from .model import Corpus, slug

if TYPE_CHECKING:  # MkDocs is imported only when a site is built
    from mkdocs.config.defaults import MkDocsConfig

SHIM = Path("iframe-worker", "shim", "index.js")  # runs Material's search worker from file://
SHIM_URI = "assets/javascripts/iframe-worker/shim.js"  # Material skips its CDN copy when a URL names iframe-worker
WEBSITE_ONLY = ("sitemap.xml", "sitemap.xml.gz")  # for search engines crawling the website
FETCHING = {"script": "src", "img": "src", "iframe": "src", "audio": "src", "video": "src", "source": "src",
            "embed": "src", "object": "data"}
FETCHING_LINKS = {"stylesheet", "preconnect", "dns-prefetch", "preload", "prefetch", "modulepreload", "icon",
                  "manifest"}


class BundleError(Exception):
    """The bundle cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class OfflineSite:
    """A site built for reading from disk, in a folder that the edition writers read (zip, single file, ZIM)."""
    folder: Path
    config: MkDocsConfig  # the MkDocs configuration it was built with
    language: str
    date: dt.date  # the edition date: the newest publication or update of any claim


def build_offline_site(config_path: Path, corpus: Corpus, snapshot_root: Path, folder: Path, node_modules: Path,
                       strict: bool = True, previous: dt.date | None = None) -> OfflineSite:
    """Build the site into `folder` with the settings that make it work from disk, plus the reader's files
    (README.txt, SHA256SUMS, claims.json); refuses pages that would fetch anything from the network."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shim = node_modules / SHIM
    if not shim.is_file():
        raise BundleError(f"the search-worker polyfill {shim} is missing; run `npm ci` (or `make bundle`) first")
    latest = latest_update(corpus)
    try:
        check_previous(latest, previous)
    except ManifestError as exc:
        raise BundleError(str(exc)) from None
    config = load_config(str(config_path), strict=strict, site_dir=str(folder),
                         **offline_overrides(config_path, date=latest, previous=previous))
    build(config)
    for name in WEBSITE_ONLY:
        (folder / name).unlink(missing_ok=True)
    (folder / SHIM_URI).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shim, folder / SHIM_URI)
    shutil.copyfile(shim.parent.parent / "LICENSE", (folder / SHIM_URI).parent / "LICENSE")
    shutil.copyfile(folder / "exports" / "claims.json", folder / "claims.json")
    (folder / "SHA256SUMS").write_text(snapshot_sums(corpus, snapshot_root), encoding="utf-8")
    published = getattr(config.plugins.get("factdesk"), "publication", None)
    (folder / "README.txt").write_text(readme(config, corpus, latest, published.key if published else None),
                                       encoding="utf-8")
    leaks = network_references(folder)
    if leaks:
        shown = "; ".join(f"{path}: {url}" for path, url in leaks[:5])
        raise BundleError(f"{len(leaks)} reference(s) in the pages would load files from the network, which "
                          f"the offline bundle must not do: {shown}. Hint: save such files under docs/ "
                          "and link to them with a relative path")
    return OfflineSite(folder, config, str(config.theme.get("language") or "en"), latest)


@dataclass(frozen=True)
class Edition:
    """One edition file made by `factdesk bundle`."""
    path: Path
    format: str  # zip, html or zim
    language: str
    pages: int  # pages of the site it was made from
    bytes: int
    seconds: float  # building the site for it (shared by the formats of one language) plus writing it
    unzipped_bytes: int = 0  # zip only

    def describe(self) -> str:
        if self.format == "zip":
            return f"{self.bytes:,} bytes zipped, {self.unzipped_bytes:,} unzipped"
        if self.format == "html":
            return f"{self.bytes:,} bytes in one HTML file"
        return f"{self.bytes:,} bytes in a ZIM file for Kiwix"


def make_editions(configs: list[tuple[str | None, Path]], corpus: Corpus, snapshot_root: Path, out_dir: Path,
                  node_modules: Path, formats: tuple[str, ...] = ("zip",), *, previous: dt.date | None = None,
                  strict: bool = True) -> list[Edition]:
    """Build the site for reading from disk once per language, then write each format from it into out_dir.

    `configs` pairs each edition's language with its configuration: the first (language None) is the original,
    whose file names start with the slug of the site's name; the others add their language. All editions appear
    together once every one is made; on any failure none is written and nothing is left behind."""
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[Edition] = []
    with tempfile.TemporaryDirectory(prefix=".factdesk-bundle-", dir=out_dir) as tmp:
        base = None
        for number, (language, config_path) in enumerate(configs):
            begun = time.perf_counter()
            folder = Path(tmp, f"site-{number}")
            built = build_offline_site(config_path, corpus, snapshot_root, folder, node_modules, strict,
                                       previous=previous)
            base = base or slug(built.config.site_name) or "site"
            name = f"{base if language is None else f'{base}-{language}'}-offline-{built.date.isoformat()}"
            pages = sum(1 for _ in folder.rglob("*.html"))
            building = time.perf_counter() - begun
            for kind in formats:
                started = time.perf_counter()
                partial = Path(tmp, f"{name}.{kind}")
                unzipped = 0
                if kind == "zip":
                    unzipped = write_zip(folder, partial, name, built.date)
                elif kind == "html":
                    from .singlefile import write_single_file

                    write_single_file(built, partial)
                elif kind == "zim":
                    from .zim import write_zim

                    write_zim(built, partial, name=base)
                else:
                    raise BundleError(f"unknown edition format {kind!r}; choose zip, html or zim")
                made.append(Edition(out_dir / partial.name, kind, built.language, pages, partial.stat().st_size,
                                    building + time.perf_counter() - started, unzipped))
        for edition in made:  # all editions or none: a half-made set would leave a language out of date
            os.replace(Path(tmp, edition.path.name), edition.path)
    return made


def latest_update(corpus: Corpus) -> dt.date:
    """The newest publication or update date of any claim: the date the bundle is named after."""
    dates = [d for c in corpus.claims for d in (c.published, c.updated)]
    if not dates:
        raise BundleError("there are no claims to bundle; add a claim file first")
    return max(dates)


def offline_overrides(config_path: Path, *, date: dt.date | None = None, previous: dt.date | None = None) -> dict:
    """Settings that make a site work from disk: .html links, no web fonts, Material's offline plugin
    with a local search-worker polyfill. The website's URLs stay in the exports and structured data.

    With the edition's `date` (and the `previous` edition's), the copy gets its About page, in the nav in place
    of the website's Editions page."""
    from mkdocs.config.defaults import MkDocsConfig

    raw = MkDocsConfig(config_file_path=str(config_path))
    with open(config_path, "rb") as fd:
        raw.load_file(fd)
    theme = raw.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    plugins = raw.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    entries = []
    for entry in plugins:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "factdesk":
            options = {**(options or {}), "public_directory_urls": raw.get("use_directory_urls", True)}
            if date is not None:
                options.update(edition_date=date, previous_edition=previous)
        entries.append({name: options})
    if not any(next(iter(e)) in ("offline", "material/offline") for e in entries):
        entries.append({"material/offline": {}})
    extra = dict(raw.get("extra") or {})
    extra["polyfills"] = [*extra.get("polyfills", []), SHIM_URI]
    # Each edition is a zip of its own, and Material's language switcher fetches the other editions' sitemaps
    # from the website as soon as a page opens: a copy read from disk has no switcher (README.txt says where
    # the other editions are).
    extra.pop("alternate", None)
    overrides = {"use_directory_urls": False, "theme": {**theme, "font": False}, "plugins": entries, "extra": extra}
    if date is not None and raw.get("nav") is not None:  # without a nav of its own, the site lists the page itself
        from .i18n import catalogue

        title = catalogue(str(theme.get("language") or "en"), config_path.parent).gettext("About this copy")
        overrides["nav"] = about_in_nav(raw["nav"], title)
    return overrides


def about_in_nav(nav: list, title: str) -> list:
    """The nav with the About page in place of the Editions page, or last when the nav has no Editions page."""
    from .render import EDITION_PAGE, EDITIONS_PAGE

    found = False

    def swap(item):
        nonlocal found
        if isinstance(item, list):
            return [swap(i) for i in item]
        if item == EDITIONS_PAGE or (isinstance(item, dict) and list(item.values()) == [EDITIONS_PAGE]):
            found = True
            return {title: EDITION_PAGE}
        if isinstance(item, dict):
            return {k: swap(v) for k, v in item.items()}
        return item

    out = [swap(item) for item in nav]
    return out if found else [*out, {title: EDITION_PAGE}]


def snapshot_sums(corpus: Corpus, root: Path) -> str:
    """A sha256sum-style list of the source snapshots, with paths relative to the project folder."""
    lines = []
    for source in sorted(corpus.sources, key=lambda s: s.id):
        if source.id not in corpus.snapshots or source.snapshot is None:
            continue
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(source.origin.path), source.snapshot))
        digest = hashlib.sha256((root / rel).read_bytes()).hexdigest()
        lines.append(f"{digest}  {rel}\n")
    return "".join(lines)


def readme(config, corpus: Corpus, latest: dt.date, key: PublishedKey | None = None) -> str:
    """The reader's README.txt, in the edition's language where a translation of it exists."""
    from jinja2 import TemplateNotFound

    from .localdates import long_date, number

    env = Environment(loader=PackageLoader("factdesk", "templates"), undefined=StrictUndefined,
                      keep_trailing_newline=True)
    language = str(config.theme.get("language") or "en")
    try:
        template = env.get_template(f"bundle_readme.{language}.txt.j2")
    except TemplateNotFound:
        template = env.get_template("bundle_readme.txt.j2")
    return template.render(
        site_name=config.site_name, site_url=config.site_url or "", repo_url=config.repo_url or "",
        latest=long_date(latest, language), claims=number(len(corpus.claims), language),
        sources=number(len(corpus.sources), language), snapshots=number(len(corpus.snapshots), language),
        key=key, namespace=NAMESPACE)


def write_zip(folder: Path, target: Path, top: str, day: dt.date) -> int:
    """Zip a folder under one top-level name; sorted entries with one fixed time make identical bytes."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    total = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()):
            path = folder / name
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = path.read_bytes()
            total += len(data)
            archive.writestr(info, data)
    return total


def network_references(site: Path) -> list[tuple[str, str]]:
    """Scripts, styles, images and frames in the built pages that a browser would fetch from the network."""
    found = []
    for page in sorted(site.rglob("*.html")):
        parser = _Fetches()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(page.relative_to(site).as_posix(), url) for url in parser.urls]
    return found


class _Fetches(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and FETCHING_LINKS & set((attrs.get("rel") or "").lower().split()):
            url = attrs.get("href") or ""
        else:
            url = attrs.get(FETCHING.get(tag, ""), "") or ""
        if url.lower().startswith(("http:", "https:", "//")):
            self.urls.append(url)

