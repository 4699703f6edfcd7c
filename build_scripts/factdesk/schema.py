"""JSON Schemas for the data files, generated from the model so editors check what the build checks.

`python -m factdesk.schema [folder]` writes them (default: schemas/); a test keeps the committed
copies equal to what this module generates. The schemas are a second, independent check: they know
each field's type, allowed values and limits, but not the rules between fields and files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .convert import CONTROL_RE, DATE_RE, ID_MAX, ID_RE
from .model import MAX_TEXT, Claim, ClaimTranslation, Scale, Source, SourceTranslation, Timeline, yaml_fields

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# File name of each schema, the record it describes, and its title.
SCHEMAS: dict[str, tuple[type, str]] = {
    "claim.schema.json": (Claim, "Factdesk claim file"),
    "source.schema.json": (Source, "Factdesk source file"),
    "claim-translation.schema.json": (ClaimTranslation, "Factdesk claim translation file"),
    "source-translation.schema.json": (SourceTranslation, "Factdesk source translation file"),
    "ratings.schema.json": (Scale, "Factdesk rating scale"),
    "events.schema.json": (Timeline, "Factdesk timeline events"),
}

_ID = {"type": "string", "pattern": ID_RE.pattern, "maxLength": ID_MAX}
_TEXT_RULES = {"pattern": r"\S", "not": {"pattern": CONTROL_RE.pattern}}
# A file name next to the data file: not absolute, no backslash, no drive letter, no '..' step.
_PATH = r"^(?![/\\])(?![A-Za-z]:)(?!.*\\)(?!(?:.*/)?\.\.(?:/|$)).+$"
_SCALARS: dict[str, dict[str, object]] = {
    "id": _ID,
    "rating": _ID,  # the scale differs between projects; `factdesk check` knows the project's ratings
    "source_ref": _ID,
    "claim_ref": _ID,
    "date": {"type": "string", "pattern": DATE_RE.pattern, "format": "date"},
    "url": {"type": "string", "pattern": r"^https?://[^\s/?#]+[^\s]*$", "format": "uri"},
    "path": {"type": "string", "pattern": _PATH},
    "colour": {"type": "string", "pattern": r"^#[0-9a-fA-F]{6}$"},
    "int": {"type": "integer", "minimum": -999_999_999, "maximum": 999_999_999},
    "bool": {"type": "boolean"},
}


def schema_for(cls: type, title: str) -> dict:
    """The JSON Schema (draft 2020-12) of one kind of data file."""
    defs: dict[str, dict] = {}
    body = _object(cls, defs)
    schema = {"$schema": DRAFT, "title": title, **body}
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def render_schemas() -> dict[str, str]:
    """Every schema as formatted JSON text, keyed by file name."""
    return {name: json.dumps(schema_for(cls, title), indent=2, ensure_ascii=False) + "\n"
            for name, (cls, title) in SCHEMAS.items()}


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def _object(cls: type, defs: dict[str, dict]) -> dict:
    properties = {f.name: _field(f.metadata, defs) for f in yaml_fields(cls)}
    required = [f.name for f in yaml_fields(cls) if f.metadata["required"]]
    out: dict[str, object] = {"description": (cls.__doc__ or "").strip(), "type": "object", "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _field(meta: dict, defs: dict[str, dict]) -> dict:
    out = {"description": meta["doc"], **_value(meta["kind"], meta, defs)}
    if not meta["required"] and meta.get("default") is not None:
        out["default"] = meta["default"]
    return out


def _value(kind: str, meta: dict, defs: dict[str, dict]) -> dict:
    if kind == "list":
        item = meta["item"]
        if isinstance(item, type):
            name = item.__name__.lower()
            defs.setdefault(name, _object(item, defs))
            items = {"$ref": f"#/$defs/{name}"}
        else:
            items = _value(item, {"max_len": meta.get("max_len"), "choices": ()}, defs)
        out = {"type": "array", "items": items, "maxItems": meta["max_items"]}
        if meta.get("min_items"):
            out["minItems"] = meta["min_items"]
        if item in ("id", "claim_ref", "source_ref"):
            out["uniqueItems"] = True
        return out
    if kind in ("text", "markdown"):
        return {"type": "string", "minLength": 1, "maxLength": meta.get("max_len") or MAX_TEXT, **_TEXT_RULES}
    if kind == "choice":
        return {"type": "string", "enum": list(meta["choices"])}
    return dict(_SCALARS[kind])


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas")
    for path in write_schemas(target):
        print(path)
