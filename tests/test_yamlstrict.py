"""yamlstrict.parse_yaml: raw bytes in, exact problem lines out.

Each case is one deliberately broken file and the exact list of formatted
problems it must produce (`path:line:col: field: message Hint: ...`).
"""

from __future__ import annotations

import pytest
from factdesk.yamlstrict import MAX_DEPTH, parse_yaml

PATH = "claims/x.yaml"

ALIAS_HINT = "Hint: write the value out in full; anchors and aliases make files hard to review"
TAG_HINT = "Hint: remove the tag; values are plain text, numbers, dates, lists and mappings"
DUP_HINT = "Hint: remove one of the two; YAML would silently keep only the last"
ROOT_HINT = "Hint: each file holds one claim or source as `field: value` lines"
INDENT_HINT = ("Hint: this line is indented differently from the lines above it; fields of one entry start in the "
               "same column")
DEEP_HINT = "Hint: claim and source files are at most a few levels deep; check the indentation"


def nested(levels: int) -> bytes:
    """A mapping nested `levels` deep: k0: / k1: / ... with a scalar at the bottom."""
    lines = ["  " * i + f"k{i}:" for i in range(levels)]
    lines.append("  " * levels + "v")
    return ("\n".join(lines) + "\n").encode()


def problems_of(data: bytes) -> list[str]:
    root, problems = parse_yaml(data, PATH)
    assert (root is None) == bool(problems), "a file is either parsed or rejected, never both"
    return [p.format() for p in problems]


BROKEN = [
    pytest.param(
        b"id: a\ntitle: x\nid: b\n",
        [f"{PATH}:3:1: id: duplicate key (first set on line 1) {DUP_HINT}"],
        id="duplicate-key",
    ),
    pytest.param(
        b"{id: a, id: b}\n",
        [f"{PATH}:1:9: id: duplicate key (first set on line 1) {DUP_HINT}"],
        id="duplicate-key-flow",
    ),
    pytest.param(
        b"id: a\r\ntitle: x\r\nid: b\r\n",
        [f"{PATH}:3:1: id: duplicate key (first set on line 1) {DUP_HINT}"],
        id="duplicate-key-crlf-lines-counted-once",
    ),
    pytest.param(
        b"id: &x a\ntitle: b\n",
        [f"{PATH}:1:5: id: YAML anchor '&x' is not allowed {ALIAS_HINT}"],
        id="anchor",
    ),
    pytest.param(
        b"id: a\ntitle: *x\n",
        [f"{PATH}:2:8: title: YAML alias '*x' is not allowed {ALIAS_HINT}"],
        id="alias",
    ),
    pytest.param(
        b"id: &x a\ntitle: *x\n",
        [f"{PATH}:1:5: id: YAML anchor '&x' is not allowed {ALIAS_HINT}"],
        id="anchor-and-alias-first-is-reported",
    ),
    pytest.param(
        b"tags:\n  - a\n  - *x\n",
        [f"{PATH}:3:5: tags[1]: YAML alias '*x' is not allowed {ALIAS_HINT}"],
        id="alias-in-list",
    ),
    pytest.param(
        b"appearances:\n  - source: a\n    quote: *q\n",
        [f"{PATH}:3:12: appearances[0].quote: YAML alias '*q' is not allowed {ALIAS_HINT}"],
        id="alias-in-nested-mapping",
    ),
    pytest.param(
        b"id: !custom a\n",
        [f"{PATH}:1:5: id: YAML tag '!custom' is not allowed {TAG_HINT}"],
        id="custom-tag",
    ),
    pytest.param(
        b"evidence: !list\n  - a\n",
        [f"{PATH}:1:11: evidence: YAML tag '!list' is not allowed {TAG_HINT}"],
        id="custom-tag-on-list",
    ),
    pytest.param(
        b"id: a\n---\nid: b\n",
        [f"{PATH}:2:1: file holds more than one YAML document "
         "Hint: keep one claim or source per file and remove the `---` separator"],
        id="two-documents",
    ),
    pytest.param(
        b"---\nid: a\n---\nid: b\n",
        [f"{PATH}:3:1: file holds more than one YAML document "
         "Hint: keep one claim or source per file and remove the `---` separator"],
        id="two-documents-with-leading-separator",
    ),
    pytest.param(b"", [f"{PATH}:1:1: file is empty Hint: start from the template in CONTRIBUTING.md"], id="empty"),
    pytest.param(b"  \n\n", [f"{PATH}:1:1: file is empty Hint: start from the template in CONTRIBUTING.md"],
                 id="only-blank-lines"),
    pytest.param(b"# just a comment\n", [f"{PATH}:1:1: file is empty Hint: start from the template in CONTRIBUTING.md"],
                 id="only-comment"),
    pytest.param(b"~\n", [f"{PATH}:1:1: file is empty Hint: start from the template in CONTRIBUTING.md"],
                 id="only-null"),
    pytest.param(
        b"- id: a\n- id: b\n",
        [f"{PATH}:1:1: expected a mapping of field names to values, found a list {ROOT_HINT}, not a list"],
        id="list-root",
    ),
    pytest.param(
        b"hello\n",
        [f"{PATH}:1:1: expected a mapping of field names to values, found 'hello' {ROOT_HINT}"],
        id="scalar-root",
    ),
    pytest.param(
        b"'null'\n",
        [f"{PATH}:1:1: expected a mapping of field names to values, found 'null' {ROOT_HINT}"],
        id="quoted-null-root-is-text-not-empty",
    ),
    pytest.param(
        b"id: a\ntitle: caf\xe9\n",
        [f"{PATH}:2:11: file is not valid UTF-8 (byte 0xe9) Hint: save the file as UTF-8"],
        id="non-utf8-latin1-byte",
    ),
    pytest.param(
        b"id: a\ntitle: x\x85y\n",
        [f"{PATH}:2:9: file is not valid UTF-8 (byte 0x85) Hint: save the file as UTF-8"],
        id="non-utf8-stray-continuation-byte",
    ),
    pytest.param(
        b"id: a\n\tnote: x\n",
        [f"{PATH}:2:1: invalid YAML: found a tab character that violates indentation while scanning a plain scalar "
         "Hint: indent with spaces, not tabs"],
        id="tab-indentation",
    ),
    pytest.param(
        b"evidence:\n\t- a\n",
        [f"{PATH}:2:1: invalid YAML: found character that cannot start any token while scanning for the next token "
         "Hint: indent with spaces, not tabs"],
        id="tab-indentation-of-list",
    ),
    pytest.param(
        b'id: a\ntitle: "Moon made of cheese\nkind: news\n',
        [f"{PATH}:2:8: invalid YAML: found unexpected end of stream while scanning a quoted scalar "
         "Hint: a quoted value is never closed: add the closing quote"],
        id="unclosed-double-quote-points-at-opening-quote",
    ),
    pytest.param(
        b"id: a\ntitle: 'Moon made of cheese\nkind: news\n",
        [f"{PATH}:2:8: invalid YAML: found unexpected end of stream while scanning a quoted scalar "
         "Hint: a quoted value is never closed: add the closing quote"],
        id="unclosed-single-quote",
    ),
    pytest.param(
        b"id: a\ntitle: Scientists Baffled: Moon Made of Cheese\n",
        [f"{PATH}:2:26: invalid YAML: mapping values are not allowed in this context "
         "Hint: a value containing ': ' must be quoted"],
        id="unquoted-colon",
    ),
    pytest.param(
        b"id: a\nnote:\n  x: 1\n y: 2\n",
        [f"{PATH}:4:2: invalid YAML: did not find expected key while parsing a block mapping "
         f"{INDENT_HINT}"],
        id="bad-indentation",
    ),
    pytest.param(
        b"evidence:\n  - source: a\n      stance: b\n",
        [f"{PATH}:3:13: invalid YAML: mapping values are not allowed in this context "
         "Hint: 'stance:' is indented more than the field above it; fields of one entry start in the same column"],
        id="field-indented-too-far",
    ),
    pytest.param(
        b"tags:\n  - a\n - b\n",
        [f"{PATH}:3:2: invalid YAML: did not find expected key while parsing a block mapping {INDENT_HINT}"],
        id="list-entries-misaligned",
    ),
    pytest.param(
        b'id: a\nclaim: "abc\nclaimant: b\nverdict: "x"\n',
        [f'{PATH}:2:8: invalid YAML: the text quoted with " here runs on to line 4 '
         'Hint: a quoted value is never closed: add the closing "'],
        id="unclosed-quote-swallows-lines-up-to-the-next-quote",
    ),
    pytest.param(
        b"id: a\nclaim: 'abc\nclaimant: b\nverdict: 'x'\n",
        [f"{PATH}:2:8: invalid YAML: the text quoted with ' here runs on to line 4 "
         "Hint: a quoted value is never closed: add the closing '"],
        id="unclosed-single-quote-swallows-lines",
    ),
    pytest.param(
        b'id: a\nclaim: "a quote over\n  two lines"\nclaimant: b: c\n',
        [f"{PATH}:4:12: invalid YAML: mapping values are not allowed in this context "
         "Hint: a value containing ': ' must be quoted"],
        id="closed-multi-line-quote-is-not-blamed",
    ),
    pytest.param(
        b"tags: [a, b\nid: c\n",
        [f"{PATH}:2:3: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence "
         "Hint: the list or mapping opened on line 1 needs a closing ']'"],
        id="unclosed-bracket",
    ),
    pytest.param(
        "claim: x\n\ufeffid: y\n".encode(),
        [f"{PATH}:2:2: invalid YAML: did not find expected key while parsing a block mapping "
         "Hint: delete the invisible byte-order mark (U+FEFF) in this line; it is only allowed at the start of the file"],
        id="byte-order-mark-inside-the-file",
    ),
    pytest.param(
        nested(25),
        [f"{PATH}:21:41: {'.'.join(f'k{i}' for i in range(20))}: nested more than 20 levels deep {DEEP_HINT}"],
        id="nested-25-levels",
    ),
    pytest.param(
        b"a: " + b"[" * 25 + b"]" * 25 + b"\n",
        [f"{PATH}:1:23: a{'[0]' * 19}: nested more than 20 levels deep {DEEP_HINT}"],
        id="nested-25-flow-lists",
    ),
    pytest.param(
        b"? [a, b]\n: 1\n",
        [f"{PATH}:1:3: a key must be a plain name, found a list "
         "Hint: field names are single words followed by a colon, such as `claim:`"],
        id="complex-key",
    ),
    pytest.param(
        b"note: " + b"x" * 1_100_000 + b"\n",
        [f"{PATH}:1:1: file is 1,100,007 bytes; the limit is 1,000,000 "
         "Hint: split long text or move it into the source's snapshot file"],
        id="file-over-1MB",
    ),
]


@pytest.mark.parametrize("data, expected", BROKEN)
def test_broken_file_gives_exact_problems(data: bytes, expected: list[str]) -> None:
    assert problems_of(data) == expected


def test_nul_character_is_rejected() -> None:
    (line,) = problems_of(b"id: a\ntitle: x\x00y\n")
    assert line.endswith(": file contains a NUL character Hint: save the file as plain UTF-8 text")


def test_nul_character_position() -> None:
    assert problems_of(b"id: a\ntitle: x\x00y\n") == [
        f"{PATH}:2:9: file contains a NUL character Hint: save the file as plain UTF-8 text"]


def test_python_tag_is_rejected() -> None:
    (line,) = problems_of(b"id: !!python/object:os.system {}\n")
    assert line.startswith(f"{PATH}:1:5: id: YAML tag '")
    assert line.endswith(f"' is not allowed {TAG_HINT}")


def test_python_tag_is_shown_as_written() -> None:
    assert problems_of(b"id: !!python/object:os.system {}\n") == [
        f"{PATH}:1:5: id: YAML tag '!!python/object:os.system' is not allowed {TAG_HINT}"]


def test_standard_tag_is_shown_as_written() -> None:
    assert problems_of(b"value: !!str 1\n") == [f"{PATH}:1:8: value: YAML tag '!!str' is not allowed {TAG_HINT}"]


def test_duplicate_key_in_nested_mapping_names_field_path() -> None:
    data = b"appearances:\n  - source: a\n    quote: q\n    quote: r\n"
    assert problems_of(data) == [f"{PATH}:4:5: appearances[0].quote: duplicate key (first set on line 3) {DUP_HINT}"]


def test_non_utf8_column_counts_characters() -> None:
    # 'é' is one character (two bytes); the bad byte is the 10th character on line 2.
    assert problems_of(b"id: a\ntitle: \xc3\xa9t\xe9\n") == [
        f"{PATH}:2:10: file is not valid UTF-8 (byte 0xe9) Hint: save the file as UTF-8"]


def test_raw_control_character_is_rejected() -> None:
    root, problems = parse_yaml(b"id: a\ntitle: x\x07y\n", PATH)
    assert root is None and len(problems) == 1


def test_raw_control_character_message() -> None:
    (line,) = problems_of(b"id: a\ntitle: x\x07y\n")
    assert "\n" not in line
    assert "<unicode string>" not in line
    assert line.startswith(f"{PATH}:2:9: ")
    assert "0007" in line and " Hint: " in line


# -- accepted input ------------------------------------------------------------------------------

def test_byte_order_mark_is_accepted_and_columns_are_unchanged() -> None:
    root, problems = parse_yaml(b"\xef\xbb\xbfid: a\ntitle: b\n", PATH)
    assert problems == []
    assert root.get("id").value == "a"
    assert (root.get("id").line, root.get("id").col) == (1, 5)
    assert problems_of(b"\xef\xbb\xbfid: *x\n") == [f"{PATH}:1:5: id: YAML alias '*x' is not allowed {ALIAS_HINT}"]


def test_crlf_line_endings_are_accepted() -> None:
    root, problems = parse_yaml(b"id: a\r\nsummary: >-\r\n  two\r\n  lines\r\ntitle: b\r\n", PATH)
    assert problems == []
    assert root.get("summary").value == "two lines"
    assert (root.get("title").line, root.get("title").col) == (5, 8)


def test_nesting_up_to_the_limit_is_accepted() -> None:
    root, problems = parse_yaml(nested(MAX_DEPTH), PATH)
    assert problems == [] and root.kind == "map"


def test_values_stay_text_and_keep_positions() -> None:
    root, problems = parse_yaml(b"verdict: no\nvalue: 1\nquoted: 'yes'\nempty:\nnull_word: null\n", PATH)
    assert problems == []
    verdict = root.get("verdict")
    assert (verdict.kind, verdict.value, verdict.plain, verdict.line, verdict.col) == ("scalar", "no", True, 1, 10)
    assert root.get("value").value == "1"
    assert root.get("quoted").value == "yes" and not root.get("quoted").plain
    assert root.get("empty").is_null and root.get("null_word").is_null
    assert not root.get("quoted").is_null


def test_file_of_exactly_the_limit_is_read() -> None:
    data = b"note: " + b"x" * (1_000_000 - 7) + b"\n"
    assert len(data) == 1_000_000
    root, problems = parse_yaml(data, PATH)
    assert problems == [] and len(root.get("note").value) == 1_000_000 - 7
