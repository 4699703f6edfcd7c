"""The MkDocs adapter: checks the data before anything is written, then adds the generated pages.

Thin glue: all the work happens in pipeline.py and render.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
import re
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from . import cards, manifest, pagereuse, searchfold, searchscope
from . import memo as memo_store
from . import output as site_folder
from .crosscheck import MIN_ORIGINS
from .load import DEFAULT_PATHS, Layout
from .pagehtml import PLACEHOLDER, Converted, FinishedPage, PageConverter, placeholder_unchanged
from .pagehtml import finish as finish_page
from .pipeline import check
from .preview import DirtyNotice, Preview
from .problems import format_report
from .render import (
    CSS_URI,
    EDITION_PAGE,
    EDITIONS_PAGE,
    JS_URI,
    PageMeta,
    RenderError,
    SiteOptions,
    Snippets,
    folds_search,
    render,
)
from .verbatim import put_back, set_aside, unsearched

log = logging.getLogger("mkdocs.plugins.factdesk")
OVERRIDES = Path(__file__).parent / "overrides"  # theme partials, see overrides/partials/*.html
# Whether the user fixed the build date; if not, each build takes it from the data (see output.py).
_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")
# The share cards' fonts by default: Vazirmatn from npm (`npm ci`), which has Persian and Latin letters.
CARD_FONTS = ("node_modules/vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf",
              "node_modules/vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf")
CARDS_DIR = "cards"  # the site's folder of share cards, cards/<claim id>.png
# A hand-written page includes figures from the data with a marker on a line of its own.
SNIPPET_RE = re.compile(r"^<!-- factdesk:([a-z-]+) -->$", re.MULTILINE)


def og_locale(language: str) -> str:
    """A language as Open Graph writes a locale, language_TERRITORY ("fa" -> "fa_IR", "en" -> "en_US")."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return language
    territory = locale.territory or get_global("likely_subtags").get(locale.language, "").rpartition("_")[2]
    return f"{locale.language}_{territory}" if territory else locale.language


def edition_language(config) -> str:
    """The language of the edition being built: the theme's, as Material reads it."""
    return str(config.theme.get("language") or "en")


def _nav_paths(nav):
    """Every page path the configured nav names."""
    if isinstance(nav, str):
        yield nav.lstrip("/")
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


class FactdeskConfig(base.Config):
    claims = c.Type(str, default=DEFAULT_PATHS["claims"])
    sources = c.Type(str, default=DEFAULT_PATHS["sources"])
    ratings = c.Type(str, default=DEFAULT_PATHS["ratings"])
    events = c.Type(str, default=DEFAULT_PATHS["events"])
    strict = c.Type(bool, default=False)
    min_origins = c.Type(int, default=MIN_ORIGINS)  # independent origins a verdict's evidence needs; 0 turns it off
    languages = c.ListOfItems(c.Type(str), default=[])  # editions besides the original: their translations are read
    source_language = c.Type(str, default="en")  # the language the claim and source files are written in
    strict_translations = c.Type(bool, default=False)  # an out-of-date translation fails the build
    publisher_name = c.Optional(c.Type(str))
    publisher_url = c.Optional(c.Type(str))
    public_directory_urls = c.Optional(c.Type(bool))  # set by `factdesk bundle`; see SiteOptions
    share_cards = c.Type(bool, default=False)  # a share image per claim page (og:image), website builds only
    card_font = c.Type(str, default=CARD_FONTS[0])  # the cards' fonts, relative to mkdocs.yml (see cards.py)
    card_font_bold = c.Type(str, default=CARD_FONTS[1])
    editions = c.Type(str, default=manifest.EDITIONS_FILE)  # what the Editions page lists (from factdesk sign)
    signing_key = c.Type(str, default=manifest.ALLOWED_SIGNERS)  # the published key, in allowed_signers format
    edition_date = c.Optional(c.Type(dt.date))  # set by `factdesk bundle`: an offline edition, with an About page
    previous_edition = c.Optional(c.Type(dt.date))  # set by `factdesk bundle`: its About page lists changes since


class FactdeskPlugin(BasePlugin[FactdeskConfig]):
    """Checks claim and source files and turns them into pages."""

    def __init__(self) -> None:
        self.layout: Layout | None = None
        self.pages: dict[str, str] = {}
        self.generated: set[str] = set()
        self.meta: dict[str, PageMeta] = {}
        self.snippets: Snippets | None = None
        self.fold = False  # fold the search index for an Arabic-script edition (see searchfold.py)
        self.run: site_folder.Run | None = None  # `mkdocs build`, `factdesk build`: builds aside, in place at shutdown
        self.sites: list[tuple] = []  # each staged build's configuration and output folder, restored at shutdown
        self.warnings: CountHandler | None = None
        self.preview: Preview | None = None  # set while serving with dirty (incremental) rebuilds
        self.set_aside: dict[str, list[str]] = {}  # page -> its finished HTML blocks, while Markdown runs
        self.late: dict[str, dict[int | str, str]] = {}  # page -> blocks kept out of search, put back in on_post_page
        self.publication: manifest.Publication | None = None
        self.cards: dict[str, bytes] = {}  # share card images by their path in the site, until on_files
        self.card_urls: dict[str, str] = {}  # claim page -> the address of its share card
        self.memo: memo_store.Memo | None = None  # kept between the live preview's rebuilds
        self.converter: PageConverter | None = None  # converts generated pages (see pagehtml.py)
        self.converted: dict[str, Converted] = {}  # page -> its finished HTML, while MkDocs converts a placeholder
        self.reuse: pagereuse.Reuse | None = None  # unchanged generated pages' theme output (see pagereuse.py)
        self.nav = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `serve` builds into its own temporary folder; a dirty build reuses what is in the site folder.
        if command in ("build", "gh-deploy") and not dirty and self.run is None:
            self.run = site_folder.Run()
        # `factdesk serve` (or `mkdocs serve --dirty`) keeps this instance between rebuilds: rebuild little.
        if command == "serve" and dirty:
            self.preview = Preview()
            logging.getLogger("mkdocs.commands.build").addFilter(DirtyNotice())

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        language = edition_language(config)
        if language != self.config.source_language and language not in self.config.languages:
            raise PluginError(f"{config.config_file_path}: theme.language is '{language}', but the factdesk option "
                              f"languages does not list it (languages: {', '.join(self.config.languages) or 'none'})")
        if self.memo is None or self.memo.folder != root / memo_store.FOLDER:
            # A build reads each entry once; the live preview keeps them in memory between rebuilds too.
            self.memo = memo_store.Memo(root / memo_store.FOLDER, remember=self.preview is not None)
        self.converter, self.converted = None, {}  # made at the first page, once plugins set up Markdown
        self.layout = Layout.under(root, self.config.claims, self.config.sources, self.config.ratings,
                                   self.config.events)
        preview = self.preview
        if self.config.min_origins < 0:
            raise PluginError("the factdesk option min_origins must be 0 or more")
        fonts = self._card_fonts(config)
        result = check(self.layout, strict=self.config.strict or bool(config.strict),
                       memo=self.memo, min_origins=self.config.min_origins,
                       languages=tuple(self.config.languages), strict_translations=self.config.strict_translations)
        if result.problems:
            report = format_report(result.problems)
            if not result.ok:
                # Raised before MkDocs cleans the site folder: the last good site stays as it was.
                raise PluginError(f"factdesk found problems in the claim data:\n{report}")
            log.warning(report)
        try:
            self.publication = manifest.publication(
                root / self.config.editions, root / self.config.signing_key, copy_date=self.config.edition_date,
                previous=self.config.previous_edition)
        except manifest.ManifestError as exc:
            raise PluginError(str(exc)) from None
        try:
            self.pages, self.meta, self.snippets = render(result.corpus, self._site_options(config),
                                           memo=self.memo)
        except RenderError as exc:
            raise PluginError(f"factdesk cannot publish the pages:\n{format_report(exc.problems)}") from None
        self.cards, self.card_urls = self._share_cards(config, fonts) if fonts else ({}, {})
        if _USER_EPOCH is None and (epoch := site_folder.source_date_epoch(result.corpus)) is not None:
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        if self.run is not None:
            # MkDocs empties site_dir before it writes: point it at a staging folder, put in place at shutdown.
            try:
                staging = self.run.begin(Path(config.site_dir))
            except OSError as exc:
                raise PluginError(f"cannot create a folder next to {config.site_dir}: {exc.strerror}") from None
            self.sites.append((config, config.site_dir))
            config.site_dir = str(staging)
            if config.strict and self.warnings is None:  # MkDocs fails a strict build only after on_post_build
                self.warnings = CountHandler()
                self.warnings.setLevel(logging.WARNING)
                logging.getLogger("mkdocs").addHandler(self.warnings)
        # After the project's own custom_dir, before the theme: our partials replace the theme's.
        if str(OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        if config.theme.custom_dir and (Path(config.theme.custom_dir) / "main.html").is_file():
            log.warning(f"{Path(config.theme.custom_dir).name}/main.html replaces factdesk's, so pages lose their "
                        "share metadata (og:, twitter:) Hint: copy the extrahead block of factdesk's "
                        "overrides/main.html into it")
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if JS_URI not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(JS_URI)
        self.fold = folds_search(language) and any(name.split("/")[-1] == "search" for name in config.plugins)
        if self.fold and searchfold.SCRIPT_URI not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(searchfold.SCRIPT_URI)
        if preview:
            preview.start(config)
        # The live preview rebuilds only the pages that changed; a build reuses the unchanged ones' output.
        self.reuse = pagereuse.Reuse(self.memo, config) if preview is None else None
        if self.reuse is not None and self.reuse.off:
            log.debug(f"factdesk: generated pages are built in full: {self.reuse.off}")
        return config

    def _site_options(self, config) -> SiteOptions:
        site_url = config.site_url or ""
        edit_base = ""
        if config.repo_url and config.edit_uri:
            # edit_uri points at the docs folder; data files live beside it, at the project root.
            docs = Path(config.docs_dir).name + "/"
            root_edit = config.edit_uri[: -len(docs)] if config.edit_uri.endswith(docs) else config.edit_uri
            edit_base = config.repo_url.rstrip("/") + "/" + root_edit.strip("/") + "/"
        alternates = tuple((str(alt.get("lang", "")), str(alt.get("name", "")), str(alt.get("link", "")))
                           for alt in (config.extra.get("alternate") or []) if isinstance(alt, dict))
        return SiteOptions(use_directory_urls=config.use_directory_urls, site_url=site_url,
                           site_name=config.site_name,
                           publisher_name=self.config.publisher_name or config.site_name,
                           publisher_url=self.config.publisher_url or site_url, edit_base=edit_base,
                           public_directory_urls=self.config.public_directory_urls,
                           language=edition_language(config), source_language=self.config.source_language,
                           project_root=str(Path(config.config_file_path).parent), alternates=alternates,
                           publication=self.publication)

    def on_files(self, files: Files, config) -> Files:
        # Generated pages outside the navigation skip MkDocs' Markdown converter, which would only convert their
        # placeholder. (A page in the navigation gets its Page, and its title there, from MkDocs' nav.)
        finished = not self.preview and placeholder_unchanged(config)
        listed = set(_nav_paths(config.nav))
        for uri, content in self.pages.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} is written by factdesk from the claim data; "
                                  "rename or remove the hand-written file")
            inclusion = InclusionLevel.NOT_IN_NAV if uri.endswith(".md") else InclusionLevel.UNDEFINED
            if uri in (EDITIONS_PAGE, EDITION_PAGE) and config.nav is None:
                inclusion = InclusionLevel.INCLUDED  # a site without a nav of its own lists it by itself
            if self.preview:
                self.preview.add(files, config, uri, content, inclusion)
            else:
                files.append(file := File.generated(config, uri, content=content, inclusion=inclusion))
                if finished and inclusion.is_not_in_nav() and uri not in listed and file.is_documentation_page():
                    FinishedPage(None, file, config)
        for uri, png in self.cards.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} is written by factdesk (the option share_cards); "
                                  "rename or remove the hand-written file")
            files.append(File.generated(config, uri, content=png))
        self.cards = {}
        if self.preview:
            self.preview.prepare(files, config)
        # From here on MkDocs' files hold the content: drop our references so that it can be freed.
        self.generated, self.pages = set(self.pages), {}
        return files

    def on_nav(self, nav, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, config, files):
        if self.reuse is not None:
            self.reuse.decide(config, self.nav, files)
        return env

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """Snippets go into hand-written pages; large finished HTML blocks skip the Markdown converter, and
        generated pages are converted here (or found in the memo), MkDocs converting only a placeholder."""
        if page.file.src_uri not in self.generated:
            markdown = self._snippets(markdown, page.file.src_uri, config)
        markdown, blocks = set_aside(markdown)
        if blocks:
            self.set_aside[page.file.src_uri] = blocks
        if page.file.src_uri in self.generated:
            if self.converter is None:
                assert self.memo is not None  # made at the start of on_config
                self.converter = PageConverter(config, self.memo)
            self.converted[page.file.src_uri] = self.converter.convert(markdown)
            return PLACEHOLDER
        return markdown

    def _snippets(self, markdown: str, src_uri: str, config) -> str:
        """Each `<!-- factdesk:NAME -->` marker replaced by that snippet of figures from the data."""
        snippets, layout = self.snippets, self.layout
        assert snippets is not None and layout is not None  # set by on_config, which runs first

        def one(match: re.Match) -> str:
            name = match.group(1)
            try:
                return snippets.render(name, src_uri)
            except KeyError:
                line = markdown.count("\n", 0, match.start()) + 1
                where = layout.rel(Path(config.docs_dir) / src_uri)
                raise PluginError(f"{where}:{line}:1: unknown factdesk snippet '{name}' "
                                  f"Hint: use one of {', '.join(Snippets.NAMES)}") from None

        return SNIPPET_RE.sub(one, markdown)

    def _page_content(self, html: str, page, config, files) -> str:
        if page.file.src_uri in self.generated:
            # MkDocs converts every page before it writes any: with thousands of pages, holding each one's
            # Markdown as well as its HTML until then is most of the build's memory, and nothing reads it again.
            page.markdown = None
            page.file.content_string = ""
        converted = self.converted.pop(page.file.src_uri, None)
        if converted is not None:
            try:
                html = finish_page(converted, html, page, files, config)
            except ValueError as exc:
                raise PluginError(f"factdesk cannot finish {page.file.src_uri}: {exc}") from None
        blocks = self.set_aside.pop(page.file.src_uri, None)
        if blocks:
            late: dict[int | str, str] = {i: block for i, block in enumerate(blocks) if unsearched(block)}
            if late:
                self.late[page.file.src_uri] = late
            html = self._put_back(html, {i: block for i, block in enumerate(blocks) if i not in late}, page)
        if page.file.src_uri in self.generated:  # the search plugin indexes a claim or source page's head only
            html, rest = searchscope.cut(html)
            if rest is not None:  # put back first: it holds the placeholders of the page's other late blocks
                self.late[page.file.src_uri] = {searchscope.REST: rest, **self.late.get(page.file.src_uri, {})}
        return html

    @event_priority(-100)  # once every plugin has changed the page's HTML
    def _note_page(self, html: str, page, config, files) -> str:
        if self.reuse is not None and page.file.src_uri in self.generated:
            self.reuse.note_page(page, html, self.meta.get(page.file.src_uri),
                                 self.card_urls.get(page.file.src_uri, ""))
        return html

    on_page_content = CombinedEvent(_page_content, _note_page)

    def _put_back(self, html: str, blocks: dict[int, str] | dict[int | str, str], page) -> str:
        try:
            return put_back(html, blocks)
        except ValueError as exc:
            raise PluginError(f"factdesk cannot finish {page.file.src_uri}: {exc}") from None

    @event_priority(50)  # before the search plugin indexes the page
    def _reuse_page(self, context, page, config, nav):
        if self.reuse is not None:
            try:
                self.reuse.before_context(context, page)
            except pagereuse.ReuseError as exc:
                raise PluginError(f"factdesk: {exc}") from None
        return context

    @event_priority(-50)  # after the search plugin indexed the page
    def _remember_entries(self, context, page, config, nav):
        if self.reuse is not None:
            self.reuse.after_context(page)
        return context

    def _page_context(self, context, page, config, nav):
        if self.reuse is not None and page.file.src_uri in self.reuse.hits:
            return context  # the theme is not rendered: its output is the memoised one
        page.meta["factdesk_alternates"] = self._switcher(page, config)
        meta = self.meta.get(page.file.src_uri)
        if meta is not None:
            page.edit_url = meta.edit_url or None
            # The theme writes it into <meta name="description"> as it is (its templates do not escape).
            page.meta.setdefault("description", escape(meta.description))
        page.meta["factdesk_social"] = self._social(page, config, meta)  # written by overrides/main.html
        return context

    def _social(self, page, config, meta: PageMeta | None) -> list[tuple[str, str, str]]:
        """The page's Open Graph and Twitter card tags, as (attribute, name, content); empty ones left out."""
        kind = "article"
        if meta is None:  # a hand-written or index page
            kind = "website"
            title = config.site_name if page.is_homepage else (page.title or config.site_name)
            meta = PageMeta(title=title, description=page.meta.get("description") or config.site_description or "",
                            url=page.canonical_url or "")
        image = self.card_urls.get(page.file.src_uri, "")
        alt = f"{meta.verdict}: {meta.title}"
        tags = [("property", "og:type", kind), ("property", "og:title", meta.title),
                ("property", "og:description", meta.description), ("property", "og:url", meta.url),
                ("property", "og:site_name", config.site_name),
                ("property", "og:locale", og_locale(edition_language(config)))]
        if image:
            tags += [("property", "og:image", image), ("property", "og:image:type", "image/png"),
                     ("property", "og:image:width", str(cards.WIDTH)),
                     ("property", "og:image:height", str(cards.HEIGHT)), ("property", "og:image:alt", alt)]
        tags += [("name", "twitter:card", "summary_large_image" if image else "summary"),
                 ("name", "twitter:title", meta.title), ("name", "twitter:description", meta.description)]
        if image:
            tags += [("name", "twitter:image", image), ("name", "twitter:image:alt", alt)]
        tags.append(("name", "factdesk:verdict", meta.verdict))
        return [tag for tag in tags if tag[2]]

    def _card_fonts(self, config) -> cards.CardFonts | None:
        """The share cards' fonts, when this build makes cards: a website build with share_cards on."""
        if not self.config.share_cards or self.config.public_directory_urls is not None:
            return None  # an offline copy is read from disk, not shared by link
        where = Path(config.config_file_path).name
        if not config.site_url:
            raise PluginError(f"{where}: the factdesk option share_cards needs site_url, since chat apps fetch a "
                              "card by its full address Hint: set site_url, or turn share_cards off")
        root = Path(config.config_file_path).parent
        paths = []
        for name in ("card_font", "card_font_bold"):
            path = root / self.config[name]
            if not path.is_file():
                raise PluginError(f"{where}: the factdesk option {name}: font file {self.config[name]} not found "
                                  f"Hint: run `npm ci` to install the Vazirmatn font, or set {name} to a font file")
            paths.append(path)
        try:
            cards.require_raqm()
        except cards.CardError as exc:
            raise PluginError(f"{where}: share_cards: {exc}") from None
        return cards.CardFonts(*paths)

    def _share_cards(self, config, fonts: cards.CardFonts) -> tuple[dict[str, bytes], dict[str, str]]:
        """Each claim page's share card by its path in the site, and its address by page; a card whose inputs
        are unchanged comes from the memo (.factdesk-cache/ next to mkdocs.yml)."""
        assert self.memo is not None  # made at the start of on_config
        images, urls = {}, {}
        for uri, meta in self.meta.items():
            if not meta.verdict:  # a source page
                continue
            path = f"{CARDS_DIR}/{posixpath.splitext(posixpath.basename(uri))[0]}.png"
            try:
                images[path] = cards.cached_card(self.memo, meta.title, meta.verdict, meta.colour, config.site_name,
                                                 edition_language(config), fonts, meta.date)
            except cards.CardError as exc:
                raise PluginError(f"{Path(config.config_file_path).name}: share_cards: {exc}") from None
            urls[uri] = config.site_url.rstrip("/") + "/" + path
        return images, urls

    on_page_context = CombinedEvent(_reuse_page, _page_context, _remember_entries)

    @event_priority(100)  # the theme's output, before any plugin changes it
    def _theme_output(self, output: str, page, config) -> str:
        if self.reuse is not None:
            self.reuse.after_theme(output, page)
        return output

    def _post_page(self, output: str, page, config) -> str:
        """Blocks kept out of search go back in (social metadata is written by overrides/main.html)."""
        if self.preview:
            self.preview.rebuilt.add(page.url)
        if page.file.src_uri in self.generated:
            page.content = None  # written once this hook returns, and never read again
        late = self.late.pop(page.file.src_uri, None)  # hand-written pages too, through their snippets
        if late:
            output = self._put_back(output, late, page)
        return output

    on_post_page = CombinedEvent(_theme_output, _post_page)

    def _switcher(self, page, config) -> list[dict]:
        """The language switcher's links to this page in each edition: relative when the edition is part of this
        website (so that a local copy stays local), absolute otherwise, and always in an offline bundle."""
        here = urlsplit(config.site_url or "")
        out = []
        for alt in config.extra.get("alternate") or []:
            if not isinstance(alt, dict) or not alt.get("link"):
                continue
            there = urlsplit(str(alt["link"]))
            target = str(alt["link"]).rstrip("/") + "/" + (page.url or "")
            if self.config.public_directory_urls is None and (there.scheme, there.netloc) == (here.scheme, here.netloc):
                own = here.path.rstrip("/") + "/" + (page.url or "")
                target = posixpath.relpath(there.path.rstrip("/") + "/" + (page.url or ""), posixpath.dirname(own))
                target += "/" if (page.url or "").endswith("/") or not page.url else ""
            out.append({"name": alt.get("name", ""), "lang": alt.get("lang", ""), "href": target})
        return out

    @event_priority(-50)  # after the search plugin writes its index (0), before the offline plugin copies it (-100)
    def _fold_search(self, *, config) -> None:
        if self.fold:
            searchfold.fold_search_index(Path(config.site_dir) / "search" / "search_index.json")

    def _copy_editions(self, *, config) -> None:
        """The published editions, their checksums, signature and key, offered in the site's editions/ folder."""
        if self.publication is None or self.publication.copy_date is not None:
            return  # an offline edition carries no other editions
        root = Path(config.config_file_path).parent
        try:
            manifest.copy_editions(root / self.config.editions, root / self.config.signing_key,
                                   Path(config.site_dir) / "editions")
        except (manifest.ManifestError, OSError) as exc:
            raise PluginError(f"cannot copy the editions into the site: {exc}") from None

    @event_priority(-100)  # after the search plugin has written its index
    def _finish(self, *, config) -> None:
        if self.reuse is not None and self.reuse.keys:
            log.info(f"factdesk: {len(self.reuse.hits)} of {len(self.reuse.keys)} generated pages unchanged, "
                     "taken from the build cache")
        if self.memo is not None:
            if self.preview is None:
                self.memo.prune()
            self.memo.flush()
        if self.preview:
            self.preview.finish(config)
        if self.run is not None and not (self.warnings is not None and self.warnings.get_counts()):
            self.run.built()  # a strict build with warnings is about to fail: on_build_error discards it

    on_post_build = CombinedEvent(_fold_search, _copy_editions, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        if self.memo is not None:
            self.memo.flush()  # what this build made is correct, whatever failed after
        if self.preview:
            self.preview.failed()
        if self.run is not None:
            self.run.discard()  # every build of the command: the previous site stays, with all its editions

    def on_shutdown(self) -> None:
        # The builds go in place when the command ends, not after each build, so that `factdesk build` can build
        # every edition first: all of them replace the previous site together, or none does.
        try:
            if self.run is not None and self.run.finish():  # interrupted (Ctrl-C) or failed: the previous site stays
                for config, site_dir in self.sites:
                    config.site_dir = site_dir
        finally:
            self.run, self.sites = None, []
            if self.warnings is not None:
                logging.getLogger("mkdocs").removeHandler(self.warnings)
                self.warnings = None

    def on_serve(self, server, config, builder):
        assert self.layout is not None  # set by on_config, which runs before serving
        for path in (self.layout.claims_dir, self.layout.sources_dir, self.layout.ratings_file,
                     self.layout.events_file):
            if path.exists():
                server.watch(str(path))
        return server
