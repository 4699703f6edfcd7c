"""Pages that list the whole archive stay linear in its size; the benchmark's generated projects pass the checks."""

from __future__ import annotations

import posixpath
import re
from collections import Counter

import corpus as bench_corpus
import pytest
from factdesk.load import Layout
from factdesk.memo import Memo
from factdesk.pipeline import check
from factdesk.render import MATRIX_MAX_ARTICLES, SiteOptions, render, render_site
from factdesk.urls import _relpath
from factdesk.verbatim import END, START, put_back, set_aside, unsearched

OPTIONS = SiteOptions(site_url="https://bench.example/", publisher_name="Bench", publisher_url="https://bench.example/")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated project with more articles than the matrix has columns, checked and rendered."""
    root = tmp_path_factory.mktemp("scale") / "project"
    bench_corpus.generate(root, 150)
    result = check(Layout.under(root), strict=True)
    return result, render_site(result.corpus, OPTIONS)


def test_generated_project_passes_the_strict_check(generated):
    result, _ = generated
    assert result.problems == []
    assert (len(result.corpus.claims), len(result.corpus.sources)) == (150, 30)
    assert all(result.corpus.snapshots.get(s.id) for s in result.corpus.sources)


def test_the_generator_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    bench_corpus.generate(a, 20)
    bench_corpus.generate(b, 20)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_matrix_shows_the_articles_that_made_most_claims(generated):
    result, pages = generated
    corpus = result.corpus
    made = Counter(a.source for c in corpus.claims for a in {x.source: x for x in c.appearances}.values())
    assert len(made) == 15 > MATRIX_MAX_ARTICLES
    matrix = pages["matrix.md"]
    table, scorecards = matrix.split("## Scorecards")
    columns = re.findall(r'<th scope="col"><a href="\.\./sources/([^/]+)/">', table)
    top = sorted(made, key=lambda sid: (-made[sid], corpus.source(sid).published, sid))[:MATRIX_MAX_ARTICLES]
    assert columns == sorted(top, key=lambda sid: (corpus.source(sid).published, sid))
    assert ("<p class=\"fd-note\">Claims were made in 15 articles; the matrix shows the 12 that made the most "
            "claims. The claims of every article are listed on its source page and counted in the scorecards "
            "below.</p>") in table
    rows = re.findall(r'<tr><th scope="row"><a href="\.\./claims/([^/]+)/">', table)
    assert rows == sorted(c.id for c in corpus.claims if any(a.source in top for a in c.appearances))
    # Every article keeps its scorecard, with the number of claims it made.
    totals = re.findall(r'<tr><th scope="row"><a href="\.\./sources/([^/]+)/">.*?<td>(\d+)</td></tr>', scorecards)
    assert dict((sid, int(n)) for sid, n in totals) == dict(made)


def test_statistics_chart_per_article_is_limited_too(generated):
    _, pages = generated
    statistics = pages["statistics.md"]
    by_article = statistics.split("## Verdicts by article")[1]
    assert by_article.count('<tr><th scope="row">') == MATRIX_MAX_ARTICLES
    assert "The 12 of 15 articles that made the most claims" in by_article


def test_small_projects_keep_every_article_in_the_matrix(generated, tmp_path):
    root = tmp_path / "small"
    bench_corpus.generate(root, 40)
    result = check(Layout.under(root), strict=True)
    matrix = render_site(result.corpus, OPTIONS)["matrix.md"]
    articles = {a.source for c in result.corpus.claims for a in c.appearances}
    assert len(re.findall(r'<th scope="col"><a href="\.\./sources/', matrix.split("## Scorecards")[0])) == len(articles)
    assert "fd-note" not in matrix


def test_cached_render_equals_a_fresh_one_after_edits(tmp_path):
    """The live preview's cache and memo: after edits, the pages equal those of a run without them, and pages
    whose inputs did not change are taken from the memo, not rendered again."""
    root = tmp_path / "project"
    bench_corpus.generate(root, 60)
    memo = Memo()
    first = render_site(check(Layout.under(root), memo=memo).corpus, OPTIONS)

    def render_pages():
        return render(check(Layout.under(root), memo=memo).corpus, OPTIONS, memo)[0]

    assert render_pages() == first
    claims = sorted((root / "claims").glob("*.yaml"))
    source = sorted((root / "claims" / "sources").glob("*.yaml"))[3]
    source.write_text(source.read_text().replace("title: ", "title: Retitled ", 1))
    claims[5].write_text(claims[5].read_text().replace("\nclaim: ", "\nclaim: Reworded ", 1))
    claims[9].write_text(claims[9].read_text().replace("\nverdict: ", "\nverdict: mixed\nx-old-verdict: ", 1)
                         .replace("\nx-old-verdict: ", "\n# was: ", 1))
    before = render_pages()
    fresh = render_site(check(Layout.under(root)).corpus, OPTIONS)
    assert before == fresh
    assert before != first
    untouched = [uri for uri in fresh if uri.startswith("claims/claim-") and fresh[uri] == first[uri]]
    hits, misses = memo.hits, memo.misses
    again = render_pages()
    assert untouched and again == before and memo.misses == misses and memo.hits - hits >= len(untouched)


def test_unchanged_files_are_not_parsed_again(tmp_path, monkeypatch):
    root = tmp_path / "project"
    bench_corpus.generate(root, 20)
    check(Layout.under(root), memo=Memo(tmp_path / "cache"))
    parsed = []
    import factdesk.load as load_module
    original = load_module._convert
    monkeypatch.setattr(load_module, "_convert", lambda rel, *args: parsed.append(rel) or original(rel, *args))
    claim = sorted((root / "claims").glob("*.yaml"))[2]
    claim.write_text(claim.read_text().replace("\nclaim: ", "\nclaim: Changed ", 1))
    # A new memo on the same folder: what the next build finds on disk.
    result = check(Layout.under(root), memo=Memo(tmp_path / "cache"), strict=True)
    assert parsed == [f"claims/{claim.name}"]
    assert result.problems == [] and result.corpus.claim(claim.stem).claim.startswith("Changed ")


@pytest.mark.parametrize("target, start", [(t, s) for t in ("", "a", "a/b", "claims/x/", "tags")
                                           for s in ("", "a", "a/b/c", "claims", "claims/y", "tags/t")])
def test_relative_paths_match_the_standard_library(target, start):
    assert _relpath(target, start) == posixpath.relpath(target or ".", start or ".")


def test_verbatim_blocks_are_set_aside_and_put_back():
    page = f"# Title\n\nText.\n\n{START}\n<table><tr><td>*not emphasis*</td></tr></table>\n{END}\n\nMore.\n"
    markdown, blocks = set_aside(page)
    assert blocks == ["<table><tr><td>*not emphasis*</td></tr></table>"]
    assert markdown == '# Title\n\nText.\n\n\n\n<div data-factdesk-verbatim="0"></div>\n\n\n\nMore.\n'
    html = '<h1>Title</h1>\n<p>Text.</p>\n<div data-factdesk-verbatim="0"></div>\n<p>More.</p>'
    assert put_back(html, dict(enumerate(blocks))) == ('<h1>Title</h1>\n<p>Text.</p>\n<table><tr><td>*not emphasis*</td></tr></table>'
                                      '\n<p>More.</p>')
    with pytest.raises(ValueError) as lost:
        put_back("<p>Text.</p>", {0: blocks[0]})
    assert str(lost.value) == "the converted page has 0 copies of block 0, not 1"


def test_exports_are_the_standard_json_layout_piece_by_piece(generated):
    """claims.json and the ClaimReview feed are assembled per record; the text is what json.dumps writes."""
    import json

    from factdesk import exports
    from factdesk.provenance import claim_origins, trace
    from factdesk.structured import claim_review

    corpus = generated[0].corpus
    provenance = trace(corpus)
    urls = {c.id: f"https://bench.example/claims/{c.id}/" for c in corpus.claims}
    data = {"format": exports.FORMAT_NAME, "version": exports.FORMAT_VERSION,
            "ratings": [exports._record(r) for r in corpus.scale.ratings],
            "claims": [{**exports._record(c), "last_reviewed": (c.reviewed or c.published).isoformat(),
                        "origins": _origins(claim_origins(c, provenance)), "url": urls[c.id]}
                       for c in sorted(corpus.claims, key=lambda c: c.id)],
            "sources": [{**exports._record(s), "origins": list(provenance.origins[s.id]),
                         "basis_for": list(provenance.derived[s.id])} for s in sorted(corpus.sources, key=lambda s: s.id)]}
    expected = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    memo = Memo()
    assert exports.claims_json(corpus, urls, provenance) == expected
    assert exports.claims_json(corpus, urls, provenance, memo) == expected == \
        exports.claims_json(corpus, urls, provenance, memo)
    reviews = [claim_review(c, corpus, page_url=urls[c.id], publisher_name="Bench", publisher_url="https://b/")
               for c in corpus.claims]
    feed = json.dumps(reviews, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert exports.claimreview_feed(reviews, [c.id for c in corpus.claims], memo) == feed
    assert exports.claimreview_feed([], [], memo) == "[]\n"


def test_blocks_left_out_of_search_are_recognised():
    assert unsearched('<table class="fd-table" data-search-exclude>\n<tr></tr></table>')
    assert not unsearched('<ol class="fd-timeline">\n<li data-search-exclude>x</li></ol>')


def _origins(found) -> dict:
    return {"appearances": list(found.appearances), "supports": list(found.supports),
            "contradicts": list(found.contradicts), "evidence": list(found.evidence)}
