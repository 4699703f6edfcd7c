"""Rendering: the checked corpus becomes Markdown pages (and a stylesheet), keyed by path.

This module does not import MkDocs: the pages it returns can be handed to the
MkDocs adapter or written into any folder for another engine to build.
Contributor text is escaped (plain-text fields) or rendered and sanitised
(Markdown fields) here, so templates never emit unchecked markup.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import markdown
import nh3
from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from . import exports, localdates, searchfold, stats
from .i18n import catalogue
from .manifest import Publication
from .memo import Memo
from .memo import key as memo_key
from .model import Claim, Corpus, Source, slug
from .problems import Problem
from .provenance import ClaimOrigins, claim_origins, trace
from .schema import render_schemas
from .structured import claim_review, first_appearance, missing_properties, script_tag
from .timeline import timeline_entries
from .translations import Edition, localize
from .urls import claim_uri, claimant_key, page_url, relative_url, source_uri, tag_uri


def N_(message: str) -> str:
    """Marks a message for the catalogue without translating it here (gettext's convention)."""
    return message


SOURCE_KIND_LABELS = {"news": N_("news"), "analysis": N_("analysis"), "opinion": N_("opinion"), "satire": N_("satire"),
                      "official-statement": N_("official statement"), "fact-check": N_("fact check"),
                      "research": N_("research"), "dataset": N_("dataset"), "social-post": N_("social post"),
                      "reference": N_("reference"), "other": N_("other")}


CORRECTIONS_FEED = "corrections.xml"
EDITIONS_PAGE = "editions.md"  # the website's list of offline editions, with how to check them
EDITION_PAGE = "edition.md"  # an offline edition's About page: its date, the changes since the last, how to check it
CSS_URI = "assets/factdesk.css"
JS_URI = "assets/factdesk.js"
STANCE_ORDER = ("supports", "contradicts", "context")
# Marked for translation where they are defined; the templates translate them through stance_title().
STANCE_TITLES = {"supports": N_("Supports the claim"), "contradicts": N_("Contradicts the claim"), "context": N_("Context")}

# What contributor Markdown may produce; everything else is stripped.
ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4",
                "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https"}
# The who-said-what matrix has a column per article; past this many it shows the articles that made the most
# claims, so that the page grows with the number of claims, not with claims times articles.
MATRIX_MAX_ARTICLES = 12


@dataclass(frozen=True)
class SiteOptions:
    """What the renderer needs to know about the site it writes for."""

    use_directory_urls: bool = True
    site_url: str = ""
    site_name: str = "Fact checks"
    publisher_name: str = ""
    publisher_url: str = ""
    edit_base: str = ""  # URL prefix that opens a repository file for editing, e.g. .../edit/main/
    # The published website's URL style, when this build's differs (the offline bundle links to
    # .html files, while its exports and structured data still give the website's addresses).
    public_directory_urls: bool | None = None
    language: str = "en"  # the language of this edition
    source_language: str = "en"  # the language the records are written in; other editions read translations
    project_root: str = ""  # where the project's own message catalogues (locale/) are
    # The other editions of the site, as (language, name, site URL), for links to the same page in each.
    alternates: tuple[tuple[str, str, str], ...] = ()
    # The published editions and key: the website's Editions page, or in an offline edition its About page.
    publication: Publication | None = None

    @property
    def translated(self) -> bool:
        return self.language != self.source_language

    def absolute(self, uri: str) -> str:
        public = self.use_directory_urls if self.public_directory_urls is None else self.public_directory_urls
        return self.site_url.rstrip("/") + "/" + page_url(uri, public)


class RenderError(Exception):
    """Rendering found problems (e.g. incomplete structured data); nothing should be published."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the generated pages")
        self.problems = problems


@dataclass(frozen=True)
class PageMeta:
    """What a page says about itself to browsers and social networks."""

    title: str
    description: str
    url: str
    verdict: str = ""
    edit_url: str = ""
    colour: str = ""  # the verdict's badge colour (a claim's share card shows it; see cards.py)
    date: str = ""  # when the claim was made, written as the edition writes dates


class Snippets:
    """Figures from the data that hand-written pages include with a marker such as `<!-- factdesk:status -->`."""

    NAMES = ("status", "origins", "corrections")

    def __init__(self, env: Environment, context: dict):
        self._env, self._context = env, context

    def render(self, name: str, page_uri: str) -> str:
        """The snippet's Markdown, with links relative to the page it is placed in."""
        if name not in self.NAMES:
            raise KeyError(name)
        return self._env.get_template(f"snippet_{name}.md.j2").render(page_uri=page_uri, **self._context)


def render_site(corpus: Corpus, options: SiteOptions = SiteOptions()) -> dict[str, str]:
    """Every generated page (Markdown), asset and export, keyed by its path in the docs tree."""
    return render(corpus, options)[0]


def render(corpus: Corpus, options: SiteOptions = SiteOptions(),
           memo: Memo | None = None) -> tuple[dict[str, str], dict[str, PageMeta], Snippets]:
    """The generated files, the metadata of each generated claim page, and the snippets for hand-written pages.

    With a `memo`, a claim, source, tag or claimant page (and its structured data and exported records) whose
    inputs were rendered before is taken from it; pages that list the whole corpus are always rendered. The
    result is the same as without a memo.
    """
    strings = interface_strings(options)
    env = _environment(options, strings)
    edition = Edition()
    # A claimant's page address comes from the original's name, so that every edition has the same addresses.
    keys = {c.id: claimant_key(c.claimant) for c in corpus.claims}
    if options.translated:  # the same records, with the prose of this edition's language where there is some
        corpus, edition = localize(corpus, options.language)
        corpus = replace(corpus, scale=replace(corpus.rating_scale, ratings=tuple(
            replace(r, label=strings.gettext(r.label), definition=strings.gettext(r.definition))
            for r in corpus.rating_scale.ratings)))
    claims = sorted(corpus.claims, key=lambda c: (c.claim_date, c.id), reverse=True)
    sources = sorted(corpus.sources, key=lambda s: (s.publisher.lower(), s.published, s.id))
    citations = _citations(corpus)
    urls = {c.id: options.absolute(claim_uri(c.id)) for c in claims}
    reviews = _claim_reviews(corpus, claims, urls, options)
    tally = Counter(c.verdict for c in claims)
    articles = _articles(corpus)
    made_in = _made_in(corpus, articles)
    featured = _featured(articles, made_in)
    verdicts = {c.id: c.verdict for c in corpus.claims}
    scorecards = {sid: Counter(verdicts[cid] for cid in ids) for sid, ids in made_in.items()}
    matrix_rows = sorted((c for c in corpus.claims if any(c.id in made_in[s.id] for s in featured)),
                         key=lambda c: c.id)
    tags = _group(claims, lambda c: c.tags)
    claimants = _group(claims, lambda c: (keys[c.id],))
    provenance = trace(corpus)
    origins = {c.id: claim_origins(c, provenance) for c in claims}
    corrections = correction_entries(corpus)
    common = {"corpus": corpus, "scale": corpus.scale, "options": options, "tally": tally,
              "provenance": provenance, "edition": edition,
              "claimant_page": lambda claim: f"claimants/{keys[claim.id]}.md"}
    pages: dict[str, tuple[str, dict]] = {
        "claims/index.md": ("claims_index.md.j2", {"claims": claims, "tags": tags, "articles": articles}),
        "sources/index.md": ("sources_index.md.j2", {"sources": sources, "citations": citations}),
        "ratings.md": ("ratings.md.j2", {}),
        "matrix.md": ("matrix.md.j2", {"articles": articles, "featured": featured, "rows": matrix_rows,
                                       "made_in": made_in, "scorecards": scorecards}),
        "statistics.md": ("statistics.md.j2", {"charts": stats.charts(corpus, featured, scorecards,
                                                                      direction=localdates.direction(options.language)),
                                               "articles": articles, "featured": featured,
                                               "scorecards": scorecards}),
        "timeline.md": ("timeline.md.j2", {"entries": timeline_entries(corpus)}),
        "tags/index.md": ("tags_index.md.j2", {"tags": tags}),
        "claimants/index.md": ("claimants_index.md.j2", {"claimants": claimants}),
        "data.md": ("data.md.j2", {"format_version": exports.FORMAT_VERSION, "columns": exports.CSV_COLUMNS}),
    }
    published = options.publication
    if published is not None and published.copy_date is None:
        pages[EDITIONS_PAGE] = ("editions.md.j2", {"publication": published})
    elif published is not None:
        pages[EDITION_PAGE] = ("edition.md.j2", {"publication": published,
                                                 "changes": correction_entries(corpus, after=published.previous)})
    # Everything a page's template reads besides what all pages share: equal inputs, equal page. Records are
    # named by their digest, computed once each.
    inputs: dict[str, tuple] = {}
    shared = memo_key(corpus.scale, options, edition, sorted((repr(k), v) for k, v in getattr(strings, "_catalog", {}).items())) \
        if memo is not None else ""
    digest = _record_digests(corpus) if memo is not None else {}
    for claim in claims:
        uri = claim_uri(claim.id)
        traced = {o for item in claim.passages for o in provenance.of_item(item)}
        if memo is not None:
            inputs[uri] = (digest["claim", claim.id],
                           [digest["source", i.source] for i in claim.passages],
                           [digest["claim", other] for other in claim.related],
                           [digest["source", o] for o in sorted(traced)],
                           [provenance.of_item(i) for i in (*claim.appearances, *claim.evidence)])
        jsonld = _remembered(memo, "jsonld", (shared, uri), inputs.get(uri), lambda c=claim: script_tag(reviews[c.id]))
        pages[uri] = ("claim.md.j2", {"claim": claim, "jsonld": jsonld, "first": first_appearance(claim, corpus),
                                      "origins": origins[claim.id]})
    for source in sources:
        uri = source_uri(source.id)
        made = [c for c, role in citations[source.id] if role == "appeared"]
        linked = (*source.based_on, *provenance.origins[source.id], *provenance.derived[source.id])
        pages[uri] = ("source.md.j2", {"source": source, "cited_by": citations[source.id],
                                       "scorecard": Counter(c.verdict for c in made),
                                       "origins": provenance.origins[source.id],
                                       "derived": provenance.derived[source.id]})
        if memo is not None:
            inputs[uri] = (digest["source", source.id],
                           [(digest["claim", c.id], role) for c, role in citations[source.id]],
                           [digest["source", i] for i in linked], provenance.origins[source.id],
                           provenance.derived[source.id])
    for tag, tagged in tags.items():
        pages[tag_uri(tag)] = ("group.md.j2", {"title": strings.gettext("Tag: %(tag)s") % {"tag": tag}, "claims": tagged})
        if memo is not None:
            inputs[tag_uri(tag)] = (tag, [digest["claim", c.id] for c in tagged])
    for key, said in claimants.items():
        pages[f"claimants/{key}.md"] = ("group.md.j2", {"title": strings.gettext("Claims by %(claimant)s")
                                                        % {"claimant": said[0].claimant}, "claims": said})
        if memo is not None:
            inputs[f"claimants/{key}.md"] = (key, [digest["claim", c.id] for c in said])
    # A page that lists the whole corpus (indexes, matrix, statistics, timeline) depends on every record.
    whole = memo_key(sorted(digest.values()), corpus.timeline) if memo is not None else ""
    if memo is not None:
        for uri in pages.keys() - inputs.keys():
            inputs[uri] = (whole,)
    out = _render_pages(env, pages, common, {uri: (memo_key(shared, uri, pages[uri][0]), memo_key(parts))
                                             for uri, parts in inputs.items()}, memo)
    for asset in (CSS_URI, JS_URI):
        out[asset] = resources.files("factdesk").joinpath(asset).read_text(encoding="utf-8")
    if folds_search(options.language):  # the query is folded as the index is (see searchfold.py)
        out[searchfold.SCRIPT_URI] = searchfold.search_script()
    out.update({f"schemas/{name}": text for name, text in render_schemas().items()})
    # The exports and feeds depend on every record too: with nothing changed, each is taken whole from the memo.
    by_id = sorted(claims, key=lambda c: c.id)
    corpus_wide = {
        "exports/claims.json": lambda: exports.claims_json(corpus, urls, provenance, memo),
        "exports/claims.csv": lambda: exports.claims_csv(corpus, urls, origins),
        "exports/claimreview.json": lambda: exports.claimreview_feed(
            [reviews[c.id] for c in by_id], [(shared, inputs[claim_uri(c.id)]) for c in by_id] if memo else None,
            memo),
        "feed.xml": lambda: exports.atom_feed(corpus, urls, title=options.site_name,
                                              site_url=options.absolute("index.md"),
                                              feed_url=options.site_url.rstrip("/") + "/feed.xml"),
        CORRECTIONS_FEED: lambda: exports.corrections_feed(
            corrections, urls, title=f"{options.site_name}: corrections and verdict changes",
            site_url=options.absolute("index.md"), feed_url=options.site_url.rstrip("/") + "/" + CORRECTIONS_FEED),
    }
    for uri, make in corpus_wide.items():
        out[uri] = _remembered(memo, "export", (shared, uri), whole, make)
    unsafe = sorted(uri for uri in out if not _inside_docs(uri))
    if unsafe:  # ids are checked when loading; this guards the output folder should that ever change
        raise RenderError([Problem(uri, 1, 1, "", "generated file would be written outside the site folder",
                                   "use ids of lower-case letters, digits and hyphens") for uri in unsafe])
    meta = {claim_uri(c.id): PageMeta(title=c.claim, description=f"{corpus.rating(c.verdict).label}: {c.summary}",
                                      url=urls[c.id], verdict=corpus.rating(c.verdict).label,
                                      edit_url=options.edit_base + c.origin.path if options.edit_base else "",
                                      colour=corpus.rating(c.verdict).colour,
                                      date=localdates.long_date(c.claim_date, options.language))
            for c in claims}
    meta.update({source_uri(s.id): PageMeta(title=s.title, description=strings.gettext("Source: %(title)s (%(publisher)s)")
                                            % {"title": s.title, "publisher": s.publisher},
                                            url=options.absolute(source_uri(s.id)),
                                            edit_url=options.edit_base + s.origin.path if options.edit_base else "")
                 for s in sources})
    snippets = Snippets(env, {**common, "claims": claims, "origins": origins, "corrections": corrections,
                              "newest_review": max((c.last_reviewed for c in claims), default=None),
                              "due": sorted((c for c in claims if c.next_review), key=lambda c: (c.next_review, c.id)),
                              "feed": CORRECTIONS_FEED})
    return out, meta, snippets


@dataclass(frozen=True)
class Correction:
    """A history entry after a claim's first publication: a correction, an update or a verdict change."""

    claim: Claim
    index: int  # position in the claim's history

    @property
    def entry(self):
        return self.claim.history[self.index]

    @property
    def anchor(self) -> str:
        return f"change-{self.index + 1}"


def correction_entries(corpus: Corpus, after: dt.date | None = None) -> list[Correction]:
    """Every history entry but each claim's first (its publication), newest first; with `after`, only those
    dated after that day (the changes since an edition of that date)."""
    found = [Correction(c, i) for c in corpus.claims for i in range(1, len(c.history))
             if after is None or c.history[i].date > after]
    return sorted(found, key=lambda x: (x.entry.date, x.claim.id, x.index), reverse=True)


def folds_search(language: str) -> bool:
    """Whether an edition's search folds Arabic-script letter forms, digits and joiners (Persian so far)."""
    return language.split("_")[0].split("-")[0] in searchfold.LANGUAGES


def interface_strings(options: SiteOptions):
    """The message catalogue of the edition's language (the project's over the generator's)."""
    return catalogue(options.language, Path(options.project_root) if options.project_root else None)


def _record_digests(corpus: Corpus) -> dict[tuple[str, str], str]:
    """Each claim's and source's digest, by ("claim" or "source", id)."""
    return {**{("claim", c.id): memo_key(c) for c in corpus.claims},
            **{("source", s.id): memo_key(s) for s in corpus.sources}}


def _remembered(memo: Memo | None, namespace: str, slot, parts, make) -> str:
    """A text from the memo's slot for `slot` (an output of this edition) if it was made from `parts`, or made
    and kept there in place of the slot's previous text."""
    if memo is None:
        return make()
    return _in_slot(memo, namespace, memo_key(*slot), memo_key(parts), make)


def _in_slot(memo: Memo, namespace: str, where: str, digest: str, make) -> str:
    found = memo.get_slot(namespace, where, digest)
    if found is not None:
        return found.decode("utf-8")
    text = make()
    memo.put_slot(namespace, where, digest, text.encode("utf-8"))
    return text


def _render_pages(env: Environment, pages: dict[str, tuple[str, dict]], common: dict,
                  keys: dict[str, tuple[str, str]], memo: Memo | None) -> dict[str, str]:
    """Each page rendered, or taken from the memo when its slot holds the page rendered from the same inputs
    (keys: page -> its slot and the key of its inputs; see render)."""
    out = {}
    for uri, (name, context) in pages.items():
        def make(name=name, context=context, uri=uri) -> str:
            return env.get_template(name).render(page_uri=uri, **common, **context)
        out[uri] = _in_slot(memo, "page", *keys[uri], make) if memo is not None and uri in keys else make()
    return out


def _claim_reviews(corpus: Corpus, claims: list[Claim], urls: dict[str, str], options: SiteOptions) -> dict[str, dict]:
    """ClaimReview objects, each checked for the required properties before anything is published."""
    reviews, problems = {}, []
    for claim in claims:
        review = claim_review(claim, corpus, page_url=urls[claim.id] if options.site_url else "",
                              publisher_name=options.publisher_name, publisher_url=options.publisher_url,
                              language=options.language)
        for name in missing_properties(review):
            hint = ("set site_url in mkdocs.yml" if name == "url" else
                    "set publisher_name in the factdesk plugin options (or site_name)" if name.startswith("author")
                    else "fill in the claim's fields")
            problems.append(Problem(claim.origin.path, 1, 1, "structured data",
                                    f"ClaimReview is missing the required property '{name}'", hint))
        reviews[claim.id] = review
    if problems:
        raise RenderError(problems)
    return reviews


def _articles(corpus: Corpus) -> list[Source]:
    """Sources in which at least one claim was made, oldest first."""
    made = {a.source for c in corpus.claims for a in c.appearances}
    return sorted((s for s in corpus.sources if s.id in made), key=lambda s: (s.published, s.id))


def _made_in(corpus: Corpus, articles: list[Source]) -> dict[str, set[str]]:
    """For each article, the ids of the claims it made."""
    out: dict[str, set[str]] = {s.id: set() for s in articles}
    for claim in corpus.claims:
        for item in claim.appearances:
            out[item.source].add(claim.id)
    return out


def _featured(articles: list[Source], made_in: dict[str, set[str]]) -> list[Source]:
    """The articles given a column in the matrix: all, or the ones that made the most claims, oldest first."""
    if len(articles) <= MATRIX_MAX_ARTICLES:
        return articles
    top = sorted(articles, key=lambda s: (-len(made_in[s.id]), s.published, s.id))[:MATRIX_MAX_ARTICLES]
    return sorted(top, key=lambda s: (s.published, s.id))


def _group(claims: list[Claim], keys) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for claim in claims:
        for key in keys(claim):
            out.setdefault(key, []).append(claim)
    return dict(sorted(out.items()))


def _inside_docs(uri: str) -> bool:
    """Whether a generated file's path stays inside the docs tree (no '..', no absolute path, no backslash)."""
    return (uri == posixpath.normpath(uri) and not uri.startswith(("/", "../")) and uri != ".."
            and "\\" not in uri and ":" not in uri)


def _citations(corpus: Corpus) -> dict[str, list[tuple[Claim, str]]]:
    """For each source id, the claims citing it and how (appeared, supports, contradicts, context)."""
    out: dict[str, list[tuple[Claim, str]]] = {s.id: [] for s in corpus.sources}
    for claim in sorted(corpus.claims, key=lambda c: c.id):
        for item in claim.appearances:
            out.setdefault(item.source, []).append((claim, "appeared"))
        for evidence in claim.evidence:
            out.setdefault(evidence.source, []).append((claim, evidence.stance))
    return {sid: list(dict.fromkeys(refs)) for sid, refs in out.items()}


# -- template helpers ----------------------------------------------------------------------------

class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per process: every render makes an environment of its own (its globals are the
    edition's), and all of them share the compiled code, keyed by template name and source (Jinja's buckets)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def _environment(options: SiteOptions, strings) -> Environment:
    env = Environment(
        bytecode_cache=_COMPILED,  # every environment below has the same settings: they compile alike
        loader=PackageLoader("factdesk", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The i18n extension lets Babel find the messages; these callables translate them, as Jinja's "new style"
    # gettext does (the translation is markup, the values are escaped), and write numbers as the language does.
    def gettext(message: str, **values) -> Markup:
        return Markup(strings.gettext(message)) % values if values else Markup(strings.gettext(message))

    def ngettext(singular: str, plural: str, n: int, **values) -> Markup:
        values.setdefault("num", localdates.number(n, options.language))
        return Markup(strings.ngettext(singular, plural, n)) % values

    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)

    @pass_context
    def link(context, target: str) -> str:
        return relative_url(context["page_uri"], target, options.use_directory_urls)

    @pass_context
    def mdlink(context, target: str) -> str:
        """A link for Markdown syntax, which MkDocs resolves from the source file's folder."""
        return posixpath.relpath(target, posixpath.dirname(context["page_uri"]) or ".")

    def original_link(uri: str) -> Markup:
        """A link to the same page in the original's edition (its site URL from extra.alternate)."""
        base = next((url for code, _, url in options.alternates if code == options.source_language), "")
        if not base:
            return Markup(escape(strings.gettext("original")))
        href = base.rstrip("/") + "/" + page_url(uri, options.use_directory_urls)
        return Markup('<a href="{}" hreflang="{}">{}</a>').format(href, options.source_language,
                                                                   strings.gettext("original"))

    env.globals.update(
        stance_title=lambda stance: strings.gettext(STANCE_TITLES[stance]), original_link=original_link,
        language_name=lambda code: localdates.language_name(code, options.language), origin_facts=origin_facts,
        kind_label=lambda kind: strings.gettext(SOURCE_KIND_LABELS[kind]),
        # Contributor text looked up in the project's catalogue (an event's title): plain text, escaped on output.
        translated=lambda text: str(strings.gettext(text)))
    env.globals.update(link=link, mdlink=mdlink, claim_uri=claim_uri, source_uri=source_uri, text_colour=text_colour, slug=slug,
                       tag_uri=tag_uri, claimant_key=claimant_key,
                       STANCE_ORDER=STANCE_ORDER, STANCE_TITLES=STANCE_TITLES)
    env.filters.update(md=markdown_html, mdtext=markdown_text, front_title=front_matter_title,
                       longdate=lambda value: localdates.long_date(value, options.language),
                       num=lambda value: localdates.number(value, options.language))
    env.globals.update(language=options.language, direction=localdates.direction(options.language))
    rtl = localdates.direction(options.language) == "rtl"

    def bidi(text: str) -> Markup:
        """Left-to-right text (an English title, a name) isolated inside a right-to-left page; as is elsewhere."""
        if rtl and not _RTL_LETTER.search(str(text)):
            return localdates.isolate_html(text)
        return Markup(escape(text))

    env.filters["bidi"] = bidi

    def prose(text) -> Markup:
        """Contributor text in a right-to-left page with each run of left-to-right words isolated, so that an
        English name or title keeps its punctuation and order; as is in a left-to-right page."""
        html = text if isinstance(text, Markup) else Markup(escape(text))
        if not rtl:
            return html
        if not _RTL_LETTER.search(str(html)):  # an untranslated text: one left-to-right block
            return Markup('<bdi dir="ltr">{}</bdi>').format(html) if "<p>" not in html else \
                Markup('<div dir="ltr">{}</div>').format(html)
        return isolate_latin_runs(html)

    env.filters["prose"] = prose
    return env


_MARKDOWN = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


# A run of left-to-right words inside right-to-left text: Latin letters first and last, with the spaces, digits
# and punctuation between them that belong to the run ("The Times", "Reuters/Ipsos", "B-2", "4ever.news").
_LATIN_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\u00c0-\u024f .,'’/:\-]|&(?:#\d+|amp|quot);)*[A-Za-z\u00c0-\u024f0-9]"
                        r"|[A-Za-z]")
_TAG = re.compile(r"(<[^>]*>)")


def isolate_latin_runs(html: Markup) -> Markup:
    """Wraps each left-to-right run in the text (never inside a tag or an attribute) in <bdi dir="ltr">. Runs
    of digits alone are left alone: they are weak in the bidi algorithm and read fine in right-to-left text."""
    out, code = [], 0
    for part in _TAG.split(str(html)):
        if part.startswith("<"):
            name = part[1:].split()[0].rstrip(">").lower() if len(part) > 2 else ""
            code += 1 if name in ("code", "pre", "bdi") else -1 if name in ("/code", "/pre", "/bdi") else 0
            out.append(part)
        elif code > 0:
            out.append(part)
        else:
            out.append(_LATIN_RUN.sub(lambda m: m.group(0) if m.group(0).isdigit() or not re.search("[A-Za-z]", m.group(0))
                                      else f'<bdi dir="ltr">{m.group(0)}</bdi>', part))
    return Markup("".join(out))


def markdown_html(text: str) -> Markup:
    """Contributor Markdown as sanitised HTML: no raw HTML, scripts, styles or non-http(s) links."""
    html = _MARKDOWN.reset().convert(text)  # one converter for every page: building one costs more than a page
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)


_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")  # Hebrew, Arabic and their forms
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|~"})


def markdown_text(text: str) -> Markup:
    """Plain text made safe to place in Markdown (headings, table cells): escaped as HTML and as Markdown."""
    return Markup(escape(" ".join(text.split()).translate(_MD_SPECIAL)))


def front_matter_title(text: str) -> Markup:
    """A page title for YAML front matter, HTML-escaped: themes print titles into <title> unescaped."""
    return Markup(json.dumps(str(escape(" ".join(text.split()))), ensure_ascii=True))


ARTICLE_KINDS = ("news", "analysis", "opinion", "satire", "fact-check")


def origin_facts(claim: Claim, origins: ClaimOrigins, corpus: Corpus) -> dict:
    """What the claim page says about where its appearances come from: how many sources made it, whether all are
    articles, how they relate to their origins (`case`), and the origin sources to name."""
    made = list(dict.fromkeys(a.source for a in claim.appearances))
    roots = [corpus.cited_source(o) for o in origins.appearances]
    articles = all(corpus.cited_source(i).kind in ARTICLE_KINDS for i in made)
    if len(roots) == 1 and roots[0].id not in made:
        case = "one-outside"  # all based on one report that did not itself make the claim here
    elif len(roots) == 1 and len(made) > 1:
        case = "one-inside"  # all going back to one of them
    elif set(origins.appearances) == set(made):
        case, roots = "independent", []
    else:
        case = "several"
    return {"count": len(made), "articles": articles, "case": case, "roots": roots}


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG relative luminance)."""
    lum = _luminance(background)
    on_white = (1.05) / (lum + 0.05)
    on_black = (lum + 0.05) / 0.05
    return "#ffffff" if on_white >= on_black else "#000000"


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

