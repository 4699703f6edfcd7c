"""The MkDocs adapter: checks the data before anything is written, then adds the generated pages.

Thin glue: all the work happens in pipeline.py and render.py.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from . import output as site_folder
from .crosscheck import MIN_ORIGINS
from .load import Layout
from .pipeline import check
from .preview import DirtyNotice, Preview
from .problems import format_report
from . import searchfold
from .render import CSS_URI, JS_URI, PageMeta, RenderError, SiteOptions, Snippets, folds_search, render
from .verbatim import put_back, set_aside, unsearched

log = logging.getLogger("mkdocs.plugins.factdesk")
OVERRIDES = Path(__file__).parent / "overrides"  # theme partials, see overrides/partials/*.html
# Whether the user fixed the build date; if not, each build takes it from the data (see output.py).
_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")
# A hand-written page includes figures from the data with a marker on a line of its own.
SNIPPET_RE = re.compile(r"^<!-- factdesk:([a-z-]+) -->$", re.MULTILINE)


def edition_language(config) -> str:
    """The language of the edition being built: the theme's, as Material reads it."""
    return str(config.theme.get("language") or "en")


class FactdeskConfig(base.Config):
    claims = c.Type(str, default="claims")
    sources = c.Type(str, default="claims/sources")
    ratings = c.Type(str, default="ratings.yaml")
    events = c.Type(str, default="events.yaml")
    strict = c.Type(bool, default=False)
    min_origins = c.Type(int, default=MIN_ORIGINS)  # independent origins a verdict's evidence needs; 0 turns it off
    languages = c.ListOfItems(c.Type(str), default=[])  # editions besides the original: their translations are read
    source_language = c.Type(str, default="en")  # the language the claim and source files are written in
    strict_translations = c.Type(bool, default=False)  # an out-of-date translation fails the build
    publisher_name = c.Optional(c.Type(str))
    publisher_url = c.Optional(c.Type(str))
    public_directory_urls = c.Optional(c.Type(bool))  # set by `factdesk bundle`; see SiteOptions


class FactdeskPlugin(BasePlugin[FactdeskConfig]):
    """Checks claim and source files and turns them into pages."""

    def __init__(self) -> None:
        self.layout: Layout | None = None
        self.pages: dict[str, str] = {}
        self.generated: set[str] = set()
        self.meta: dict[str, PageMeta] = {}
        self.snippets: Snippets | None = None
        self.fold = False  # fold the search index for an Arabic-script edition (see searchfold.py)
        self.stage = False  # build into a staging folder (`mkdocs build`; factdesk build stages by itself)
        self.staging: Path | None = None
        self.target: Path | None = None
        self.warnings: CountHandler | None = None
        self.preview: Preview | None = None  # set while serving with dirty (incremental) rebuilds
        self.set_aside: dict[str, list[str]] = {}  # page -> its finished HTML blocks, while Markdown runs
        self.late: dict[str, dict[int, str]] = {}  # page -> blocks kept out of search, put back in on_post_page

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `serve` builds into its own temporary folder; a dirty build reuses what is in the site folder.
        self.stage = command in ("build", "gh-deploy") and not dirty
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
        self.layout = Layout.under(root, self.config.claims, self.config.sources, self.config.ratings,
                                   self.config.events)
        preview = self.preview
        if self.config.min_origins < 0:
            raise PluginError("the factdesk option min_origins must be 0 or more")
        result = check(self.layout, strict=self.config.strict or bool(config.strict),
                       cache=preview.load_cache if preview else None, min_origins=self.config.min_origins,
                       languages=tuple(self.config.languages), strict_translations=self.config.strict_translations)
        if result.problems:
            report = format_report(result.problems)
            if not result.ok:
                # Raised before MkDocs cleans the site folder: the last good site stays as it was.
                raise PluginError(f"factdesk found problems in the claim data:\n{report}")
            log.warning(report)
        try:
            self.pages, self.meta, self.snippets = render(result.corpus, self._site_options(config),
                                           cache=preview.render_cache if preview else None)
        except RenderError as exc:
            raise PluginError(f"factdesk cannot publish the pages:\n{format_report(exc.problems)}") from None
        if _USER_EPOCH is None and (epoch := site_folder.source_date_epoch(result.corpus)) is not None:
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        if self.stage:
            # MkDocs empties site_dir before it writes: point it at a staging folder, swapped in on success.
            self.target = Path(config.site_dir)
            try:
                self.staging = site_folder.begin(self.target)
            except OSError as exc:
                raise PluginError(f"cannot create a folder next to {self.target}: {exc.strerror}") from None
            config.site_dir = str(self.staging)
            if config.strict:  # MkDocs fails a strict build for warnings only after on_post_build
                self.warnings = CountHandler()
                self.warnings.setLevel(logging.WARNING)
                logging.getLogger("mkdocs").addHandler(self.warnings)
        # After the project's own custom_dir, before the theme: our partials replace the theme's.
        if str(OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if JS_URI not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(JS_URI)
        self.fold = folds_search(language) and any(name.split("/")[-1] == "search" for name in config.plugins)
        if self.fold and searchfold.SCRIPT_URI not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(searchfold.SCRIPT_URI)
        if preview:
            preview.start(config)
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
                           project_root=str(Path(config.config_file_path).parent), alternates=alternates)

    def on_files(self, files: Files, config) -> Files:
        for uri, content in self.pages.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} is written by factdesk from the claim data; "
                                  "rename or remove the hand-written file")
            inclusion = InclusionLevel.NOT_IN_NAV if uri.endswith(".md") else InclusionLevel.UNDEFINED
            if self.preview:
                self.preview.add(files, config, uri, content, inclusion)
            else:
                files.append(File.generated(config, uri, content=content, inclusion=inclusion))
        if self.preview:
            self.preview.prepare(files, config)
        # From here on MkDocs' files hold the content: drop our references so that it can be freed.
        self.generated, self.pages = set(self.pages), {}
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """Snippets go into hand-written pages; large finished HTML blocks skip the Markdown converter."""
        if page.file.src_uri not in self.generated:
            markdown = self._snippets(markdown, page.file.src_uri, config)
        markdown, blocks = set_aside(markdown)
        if blocks:
            self.set_aside[page.file.src_uri] = blocks
        return markdown

    def _snippets(self, markdown: str, src_uri: str, config) -> str:
        """Each `<!-- factdesk:NAME -->` marker replaced by that snippet of figures from the data."""
        def one(match: re.Match) -> str:
            name = match.group(1)
            try:
                return self.snippets.render(name, src_uri)
            except KeyError:
                line = markdown.count("\n", 0, match.start()) + 1
                where = self.layout.rel(Path(config.docs_dir) / src_uri)
                raise PluginError(f"{where}:{line}:1: unknown factdesk snippet '{name}' "
                                  f"Hint: use one of {', '.join(Snippets.NAMES)}") from None

        return SNIPPET_RE.sub(one, markdown)

    def on_page_content(self, html: str, page, config, files) -> str:
        if page.file.src_uri in self.generated:
            # MkDocs converts every page before it writes any: with thousands of pages, holding each one's
            # Markdown as well as its HTML until then is most of the build's memory, and nothing reads it again.
            page.markdown = None
            page.file.content_string = ""
        blocks = self.set_aside.pop(page.file.src_uri, None)
        if not blocks:
            return html
        late = {i: block for i, block in enumerate(blocks) if unsearched(block)}
        if late:
            self.late[page.file.src_uri] = late
        return self._put_back(html, {i: block for i, block in enumerate(blocks) if i not in late}, page)

    def _put_back(self, html: str, blocks: dict[int, str], page) -> str:
        try:
            return put_back(html, blocks)
        except ValueError as exc:
            raise PluginError(f"factdesk cannot finish {page.file.src_uri}: {exc}") from None

    def on_page_context(self, context, page, config, nav):
        page.meta["factdesk_alternates"] = self._switcher(page, config)
        meta = self.meta.get(page.file.src_uri)
        if meta is not None:
            page.edit_url = meta.edit_url or None
        return context

    def on_post_page(self, output: str, page, config) -> str:
        """Blocks kept out of search go back in; social and search metadata for claim and source pages."""
        if self.preview:
            self.preview.rebuilt.add(page.url)
        if page.file.src_uri in self.generated:
            page.content = None  # written once this hook returns, and never read again
        late = self.late.pop(page.file.src_uri, None)  # hand-written pages too, through their snippets
        if late:
            output = self._put_back(output, late, page)
        meta = self.meta.get(page.file.src_uri)
        if meta is None:
            return output
        tags = [("og:type", "article"), ("og:title", meta.title), ("og:description", meta.description),
                ("og:url", meta.url), ("og:site_name", config.site_name)]
        html = "".join(f'<meta property="{k}" content="{escape(v)}">' for k, v in tags if v)
        html += "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in (
            ("twitter:card", "summary"), ("twitter:title", meta.title), ("twitter:description", meta.description),
            ("description", meta.description)) if v)
        if meta.verdict:
            html += f'<meta name="factdesk:verdict" content="{escape(meta.verdict)}">'
        output = re.sub(r'<meta name="description"[^>]*>', "", output, count=1)
        return output.replace("</head>", html + "</head>", 1)

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

    @event_priority(-100)  # after the search plugin has written its index
    def _finish(self, *, config) -> None:
        if self.preview:
            self.preview.finish(config)
        if self.staging is None or (self.warnings is not None and self.warnings.get_counts()):
            return  # a strict build with warnings is about to fail: on_build_error discards the staging folder
        site_folder.finish(self.staging, self.target)
        config.site_dir = str(self.target)
        self.staging = None

    on_post_build = CombinedEvent(_fold_search, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        if self.preview:
            self.preview.failed()
        self._discard()

    def on_shutdown(self) -> None:
        self._discard()  # interrupted (Ctrl-C): the previous site stays
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None

    def _discard(self) -> None:
        if self.staging is not None:
            site_folder.discard(self.staging)
            self.staging = None

    def on_serve(self, server, config, builder):
        for path in (self.layout.claims_dir, self.layout.sources_dir, self.layout.ratings_file,
                     self.layout.events_file):
            if path.exists():
                server.watch(str(path))
        return server
