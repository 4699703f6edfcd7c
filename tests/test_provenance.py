"""Provenance and freshness: origins traced through `based_on`, the independence rule, review dates.

The relay fixture has one report (the Harbour Courier) repeated by the Bay Gazette, which the Coast Digest
summarises, and two independent records that contradict it.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from factdesk.load import Layout
from factdesk.pipeline import check
from factdesk.provenance import claim_origins, trace
from factdesk.render import SiteOptions, render
from helpers import TESTS, copy_project, edit, matches_golden, run

RELAYS = TESTS / "fixtures" / "relays"
GOLDEN = TESTS / "golden" / "relays"
TODAY = dt.date(2026, 5, 1)
LANGUAGES = ("fa",)  # the relay fixture publishes a Persian edition (see test_translations.py)
OPTIONS = SiteOptions(site_url="https://relays.example/", site_name="Relay desk", publisher_name="Relay desk",
                      publisher_url="https://relays.example/")
CLAIM = "claims/mayor-tunnel-escape-plan.yaml"
BUDGET = "claims/council-confirmed-budget.yaml"
FEW = ("Hint: cite evidence that traces back to another origin, or give single_origin_reason: why one origin "
       "is enough")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, RELAYS)


def without_translations(project: Path) -> None:
    for path in project.glob("claims/**/*.fa.yaml"):
        path.unlink()


def problems(project: Path, **options) -> list[str]:
    return [p.format() for p in check(Layout.under(project), today=TODAY, languages=LANGUAGES, **options).problems]


# -- origins ---------------------------------------------------------------------------------

def test_origins_follow_based_on_to_the_root():
    corpus = check(Layout.under(RELAYS), today=TODAY, languages=LANGUAGES).corpus
    provenance = trace(corpus)
    assert provenance.origins["coast-digest-tunnel"] == ("harbour-courier-tunnel",)
    assert provenance.origins["bay-gazette-tunnel"] == ("harbour-courier-tunnel",)
    assert provenance.origins["council-minutes-march"] == ("council-minutes-march",)
    assert provenance.derived["harbour-courier-tunnel"] == ("bay-gazette-tunnel",)
    assert provenance.derived["bay-gazette-tunnel"] == ("coast-digest-tunnel",)
    found = claim_origins(corpus.claim("mayor-tunnel-escape-plan"), provenance)
    assert found.appearances == ("harbour-courier-tunnel",)
    assert found.contradicts == ("council-minutes-march", "survey-office-plans")
    assert found.supports == ()


def test_a_source_based_on_two_chains_has_both_roots(project):
    edit(project, "claims/sources/coast-digest-tunnel.yaml", "based_on: [bay-gazette-tunnel]",
         "based_on: [bay-gazette-tunnel, council-minutes-march]")
    corpus = check(Layout.under(project), today=TODAY, languages=LANGUAGES).corpus
    assert trace(corpus).origins["coast-digest-tunnel"] == ("council-minutes-march", "harbour-courier-tunnel")


def test_evidence_from_one_chain_counts_once_unless_a_passage_is_the_outlets_own(project):
    edit(project, CLAIM, "  - source: council-minutes-march\n    stance: contradicts\n",
         "  - source: bay-gazette-tunnel\n    stance: contradicts\n")
    edit(project, CLAIM, "  - source: survey-office-plans\n    stance: contradicts\n",
         "  - source: coast-digest-tunnel\n    stance: contradicts\n")
    assert problems(project) == [
        f"{CLAIM}:17:3: evidence: warning: verdict 'mostly-false' rests on supporting or contradicting "
        f"evidence from 1 independent origin (harbour-courier-tunnel); the methodology asks for at least 2 {FEW}",
        "claims/sources/survey-office-plans.yaml:2:5: id: warning: source 'survey-office-plans' is cited by no "
        "claim Hint: cite it in a claim's appearances or evidence, or delete the file"]
    # Naming the entry's own source says that this passage is the Coast Digest's own reporting.
    edit(project, CLAIM, "  - source: coast-digest-tunnel\n    stance: contradicts\n",
         "  - source: coast-digest-tunnel\n    based_on: [coast-digest-tunnel]\n    stance: contradicts\n")
    assert problems(project) == [
        "claims/sources/survey-office-plans.yaml:2:5: id: warning: source 'survey-office-plans' is cited by no "
        "claim Hint: cite it in a claim's appearances or evidence, or delete the file"]


# -- the rules, one broken fixture each, with the exact message ----------------------------------

RULES = [
    pytest.param("claims/sources/bay-gazette-tunnel.yaml", "based_on: [harbour-courier-tunnel]",
                 "based_on: [harbour-courier-tunel]", ["claims/sources/bay-gazette-tunnel.yaml:10:12: based_on[0]: unknown source 'harbour-courier-tunel' Hint: did you mean 'harbour-courier-tunnel'?"], id="unknown-based-on-id"),
    pytest.param("claims/sources/bay-gazette-tunnel.yaml", "based_on: [harbour-courier-tunnel]",
                 "based_on: [bay-gazette-tunnel]", ["claims/sources/bay-gazette-tunnel.yaml:10:12: based_on[0]: a source cannot be based on itself Hint: remove this entry; leave based_on out when the source is original reporting"], id="based-on-itself"),
    pytest.param("claims/sources/harbour-courier-tunnel.yaml", "kind: news\n",
                 "kind: news\nbased_on: [coast-digest-tunnel]\n", ["claims/sources/bay-gazette-tunnel.yaml:10:12: based_on[0]: sources are based on each other in a loop: bay-gazette-tunnel -> harbour-courier-tunnel -> coast-digest-tunnel -> bay-gazette-tunnel Hint: a source is based on what it got its information from; remove the link that points back"], id="cycle-of-three"),
    pytest.param(CLAIM, "  - source: survey-office-plans\n    stance: contradicts\n",
                 "  - source: survey-office-plans\n    stance: context\n", [f"{CLAIM}:17:3: evidence: warning: verdict 'mostly-false' rests on supporting or contradicting evidence from 1 independent origin (council-minutes-march); the methodology asks for at least 2 {FEW}"], id="too-few-independent-origins"),
    pytest.param(BUDGET, "single_origin_reason: The minutes are the official record of the council's own decision.\n",
                 "", [f"{BUDGET}:13:3: evidence: warning: verdict 'true' rests on supporting or contradicting evidence from 1 independent origin (council-minutes-march); the methodology asks for at least 2 {FEW}"], id="one-origin-without-a-reason"),
    pytest.param(CLAIM, "reviewed: 2026-04-02", "reviewed: 2026-03-19", [f"{CLAIM}:28:11: reviewed: reviewed (2026-03-19) is before published (2026-03-20) Hint: reviewed is when the published verdict was last re-checked: on or after publication"], id="reviewed-before-published"),
    pytest.param(CLAIM, "next_review: 2026-06-01", "next_review: 2026-04-02", [f"{CLAIM}:29:14: next_review: next_review (2026-04-02) is not after reviewed (2026-04-02) Hint: set next_review to a date after the latest check, or leave it out"], id="next-review-not-after-review"),
    pytest.param(CLAIM, "next_review: 2026-06-01", "next_review: 2032-06-01", [f"{CLAIM}:29:14: next_review: date 2032-06-01 is more than 5 years ahead (today is 2026-05-01) Hint: check the year"], id="next-review-years-ahead"),
    pytest.param(CLAIM, "  - source: council-minutes-march\n    stance: contradicts\n",
                 "  - source: council-minutes-march\n    based_on: [survey-ofice-plans]\n    stance: contradicts\n",
                 [f"{CLAIM}:18:16: evidence[0].based_on[0]: unknown source 'survey-ofice-plans' Hint: did you mean 'survey-office-plans'?"], id="unknown-id-in-an-entrys-based-on"),
]


@pytest.mark.parametrize("rel, old, new, expected", RULES)
def test_rule(project, rel, old, new, expected):
    without_translations(project)  # an edit to the prose makes them stale: test_translations.py covers that
    edit(project, rel, old, new)
    assert problems(project) == expected


def test_a_reason_given_in_place_of_the_second_origin_is_accepted_and_shown():
    corpus = check(Layout.under(RELAYS), today=TODAY, strict=True, languages=LANGUAGES).corpus
    assert corpus.claim("council-confirmed-budget").single_origin_reason
    page = render(corpus, OPTIONS)[0]["claims/council-confirmed-budget.md"]
    assert ("<strong>Why fewer independent origins suffice here:</strong> The minutes are the official record of "
            "the council&#39;s own decision.") in page


# -- review dates through the command ------------------------------------------------------------

DUE = (f"{CLAIM}:29:14: next_review: warning: review was due on 2026-06-01; 1 day overdue Hint: re-check the "
       "verdict against new evidence, then set reviewed to today and next_review to the next date (or remove it)")


def test_check_reports_a_review_date_that_has_passed(project):
    on_time = run(["factdesk", "check", "--today", "2026-06-01"], cwd=project)
    assert on_time.returncode == 0 and on_time.stdout.startswith("Checked 2 claims and 5 sources in ")
    late = run(["factdesk", "check", "--today", "2026-06-02"], cwd=project)
    assert late.returncode == 0, late.stderr
    assert late.stdout.splitlines()[:2] == [DUE, "0 errors, 1 warning."]
    strict = run(["factdesk", "check", "--strict", "--today", "2026-06-02"], cwd=project)
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == [DUE.replace(" warning: ", " "), "1 error, 0 warnings."]


def test_check_rejects_a_malformed_today(project):
    result = run(["factdesk", "check", "--today", "2026-6-2"], cwd=project)
    assert result.returncode == 2
    assert "Invalid value for '--today': expected a date as YYYY-MM-DD, found '2026-6-2'" in result.stderr


def test_a_build_never_fails_for_a_review_date_that_has_passed(project):
    """The site is the same whatever day it is built: overdue reviews are for `check` and `review`."""
    edit(project, CLAIM, "next_review: 2026-06-01", "next_review: 2026-04-03")
    assert run(["factdesk", "build"], cwd=project).returncode == 0


def test_review_lists_the_claims_due_soonest_first(project):
    edit(project, BUDGET, "updated: 2026-03-20\n", "updated: 2026-03-20\nnext_review: 2026-05-15\n")
    result = run(["factdesk", "review", "--today", "2026-05-20"], cwd=project)
    assert result.returncode == 1, result.stderr  # one is overdue
    assert result.stdout.splitlines() == [
        "2026-05-15  5 days overdue    last checked 2026-03-20  council-confirmed-budget  "
        "(claims/council-confirmed-budget.yaml)",
        "2026-06-01  in 12 days        last checked 2026-04-02  mayor-tunnel-escape-plan  "
        "(claims/mayor-tunnel-escape-plan.yaml)",
        "1 overdue, 1 scheduled."]
    assert run(["factdesk", "review", "--today", "2026-05-01"], cwd=project).returncode == 0


def test_review_all_adds_the_claims_without_a_date(project):
    result = run(["factdesk", "review", "--all", "--today", "2026-05-01"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2026-06-01  in 31 days        last checked 2026-04-02  mayor-tunnel-escape-plan  "
        "(claims/mayor-tunnel-escape-plan.yaml)",
        "----------  no date           last checked 2026-03-20  council-confirmed-budget  "
        "(claims/council-confirmed-budget.yaml)",
        "0 overdue, 1 scheduled, 1 with no date."]


def test_min_origins_comes_from_the_plugin_options(project):
    edit(project, "mkdocs.yml", "  - factdesk:\n", "  - factdesk:\n      min_origins: 3\n")
    result = run(["factdesk", "check", "--today", "2026-05-01"], cwd=project)
    assert result.returncode == 0
    assert "from 2 independent origins (council-minutes-march, survey-office-plans); the methodology asks " \
           "for at least 3" in result.stdout
    edit(project, "mkdocs.yml", "min_origins: 3", "min_origins: 0")
    without_translations(project)
    edit(project, BUDGET, "single_origin_reason:", "# single_origin_reason:")
    assert run(["factdesk", "check", "--strict", "--today", "2026-05-01"], cwd=project).returncode == 0
    edit(project, "mkdocs.yml", "min_origins: 0", "min_origins: -1")
    bad = run(["factdesk", "check"], cwd=project)
    assert bad.returncode == 2
    assert "the factdesk option min_origins must be a whole number of 0 or more, found -1" in bad.stderr


# -- golden pages and the built site -------------------------------------------------------------

@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    result = check(Layout.under(RELAYS), today=TODAY, strict=True, languages=LANGUAGES)
    assert result.problems == []
    return render(result.corpus, OPTIONS)[0]


@pytest.mark.parametrize("uri", ["claims/mayor-tunnel-escape-plan.md", "sources/harbour-courier-tunnel.md",
                                 "sources/coast-digest-tunnel.md"])
def test_page_matches_golden_file(pages, uri):
    """Refresh with: FACTDESK_UPDATE_GOLDEN=1 make test, then review the diff."""
    assert matches_golden(pages[uri], GOLDEN / uri)


def test_claim_page_names_the_single_origin_of_its_appearances(pages):
    page = pages["claims/mayor-tunnel-escape-plan.md"]
    assert ('<p class="fd-origins">Made in 3 articles, all going back to one of them: '
            '<a href="../../sources/harbour-courier-tunnel/">The Harbour Courier</a>, '
            '<time datetime="2026-03-02">2 March 2026</time>.</p>') in page
    assert "No supporting evidence. The contradicting evidence goes back to 2 independent origins." in page
    assert "Last reviewed <time datetime=\"2026-04-02\">2 April 2026</time>; next review due by" in page
    assert "(reviewed by B. Checker)" in page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("relays"), RELAYS)
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_story_page_carries_the_status_and_the_origins_table(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "This report checks 2 claims. Its verdicts were last reviewed on" in html
    assert '<time datetime="2026-04-02">2 April 2026</time>' in html
    table = html[html.index('<table class="fd-table fd-origins-table"'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == 3  # header and one row per claim
    assert "data-factdesk-verbatim" not in html


def test_corrections_page_and_feed_list_changes_after_first_publication(site):
    html = (site / "corrections" / "index.html").read_text(encoding="utf-8")
    assert "Verdict changed from unproven to mostly false" in html
    assert "(reviewed by B. Checker)" in html
    assert "First published." not in html
    feed = ET.fromstring((site / "corrections.xml").read_text(encoding="utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == [
        "https://relays.example/claims/mayor-tunnel-escape-plan/#change-2"]
    assert entries[0].find("a:author/a:name", ns).text == "B. Checker"


def test_exports_carry_origins_reviews_and_reviewers(site):
    data = json.loads((site / "exports" / "claims.json").read_text(encoding="utf-8"))
    claim = next(c for c in data["claims"] if c["id"] == "mayor-tunnel-escape-plan")
    assert claim["origins"] == {"appearances": ["harbour-courier-tunnel"], "supports": [],
                                "contradicts": ["council-minutes-march", "survey-office-plans"],
                                "evidence": ["council-minutes-march", "survey-office-plans"]}
    assert claim["reviewed"] == "2026-04-02" and claim["next_review"] == "2026-06-01"
    assert [h["reviewer"] for h in claim["history"]] == ["A. Editor", "B. Checker"]
    source = next(s for s in data["sources"] if s["id"] == "bay-gazette-tunnel")
    assert source["based_on"] == ["harbour-courier-tunnel"]
    assert source["origins"] == ["harbour-courier-tunnel"] and source["basis_for"] == ["coast-digest-tunnel"]
    page = (site / "claims" / "council-confirmed-budget" / "index.html").read_text(encoding="utf-8")
    review = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert review["dateModified"] == "2026-03-20"


def test_an_unknown_snippet_stops_the_build_with_its_place(project):
    (project / "docs" / "index.md").write_text("# Home\n\n<!-- factdesk:origin -->\n", encoding="utf-8")
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 1
    assert "docs/index.md:3:1: unknown factdesk snippet 'origin' Hint: use one of status, origins, corrections" \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_a_passage_based_on_another_source_lists_its_source_as_based_on_that_one(project):
    edit(project, CLAIM, "  - source: council-minutes-march\n    stance: contradicts\n",
         "  - source: council-minutes-march\n    based_on: [survey-office-plans]\n    stance: contradicts\n")
    corpus = check(Layout.under(project), today=TODAY, languages=LANGUAGES).corpus
    provenance = trace(corpus)
    assert provenance.derived["survey-office-plans"] == ("council-minutes-march",)
    assert claim_origins(corpus.claim("mayor-tunnel-escape-plan"), provenance).contradicts == ("survey-office-plans",)
