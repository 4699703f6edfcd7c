"""Per-file validation: turn a YAML node tree into a model object, or problems.

Every value is read by the kind its field declares in model.py, so `no`,
`2026-02-30` or `javascript:alert(1)` are judged as what the field expects,
never silently converted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import Field, fields
from typing import Any
from urllib.parse import urlsplit

from .model import MAX_TEXT, MAX_YEARS_AHEAD, Origin, slug, yaml_fields
from .problems import Problem, did_you_mean, nearest
from .yamlstrict import Node

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 80
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
INT_RE = re.compile(r"^[-+]?\d{1,9}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


class Reader:
    """Reads one file's node tree into model objects, collecting problems and positions."""

    def __init__(self, path: str, *, today: dt.date, rating_ids: list[str] | None = None):
        self.path = path
        self.today = today
        self.rating_ids = rating_ids
        self.problems: list[Problem] = []
        self.marks: dict[str, tuple[int, int]] = {}

    def read(self, root: Node, cls: type) -> Any | None:
        """The object of class `cls` that `root` describes, or None if it has problems."""
        self.marks[""] = (root.line, root.col)
        values = self._object(root, cls, "")
        if values is None or self.problems:
            return None
        if "origin" in {f.name for f in fields(cls)}:
            values["origin"] = Origin(self.path, self.marks)
        return cls(**values)

    def problem(self, node: Node | None, field_path: str, message: str, hint: str = "") -> None:
        line, col = (node.line, node.col) if node is not None else self.marks.get(field_path, (1, 1))
        self.problems.append(Problem(self.path, line, col, field_path, message, hint))

    # -- structure -------------------------------------------------------------------------

    def _object(self, node: Node, cls: type, prefix: str) -> dict | None:
        if node.kind != "map":
            self.problem(node, prefix, f"expected a mapping of fields ({_names(cls)}), found {node.describe()}",
                         "write one `field: value` per line, indented under this entry")
            return None
        known = {f.name: f for f in yaml_fields(cls)}
        given: dict[str, Node] = {}
        misspelt: set[str] = set()  # known names an unknown field is probably meant to be
        for key, value in node.pairs:
            name = key.text
            path = _join(prefix, name)
            if name not in known:
                meant = nearest(name, known)
                if meant:
                    misspelt.add(meant)
                self.problem(key, path, f"unknown field '{name}'", f"did you mean '{meant}'?" if meant else
                             f"the fields here are: {', '.join(known)}")
                continue
            given[name] = value
            self.marks[path] = (value.line, value.col)
        values: dict[str, Any] = {}
        for name, f in known.items():
            path = _join(prefix, name)
            value_node = given.get(name)
            if value_node is None or value_node.is_null:
                # A misspelt name is reported once, as an unknown field with a suggestion.
                if f.metadata["required"] and not (value_node is None and name in misspelt):
                    where = value_node or node
                    found = "an empty value" if value_node is not None else "nothing"
                    self.problem(where, path, f"missing required field '{name}' ({f.metadata['doc']}); found {found}",
                                 "add it; see the field list in CONTRIBUTING.md")
                continue
            value = self._field(value_node, f, path)
            if value is not None:
                values[name] = value
        return values

    def _field(self, node: Node, f: Field, path: str) -> Any:
        meta = f.metadata
        if meta["kind"] != "list":
            return self._value(node, meta["kind"], meta, path)
        if node.kind != "seq":
            self.problem(node, path, f"expected a list (lines starting with '- '), found {node.describe()}",
                         "write each entry on its own line, starting with '- ', indented under the field")
            return None
        items = node.items
        if len(items) < meta["min_items"]:
            self.problem(node, path, f"expected at least {meta['min_items']} item(s), found {len(items)}",
                         "add the missing entries; see the field list in CONTRIBUTING.md")
        if len(items) > meta["max_items"]:
            self.problem(node, path, f"list has {len(items):,} entries; the limit is {meta['max_items']:,}",
                         "keep the most important ones, or split the claim into several claims")
            return None
        out = []
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]"
            self.marks[item_path] = (item.line, item.col)
            if isinstance(meta["item"], type):
                values = self._object(item, meta["item"], item_path)
                if values is not None and not any(p.field.startswith(item_path) for p in self.problems):
                    out.append(meta["item"](**values))
            else:
                if item.is_null:
                    self.problem(item, item_path, "empty list item", "remove the line or give it a value")
                    continue
                value = self._value(item, meta["item"], {"choices": (), "max_len": meta["max_len"]}, item_path)
                if value is not None:
                    out.append(value)
        if meta["kind"] == "list" and meta["item"] in ("id", "claim_ref", "source_ref"):
            for dup in sorted({v for v in out if out.count(v) > 1}):
                self.problem(node, path, f"'{dup}' is listed more than once", "remove the repeated entry")
        return tuple(out)

    # -- scalars ---------------------------------------------------------------------------

    def _value(self, node: Node, kind: str, meta: Mapping[str, Any], path: str) -> Any:
        if node.kind != "scalar":
            self.problem(node, path, f"expected {_EXPECTED[kind]}, found {node.describe()}",
                         "quote the value if it contains ': ' or starts with '- '" if kind in ("text", "markdown") else
                         "write a single value on the same line as the field name, without brackets")
            return None
        text = node.text
        reader = getattr(self, f"_read_{kind}")
        return reader(node, text, meta, path)

    def _read_text(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> str | None:
        text = text.strip()
        if not text:
            self.problem(node, path, "expected some text, found an empty string",
                         "write the text, or leave the field out if it is optional")
            return None
        limit = meta.get("max_len") or MAX_TEXT
        if len(text) > limit:
            self.problem(node, path, f"text is {len(text):,} characters long; the limit is {limit:,}",
                         "shorten it; quotes should be a sentence or less" if "quote" in path else "shorten it")
            return None
        bad = CONTROL_RE.search(text)
        if bad:
            self.problem(node, path, f"contains the invisible control character U+{ord(bad.group()):04X}",
                         "delete it; it can hide or reorder text")
            return None
        return text

    def _read_markdown(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> str | None:
        return self._read_text(node, text, meta, path)

    def _read_id(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> str | None:
        wrong = id_error(text, node.describe())
        if wrong:
            self.problem(node, path, *wrong)
            return None
        return text

    _read_source_ref = _read_id
    _read_claim_ref = _read_id

    def _read_rating(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> str | None:
        if self.rating_ids is not None and text not in self.rating_ids:
            self.problem(node, path, f"expected a rating from the scale ({', '.join(self.rating_ids)}), "
                                     f"found {node.describe()}", did_you_mean(text.lower(), self.rating_ids) or
                         "use one of the ratings listed, or add the rating to the rating scale")
            return None
        return text

    def _read_choice(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> str | None:
        choices = meta["choices"]
        if text not in choices:
            self.problem(node, path, f"expected one of {', '.join(choices)}; found {node.describe()}",
                         did_you_mean(text.lower(), choices) or "use one of the words listed, in lower case")
            return None
        return text

    def _read_date(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> dt.date | None:
        if not DATE_RE.match(text):
            self.problem(node, path, f"expected a date as YYYY-MM-DD, found {node.describe()}",
                         "write e.g. 2026-01-04")
            return None
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            self.problem(node, path, f"'{text}' is not a date in the calendar", "check the day and month")
            return None
        if meta.get("future"):
            limit = self.today.replace(year=self.today.year + MAX_YEARS_AHEAD, day=min(self.today.day, 28))
            if value > limit:
                self.problem(node, path, f"date {text} is more than {MAX_YEARS_AHEAD} years ahead "
                                         f"(today is {self.today.isoformat()})", "check the year")
                return None
        elif value > self.today:
            self.problem(node, path, f"date {text} is in the future (today is {self.today.isoformat()})",
                         "dates record what has happened; check the year")
            return None
        return value

    def _read_url(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> str | None:
        parts = urlsplit(text) if not re.search(r"\s", text) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            scheme = parts.scheme if parts else ""
            if scheme in ("http", "https"):
                found = f"{node.describe()}, which has no host name"
            else:
                found = f"a '{scheme}:' URL" if scheme else node.describe()
            self.problem(node, path, f"expected an http(s) URL, found {found}",
                         "give the full address starting with https://")
            return None
        return text

    def _read_path(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> str | None:
        if text.startswith(("/", "\\")) or "\\" in text or ".." in text.split("/") or re.match(r"^[A-Za-z]:", text):
            self.problem(node, path, f"expected a file name next to this file, found {node.describe()}",
                         "keep the snapshot in the same folder and give just its name")
            return None
        return text

    def _read_colour(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> str | None:
        if not COLOUR_RE.match(text):
            self.problem(node, path, f"expected a colour as #rrggbb, found {node.describe()}",
                         "write the colour as # and six hexadecimal digits, e.g. #1a7f37")
            return None
        return text.lower()

    def _read_int(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> int | None:
        if not node.plain or not INT_RE.match(text):
            quoted = not node.plain and INT_RE.match(text.strip())
            self.problem(node, path, f"expected a whole number, found {node.describe()}",
                         "remove the quotes; a quoted number is text" if quoted else "write digits only, e.g. 3")
            return None
        return int(text)

    def _read_bool(self, node: Node, text: str, meta: Mapping[str, Any], path: str) -> bool | None:
        if text.lower() not in ("true", "false"):
            self.problem(node, path, f"expected true or false, found {node.describe()}",
                         "write true or false; yes, no, on and off are not accepted")
            return None
        return text.lower() == "true"


_EXPECTED = {
    "id": "an id", "text": "text", "markdown": "Markdown text", "date": "a date (YYYY-MM-DD)",
    "url": "a URL", "choice": "one of a fixed set of words", "rating": "a rating id",
    "source_ref": "a source id", "claim_ref": "a claim id", "path": "a file name",
    "colour": "a colour (#rrggbb)", "int": "a whole number", "bool": "true or false",
}


def id_error(text: str, found: str) -> tuple[str, str] | None:
    """What is wrong with an id, as (message, hint), or None if it is a valid id.

    `found` is how the value is shown in the message (see `Node.describe`).
    """
    if len(text) <= ID_MAX and ID_RE.match(text):
        return None
    # A letter the suggestion would silently drop (such as a Cyrillic look-alike 'а') is named.
    dropped = next((c for c in text if not c.isascii() and not _ascii_fold(c)), None)
    if dropped:
        name = unicodedata.name(dropped, "unnamed character")
        found += f", which contains U+{ord(dropped):04X} ({name})"
        hint = "retype the id using only the letters a-z, digits and hyphens"
    else:
        suggestion = slug(text)[:ID_MAX]
        hint = (f"try '{suggestion}'" if suggestion and suggestion != text else
                "use only the letters a-z, digits and single hyphens")
    return (f"expected an id of lower-case letters, digits and single hyphens (at most {ID_MAX} characters), "
            f"found {found}", hint)


def _ascii_fold(char: str) -> str:
    """The plain ASCII a character folds to ('é' -> 'e'), or '' if it has none."""
    return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _names(cls: type) -> str:
    return ", ".join(f.name for f in yaml_fields(cls))
