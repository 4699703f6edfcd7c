"""Interface text from message catalogues, and the Persian edition's pages."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from factdesk.load import Layout
from factdesk.pipeline import check
from factdesk.render import SiteOptions, render
from helpers import REPO, TESTS, copy_project, matches_golden, run

LOCALE = REPO / "build_scripts" / "factdesk" / "locale"
RELAYS = TESTS / "fixtures" / "relays"
GOLDEN = TESTS / "golden" / "relays-fa"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalogue(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def test_the_message_template_lists_exactly_the_texts_of_the_templates(tmp_path):
    fresh = tmp_path / "factdesk.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "N_",
                    "--no-location", "--sort-output", "--omit-header", "-o", str(fresh), "."], cwd=REPO,
                   check=True, capture_output=True)
    assert fresh.read_text(encoding="utf-8") == (LOCALE / "factdesk.pot").read_text(encoding="utf-8"), \
        "refresh it: see build_scripts/factdesk/locale/README.md"


@pytest.mark.parametrize("language", sorted(p.name for p in LOCALE.iterdir() if p.is_dir()))
def test_every_catalogue_translates_every_message_with_the_same_placeholders(language):
    template = {m.id for m in catalogue(LOCALE / "factdesk.pot") if m.id}
    messages = {m.id: m.string for m in catalogue(LOCALE / language / "LC_MESSAGES" / "factdesk.po") if m.id}
    assert template - set(messages) == set(), "run pybabel update and translate the new messages"
    for message_id, text in messages.items():
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        texts = text if isinstance(text, tuple) else (text,)
        assert all(texts), f"untranslated: {message_id!r}"
        for original, translated in zip(ids, texts, strict=False):
            assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(original)) - {"num"} | (
                {"num"} & set(PLACEHOLDER.findall(translated))), message_id


def test_the_projects_catalogue_translates_its_rating_scale_and_timeline():
    corpus = check(Layout.under(REPO), languages=("fa",)).corpus
    messages = {m.id: m.string for m in catalogue(REPO / "locale" / "fa" / "LC_MESSAGES" / "site.po") if m.id}
    wanted = {r.label for r in corpus.scale.ratings} | {r.definition for r in corpus.scale.ratings}
    wanted |= {e.title for e in corpus.timeline.events}
    missing = sorted(wanted - {k for k, v in messages.items() if v})
    assert missing == [], missing


# -- the Persian edition of the relay fixture ----------------------------------------------------

OPTIONS = SiteOptions(site_url="https://relays.example/fa/", site_name="میز بازنشر", publisher_name="میز بازنشر",
                      publisher_url="https://relays.example/fa/", language="fa", source_language="en",
                      alternates=(("en", "English", "https://relays.example/"), ("fa", "فارسی",
                                                                                 "https://relays.example/fa/")))


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    result = check(Layout.under(RELAYS), today=dt.date(2026, 5, 1), strict=True, languages=("fa",))
    assert result.problems == []
    return render(result.corpus, OPTIONS)[0]


@pytest.mark.parametrize("uri", ["claims/council-confirmed-budget.md", "claims/mayor-tunnel-escape-plan.md",
                                 "sources/harbour-courier-tunnel.md"])
def test_persian_page_matches_golden_file(pages, uri):
    """Refresh with: FACTDESK_UPDATE_GOLDEN=1 make test, then review the diff."""
    assert matches_golden(pages[uri], GOLDEN / uri)


def test_a_translated_claim_keeps_the_english_quote_and_shows_its_rendering(pages):
    page = pages["claims/council-confirmed-budget.md"]
    assert '<blockquote class="fd-quote" lang="en" dir="ltr">the harbour budget</blockquote>' in page
    assert '<p class="fd-quote-translation"><span class="fd-meta">ترجمه:</span> بودجهٔ بندر</p>' in page
    assert "حکم به تاریخ ۲۹ اسفند ۱۴۰۴ (۲۰ مارس ۲۰۲۶)." in page
    assert '<bdi dir="ltr">Harbour Town Council</bdi>' in page
    assert '"inLanguage": "fa"' in page


def test_an_untranslated_claim_shows_the_original_with_a_notice(pages):
    page = pages["claims/mayor-tunnel-escape-plan.md"]
    assert "این صفحه هنوز ترجمه نشده است: متن زیر نسخهٔ اصلی به زبان انگلیسی است." in page
    assert "The mayor has a plan to leave town through a secret tunnel." in page


def test_a_stale_translation_says_so_and_links_to_the_original(tmp_path):
    project = copy_project(tmp_path, RELAYS)
    path = project / "claims" / "council-confirmed-budget.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("The minutes record the vote.",
                                                             "The minutes record the vote, 7 to 2."), encoding="utf-8")
    corpus = check(Layout.under(project), today=dt.date(2026, 5, 1), languages=("fa",)).corpus
    page = render(corpus, OPTIONS)[0]["claims/council-confirmed-budget.md"]
    assert ('متن اصلی این صفحه پس از ترجمه تغییر کرده است. برای تازه‌ترین متن، <a href="https://relays.example/'
            'claims/council-confirmed-budget/" hreflang="en">نسخهٔ اصلی</a> را بخوانید') in page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("relays-fa"), RELAYS)
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_factdesk_build_writes_every_edition_into_one_site(site):
    import json

    english = (site / "claims" / "council-confirmed-budget" / "index.html").read_text(encoding="utf-8")
    persian = (site / "fa" / "claims" / "council-confirmed-budget" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and '<body dir="ltr"' in english
    assert '<html lang="fa"' in persian and '<body dir="rtl"' in persian
    for page in (english, persian):  # hreflang goes in the sitemaps; see overrides/sitemap.xml
        assert 'rel="alternate" hreflang' not in page
    for sitemap in (site / "sitemap.xml", site / "fa" / "sitemap.xml"):
        text = sitemap.read_text(encoding="utf-8")
        assert ('<xhtml:link rel="alternate" hreflang="fa" href="https://relays.example/fa/claims/'
                'council-confirmed-budget/"/>') in text
        assert ('<xhtml:link rel="alternate" hreflang="en" href="https://relays.example/claims/'
                'council-confirmed-budget/"/>') in text
    assert '<a href="../../fa/claims/council-confirmed-budget/" hreflang="fa" lang="fa" class="md-select__link">' \
        in english
    assert '<a href="../../../claims/council-confirmed-budget/" hreflang="en" lang="en" class="md-select__link">' \
        in persian
    assert (site / "fa" / "assets" / "search-fa.js").is_file()
    assert "assets/search-fa.js" in persian and "search-fa.js" not in english  # the query is folded too
    index = json.loads((site / "fa" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "\\u200c" in index["config"]["separator"] and "\\u061f" in index["config"]["separator"]
    assert not (site / "assets" / "search-fa.js").exists()
    assert not (site / "fa" / "fa").exists()


def test_each_edition_has_its_own_exports_and_feeds(site):
    import json

    data = json.loads((site / "fa" / "exports" / "claims.json").read_text(encoding="utf-8"))
    claim = next(c for c in data["claims"] if c["id"] == "council-confirmed-budget")
    assert claim["claim"] == "شورای شهر بودجهٔ بندر را در ماه مارس تصویب کرد."
    assert claim["url"] == "https://relays.example/fa/claims/council-confirmed-budget/"
    assert "شورای شهر بودجهٔ بندر" in (site / "fa" / "feed.xml").read_text(encoding="utf-8")


def test_a_missing_edition_configuration_is_a_usage_error(tmp_path):
    project = copy_project(tmp_path, RELAYS)
    (project / "mkdocs.fa.yml").unlink()
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 2
    assert "the factdesk option languages lists 'fa', but mkdocs.fa.yml is missing" in result.stderr


def test_factdesk_bundle_makes_one_zip_per_edition_with_a_readme_in_its_language(tmp_path):
    import zipfile

    project = copy_project(tmp_path, RELAYS)
    result = run(["factdesk", "bundle", "-o", str(tmp_path / "dist"), "--node-modules", str(REPO / "node_modules")],
                 cwd=project)
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in (tmp_path / "dist").glob("*.zip"))
    assert made == ["relay-desk-fa-offline-2026-04-02.zip", "relay-desk-offline-2026-04-02.zip"]
    with zipfile.ZipFile(tmp_path / "dist" / made[0]) as zipped:
        top = "relay-desk-fa-offline-2026-04-02/"
        readme = zipped.read(top + "README.txt").decode("utf-8")
        home = zipped.read(top + "index.html").decode("utf-8")
    assert readme.splitlines()[1] == "نسخهٔ آفلاین، به‌روز تا ۱۳ فروردین ۱۴۰۵ (۲ آوریل ۲۰۲۶)"
    assert '<html lang="fa"' in home and '<body dir="rtl"' in home
    # Material fetches the sitemap of every edition a page names in hreflang links: a copy read from disk names none.
    assert 'rel="alternate" hreflang' not in home and "md-select__link" not in home


def test_claimant_pages_keep_the_originals_addresses_in_every_edition(pages):
    assert 'href="../../claimants/harbour-town-council/">شورای شهر هاربر</a>' in pages["claims/council-confirmed-budget.md"]
    assert "claimants/unnamed.md" not in pages
