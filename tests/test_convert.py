"""convert.Reader: one valid claim, source and scale, each broken one rule at a time.

Every case replaces one piece of a valid file and checks the exact list of
formatted problems (`path:line:col: field: message Hint: ...`).
"""

from __future__ import annotations

import datetime
import textwrap

import pytest
from factdesk.convert import Reader
from factdesk.model import SOURCE_KINDS, Claim, Scale, Source, yaml_fields
from factdesk.problems import sort_problems
from factdesk.yamlstrict import parse_yaml

TODAY = datetime.date(2026, 11, 22)
RATING_IDS = ["true", "mostly-true", "mixed", "misleading", "mostly-false", "false", "unproven"]
SCALE_LIST = "true, mostly-true, mixed, misleading, mostly-false, false, unproven"

CLAIM_PATH = "claims/moon-made-of-cheese.yaml"
SOURCE_PATH = "claims/sources/daily-planet-moon.yaml"
SCALE_PATH = "ratings.yaml"

# The same text as tests/fixtures/project/claims/moon-made-of-cheese.yaml, kept here so
# that line numbers in this file do not move when the fixture changes.
CLAIM = textwrap.dedent("""\
    id: moon-made-of-cheese
    claim: The Moon is made entirely of cheese.
    claimant: Bob Smith, a Metropolis resident
    claim_date: 2026-01-06
    verdict: "false"
    summary: >-
      Samples brought back from the Moon are rock and dust. Nothing in them is
      cheese.
    analysis: |
      The claim was made in a newspaper interview. Rock samples returned by
      missions since 1969 show the Moon is made of *rock*.

      We rate it **False**.
    appearances:
      - source: daily-planet-moon
        quote: the Moon is made entirely of cheese
    evidence:
      - source: nasa-moon-facts
        stance: contradicts
        note: Lunar samples are rock and dust.
    caveats:
      - We did not test the telescope.
    tags: [moon, food]
    related: [moon-distance]
    published: 2026-02-01
    updated: 2026-02-03
    history:
      - date: 2026-02-01
        change: First published.
      - date: 2026-02-03
        change: Added a caveat.
    """)

SOURCE = textwrap.dedent("""\
    id: daily-planet-moon
    title: "Scientists Baffled: Moon \\"Made Entirely of Cheese\\", Says Local Man"
    publisher: The Daily Planet
    author: Lois Lane
    published: 2026-01-06
    url: https://dailyplanet.example/moon-cheese
    archive_url: https://archive.example/dailyplanet.example/moon-cheese
    accessed: 2026-02-01
    kind: news
    language: en
    snapshot: daily-planet-moon.txt
    """)

SCALE = textwrap.dedent("""\
    ratings:
      - id: "true"
        label: "True"
        icon: "✓"
        colour: "#1A7F37"
        value: 2
        definition: The claim is accurate.
      - id: "false"
        label: "False"
        icon: "✗"
        colour: "#7f1d1d"
        value: 1
        definition: The evidence contradicts the claim.
      - id: unproven
        label: "Unproven"
        icon: "?"
        colour: "#475569"
        value: 0
        needs_evidence: false
        definition: There is not enough public evidence.
    """)

ADD_IT = "Hint: add it; see the field list in CONTRIBUTING.md"
ID_EXPECTED = "expected an id of lower-case letters, digits and single hyphens (at most 80 characters)"
URL_HINT = "Hint: give the full address starting with https://"
PATH_HINT = "Hint: keep the snapshot in the same folder and give just its name"
LIST_HINT = "Hint: write each entry on its own line, starting with '- ', indented under the field"
MAPPING_HINT = "Hint: write one `field: value` per line, indented under this entry"
SCALAR_HINT = "Hint: write a single value on the same line as the field name, without brackets"
RATING_HINT = "Hint: use one of the ratings listed, or add the rating to the rating scale"
TOO_MANY_HINT = "Hint: keep the most important ones, or split the claim into several claims"
BOOL_HINT = "Hint: write true or false; yes, no, on and off are not accepted"
COLOUR_HINT = "Hint: write the colour as # and six hexadecimal digits, e.g. #1a7f37"
INT_HINT = "Hint: write digits only, e.g. 3"
# Derived from the model, which grows new optional fields; the order is the model's.
CLAIM_FIELDS = ", ".join(f.name for f in yaml_fields(Claim))
KINDS = ", ".join(SOURCE_KINDS)


def read(text: str, cls: type, path: str, rating_ids: list[str] | None = None):
    """(object or None, sorted formatted problems) for one file's text."""
    root, problems = parse_yaml(text.encode("utf-8"), path)
    assert root is not None, [p.format() for p in problems]
    reader = Reader(path, today=TODAY, rating_ids=rating_ids)
    record = reader.read(root, cls)
    assert (record is None) == bool(reader.problems)
    return record, [p.format() for p in sort_problems(reader.problems)]


def mutate(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def claim_problems(old: str, new: str) -> list[str]:
    return read(mutate(CLAIM, old, new), Claim, CLAIM_PATH, RATING_IDS)[1]


# -- the valid files ---------------------------------------------------------------------------

def test_valid_claim_is_read() -> None:
    claim, problems = read(CLAIM, Claim, CLAIM_PATH, RATING_IDS)
    assert problems == []
    assert claim.id == "moon-made-of-cheese"
    assert claim.verdict == "false"
    assert claim.claim_date == datetime.date(2026, 1, 6)
    assert claim.summary == "Samples brought back from the Moon are rock and dust. Nothing in them is cheese."
    assert claim.tags == ("moon", "food")
    assert claim.appearances[0].source == "daily-planet-moon"
    assert claim.evidence[0].quote is None
    assert claim.as_of is None
    assert [c.date for c in claim.history] == [datetime.date(2026, 2, 1), datetime.date(2026, 2, 3)]
    assert claim.origin.path == CLAIM_PATH
    assert claim.origin.at("appearances[0].quote") == (16, 12)
    assert claim.origin.at("history[1].date") == (30, 11)


def test_valid_source_is_read() -> None:
    source, problems = read(SOURCE, Source, SOURCE_PATH)
    assert problems == []
    assert source.title == 'Scientists Baffled: Moon "Made Entirely of Cheese", Says Local Man'
    assert source.published == datetime.date(2026, 1, 6)
    assert source.snapshot == "daily-planet-moon.txt"
    assert source.note is None


def test_valid_scale_is_read() -> None:
    scale, problems = read(SCALE, Scale, SCALE_PATH)
    assert problems == []
    assert scale.ids == ["true", "false", "unproven"]
    assert scale.get("true").colour == "#1a7f37"  # colours are folded to lower case
    assert scale.get("true").needs_evidence is True  # the default
    assert scale.get("unproven").needs_evidence is False
    assert scale.get("false").value == 1


# -- values are read by the kind the field declares ------------------------------------------

@pytest.mark.parametrize("written, verdict", [
    ("verdict: true", "true"),
    ("verdict: false", "false"),
    ("verdict: 'true'", "true"),
])
def test_unquoted_true_and_false_are_rating_ids(written: str, verdict: str) -> None:
    claim, problems = read(mutate(CLAIM, 'verdict: "false"', written), Claim, CLAIM_PATH, RATING_IDS)
    assert problems == []
    assert claim.verdict == verdict


def test_number_in_text_field_is_text() -> None:
    claim, problems = read(mutate(CLAIM, "claimant: Bob Smith, a Metropolis resident", "claimant: 1969"),
                           Claim, CLAIM_PATH, RATING_IDS)
    assert problems == [] and claim.claimant == "1969"


def test_quoted_date_is_a_date() -> None:
    claim, problems = read(mutate(CLAIM, "claim_date: 2026-01-06", "claim_date: '2026-01-06'"),
                           Claim, CLAIM_PATH, RATING_IDS)
    assert problems == [] and claim.claim_date == datetime.date(2026, 1, 6)


def test_date_of_today_is_not_in_the_future() -> None:
    claim, problems = read(mutate(CLAIM, "updated: 2026-02-03", "updated: 2026-11-22"), Claim, CLAIM_PATH, RATING_IDS)
    assert problems == [] and claim.updated == TODAY


def test_optional_as_of_and_what_changed_are_read() -> None:
    text = mutate(CLAIM, 'verdict: "false"\n', 'verdict: "false"\nas_of: 2026-01-10\nwhat_changed: It melted.\n')
    claim, problems = read(text, Claim, CLAIM_PATH, RATING_IDS)
    assert problems == []
    assert (claim.as_of, claim.what_changed) == (datetime.date(2026, 1, 10), "It melted.")


def test_without_a_scale_any_verdict_is_read() -> None:
    # load.py passes rating_ids=None when ratings.yaml itself is broken: the verdict is not judged.
    claim, problems = read(mutate(CLAIM, 'verdict: "false"', "verdict: pants-on-fire"), Claim, CLAIM_PATH, None)
    assert problems == [] and claim.verdict == "pants-on-fire"


# -- one broken claim per rule ---------------------------------------------------------------

CLAIM_CASES = [
    pytest.param(
        "claimant: Bob Smith, a Metropolis resident\n", "",
        [f"{CLAIM_PATH}:1:1: claimant: missing required field 'claimant' (Who made the claim.); found nothing {ADD_IT}"],
        id="missing-required-field",
    ),
    pytest.param(
        "claimant: Bob Smith, a Metropolis resident\n", "claimant:\n",
        [f"{CLAIM_PATH}:3:10: claimant: missing required field 'claimant' (Who made the claim.); "
         f"found an empty value {ADD_IT}"],
        id="empty-required-field",
    ),
    pytest.param(
        "claimant: Bob Smith, a Metropolis resident\n", "claimant: ''\n",
        [f"{CLAIM_PATH}:3:11: claimant: expected some text, found an empty string "
         "Hint: write the text, or leave the field out if it is optional"],
        id="quoted-empty-text",
    ),
    pytest.param(
        "    change: Added a caveat.\n", "",
        [f"{CLAIM_PATH}:30:5: history[1].change: missing required field 'change' "
         f"(What changed and why; a verdict change says from what to what.); found nothing {ADD_IT}"],
        id="missing-required-field-in-list-item",
    ),
    pytest.param(
        'verdict: "false"', 'verdcit: "false"',
        # Reported once, as the misspelling; not also as a missing 'verdict'.
        [f"{CLAIM_PATH}:5:1: verdcit: unknown field 'verdcit' Hint: did you mean 'verdict'?"],
        id="misspelt-field",
    ),
    pytest.param(
        'verdict: "false"', 'verdcit: "false"\nverdict: "true"',
        [f"{CLAIM_PATH}:5:1: verdcit: unknown field 'verdcit' Hint: did you mean 'verdict'?"],
        id="misspelt-field-beside-the-right-one",
    ),
    pytest.param(
        'verdict: "false"', 'verdcit: "false"\nverdict:',
        [f"{CLAIM_PATH}:5:1: verdcit: unknown field 'verdcit' Hint: did you mean 'verdict'?",
         f"{CLAIM_PATH}:6:9: verdict: missing required field 'verdict' (Id of a rating in the rating scale.); "
         f"found an empty value {ADD_IT}"],
        id="misspelt-field-beside-an-empty-one",
    ),
    pytest.param(
        "    stance: contradicts\n", "    stance: contradicts\n    stnace: supports\n",
        [f"{CLAIM_PATH}:20:5: evidence[0].stnace: unknown field 'stnace' Hint: did you mean 'stance'?"],
        id="misspelt-field-in-list-item",
    ),
    pytest.param(
        "tags: [moon, food]\n", "tags: [moon, food]\nauthor: Jane\n",
        [f"{CLAIM_PATH}:24:1: author: unknown field 'author' Hint: the fields here are: {CLAIM_FIELDS}"],
        id="unknown-field-lists-the-fields",
    ),
    pytest.param(
        "claimant: Bob Smith, a Metropolis resident", "claimant:\n  - Bob Smith\n  - Jane Doe",
        [f"{CLAIM_PATH}:4:3: claimant: expected text, found a list "
         "Hint: quote the value if it contains ': ' or starts with '- '"],
        id="list-for-text",
    ),
    pytest.param(
        "claimant: Bob Smith, a Metropolis resident", "claimant: {name: Bob Smith}",
        [f"{CLAIM_PATH}:3:11: claimant: expected text, found a mapping "
         "Hint: quote the value if it contains ': ' or starts with '- '"],
        id="mapping-for-text",
    ),
    pytest.param(
        "caveats:\n  - We did not test the telescope.", "caveats: We did not test the telescope.",
        [f"{CLAIM_PATH}:21:10: caveats: expected a list (lines starting with '- '), "
         f"found 'We did not test the telescope.' {LIST_HINT}"],
        id="text-for-list",
    ),
    pytest.param(
        "  - source: daily-planet-moon\n    quote: the Moon is made entirely of cheese\n", "  - daily-planet-moon\n",
        [f"{CLAIM_PATH}:15:5: appearances[0]: expected a mapping of fields (source, quote, note, based_on), "
         f"found 'daily-planet-moon' {MAPPING_HINT}"],
        id="text-for-list-item-object",
    ),
    pytest.param(
        "  - date: 2026-02-01\n", "  -\n  - date: 2026-02-01\n",
        [f"{CLAIM_PATH}:28:4: history[0]: expected a mapping of fields (date, change, reviewer), found nothing (null) "
         f"{MAPPING_HINT}"],
        id="empty-list-item-object",
    ),
    pytest.param(
        "tags: [moon, food]", "tags: [[moon], food]",
        [f"{CLAIM_PATH}:23:8: tags[0]: expected an id, found a list {SCALAR_HINT}"],
        id="list-in-list-of-ids",
    ),
    pytest.param(
        "id: moon-made-of-cheese", "id: Moon-Made-Of-Cheese",
        [f"{CLAIM_PATH}:1:5: id: {ID_EXPECTED}, found 'Moon-Made-Of-Cheese' Hint: try 'moon-made-of-cheese'"],
        id="id-upper-case",
    ),
    pytest.param(
        "id: moon-made-of-cheese", "id: moon made of cheese",
        [f"{CLAIM_PATH}:1:5: id: {ID_EXPECTED}, found 'moon made of cheese' Hint: try 'moon-made-of-cheese'"],
        id="id-spaces",
    ),
    pytest.param(
        "id: moon-made-of-cheese", "id: ../moon-made-of-cheese",
        [f"{CLAIM_PATH}:1:5: id: {ID_EXPECTED}, found '../moon-made-of-cheese' Hint: try 'moon-made-of-cheese'"],
        id="id-path-traversal",
    ),
    pytest.param(
        "id: moon-made-of-cheese", "id: moon--made-of-cheese",
        [f"{CLAIM_PATH}:1:5: id: {ID_EXPECTED}, found 'moon--made-of-cheese' Hint: try 'moon-made-of-cheese'"],
        id="id-double-hyphen",
    ),
    pytest.param(
        "id: moon-made-of-cheese", "id: Ünïcödé Tëst",
        [f"{CLAIM_PATH}:1:5: id: {ID_EXPECTED}, found 'Ünïcödé Tëst' Hint: try 'unicode-test'"],
        id="id-accents-folded-in-hint",
    ),
    pytest.param(
        "id: moon-made-of-cheese", "id: " + "a" * 81,
        [f"{CLAIM_PATH}:1:5: id: {ID_EXPECTED}, found '{'a' * 37}...' Hint: try '{'a' * 80}'"],
        id="id-too-long",
    ),
    pytest.param(
        "tags: [moon, food]", "tags: [moon, Food]",
        [f"{CLAIM_PATH}:23:14: tags[1]: {ID_EXPECTED}, found 'Food' Hint: try 'food'"],
        id="tag-not-an-id",
    ),
    pytest.param(
        "tags: [moon, food]", "tags:\n  - moon\n  -\n",
        [f"{CLAIM_PATH}:25:4: tags[1]: empty list item Hint: remove the line or give it a value"],
        id="empty-tag",
    ),
    pytest.param(
        "claim_date: 2026-01-06", "claim_date: 2026-02-30",
        [f"{CLAIM_PATH}:4:13: claim_date: '2026-02-30' is not a date in the calendar Hint: check the day and month"],
        id="impossible-date",
    ),
    pytest.param(
        "claim_date: 2026-01-06", "claim_date: 2030-01-01",
        [f"{CLAIM_PATH}:4:13: claim_date: date 2030-01-01 is in the future (today is 2026-11-22) "
         "Hint: dates record what has happened; check the year"],
        id="future-date",
    ),
    pytest.param(
        "claim_date: 2026-01-06", "claim_date: 06/01/2026",
        [f"{CLAIM_PATH}:4:13: claim_date: expected a date as YYYY-MM-DD, found '06/01/2026' Hint: write e.g. 2026-01-04"],
        id="date-wrong-format",
    ),
    pytest.param(
        "claim_date: 2026-01-06", "claim_date: 2026-1-6",
        [f"{CLAIM_PATH}:4:13: claim_date: expected a date as YYYY-MM-DD, found '2026-1-6' Hint: write e.g. 2026-01-04"],
        id="date-without-leading-zeros",
    ),
    pytest.param(
        "claim_date: 2026-01-06", "claim_date: 2026-01-06T10:00:00",
        [f"{CLAIM_PATH}:4:13: claim_date: expected a date as YYYY-MM-DD, found '2026-01-06T10:00:00' "
         "Hint: write e.g. 2026-01-04"],
        id="timestamp-for-date",
    ),
    pytest.param(
        "claim_date: 2026-01-06", "claim_date: 2026-02-30\npublished_on: x",
        [f"{CLAIM_PATH}:4:13: claim_date: '2026-02-30' is not a date in the calendar Hint: check the day and month",
         f"{CLAIM_PATH}:5:1: published_on: unknown field 'published_on' Hint: did you mean 'published'?"],
        id="every-problem-in-a-file-is-reported",
    ),
    pytest.param(
        "stance: contradicts", "stance: contradict",
        [f"{CLAIM_PATH}:19:13: evidence[0].stance: expected one of supports, contradicts, context; "
         "found 'contradict' Hint: did you mean 'contradicts'?"],
        id="unknown-stance-close",
    ),
    pytest.param(
        "stance: contradicts", "stance: refutes",
        [f"{CLAIM_PATH}:19:13: evidence[0].stance: expected one of supports, contradicts, context; found 'refutes' "
         "Hint: use one of the words listed, in lower case"],
        id="unknown-stance-far",
    ),
    pytest.param(
        'verdict: "false"', "verdict: pants-on-fire",
        [f"{CLAIM_PATH}:5:10: verdict: expected a rating from the scale ({SCALE_LIST}), found 'pants-on-fire' "
         f"{RATING_HINT}"],
        id="unknown-verdict",
    ),
    pytest.param(
        'verdict: "false"', "verdict: fals",
        [f"{CLAIM_PATH}:5:10: verdict: expected a rating from the scale ({SCALE_LIST}), found 'fals' "
         "Hint: did you mean 'false'?"],
        id="misspelt-verdict",
    ),
    pytest.param(
        'verdict: "false"', "verdict: False",
        [f"{CLAIM_PATH}:5:10: verdict: expected a rating from the scale ({SCALE_LIST}), found 'False' "
         "Hint: did you mean 'false'?"],
        id="verdict-is-case-sensitive",
    ),
    pytest.param(
        'verdict: "false"', "verdict: no",
        [f"{CLAIM_PATH}:5:10: verdict: expected a rating from the scale ({SCALE_LIST}), found 'no' {RATING_HINT}"],
        id="verdict-no-is-not-false",
    ),
    pytest.param(
        "appearances:\n  - source: daily-planet-moon\n    quote: the Moon is made entirely of cheese\n",
        "appearances: []\n",
        [f"{CLAIM_PATH}:14:14: appearances: expected at least 1 item(s), found 0 "
         "Hint: add the missing entries; see the field list in CONTRIBUTING.md"],
        id="empty-appearances",
    ),
    pytest.param(
        "appearances:\n  - source: daily-planet-moon\n    quote: the Moon is made entirely of cheese\n",
        "appearances: {source: daily-planet-moon, quote: x}\n",
        [f"{CLAIM_PATH}:14:14: appearances: expected a list (lines starting with '- '), found a mapping {LIST_HINT}"],
        id="mapping-for-list-of-objects",
    ),
    pytest.param(
        "tags: [moon, food]", "tags: [moon, food, moon]",
        [f"{CLAIM_PATH}:23:7: tags: 'moon' is listed more than once Hint: remove the repeated entry"],
        id="duplicate-tags",
    ),
    pytest.param(
        "related: [moon-distance]", "related: [moon-distance, moon-distance]",
        [f"{CLAIM_PATH}:24:10: related: 'moon-distance' is listed more than once Hint: remove the repeated entry"],
        id="duplicate-related",
    ),
    pytest.param(
        "tags: [moon, food]", "tags: [" + ", ".join(f"t{i}" for i in range(21)) + "]",
        [f"{CLAIM_PATH}:23:7: tags: list has 21 entries; the limit is 20 {TOO_MANY_HINT}"],
        id="too-many-tags",
    ),
    pytest.param(
        "  - source: daily-planet-moon\n    quote: the Moon is made entirely of cheese\n",
        "  - source: daily-planet-moon\n    quote: x\n" * 51,
        [f"{CLAIM_PATH}:15:3: appearances: list has 51 entries; the limit is 50 {TOO_MANY_HINT}"],
        id="too-many-appearances",
    ),
    pytest.param(
        "claim: The Moon is made entirely of cheese.", "claim: " + "x" * 401,
        [f"{CLAIM_PATH}:2:8: claim: text is 401 characters long; the limit is 400 Hint: shorten it"],
        id="text-over-max-length",
    ),
    pytest.param(
        "quote: the Moon is made entirely of cheese", "quote: " + "x" * 401,
        [f"{CLAIM_PATH}:16:12: appearances[0].quote: text is 401 characters long; the limit is 400 "
         "Hint: shorten it; quotes should be a sentence or less"],
        id="quote-over-max-length",
    ),
    pytest.param(
        "  - We did not test the telescope.", "  - " + "x" * 601,
        [f"{CLAIM_PATH}:22:5: caveats[0]: text is 601 characters long; the limit is 600 Hint: shorten it"],
        id="list-text-over-max-length",
    ),
    pytest.param(
        "claim: The Moon is made entirely of cheese.", 'claim: "The Moon is \u202emade entirely of cheese."',
        [f"{CLAIM_PATH}:2:8: claim: contains the invisible control character U+202E "
         "Hint: delete it; it can hide or reorder text"],
        id="bidi-override",
    ),
    pytest.param(
        "claim: The Moon is made entirely of cheese.", 'claim: "The Moon is \u2067made entirely of cheese."',
        [f"{CLAIM_PATH}:2:8: claim: contains the invisible control character U+2067 "
         "Hint: delete it; it can hide or reorder text"],
        id="bidi-isolate",
    ),
    pytest.param(
        "quote: the Moon is made entirely of cheese", 'quote: "the Moon is made\\x07 entirely of cheese"',
        [f"{CLAIM_PATH}:16:12: appearances[0].quote: contains the invisible control character U+0007 "
         "Hint: delete it; it can hide or reorder text"],
        id="escaped-control-character",
    ),
]


def test_unknown_field_does_not_suggest_an_unrelated_field() -> None:
    (line,) = claim_problems("tags: [moon, food]\n", "tags: [moon, food]\neditor: Jane\n")
    assert "did you mean" not in line


@pytest.mark.parametrize("old, new, expected", CLAIM_CASES)
def test_broken_claim(old: str, new: str, expected: list[str]) -> None:
    assert claim_problems(old, new) == expected


def test_persian_text_with_zero_width_non_joiner_is_accepted() -> None:
    # ZWNJ (U+200C) is part of normal Persian spelling; only bidi overrides/isolates are rejected.
    claim, problems = read(mutate(CLAIM, "claimant: Bob Smith, a Metropolis resident", "claimant: می\u200cگوید"),
                           Claim, CLAIM_PATH, RATING_IDS)
    assert problems == [] and claim.claimant == "می\u200cگوید"


def test_id_with_cyrillic_look_alike_is_rejected() -> None:
    (line,) = claim_problems("id: moon-made-of-cheese", "id: moon-m\u0430de-of-cheese")
    assert line.startswith(f"{CLAIM_PATH}:1:5: id: {ID_EXPECTED}, found 'moon-m\u0430de-of-cheese'")


def test_id_with_cyrillic_look_alike_names_the_character() -> None:
    (line,) = claim_problems("id: moon-made-of-cheese", "id: moon-m\u0430de-of-cheese")
    assert "U+0430" in line
    assert "moon-mde-of-cheese" not in line


# -- sources -----------------------------------------------------------------------------------

SOURCE_CASES = [
    pytest.param(
        "url: https://dailyplanet.example/moon-cheese", "url: javascript:alert(1)",
        [f"{SOURCE_PATH}:6:6: url: expected an http(s) URL, found a 'javascript:' URL {URL_HINT}"],
        id="javascript-url",
    ),
    pytest.param(
        "url: https://dailyplanet.example/moon-cheese", "url: JavaScript:alert(1)",
        [f"{SOURCE_PATH}:6:6: url: expected an http(s) URL, found a 'javascript:' URL {URL_HINT}"],
        id="javascript-url-mixed-case",
    ),
    pytest.param(
        "url: https://dailyplanet.example/moon-cheese", "url: data:text/html,<b>x</b>",
        [f"{SOURCE_PATH}:6:6: url: expected an http(s) URL, found a 'data:' URL {URL_HINT}"],
        id="data-url",
    ),
    pytest.param(
        "url: https://dailyplanet.example/moon-cheese", "url: file:///etc/passwd",
        [f"{SOURCE_PATH}:6:6: url: expected an http(s) URL, found a 'file:' URL {URL_HINT}"],
        id="file-url",
    ),
    pytest.param(
        "archive_url: https://archive.example/dailyplanet.example/moon-cheese", "archive_url: archive.example/x",
        [f"{SOURCE_PATH}:7:14: archive_url: expected an http(s) URL, found 'archive.example/x' {URL_HINT}"],
        id="url-without-scheme",
    ),
    pytest.param(
        "url: https://dailyplanet.example/moon-cheese", "url: https://daily planet.example/",
        [f"{SOURCE_PATH}:6:6: url: expected an http(s) URL, found 'https://daily planet.example/' {URL_HINT}"],
        id="url-with-space",
    ),
    pytest.param(
        "snapshot: daily-planet-moon.txt", "snapshot: ../../etc/passwd",
        [f"{SOURCE_PATH}:11:11: snapshot: expected a file name next to this file, found '../../etc/passwd' {PATH_HINT}"],
        id="snapshot-parent-folder",
    ),
    pytest.param(
        "snapshot: daily-planet-moon.txt", "snapshot: /etc/passwd",
        [f"{SOURCE_PATH}:11:11: snapshot: expected a file name next to this file, found '/etc/passwd' {PATH_HINT}"],
        id="snapshot-absolute",
    ),
    pytest.param(
        "snapshot: daily-planet-moon.txt", "snapshot: 'C:/snap.txt'",
        [f"{SOURCE_PATH}:11:11: snapshot: expected a file name next to this file, found 'C:/snap.txt' {PATH_HINT}"],
        id="snapshot-windows-drive",
    ),
    pytest.param(
        "snapshot: daily-planet-moon.txt", "snapshot: snaps\\moon.txt",
        [f"{SOURCE_PATH}:11:11: snapshot: expected a file name next to this file, found 'snaps\\\\moon.txt' "
         f"{PATH_HINT}"],
        id="snapshot-backslash",
        # The value is shown by repr(), so the one backslash written appears doubled.
    ),
    pytest.param(
        "kind: news", "kind: newz",
        [f"{SOURCE_PATH}:9:7: kind: expected one of {KINDS}; found 'newz' Hint: did you mean 'news'?"],
        id="unknown-kind-close",
    ),
    pytest.param(
        "kind: news", "kind: blog",
        [f"{SOURCE_PATH}:9:7: kind: expected one of {KINDS}; found 'blog' "
         "Hint: use one of the words listed, in lower case"],
        id="unknown-kind-far",
    ),
    pytest.param(
        "accessed: 2026-02-01", "accessed: 2030-01-01",
        [f"{SOURCE_PATH}:8:11: accessed: date 2030-01-01 is in the future (today is 2026-11-22) "
         "Hint: dates record what has happened; check the year"],
        id="future-accessed",
    ),
    pytest.param(
        "title: \"Scientists Baffled: Moon \\\"Made Entirely of Cheese\\\", Says Local Man\"", "title: " + "x" * 301,
        [f"{SOURCE_PATH}:2:8: title: text is 301 characters long; the limit is 300 Hint: shorten it"],
        id="title-over-max-length",
    ),
]


@pytest.mark.parametrize("old, new, expected", SOURCE_CASES)
def test_broken_source(old: str, new: str, expected: list[str]) -> None:
    assert read(mutate(SOURCE, old, new), Source, SOURCE_PATH)[1] == expected


def test_snapshot_in_a_subfolder_is_accepted_here() -> None:
    # Only paths that climb out are rejected here; load.py checks where the path really leads.
    source, problems = read(mutate(SOURCE, "snapshot: daily-planet-moon.txt", "snapshot: snaps/moon.txt"),
                            Source, SOURCE_PATH)
    assert problems == [] and source.snapshot == "snaps/moon.txt"


def test_url_without_host_is_rejected() -> None:
    (line,) = read(mutate(SOURCE, "url: https://dailyplanet.example/moon-cheese", "url: https://"),
                   Source, SOURCE_PATH)[1]
    assert line.startswith(f"{SOURCE_PATH}:6:6: url: expected an http(s) URL, found ")


def test_url_without_host_message_says_what_is_missing() -> None:
    (line,) = read(mutate(SOURCE, "url: https://dailyplanet.example/moon-cheese", "url: https://"),
                   Source, SOURCE_PATH)[1]
    assert "found a 'https:' URL" not in line
    assert "'https://'" in line


# -- the rating scale --------------------------------------------------------------------------

SCALE_CASES = [
    pytest.param(
        "needs_evidence: false", "needs_evidence: maybe",
        [f"{SCALE_PATH}:19:21: ratings[2].needs_evidence: expected true or false, found 'maybe' {BOOL_HINT}"],
        id="bool-maybe",
    ),
    pytest.param(
        "needs_evidence: false", "needs_evidence: no",
        [f"{SCALE_PATH}:19:21: ratings[2].needs_evidence: expected true or false, found 'no' {BOOL_HINT}"],
        id="bool-yaml-1.1-no-is-not-false",
    ),
    pytest.param(
        'colour: "#475569"', 'colour: "#4755"',
        [f"{SCALE_PATH}:17:13: ratings[2].colour: expected a colour as #rrggbb, found '#4755' {COLOUR_HINT}"],
        id="colour-short",
    ),
    pytest.param(
        'colour: "#475569"', "colour: slategrey",
        [f"{SCALE_PATH}:17:13: ratings[2].colour: expected a colour as #rrggbb, found 'slategrey' {COLOUR_HINT}"],
        id="colour-name",
    ),
    pytest.param(
        "value: 0", "value: zero",
        [f"{SCALE_PATH}:18:12: ratings[2].value: expected a whole number, found 'zero' {INT_HINT}"],
        id="int-word",
    ),
    pytest.param(
        "value: 0", "value: 1.5",
        [f"{SCALE_PATH}:18:12: ratings[2].value: expected a whole number, found '1.5' {INT_HINT}"],
        id="int-fraction",
    ),
    pytest.param(
        "value: 0", "value: 1234567890",
        [f"{SCALE_PATH}:18:12: ratings[2].value: expected a whole number, found '1234567890' {INT_HINT}"],
        id="int-too-many-digits",
    ),
    pytest.param(
        'icon: "?"', 'icon: "?????"',
        [f"{SCALE_PATH}:16:11: ratings[2].icon: text is 5 characters long; the limit is 4 Hint: shorten it"],
        id="icon-too-long",
    ),
    pytest.param(
        '  - id: unproven\n    label: "Unproven"\n    icon: "?"\n    colour: "#475569"\n    value: 0\n'
        "    needs_evidence: false\n    definition: There is not enough public evidence.\n", "",
        [],
        id="two-ratings-are-enough",
    ),
]


@pytest.mark.parametrize("old, new, expected", SCALE_CASES)
def test_broken_scale(old: str, new: str, expected: list[str]) -> None:
    assert read(mutate(SCALE, old, new), Scale, SCALE_PATH)[1] == expected


def test_scale_with_one_rating() -> None:
    text = SCALE.split('  - id: "false"')[0]
    assert read(text, Scale, SCALE_PATH)[1] == [f"{SCALE_PATH}:2:3: ratings: expected at least 2 item(s), found 1 "
                                                   "Hint: add the missing entries; see the field list in CONTRIBUTING.md"]


def test_negative_value_is_a_whole_number() -> None:
    scale, problems = read(mutate(SCALE, "value: 0", "value: -1"), Scale, SCALE_PATH)
    assert problems == [] and scale.get("unproven").value == -1


def test_quoted_number_is_rejected() -> None:
    (line,) = read(mutate(SCALE, "value: 0", 'value: "0"'), Scale, SCALE_PATH)[1]
    assert line.startswith(f"{SCALE_PATH}:18:12: ratings[2].value: expected a whole number, found '0'")


def test_quoted_number_message_mentions_the_quotes() -> None:
    (line,) = read(mutate(SCALE, "value: 0", 'value: "0"'), Scale, SCALE_PATH)[1]
    assert " Hint: " in line and "quote" in line.split(" Hint: ")[1]
