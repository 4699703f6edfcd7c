"""The offline bundle: the whole site in one zip file that works from disk, without any network."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from .model import Corpus, slug

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
class Bundle:
    path: Path
    pages: int
    zipped_bytes: int
    unzipped_bytes: int


@dataclass(frozen=True)
class OfflineSite:
    """A site built for reading from disk, in a folder that the edition writers read (zip, single file, ZIM)."""
    folder: Path
    config: object  # the MkDocs configuration it was built with
    language: str
    date: dt.date  # the edition date: the newest publication or update of any claim


def build_offline_site(config_path: Path, corpus: Corpus, snapshot_root: Path, folder: Path, node_modules: Path,
                       strict: bool = True) -> OfflineSite:
    """Build the site into `folder` with the settings that make it work from disk, plus the reader's files
    (README.txt, SHA256SUMS, claims.json); refuses pages that would fetch anything from the network."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shim = node_modules / SHIM
    if not shim.is_file():
        raise BundleError(f"the search-worker polyfill {shim} is missing; run `npm ci` (or `make bundle`) first")
    latest = latest_update(corpus)
    config = load_config(str(config_path), strict=strict, site_dir=str(folder), **offline_overrides(config_path))
    build(config)
    for name in WEBSITE_ONLY:
        (folder / name).unlink(missing_ok=True)
    (folder / SHIM_URI).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shim, folder / SHIM_URI)
    shutil.copyfile(shim.parent.parent / "LICENSE", (folder / SHIM_URI).parent / "LICENSE")
    shutil.copyfile(folder / "exports" / "claims.json", folder / "claims.json")
    (folder / "SHA256SUMS").write_text(snapshot_sums(corpus, snapshot_root), encoding="utf-8")
    (folder / "README.txt").write_text(readme(config, corpus, latest), encoding="utf-8")
    leaks = network_references(folder)
    if leaks:
        shown = "; ".join(f"{path}: {url}" for path, url in leaks[:5])
        raise BundleError(f"{len(leaks)} reference(s) in the pages would load files from the network, which "
                          f"the offline bundle must not do: {shown}. Hint: save such files under docs/ "
                          "and link to them with a relative path")
    return OfflineSite(folder, config, str(config.theme.get("language") or "en"), latest)


def make_bundle(config_path: Path, corpus: Corpus, snapshot_root: Path, out_dir: Path, node_modules: Path,
                strict: bool = True, prefix: str | None = None) -> Bundle:
    """Build the site for reading from disk and zip it into out_dir; nothing is left behind on failure.

    `prefix` starts the zip's file name (default: the slug of the site's name)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".factdesk-bundle-", dir=out_dir) as tmp:
        built = build_offline_site(config_path, corpus, snapshot_root, Path(tmp, "site"), node_modules, strict)
        site, config, latest = built.folder, built.config, built.date
        name = f"{prefix or slug(config.site_name) or 'site'}-offline-{latest.isoformat()}"
        target = out_dir / f"{name}.zip"
        pages = sum(1 for _ in site.rglob("*.html"))
        partial = Path(tmp, "bundle.zip")
        unzipped = write_zip(site, partial, name, latest)
        os.replace(partial, target)  # the finished zip appears at once, never half-written
    return Bundle(target, pages, target.stat().st_size, unzipped)


def latest_update(corpus: Corpus) -> dt.date:
    """The newest publication or update date of any claim: the date the bundle is named after."""
    dates = [d for c in corpus.claims for d in (c.published, c.updated)]
    if not dates:
        raise BundleError("there are no claims to bundle; add a claim file first")
    return max(dates)


def offline_overrides(config_path: Path) -> dict:
    """Settings that make a site work from disk: .html links, no web fonts, Material's offline plugin
    with a local search-worker polyfill. The website's URLs stay in the exports and structured data."""
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
        entries.append({name: options})
    if not any(next(iter(e)) in ("offline", "material/offline") for e in entries):
        entries.append({"material/offline": {}})
    extra = dict(raw.get("extra") or {})
    extra["polyfills"] = [*extra.get("polyfills", []), SHIM_URI]
    # Each edition is a zip of its own, and Material's language switcher fetches the other editions' sitemaps
    # from the website as soon as a page opens: a copy read from disk has no switcher (README.txt says where
    # the other editions are).
    extra.pop("alternate", None)
    return {"use_directory_urls": False, "theme": {**theme, "font": False}, "plugins": entries, "extra": extra}


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


def readme(config, corpus: Corpus, latest: dt.date) -> str:
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
        sources=number(len(corpus.sources), language), snapshots=number(len(corpus.snapshots), language))


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

