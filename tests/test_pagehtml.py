"""Generated pages converted by Factdesk (pagehtml.py) come out as MkDocs' own conversion makes them.

MkDocs' Page.render is the oracle: every generated page of the fixtures, and pages made to hit each rule of the
raw-HTML shortcut, are converted both ways and compared: HTML, table of contents, title, anchors, links to
anchors and the warnings about links.
"""

from __future__ import annotations

import logging

import pytest
from factdesk import pagehtml
from factdesk.load import Layout
from factdesk.memo import Memo
from factdesk.pipeline import check
from factdesk.plugin import FactdeskPlugin
from factdesk.render import render_site
from factdesk.verbatim import set_aside
from helpers import TESTS, copy_project
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import meta

RELAYS = TESTS / "fixtures" / "relays"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The relays fixture's MkDocs configuration, its files (hand-written and generated) and generated pages."""
    project = copy_project(tmp_path_factory.mktemp("pagehtml"), RELAYS)
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["factdesk"]
    config.plugins._current_plugin = "factdesk"  # what MkDocs sets while a plugin's event runs
    assert isinstance(plugin, FactdeskPlugin)
    pages = render_site(check(Layout.under(project)).corpus, plugin._site_options(config))
    files = Files([File(p.relative_to(project / "docs").as_posix(), str(project / "docs"), config.site_dir,
                        config.use_directory_urls) for p in (project / "docs").rglob("*") if p.is_file()])
    for uri, content in pages.items():
        files.append(File.generated(config, uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
    return config, files, {uri: text for uri, text in pages.items() if uri.endswith(".md")}


def both_ways(site, uri: str, text: str, caplog):
    """The page converted by MkDocs and by the converter: (content, toc, title, anchors, links, warnings) each."""
    config, files, _ = site
    file = files.get_file_from_path(uri) or File.generated(config, uri, content=text)
    markdown = set_aside(meta.get_data(text)[0])[0]
    results = []
    for way in ("mkdocs", "factdesk"):
        caplog.clear()
        page = Page(None, file, config)
        if way == "mkdocs":
            page.markdown = markdown
            page.render(config, files)
            html = page.content
        else:
            converted = pagehtml.PageConverter(config, Memo()).convert(markdown)
            html = pagehtml.finish(converted, pagehtml.PLACEHOLDER, page, files, config)
        toc = [(a.title, a.id, a.level, [(c.title, c.id) for c in a.children]) for a in page.toc]
        results.append((html, toc, page._title_from_render, page.present_anchor_ids, page.links_to_anchors,
                        [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]))
    return results


def test_every_generated_page_converts_as_mkdocs_converts_it(site, caplog):
    _, _, pages = site
    assert len(pages) > 10
    for uri, text in pages.items():
        ours, theirs = both_ways(site, uri, text, caplog)
        assert ours == theirs, uri


SHAPES = {
    "heading and blocks": "# Title\n\n<div class=\"a\">\n<p>one</p>\n</div>\n\n## Part\n\n<p>two</p>\n",
    "blocks in a row": "<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n\n\n<section><h3>c</h3></section>\n  \n<p>d</p>",
    "ids in raw HTML": "<ul>\n<li id=\"change-1\">x</li>\n<li id=\"a&amp;b\">y</li>\n</ul>\n\n<a name=\"n\">z</a>\n",
    "block then text on its line": "<p class=\"x\">No evidence.</p>\n## History\n\n<p>y</p>\n",
    "unclosed block": "<div>\n<p>open\n\n<p>next</p>\n\n</div>\n",
    "markdown inside HTML": "<div markdown=\"1\">\n*emphasis* [link](claims/index.md)\n</div>\n\n<p>x</p>\n",
    "fenced code": "```\n<p>not HTML</p>\n\n<div>code</div>\n```\n\n<p>x</p>\n",
    "script": "<script type=\"application/ld+json\">{\"a\": \"<b>\"}</script>\n\n<style>p > a {}</style>\n",
    "stray less-than": "<p>1 < 2</p>\n\n<p>fine</p>\n",
    "inline start": "<span>inline</span> text\n\n<em>x</em>\n",
    "links": "[index](claims/index.md) [missing](nowhere.md) [self](#top) [out](https://example.org/)\n\n"
             "![img](assets/x.png)\n\n<div><a href=\"nowhere.md\">raw</a></div>\n",
    "void and empty": "<hr>\n\n<div><br><img src=\"a.png\" alt=\"\"></div>\n\n<div/>\n",
    "quotes in attributes": "<p title=\"a > b <c>\">t</p>\n\n<p title='x \"y\"'>u</p>\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_shape_of_page_converts_as_mkdocs_converts_it(site, shape, caplog):
    ours, theirs = both_ways(site, "claims/shape.md", SHAPES[shape], caplog)
    assert ours == theirs


def test_well_formed_blocks_skip_markdown_and_others_do_not():
    md = pagehtml.PageConverter({"markdown_extensions": ["toc", "md_in_html"], "mdx_configs": {}}, Memo())
    md._convert("")  # builds its Markdown instance
    text, blocks, ids = pagehtml.set_aside_html(SHAPES["ids in raw HTML"], md._md)
    assert blocks == ["<ul>\n<li id=\"change-1\">x</li>\n<li id=\"a&amp;b\">y</li>\n</ul>"]  # <a> is inline
    assert ids == {"change-1", "a&b"}
    # Only whole elements go (inside an open block, as here "<p>next</p>", they are raw text either way).
    expected = {"unclosed block": ["<p>next</p>"], "markdown inside HTML": [], "fenced code": [],
                "stray less-than": ["<p>fine</p>"], "inline start": [], "block then text on its line": ["<p>y</p>"],
                "blocks in a row": ["<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n\n<section><h3>c</h3></section>\n\n<p>d</p>"]}
    assert {shape: pagehtml.set_aside_html(SHAPES[shape], md._md)[1] for shape in expected} == expected


def test_a_page_converted_before_comes_from_the_memo(tmp_path):
    config = {"markdown_extensions": ["toc", "md_in_html"], "mdx_configs": {"toc": {"permalink": True}}}
    first = pagehtml.PageConverter(config, Memo(tmp_path)).convert(SHAPES["heading and blocks"])
    memo = Memo(tmp_path)  # a later build: from disk
    again = pagehtml.PageConverter(config, memo).convert(SHAPES["heading and blocks"])
    assert (memo.hits, memo.misses) == (1, 0) and again == first
    other = {**config, "mdx_configs": {"toc": {"permalink": False}}}  # another configuration: converted anew
    assert pagehtml.PageConverter(other, memo).convert(SHAPES["heading and blocks"]) != first
