"""The site search index: a claim page is indexed by its claim, claimant and verdict, a source page by its title,
outlet and author, a tag or claimant page by its name; summaries, analyses, appearances, evidence and history
stay out of it (at 10,000 claims they made a 53 MB index, 25 seconds to the first result), while the pages
themselves stay complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from factdesk import searchscope
from factdesk.searchfold import fold_letters
from factdesk.verbatim import placeholder, put_back
from helpers import copy_project, run

FIXTURES = Path(__file__).parent / "fixtures"
WORDS = re.compile(r"[\s\-]+")  # Material's word separator for English: what a query word must equal (or start)


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("search-index"))
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def persian(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("search-index-fa"), FIXTURES / "relays")
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "site" / "fa"


def entries(site: Path, page: str) -> list[dict]:
    """The index entries of one page (its own and its sections')."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return [doc for doc in docs if doc["location"].split("#")[0] == page]


def words(text: str) -> set[str]:
    return set(WORDS.split(re.sub(r"<[^>]+>", " ", text)))


def test_a_claim_page_is_one_entry_with_its_claim_claimant_and_verdict(english):
    [entry] = entries(english, "claims/moon-made-of-cheese/")
    assert entry["location"] == "claims/moon-made-of-cheese/"
    assert entry["title"] == "The Moon is made entirely of cheese."
    assert "Bob Smith, a Metropolis resident" in entry["text"]
    assert "False" in words(entry["text"])
    assert "tags" not in entry  # a tag's own page is found by its name (below); per claim, tags cost 0.5 s
    # Labels stay out, so that the claimant's first name is a word of its own ("ClaimantBob" finds nothing).
    assert {"Bob", "Metropolis"} <= words(entry["text"]) and "Claimant" not in entry["text"]


def test_a_claim_page_leaves_its_summary_analysis_sources_evidence_and_history_out_of_the_index(english):
    indexed = json.dumps(entries(english, "claims/moon-made-of-cheese/") + entries(english, "claims/moon-distance/"))
    for text in ("Samples brought back", "What we found",  # summary (it cost 3 s at 10,000 claims)
                 "distance varies over each orbit",  # what changed since the verdict
                 "newspaper interview",  # analysis
                 "Scientists Baffled", "the Moon is made entirely of cheese",  # where it appeared: title, quote
                 "Lunar samples are rock and dust", "Moon facts",  # evidence
                 "returned samples are the primary record",  # why one origin suffices
                 "did not test the telescope",  # caveats
                 "Added a caveat", "1 February 2026", "Tags:",  # history, dates, tags
                 "Verdict as of", "First made"):
        assert text not in indexed, text


def test_a_tag_and_a_claimant_are_found_by_their_pages(english):
    [tag] = entries(english, "tags/food/")
    assert tag["title"] == "Tag: food"
    [claimant] = entries(english, "claimants/bob-smith-a-metropolis-resident/")
    assert claimant["title"] == "Claims by Bob Smith, a Metropolis resident"


def test_a_source_page_is_one_entry_with_its_title_outlet_and_author(english):
    [news] = entries(english, "sources/daily-planet-moon/")
    assert news["title"] == 'Scientists Baffled: Moon "Made Entirely of Cheese", Says Local Man'
    assert {"Daily", "Planet", "Lois", "Lane"} <= words(news["text"])
    [reference] = entries(english, "sources/nasa-moon-facts/")
    assert "NASA" in words(reference["text"])
    indexed = json.dumps([news, reference])
    for text in ("https://", "Publisher", "reference", "1 May 2025", "Quotes checked", "machine-checked",
                 "agency's website",  # address, labels, kind, dates, quote checks, our note on the source
                 "Verdicts of the", "384,400"):  # scorecard, citing claims
        assert text not in indexed, text


def test_pages_keep_everything_the_index_leaves_out(english):
    claim = (english / "claims/moon-made-of-cheese/index.html").read_text(encoding="utf-8")
    for text in ("Samples brought back from the Moon are rock and dust.", '<h2 id="analysis">',
                 "The claim was made in a newspaper interview.", '<h2 id="evidence">',
                 "Lunar samples are rock and dust.", "We did not test the telescope.", "Added a caveat."):
        assert text in claim, text
    source = (english / "sources/daily-planet-moon/index.html").read_text(encoding="utf-8")
    assert "Verdicts of the 2 claims made in this source" in source and 'class="fd-table"' in source
    reference = (english / "sources/nasa-moon-facts/index.html").read_text(encoding="utf-8")
    assert "Read on the agency&#39;s website." in reference
    assert searchscope.MARK not in claim + source + reference


def test_the_persian_edition_indexes_the_translated_claim_and_claimant_folded_and_nothing_else(persian):
    [entry] = entries(persian, "claims/council-confirmed-budget/")
    assert entry["title"] == fold_letters("شورای شهر بودجهٔ بندر را در ماه مارس تصویب کرد.")
    assert fold_letters("شورای شهر هاربر") in entry["text"]
    indexed = json.dumps(entry, ensure_ascii=False)
    assert fold_letters("صورت‌جلسهٔ شورا رأی‌گیری") not in indexed  # the summary
    assert fold_letters("صورت‌جلسه‌های شورا") not in indexed  # the analysis
    page = (persian / "claims/council-confirmed-budget/index.html").read_text(encoding="utf-8")
    assert "صورت‌جلسه‌های شورا سند رسمی تصمیم‌های خود شوراست." in page


def test_cut_holds_the_rest_back_and_put_back_returns_it_to_its_place():
    html = f"<h1>Claim</h1>\n{searchscope.MARK}\n<h2 id=\"analysis\">Analysis</h2>"
    head, rest = searchscope.cut(html)
    assert head == f"<h1>Claim</h1>\n{placeholder(searchscope.REST)}" and rest == "\n<h2 id=\"analysis\">Analysis</h2>"
    laid_out = f"<html><body>{head}</body></html>"
    assert put_back(laid_out, {searchscope.REST: rest}) == f"<html><body>{html.replace(searchscope.MARK, '')}</body></html>"
    assert searchscope.cut("<p>no mark</p>") == ("<p>no mark</p>", None)


def test_putting_back_refuses_a_page_whose_placeholder_was_lost_or_copied():
    for output in ("<html></html>", placeholder(searchscope.REST) * 2):
        with pytest.raises(ValueError, match="copies of block unsearched, not 1"):
            put_back(output, {searchscope.REST: "rest"})
