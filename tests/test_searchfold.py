"""Persian search folding: every rule of search-fold.json, idempotence, the folding of a built index, and the
browser script (run with node) folding exactly as the Python does."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import unicodedata

import pytest
from factdesk.searchfold import (
    MATERIAL_SEPARATOR,
    PLACEHOLDER,
    fold,
    fold_letters,
    fold_search_index,
    index_separator,
    rules_table,
    search_script,
)
from hypothesis import given
from hypothesis import strategies as st

TABLE = rules_table()
SECTIONS = ("compatibility", "remove", "replace", "digits", "kept", "separators")


def chars(entry: dict) -> list[str]:
    first, _, last = entry["chars"].partition("-")
    return [chr(c) for c in range(int(first[2:], 16), int((last or first)[2:], 16) + 1)]


def entries(section: str) -> list[dict]:
    return TABLE[section]


def ids(section: str) -> list[str]:
    return [e["chars"] for e in TABLE[section]]


# The table itself


def test_every_entry_names_its_first_character_and_gives_a_reason():
    for section in SECTIONS:
        for entry in TABLE[section]:
            assert unicodedata.name(chars(entry)[0]) == entry["name"], entry
            assert entry["why"].strip(), entry


def test_no_character_is_in_two_sections():
    seen: dict[str, str] = {}
    for section in SECTIONS:
        for entry in TABLE[section]:
            for char in chars(entry):
                assert char not in seen, f"U+{ord(char):04X} is in {seen[char]} and {section}"
                seen[char] = section


# Each mapping


@pytest.mark.parametrize("entry", entries("replace"), ids=ids("replace"))
def test_each_replacement(entry):
    (char,) = chars(entry)
    to = chr(int(entry["to"][2:], 16))
    assert fold_letters(char) == to
    assert fold_letters(f"ب{char}د") == f"ب{to}د"


@pytest.mark.parametrize("entry", entries("digits"), ids=ids("digits"))
def test_digits_become_ascii(entry):
    assert fold_letters("".join(chars(entry))) == "0123456789"


@pytest.mark.parametrize("entry", entries("remove"), ids=ids("remove"))
def test_marks_tatweel_and_joiners_are_removed(entry):
    for char in (chars(entry)[0], chars(entry)[-1]):
        assert fold_letters(f"ب{char}د") == "بد", f"U+{ord(char):04X}"


@pytest.mark.parametrize("entry", entries("kept"), ids=ids("kept"))
def test_letters_a_persian_reader_tells_apart_are_kept(entry):
    (char,) = chars(entry)[:1]
    assert fold(f"ب{char}د") == f"ب{char}د"


@pytest.mark.parametrize("entry", entries("separators"), ids=ids("separators"))
def test_separators_split_words_but_stay_in_the_index_text(entry):
    separator = re.compile(index_separator(MATERIAL_SEPARATOR))
    for char in chars(entry):
        text = f"ایران{char}مسکو"
        assert fold(text) == "ایران مسکو"
        assert fold_letters(text) == text  # readers see the index text in the results
        assert separator.split(text) == ["ایران", "مسکو"]


@pytest.mark.parametrize("entry", entries("compatibility"), ids=ids("compatibility"))
def test_presentation_forms_become_letters(entry):
    start = chars(entry)[0]
    assert fold_letters(start) == fold_letters(unicodedata.normalize("NFKC", start))


def test_what_a_persian_reader_expects_to_match():
    same = [
        ["كتاب", "کتاب", "ﻛﺘﺎﺏ"],  # Arabic kaf, Persian keheh, presentation forms
        ["يكي", "یکی", "یكى"],  # Arabic yeh and alef maksura
        ["مي‌خواهد", "می خواهد", "می‌خواهد", "«می‌خواهد»"],  # ZWNJ, a space, quotation marks
        ["خانهٔ ما", "خانۀ ما", "خانه ما", "خان\u06d5\u0654 ما"],  # ezafe as a mark, precomposed, left out, decomposed
        ["رأی", "رای"], ["مؤسسه", "موسسه"], ["رئیس", "رییس"], ["إسلام", "اسلام"],  # hamza on a seat
        ["بُزُرگ", "بزرگ"], ["اصلاً", "اصلا"], ["مـــسکو", "مسکو"],  # harakat, tanwin, tatweel
        ["۱۴۰۳", "١٤٠٣", "1403"], ["۳٫۵", "3.5"], ["۵۰٪", "50%"],  # digits and number punctuation
        ["ایران؟", "ایران", "ایران،", "ایران؛", "(ایران)", "ایران."],  # punctuation
        ["ﷲ", "الله"], ["ﻻ", "لا"],  # ligatures
        ["\u200fایران\u200e", "ایران"], ["ایر\u200dان", "ایر\u00adان", "ایران"],  # direction marks, joiners
        ["آ", "ا\u0653"],  # madda: composed first, then kept
    ]
    for group in same:
        assert len({fold(text) for text in group}) == 1, [fold(text) for text in group]
    different = [["آمریکا", "امریکا"], ["جزء", "جز"], ["دولة", "دوله", "دولت"], ["ە", "ه"]]
    for group in different:
        assert len({fold(text) for text in group}) == len(group), group


def test_ascii_and_markup_are_left_alone():
    html = '<p>Assad <code>x-1</code> fled, 3.5% "say" <em>officials</em>.</p>'
    assert fold_letters(html) == html
    assert fold_letters("e\u0301") == "é"  # only composed
    assert fold_letters("e\u00ad\u0301") == "é"  # composed again once the soft hyphen is gone


# Idempotence

TRICKY = [
    "", " ", "a", "Assad fled to Moscow", "كتاب", "يكى", "مي‌خواهد", "«می‌خواهد»، ایران؟", "خانهٔ", "خانۀ",
    "خان\u06d5\u0654", "ا\u0653", "ا\u0654", "و\u0654", "ي\u0654", "ی\u0654", "رأی", "مؤسسه", "رئیس", "إسلام", "ٱلله",
    "بُزُرگ", "اصلاً", "اسمٰعیل", "مـــسکو", "ﻛﺘﺎﺏ", "ﷲ", "ﷺ", "﷼", "ﻵ", "ﹰ", "ﹱ", "١٤٠٣", "۱۴۰۳/۱۰/۱۹",
    "۳٫۵", "۱٬۰۰۰", "۵۰٪", "3.5", "پایان.", "e\u0301", "e\u00ad\u0301", "\u200fایران\u200e", "ایر\u200dان",
    "\ufeffسلام", "a\u2060b", "آیة‌الله", "دولة", "جزء", "ە", "ہ", "ے", "x\u200by", "ب\u064b\u0651د",
    "\u202bخامنه‌ای\u202c", "…و", "“نقل”", "‹›", "۔", "C:\\path", "[1]", "a - b", "\t\n", "\u3000ایران\u00a0",
]


@pytest.mark.parametrize("text", TRICKY)
def test_folding_twice_changes_nothing(text):
    assert fold_letters(fold_letters(text)) == fold_letters(text)
    assert fold(fold(text)) == fold(text)
    assert fold(fold_letters(text)) == fold(text)


ALPHABET = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0x08A0, max_codepoint=0x08FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.sampled_from(list(" .,-\u200b\u200c\u200d\u200e\u200f\u00ad\u00ab\u00bbe\u0301\u0308a0123456789")),
)


@given(st.text(ALPHABET, max_size=30))
def test_folding_is_idempotent_on_any_arabic_script_text(text):
    assert fold_letters(fold_letters(text)) == fold_letters(text)
    assert fold(fold(text)) == fold(text)


# The built index

SAMPLE = {
    "config": {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": [" "],
               "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}},
    "docs": [
        {"location": "", "title": "برنامهٔ فرار", "text": "<p>رهبر مي‌خواهد در سال ١٤٠٣ به كرملين برود.</p>"},
        {"location": "claims/escape/#سال-۱۴۰۳", "title": "سال ۱۴۰۳", "text": "", "tags": ["رأی", "مسكو"]},
        {"location": "about/", "title": "About", "text": "<p>Assad fled, 3.5% said.</p>", "boost": 2},
    ],
}


def write_index(tmp_path, data=SAMPLE):
    path = tmp_path / "search" / "search_index.json"
    path.parent.mkdir()
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return path


def test_fold_search_index_folds_titles_texts_and_tags(tmp_path):
    path = write_index(tmp_path)
    fold_search_index(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["config"] == {**SAMPLE["config"], "separator": index_separator("[\\s\\-]+")}
    home, section, about = data["docs"]
    assert home == {"location": "", "title": "برنامه فرار",
                    "text": "<p>رهبر می\u200cخواهد در سال 1403 به کرملین برود.</p>"}
    assert section == {"location": "claims/escape/#سال-۱۴۰۳", "title": "سال 1403", "text": "",
                       "tags": ["رای", "مسکو"]}  # the address is left as it is
    assert about == SAMPLE["docs"][2]
    assert not path.with_name("search_index.js").exists()  # made only by the offline plugin


def test_fold_search_index_twice_gives_the_same_bytes(tmp_path):
    path = write_index(tmp_path)
    fold_search_index(path)
    once = path.read_bytes()
    fold_search_index(path)
    assert path.read_bytes() == once
    assert "برنامه فرار".encode() in once  # UTF-8 rather than Material's \\u escapes: 2 bytes a letter, not 6


def test_fold_search_index_rewrites_the_offline_script_too(tmp_path):
    """When it runs after Material's offline plugin, the script form must not keep the unfolded index."""
    path = write_index(tmp_path)
    script = path.with_name("search_index.js")
    script.write_text(f"var __index = {path.read_text(encoding='utf-8')}", encoding="utf-8")
    fold_search_index(path)
    assert script.read_text(encoding="utf-8") == f"var __index = {path.read_text(encoding='utf-8')}"
    assert "1403" in script.read_text(encoding="utf-8")


def test_index_separator_keeps_the_configured_one_and_is_added_once():
    custom = '[\\s\\-,:!=\\[\\]()"/]+|(?!\\b)(?=[A-Z][a-z])|\\.(?!\\d)|&[lg]t;'
    extended = index_separator(custom)
    assert extended.startswith(f"(?:{custom}|") and index_separator(extended) == extended
    assert re.split(extended, "HelloWorld می‌خواهد") == ["Hello", "World", "می", "خواهد"]


def test_index_separator_extends_the_persian_editions_own():
    edition = r"[\s\-\u200c،؛؟«»]+"  # mkdocs.fa.yml
    extended = index_separator(edition)
    assert re.split(extended, "«می‌خواهد» (ایران)؛ مسکو.") == ["", "می", "خواهد", "ایران", "مسکو", ""]


def test_index_separator_has_no_bar_inside_brackets():
    """Material's page highlighter cuts the separator at every `|`: none may sit inside a character class."""
    for part in index_separator(MATERIAL_SEPARATOR).split("|"):
        assert part.count("[") == part.count("]"), part


# The browser script


def test_search_script_embeds_the_rules():
    script = search_script()
    assert PLACEHOLDER not in script
    rules = json.loads(re.search(r"var RULES = (\{.*?\});\n", script).group(1))
    assert set(rules) == {"compatibility", "remove", "replace", "words"}
    assert rules["replace"]["\u064a"] == "\u06cc" and rules["replace"]["\u06f4"] == "4"


def test_javascript_folds_exactly_as_python(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run search-fa.js; install Node.js (`npm ci` needs it too)")
    (tmp_path / "search-fa.js").write_text(search_script(), encoding="utf-8")
    (tmp_path / "driver.js").write_text(
        'const f = require("./search-fa.js");\n'
        'const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));\n'
        'process.stdout.write(JSON.stringify(texts.map(t => [f.foldLetters(t), f.fold(t)])));\n', encoding="utf-8")
    rng = random.Random(1403)
    pool = "".join(sorted({c for text in TRICKY for c in text} | {chr(c) for c in range(0x0600, 0x0700)}
                          | {chr(c) for c in range(0xFB50, 0xFF00, 7)}))
    texts = TRICKY + ["".join(rng.choice(pool) for _ in range(rng.randint(1, 25))) for _ in range(2000)]
    result = subprocess.run([node, "driver.js"], cwd=tmp_path, input=json.dumps(texts), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = [[fold_letters(t), fold(t)] for t in texts]
    mismatches = [(t, js, py) for t, js, py in zip(texts, json.loads(result.stdout), expected, strict=True) if js != py]
    assert mismatches == []
