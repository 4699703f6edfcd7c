"""Strict YAML reading: one mapping per file, no anchors, aliases, tags or duplicate keys.

The parser (libyaml where available) only produces events; the tree is built
here, so every node keeps its line and column and no value is resolved by
guesswork (``no`` stays the text "no" until a field says what it expects).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # libyaml is much faster; fall back to the pure-Python parser.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the wheel
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20
# Characters YAML does not allow raw in a file (it accepts tab, line breaks and NEL).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_TAG = re.compile(r"!<[^>]*>|![^\s,\[\]{}]*")


@dataclass
class Node:
    """A YAML node with its position (1-based line and column)."""

    kind: str  # "map", "seq" or "scalar"
    line: int
    col: int
    # map: list of (key node, value node); seq: list of nodes; scalar: its text
    value: str | list = field(default_factory=list)
    plain: bool = True  # scalar written without quotes (so `~`/`null`/empty mean nothing)

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.plain and self.value in ("", "~", "null", "Null", "NULL")

    @property
    def text(self) -> str:
        """A scalar's text."""
        if self.kind != "scalar" or not isinstance(self.value, str):
            raise TypeError(f"a {self.kind} node has no text")
        return self.value

    @property
    def items(self) -> list[Node]:
        """A list's entries."""
        if self.kind != "seq" or isinstance(self.value, str):
            raise TypeError(f"a {self.kind} node has no list entries")
        return self.value

    @property
    def pairs(self) -> list[tuple[Node, Node]]:
        """A mapping's (key, value) pairs, in file order."""
        if self.kind != "map" or isinstance(self.value, str):
            raise TypeError(f"a {self.kind} node has no key/value pairs")
        return self.value

    def get(self, key: str) -> Node | None:
        if self.kind != "map":
            return None
        for k, v in self.pairs:
            if k.text == key:
                return v
        return None

    def describe(self) -> str:
        """What was found, in words, for error messages."""
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        if self.is_null:
            return "nothing (null)"
        text = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        return repr(text)


def parse_yaml(data: bytes, path: str) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML file into a Node tree, or return the problems that stop it."""
    if len(data) > MAX_FILE_BYTES:
        return None, [Problem(path, 1, 1, "", f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                              "split long text or move it into the source's snapshot file")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        valid = exc.object[: exc.start].decode("utf-8")  # exc.object is the data without its BOM
        line, col = _line_col(valid, len(valid))
        return None, [Problem(path, line, col, "", f"file is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})",
                              "save the file as UTF-8")]
    bad = _UNPRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        if bad.group() == "\x00":
            return None, [Problem(path, line, col, "", "file contains a NUL character",
                                  "save the file as plain UTF-8 text")]
        return None, [Problem(path, line, col, "", f"file contains the control character U+{ord(bad.group()):04X}",
                              "delete it; YAML does not allow raw control characters (they are invisible)")]
    try:
        root = _build(text, path)
    except _Reject as rej:
        return None, [rej.problem]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path, text)]
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks
        return None, [Problem(path, 1, 1, "", f"invalid YAML: {exc}", "check the indentation and that every quote is closed")]
    if root is None or root.is_null:
        return None, [Problem(path, 1, 1, "", "file is empty", "start from the template in CONTRIBUTING.md")]
    if root.kind != "map":
        return None, [Problem(path, root.line, root.col, "", f"expected a mapping of field names to values, found {root.describe()}",
                              "each file holds one claim or source as `field: value` lines"
                              + (", not a list" if root.kind == "seq" else ""))]
    return root, []


class _Reject(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _pos(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (counted in characters) of position `index` in `text`."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _build(text: str, path: str) -> Node | None:
    stack: list[Node] = []
    pending_key: list[Node | None] = []
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind == "seq":
            parent.items.append(node)
        elif pending_key[-1] is None:
            if node.kind != "scalar":
                raise _Reject(Problem(path, node.line, node.col, "", f"a key must be a plain name, found {node.describe()}",
                                      "field names are single words followed by a colon, such as `claim:`"))
            for k, _ in parent.pairs:
                if k.text == node.text:
                    raise _Reject(Problem(path, node.line, node.col, _join(_field_path(stack, pending_key), node.text),
                                          f"duplicate key (first set on line {k.line})",
                                          "remove one of the two; YAML would silently keep only the last"))
            pending_key[-1] = node
        else:
            parent.pairs.append((pending_key[-1], node))
            pending_key[-1] = None

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                line, col = _pos(event.start_mark)
                raise _Reject(Problem(path, line, col, "", "file holds more than one YAML document",
                                      "keep one claim or source per file and remove the `---` separator"))
            continue
        if isinstance(event, yaml.AliasEvent):
            line, col = _pos(event.start_mark)
            raise _Reject(Problem(path, line, col, _field_path(stack, pending_key), f"YAML alias '*{event.anchor}' is not allowed",
                                  "write the value out in full; anchors and aliases make files hard to review"))
        if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent,
                                  yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            continue
        mark = event.start_mark
        assert mark is not None  # the parser marks every event it emits
        line, col = _pos(mark)
        anchor = getattr(event, "anchor", None)  # end events have no anchor or tag
        if anchor:
            raise _Reject(Problem(path, line, col, _field_path(stack, pending_key), f"YAML anchor '&{anchor}' is not allowed",
                                  "write the value out in full; anchors and aliases make files hard to review"))
        event_tag = getattr(event, "tag", None)
        if event_tag and not _is_implicit(event):
            written = _TAG.match(text, mark.index)  # the tag as written, not expanded
            tag = written.group() if written else event_tag
            raise _Reject(Problem(path, line, col, _field_path(stack, pending_key), f"YAML tag '{tag}' is not allowed",
                                  "remove the tag; values are plain text, numbers, dates, lists and mappings"))
        if isinstance(event, yaml.ScalarEvent):
            attach(Node("scalar", line, col, event.value, plain=event.style in (None, "")))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise _Reject(Problem(path, line, col, _field_path(stack, pending_key), f"nested more than {MAX_DEPTH} levels deep",
                                      "claim and source files are at most a few levels deep; check the indentation"))
            node = Node("map" if isinstance(event, yaml.MappingStartEvent) else "seq", line, col, [])
            attach(node)
            stack.append(node)
            pending_key.append(None)
        else:  # end of a collection
            stack.pop()
            pending_key.pop()
    return root


def _is_implicit(event) -> bool:
    implicit = getattr(event, "implicit", True)
    if isinstance(implicit, tuple):
        return any(implicit) and event.tag is None
    return bool(implicit)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _field_path(stack: list[Node], pending_key: list[Node | None]) -> str:
    """The dotted field path of the value being parsed, for messages."""
    path = ""
    levels = list(zip(stack, pending_key, strict=False))
    for depth, (node, key) in enumerate(levels):
        if node.kind == "seq":
            index = len(node.value) - (0 if depth == len(levels) - 1 else 1)
            path += f"[{index}]"
            continue
        if key is None and depth < len(levels) - 1 and node.value:
            key = node.pairs[-1][0]
        if key is not None:
            path = _join(path, key.text)
    return path


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "invalid YAML").strip()
    context = f" {exc.context.strip()}" if exc.context else ""
    hint = "check the indentation and that every quote is closed"
    lines = text.splitlines()
    bad_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    runaway = _runaway_quote(text, mark) if mark else None
    if "\t" in problem or "\t" in bad_line[: mark.column + 1 if mark else 0]:
        hint = "indent with spaces, not tabs"
    elif "\ufeff" in bad_line:
        hint = "delete the invisible byte-order mark (U+FEFF) in this line; it is only allowed at the start of the file"
    elif runaway is not None:
        quote = runaway.style
        line, col = _pos(runaway.start_mark)
        return Problem(path, line, col, "", f"invalid YAML: the text quoted with {quote} here runs on to line "
                                            f"{runaway.end_mark.line + 1}",
                       f"a quoted value is never closed: add the closing {quote}")
    elif "end of stream" in problem and "quot" in context:
        hint = "a quoted value is never closed: add the closing quote"
        mark = exc.context_mark or mark
    elif "mapping values are not allowed" in problem and mark and _SIMPLE_KEY.fullmatch(bad_line[: mark.column]):
        key = bad_line[: mark.column].strip().lstrip("- ")
        hint = f"'{key}:' is indented more than the field above it; fields of one entry start in the same column"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted"
    elif "expected key" in problem or "expected '-' indicator" in problem:
        hint = "this line is indented differently from the lines above it; fields of one entry start in the same column"
    elif "flow sequence" in context or "flow mapping" in context:
        closing = "]" if "sequence" in context else "}"
        opened = exc.context_mark or mark
        where = f" opened on line {opened.line + 1}" if opened else ""
        hint = f"the list or mapping{where} needs a closing '{closing}'"
    line, col = _pos(mark) if mark else (1, 1)
    return Problem(path, line, col, "", f"invalid YAML: {problem}{context}", hint)


_SIMPLE_KEY = re.compile(r"\s*(?:- )?[A-Za-z_][\w-]*")


def _runaway_quote(text: str, mark) -> yaml.ScalarToken | None:
    """A quoted value that starts on an earlier line and ends on the error's line: most likely its closing
    quote is missing, and it swallowed the lines up to the next quote character."""
    last = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= mark.index:
                break
            if isinstance(token, yaml.ScalarToken):
                last = token
    except yaml.YAMLError:
        pass
    if last is not None and last.style in ("'", '"') and last.start_mark.line < last.end_mark.line == mark.line:
        return last
    return None
