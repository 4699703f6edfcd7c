"""The MkDocs adapter: checks the data before anything is written, then adds the generated pages.

Thin glue: all the work happens in pipeline.py and render.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .load import Layout
from .pipeline import check
from .problems import format_report
from .render import CSS_URI, SiteOptions, render_site

log = logging.getLogger("mkdocs.plugins.factdesk")


class FactdeskConfig(base.Config):
    claims = c.Type(str, default="claims")
    sources = c.Type(str, default="claims/sources")
    ratings = c.Type(str, default="ratings.yaml")
    strict = c.Type(bool, default=False)


class FactdeskPlugin(BasePlugin[FactdeskConfig]):
    """Checks claim and source files and turns them into pages."""

    def __init__(self) -> None:
        self.layout: Layout | None = None
        self.pages: dict[str, str] = {}

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        self.layout = Layout.under(root, self.config.claims, self.config.sources, self.config.ratings)
        result = check(self.layout, strict=self.config.strict or bool(config.strict))
        if result.problems:
            report = format_report(result.problems)
            if not result.ok:
                # Raised before MkDocs cleans the site folder: the last good site stays as it was.
                raise PluginError(f"factdesk found problems in the claim data:\n{report}")
            log.warning(report)
        self.pages = render_site(result.corpus, SiteOptions(use_directory_urls=config.use_directory_urls))
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        return config

    def on_files(self, files: Files, config) -> Files:
        for uri, content in self.pages.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} is written by factdesk from the claim data; "
                                  "rename or remove the hand-written file")
            inclusion = InclusionLevel.NOT_IN_NAV if uri.endswith(".md") else InclusionLevel.UNDEFINED
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
        return files

    def on_serve(self, server, config, builder):
        for path in (self.layout.claims_dir, self.layout.sources_dir, self.layout.ratings_file):
            if path.exists():
                server.watch(str(path))
        return server
