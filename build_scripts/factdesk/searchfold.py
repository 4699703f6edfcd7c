"""Persian for Material's search: fold letter forms, digits and marks, and split words at Persian separators.

Material's search (lunr in a web worker) knows no Persian: ي and ی, ك and ک, ٣ and ۳ and 3 are different
letters to it, and it splits words at spaces and hyphens only. The rules live in assets/search-fold.json,
one entry per character with the reason for it; this module applies them to the built search index, and
search_script() embeds the same rules, compiled once here, in assets/search-fa.js, which folds the
reader's query in the browser. The tests run both on the same strings.

Wiring (done in the plugin): call fold_search_index(site/search/search_index.json) from an on_post_build
hook with @event_priority(-50), and serve search_script() as an extra_javascript file. See
fold_search_index for why -50.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

LANGUAGES = ("fa",)  # editions whose search index and queries are folded
SCRIPT_URI = "assets/search-fa.js"  # where the plugin may serve search_script()
RULES_FILE = "assets/search-fold.json"
SCRIPT_FILE = "assets/search-fa.js"
PLACEHOLDER = "/*FOLD_RULES*/null"  # replaced in search-fa.js by the compiled rules
MATERIAL_SEPARATOR = r"[\s\-]+"  # Material 9's search.config.separator for English, which Persian falls back to
# White space as JavaScript's \s has it (U+FEFF aside, which fold removes), spelt out so that Python agrees.
WHITE_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def fold(text: str) -> str:
    """Text as Factdesk's search compares it: folded letters, and one space between words.

    Two strings that a Persian reader would search for as the same words fold to the same string:
    ZWNJ, Persian punctuation and the other separators count as a space. fold_letters() is the
    same without the last step, for text that readers see (the index's titles and texts).
    """
    return _rules().words.sub(" ", fold_letters(text)).strip(" ")


def fold_letters(text: str) -> str:
    """Fold letter forms, digits, diacritics and invisible joiners; leave word separators as they are.

    The steps, in the order search-fa.js runs them too: compose (NFC), so that a letter typed as letter
    plus mark is the precomposed letter; replace Arabic presentation forms by their letters (NFKC);
    remove marks, tatweel and invisible joiners; compose again (removing a joiner can bring a letter
    and its accent together); replace letters and digits by their Persian search form.
    """
    if text.isascii():
        return text  # nothing to fold, and most of an English index
    rules = _rules()
    text = unicodedata.normalize("NFC", text)
    text = rules.compatibility.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = unicodedata.normalize("NFC", rules.remove.sub("", text))
    return text.translate(rules.replace)


def fold_search_index(path: Path) -> None:
    """Fold every title, text and tag of a built Material search index in place, and split words at Persian separators.

    path is the site's search/search_index.json, {"config": {...}, "docs": [{"location", "title", "text"}, ...]}.
    The config's "separator", the regular expression with which the search worker splits both the indexed
    text and the query into words, gains ZWNJ, Persian punctuation and the other separators of
    search-fold.json. Titles and texts keep their separators: the search results show this text.

    Hook order. Material's search plugin writes search_index.json in on_post_build at the default
    priority 0; Material's offline plugin copies it into search/search_index.js (`var __index = ...`, the
    form read from file://) in on_post_build at priority -100, and factdesk's own on_post_build, also at
    -100, moves the finished site into place. Call this from on_post_build with @event_priority(-50):
    after the first, before the other two. Should it run later anyway, an existing search_index.js is
    rewritten from the folded index too, so that both forms always agree. Running it twice changes nothing.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    config = data.setdefault("config", {})
    config["separator"] = index_separator(config.get("separator") or MATERIAL_SEPARATOR)
    for doc in data.get("docs", []):
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = fold_letters(doc[key])
        if isinstance(doc.get("tags"), list):
            doc["tags"] = [fold_letters(tag) if isinstance(tag, str) else tag for tag in doc["tags"]]
    # As Material writes it, but in UTF-8 rather than \u escapes: a Persian letter takes 2 bytes instead of 6,
    # which more than halves a Persian index. The offline form is read by a <script> of a UTF-8 page.
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    script = path.with_name("search_index.js")
    if script.is_file():
        script.write_text(f"var __index = {text}", encoding="utf-8")


def index_separator(separator: str) -> str:
    """The index's word separator, extended with the separators of search-fold.json (unchanged if it already is).

    The result is a JavaScript regular expression (the worker compiles it with `new RegExp`) that Python
    reads the same way; it has no `|` inside brackets, which Material's page highlighter would cut.
    """
    extra = _rules().separator
    if extra in separator:
        return separator
    return f"(?:{separator}|{extra})+"


def search_script() -> str:
    """search-fa.js with the folding rules embedded: the script to serve as extra_javascript."""
    source = resources.files("factdesk").joinpath(SCRIPT_FILE).read_text(encoding="utf-8")
    if source.count(PLACEHOLDER) != 1:
        raise RuntimeError(f"{SCRIPT_FILE} must contain {PLACEHOLDER} exactly once")
    rules = _rules()
    compiled = {"compatibility": rules.compatibility.pattern, "remove": rules.remove.pattern,
                "replace": {chr(k): v for k, v in sorted(rules.replace.items())}, "words": rules.words.pattern}
    return source.replace(PLACEHOLDER, json.dumps(compiled, sort_keys=True))


class _Rules:
    """search-fold.json compiled: character classes and patterns written so that Python's re and JavaScript's
    RegExp (without flags) read them alike, and a str.translate table."""

    def __init__(self, table: dict) -> None:
        self.table = table
        self.compatibility = re.compile(f"[{_class(table['compatibility'])}]+")
        self.remove = re.compile(f"[{_class(table['remove'])}]")
        self.replace: dict[int, str] = {}
        for entry in table["replace"]:
            (first, last), to = _range(entry["chars"]), chr(_code(entry["to"]))
            self.replace.update({code: to for code in range(first, last + 1)})
        for entry in table["digits"]:
            first, last = _range(entry["chars"])
            if last - first != 9:
                raise ValueError(f"search-fold.json: digits {entry['chars']} is not ten characters")
            self.replace.update({first + n: str(n) for n in range(10)})
        separators = _class(table["separators"])
        patterns = "|".join(entry["pattern"] for entry in table["separator_patterns"])
        self.separator = f"[{separators}]|{patterns}"
        self.words = re.compile(f"(?:[{_escape(WHITE_SPACE)}\\-{separators}]|{patterns})+")


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return _Rules(json.loads(resources.files("factdesk").joinpath(RULES_FILE).read_text(encoding="utf-8")))


def rules_table() -> dict:
    """search-fold.json as read (for tests and documentation)."""
    return _rules().table


def _code(text: str) -> int:
    if not re.fullmatch(r"U\+[0-9A-F]{4}", text):
        raise ValueError(f"search-fold.json: expected a character as U+XXXX, found {text!r}")
    return int(text[2:], 16)


def _range(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    low, high = _code(first), _code(last) if last else _code(first)
    if high < low:
        raise ValueError(f"search-fold.json: range {text!r} ends before it starts")
    return low, high


def _class(entries: list[dict]) -> str:
    """The inside of a character class for the entries' characters, every one written as \\uXXXX."""
    parts = []
    for entry in entries:
        low, high = _range(entry["chars"])
        parts.append(f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}")
    return "".join(parts)


def _escape(chars: str) -> str:
    """A class body (literal characters and a-b ranges) with every character written as \\uXXXX."""
    return re.sub(r"[^-]", lambda m: f"\\u{ord(m.group()):04x}", chars)

