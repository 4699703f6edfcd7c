"""Defects of the build engine, each pinned by a test that failed before its fix.

Defaults reach the schema and the contributor guide; a loaded corpus cannot change behind its id lookups; the
data folders' defaults are written once; `factdesk build` runs MkDocs' whole plugin lifecycle, with every
edition built aside and put in place together; page addresses are built in one module; counts of one are
singular.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factdesk import output
from factdesk.fieldref import SECTIONS, field_reference
from factdesk.load import DEFAULT_PATHS, Layout
from factdesk.model import Claim, Corpus, Rating, yaml_fields
from factdesk.pipeline import check
from factdesk.render import SiteOptions, render_site
from factdesk.schema import SCHEMAS, schema_for
from factdesk.timeline import timeline_entries
from helpers import FIXTURE_PROJECT, REPO, copy_project, edit, run

TODAY = dt.date(2026, 11, 22)
RELAYS = FIXTURE_PROJECT.parent / "relays"
PACKAGE = REPO / "build_scripts" / "factdesk"


def digest(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with the hash of each file's bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def leftovers(folder: Path) -> list[str]:
    """Staging and old folders of builds, anywhere under `folder`."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(".*-building-*")) + sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob(".*-old-*"))


def page_text(path: Path) -> str:
    """What a reader sees of a built page: its text without markup, scripts or styles."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


# -- 1. defaults reach the schema and the field reference ----------------------------------------------------

def defaulted_fields() -> list[tuple[type, dataclasses.Field]]:
    """Every optional YAML field whose value, left out, is not empty."""
    return [(cls, f) for _, cls in SECTIONS for f in yaml_fields(cls)
            if f.default is not dataclasses.MISSING and f.default is not None]


def schema_property(cls: type, name: str) -> dict:
    for record, title in SCHEMAS.values():
        schema = schema_for(record, title)
        for body in (schema, *schema.get("$defs", {}).values()):
            if body["description"] == (cls.__doc__ or "").strip() and name in body["properties"]:
                return body["properties"][name]
    raise AssertionError(f"{cls.__name__}.{name} is in no schema")


def test_every_default_is_in_the_model_the_schema_and_the_field_reference():
    found = defaulted_fields()
    assert {(cls, f.name) for cls, f in found} >= {(Claim, "claimant_kind"), (Rating, "needs_evidence")}
    reference = field_reference()
    for cls, f in found:
        assert f.metadata["default"] == f.default, f"{cls.__name__}.{f.name}"
        assert schema_property(cls, f.name)["default"] == f.default, f"{cls.__name__}.{f.name}"
        spelt = json.dumps(f.default) if not isinstance(f.default, str) else f.default
        [row] = [line for line in reference.splitlines() if line.startswith(f"| `{f.name}` |")]
        assert f"default `{spelt}`" in row


def test_the_schema_default_is_what_loading_gives_a_field_left_out():
    corpus = check(Layout.under(FIXTURE_PROJECT), today=TODAY).corpus
    for claim in corpus.claims:
        assert "claimant_kind" not in (FIXTURE_PROJECT / claim.origin.path).read_text(encoding="utf-8")
        assert claim.claimant_kind == schema_property(Claim, "claimant_kind")["default"]
    written = corpus.scale.origin.marks  # the field paths the file sets
    left_out = [r for i, r in enumerate(corpus.scale.ratings) if f"ratings[{i}].needs_evidence" not in written]
    assert left_out and all(r.needs_evidence == schema_property(Rating, "needs_evidence")["default"]
                            for r in left_out)


# -- 2. the corpus is fixed once loaded ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return check(Layout.under(FIXTURE_PROJECT), today=TODAY).corpus


def test_a_loaded_corpus_cannot_change_behind_its_id_lookups(corpus):
    claim = corpus.claim("moon-distance")
    with pytest.raises(dataclasses.FrozenInstanceError):
        corpus.claims = ()
    with pytest.raises(AttributeError):
        corpus.claims.append(claim)
    with pytest.raises(TypeError):
        corpus.snapshots["daily-planet-moon"] = "other words"
    with pytest.raises(TypeError):
        corpus.sources_by_id["moon-distance"] = claim
    assert corpus.claim("moon-distance") is claim


def test_a_changed_corpus_is_a_new_one_with_lookups_of_its_own(corpus):
    claims = [dataclasses.replace(c, verdict="true") for c in corpus.claims]
    changed = dataclasses.replace(corpus, claims=claims)
    claims.clear()  # the caller's list is not the corpus's
    assert changed.claim("moon-made-of-cheese").verdict == "true"
    assert corpus.claim("moon-made-of-cheese").verdict == "false"
    assert len(changed.claims) == len(corpus.claims)


def test_translation_tables_are_read_only():
    relays = check(Layout.under(RELAYS), today=TODAY, languages=("fa",)).corpus
    assert relays.claim_translations["fa"]
    with pytest.raises(TypeError):
        relays.claim_translations["fa"]["mayor-tunnel-escape-plan"] = None
    with pytest.raises(TypeError):
        relays.source_translations["de"] = {}


# -- 3. the data folders' defaults are written once ---------------------------------------------------------------

def test_the_data_folder_defaults_are_written_in_one_module():
    for value in DEFAULT_PATHS.values():
        if "/" in value or "." in value:  # 'claims' alone is also a word of the pages
            holders = sorted(p.name for p in PACKAGE.glob("*.py") if f'"{value}"' in p.read_text(encoding="utf-8"))
            assert holders == ["load.py"], value


def test_the_plugin_and_the_command_line_take_the_same_defaults(tmp_path):
    from factdesk.plugin import FactdeskConfig

    options = FactdeskConfig()
    options.load_dict({})
    assert options.validate() == ([], [])
    assert {name: options[name] for name in DEFAULT_PATHS} == DEFAULT_PATHS
    project = copy_project(tmp_path)
    (project / "claims").rename(project / "records")  # the command line follows the option, or finds no claims
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text().replace(
        "  - factdesk\n", "  - factdesk:\n      claims: records\n      sources: records/sources\n"))
    result = run(["factdesk", "check"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Checked 2 claims and 2 sources")


def test_a_folder_option_that_is_not_a_path_is_a_usage_error(tmp_path):
    project = copy_project(tmp_path)
    edit(project, "mkdocs.yml", "  - factdesk\n", "  - factdesk:\n      claims: 5\n")
    result = run(["factdesk", "check"], cwd=project)
    assert result.returncode == 2
    assert "the factdesk option claims must be a path relative to mkdocs.yml, found 5" in result.stderr
    assert "Traceback" not in result.stderr


# -- 4. one owner of the output folder: the plugin, under `factdesk build` as under `mkdocs build` -----------------

HOOK = '''"""Notes the plugin events MkDocs sends, for a test."""
from pathlib import Path

LOG = Path({log!r})


def note(line):
    with LOG.open("a", encoding="utf-8") as out:
        out.write(line + "\\n")


def on_startup(*, command, dirty):
    note(f"startup {{command}} dirty={{dirty}}")


def on_post_build(*, config):
    note(f"post_build {{config.site_name}}")


def on_shutdown():
    note("shutdown")
'''


def add_hook(project: Path, log: Path, configs: tuple[str, ...] = ("mkdocs.yml",)) -> None:
    (project / "hooks.py").write_text(HOOK.format(log=str(log)), encoding="utf-8")
    for name in configs:
        path = project / name
        path.write_text(path.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n", encoding="utf-8")


@pytest.mark.parametrize("entry", [["factdesk", "build"], ["mkdocs", "build", "--strict"]], ids=["factdesk", "mkdocs"])
def test_a_build_sends_plugins_the_startup_and_shutdown_events(tmp_path, entry):
    project = copy_project(tmp_path)
    log = tmp_path / "events.log"
    add_hook(project, log)
    result = run(entry, cwd=project)
    assert result.returncode == 0, result.stderr
    assert log.read_text(encoding="utf-8").splitlines() == [
        "startup build dirty=False", "post_build Fixture desk", "shutdown"]


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> tuple[Path, Path]:
    """The English and Persian fixture built by `factdesk build`, a hook noting the events, and a publisher
    named only in the Persian edition's options."""
    folder = tmp_path_factory.mktemp("editions")
    project = copy_project(folder, RELAYS)
    log = folder / "events.log"
    add_hook(project, log, ("mkdocs.yml", "mkdocs.fa.yml"))
    edit(project, "mkdocs.fa.yml", "      languages: [fa]\n",
         "      languages: [fa]\n      publisher_name: میز فارسی\n")
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    return project, log


def test_every_edition_is_built_in_one_run_of_the_plugins(editions):
    project, log = editions
    assert log.read_text(encoding="utf-8").splitlines() == [
        "startup build dirty=False", "post_build Relay desk", "post_build میز بازنشر", "shutdown"]
    assert (project / "site/index.html").is_file() and (project / "site/fa/index.html").is_file()
    assert leftovers(project) == []


def test_each_edition_is_built_with_its_own_plugin_options(editions):
    project, _ = editions

    def author(site: Path) -> str:
        page = (site / "claims/mayor-tunnel-escape-plan/index.html").read_text(encoding="utf-8")
        [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
        return json.loads(data)["author"]["name"]

    assert author(project / "site") == "Relay desk"
    assert author(project / "site/fa") == "میز فارسی"
    separator = {edition: json.loads((project / edition / "search/search_index.json").read_text())["config"]
                 ["separator"] for edition in ("site", "site/fa")}
    assert "\\u200c" not in separator["site"] and "\\u200c" in separator["site/fa"]


@pytest.fixture
def built_editions(tmp_path) -> Path:
    project = copy_project(tmp_path, RELAYS)
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def test_a_failed_edition_keeps_the_previous_site_and_all_its_editions(built_editions):
    before = digest(built_editions / "site")
    assert "fa/index.html" in before
    edit(built_editions, "docs/fa/index.md", "\n", "\n\n[پیوند شکسته](missing.md)\n")  # a warning: strict fails
    result = run(["factdesk", "build"], cwd=built_editions)
    assert result.returncode == 1
    assert "missing.md" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (f"Build failed; the previous site in {built_editions / 'site'} "
                                              "was left untouched.")
    assert digest(built_editions / "site") == before
    assert leftovers(built_editions) == []


def test_an_interrupt_while_an_edition_builds_keeps_the_previous_site(built_editions):
    text = (built_editions / "claims/mayor-tunnel-escape-plan.yaml").read_text(encoding="utf-8")
    shutil.rmtree(built_editions / ".factdesk-cache", ignore_errors=True)  # a cold build: the cache would shorten it
    for i in range(120):  # enough pages that the Persian build is still running when the signal comes
        (built_editions / f"claims/mayor-tunnel-escape-plan-{i}.yaml").write_text(
            text.replace("id: mayor-tunnel-escape-plan", f"id: mayor-tunnel-escape-plan-{i}"), encoding="utf-8")
    before = digest(built_editions / "site")
    exe = Path(sys.executable).parent / "factdesk"
    proc = subprocess.Popen([str(exe), "build"], cwd=built_editions, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    deadline = time.monotonic() + 120
    while not list(built_editions.glob(".site-building-*/*fa*/assets")):  # the English site is done
        assert proc.poll() is None, "the build ended before it could be interrupted: " + proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert stderr.splitlines()[-1] == "Aborted!" and "Traceback" not in stderr
    assert digest(built_editions / "site") == before
    assert leftovers(built_editions) == []


def test_a_run_puts_all_its_builds_in_place_together_or_none(tmp_path):
    site = tmp_path / "site"
    (site / "fa").mkdir(parents=True)
    (site / "index.html").write_text("old")
    (site / "fa/index.html").write_text("old fa")

    def build(finished: bool) -> bool:
        both = output.Run()
        (both.begin(site) / "index.html").write_text("new")
        both.built()
        inner = both.begin(site / "fa")
        assert inner.is_relative_to(tmp_path) and not inner.is_relative_to(site)  # inside the site's staging
        (inner / "index.html").write_text("new fa")
        if finished:
            both.built()
        return both.finish()

    assert build(finished=False) is False  # interrupted while the second edition was building
    assert [(site / "index.html").read_text(), (site / "fa/index.html").read_text()] == ["old", "old fa"]
    assert build(finished=True) is True
    assert [(site / "index.html").read_text(), (site / "fa/index.html").read_text()] == ["new", "new fa"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"] and leftovers(site) == []


# -- 6. page addresses are built in one module -------------------------------------------------------------------

def test_only_the_urls_module_builds_claim_and_source_page_paths():
    builds = re.compile(r"""f["'](?:claims|sources)/\{""")
    holders = sorted(p.name for p in PACKAGE.glob("*.py") if builds.search(p.read_text(encoding="utf-8")))
    assert holders == ["urls.py"]


def test_every_timeline_entry_links_to_a_generated_page(corpus):
    pages = render_site(corpus, SiteOptions(site_url="https://fixture.example/", site_name="Fixture desk",
                                            publisher_name="Fixture desk", publisher_url="https://fixture.example/"))
    targets = [e.target for e in timeline_entries(corpus) if e.target]
    assert targets and all(target in pages for target in targets)


# -- 7. one claim, one source: no "1 claims" ---------------------------------------------------------------------

def test_a_one_claim_project_never_says_1_claims(tmp_path):
    project = copy_project(tmp_path)
    (project / "claims/moon-distance.yaml").unlink()
    edit(project, "claims/moon-made-of-cheese.yaml", "related: [moon-distance]\n", "")
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    plural = re.compile(r"\b1 (?:[a-z]+ )?(?:claims|sources|articles|origins|ratings|tags|claimants|events|changes)\b")
    texts = {p.relative_to(project / "site").as_posix(): page_text(p) for p in (project / "site").rglob("*.html")}
    assert "1 claim checked." in texts["claims/index.html"]  # the counts are there to be read
    assert {page: plural.findall(text) for page, text in texts.items() if plural.search(text)} == {}
