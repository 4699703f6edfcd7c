"""Unchanged generated pages reuse the theme's output and their search entries (pagereuse.py), and generated pages
outside the navigation skip MkDocs' Markdown converter (pagehtml.FinishedPage); the output stays that of a full
build. Each build here is `mkdocs build`, whose log says how many pages were reused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest
from factdesk.memo import FOLDER, Memo
from factdesk.pagehtml import PLACEHOLDER, FinishedPage, placeholder_unchanged
from helpers import TESTS, copy_project, edit, run
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from test_incremental import differences

REUSED = re.compile(r"factdesk: (\d+) of (\d+) generated pages unchanged")


def mkdocs_build(project: Path, site: Path, *, cold: bool = False) -> tuple[int, int] | None:
    """Build with `mkdocs build`; the pages reused and the generated pages keyed, from its log (None when the
    build reused nothing because reuse was off)."""
    if cold:
        shutil.rmtree(project / FOLDER, ignore_errors=True)
    result = run(["mkdocs", "build", "-f", "mkdocs.yml", "-d", str(site)], project)
    assert result.returncode == 0, result.stdout + result.stderr
    found = REUSED.search(result.stderr)
    return (int(found.group(1)), int(found.group(2))) if found else None


@pytest.fixture
def project(tmp_path):
    project = copy_project(tmp_path, TESTS / "fixtures" / "relays")
    first = mkdocs_build(project, tmp_path / "cold", cold=True)
    assert first is not None and first[0] == 0 and first[1] > 15  # nothing to reuse yet; every page keyed
    return project


def test_a_second_build_reuses_every_generated_page_and_writes_the_same_site(project, tmp_path):
    reused, keyed = mkdocs_build(project, tmp_path / "warm")
    assert reused == keyed
    assert differences(tmp_path / "cold", tmp_path / "warm") == []
    index = (tmp_path / "warm" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "claims/mayor-tunnel-escape-plan/" in index  # the reused pages' entries are in the index


def test_after_an_edit_only_the_pages_that_show_the_claim_are_built_again(project, tmp_path):
    before = Memo(project / FOLDER).entries("theme")
    edit(project, "claims/mayor-tunnel-escape-plan.yaml", "summary: ", "summary: Checked again. ")
    reused, keyed = mkdocs_build(project, tmp_path / "edited")
    assert 0 < reused < keyed
    after = Memo(project / FOLDER).entries("theme")
    # Each page has one slot, whose output an edit replaces: the cache does not grow with every edit.
    assert after.keys() == before.keys()
    assert sum(after[k] != before[k] for k in after) == keyed - reused
    mkdocs_build(project, tmp_path / "edited-cold", cold=True)
    assert differences(tmp_path / "edited", tmp_path / "edited-cold") == []
    page = (tmp_path / "edited" / "claims" / "mayor-tunnel-escape-plan" / "index.html").read_text(encoding="utf-8")
    assert "Checked again." in page


@pytest.mark.parametrize("change", ["nav title", "theme override", "config"])
def test_a_change_to_the_site_around_the_pages_builds_every_page_again(project, tmp_path, change):
    if change == "nav title":
        edit(project, "mkdocs.yml", "  - Sources: sources/index.md", "  - Every source: sources/index.md")
        shown = "Every source"
    elif change == "theme override":
        (project / "overrides" / "partials").mkdir(parents=True)
        (project / "overrides" / "partials" / "copyright.html").write_text(
            '<div class="md-copyright">Overridden footer</div>\n', encoding="utf-8")
        edit(project, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
        shown = "Overridden footer"
    else:
        edit(project, "mkdocs.yml", "site_name: Relay desk", "site_name: Relay desk\ncopyright: Relay copyright")
        shown = "Relay copyright"
    reused, keyed = mkdocs_build(project, tmp_path / "changed")
    assert reused == 0 and keyed > 15
    page = (tmp_path / "changed" / "claims" / "mayor-tunnel-escape-plan" / "index.html").read_text(encoding="utf-8")
    assert shown in page
    mkdocs_build(project, tmp_path / "changed-cold", cold=True)
    assert differences(tmp_path / "changed", tmp_path / "changed-cold") == []


def test_a_plugin_it_does_not_know_turns_reuse_off(project, tmp_path):
    (project / "stamp.py").write_text(
        "def on_page_context(context, page, config, nav):\n"
        "    page.meta['stamped'] = True\n"
        "    return context\n", encoding="utf-8")
    edit(project, "mkdocs.yml", "plugins:\n", "hooks:\n  - stamp.py\nplugins:\n")
    assert mkdocs_build(project, tmp_path / "hooked") is None
    assert mkdocs_build(project, tmp_path / "hooked-again") is None
    assert differences(tmp_path / "hooked", tmp_path / "hooked-again") == []


# -- the placeholder's conversion ------------------------------------------------------------------------------

class _Footer(markdown.Extension):
    """Adds a paragraph to every page: the placeholder does not come out as it went in."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's name)
        md.postprocessors.register(_AddFooter(md), "footer", 1)


class _AddFooter(markdown.postprocessors.Postprocessor):
    def run(self, text):
        return text + "\n<p>footer</p>"


def _config(tmp_path, extensions):
    (tmp_path / "docs").mkdir(exist_ok=True)
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: t\n", encoding="utf-8")
    config = load_config(str(path))
    config["markdown_extensions"] = extensions
    config["mdx_configs"] = {}
    return config


def test_the_placeholder_is_known_to_convert_to_itself_with_the_usual_extensions(tmp_path):
    config = _config(tmp_path, ["toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes"])
    assert placeholder_unchanged(config)
    assert not placeholder_unchanged(_config(tmp_path, [_Footer()]))


def test_a_finished_page_is_what_mkdocs_makes_of_the_placeholder(tmp_path):
    config = _config(tmp_path, ["toc", "attr_list", "md_in_html"])
    pages = []
    for cls in (Page, FinishedPage):
        file = File("claims/x.md", config.docs_dir, config.site_dir, config.use_directory_urls)
        page = cls(None, file, config)
        page.markdown, page.meta = PLACEHOLDER, {}
        page.render(config, Files([file]))
        pages.append(page)
    mkdocs, finished = pages
    assert finished.content == mkdocs.content == PLACEHOLDER
    assert list(finished.toc) == list(mkdocs.toc) == []
    assert finished.present_anchor_ids == mkdocs.present_anchor_ids
    assert finished.title == mkdocs.title
    # Other Markdown in a finished page is converted as MkDocs converts it.
    file = File("claims/y.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    other = FinishedPage(None, file, config)
    other.markdown, other.meta = "# Heading\n\nText.", {}
    other.render(config, Files([file]))
    assert other.title == "Heading" and "<p>Text.</p>" in other.content


# -- the build cache stays the size of what recent builds use ---------------------------------------------------

def test_entries_no_build_used_for_a_month_are_pruned_once_a_day(tmp_path):
    from factdesk.memo import KEEP_DAYS, Memo

    day = 86400
    start = 1_800_000_000.0

    def memo_on(when: float) -> Memo:
        memo = Memo(tmp_path / "cache")
        memo.clock = lambda: when
        return memo

    first = memo_on(start)
    for name in ("old", "read", "new"):
        first.put("theme", name * 8, name.encode())
    first.flush()
    later = memo_on(start + KEEP_DAYS * day)
    assert later.get("theme", "read" * 8) == b"read"  # reading an entry keeps it
    later.put("theme", "new" * 8, b"new")  # so does writing it again
    later.flush()
    month = memo_on(start + (KEEP_DAYS + 1) * day)
    assert month.prune() == 1
    assert month.prune() == 0  # once a day
    fresh = memo_on(start + (KEEP_DAYS + 1) * day)
    assert fresh.get("theme", "old" * 8) is None
    assert fresh.get("theme", "read" * 8) == b"read" and fresh.get("theme", "new" * 8) == b"new"
    assert set(fresh.entries("theme")) == {"read" * 8, "new" * 8}


def test_a_cache_folder_that_cannot_be_written_only_makes_the_build_slower(tmp_path):
    from factdesk.memo import Memo

    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    memo = Memo(blocked / "cache")
    memo.put("theme", "k", b"v")
    assert memo.get("theme", "k") == b"v"  # kept in memory
    memo.flush()
    assert memo.prune() == 0 and Memo(blocked / "cache").get("theme", "k") is None
