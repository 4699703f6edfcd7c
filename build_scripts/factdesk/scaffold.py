"""New files from commented templates: a claim, a source, or a whole project that builds."""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from .convert import Reader, id_error
from .load import Layout
from .model import CLAIMANT_KINDS, SOURCE_KINDS, STANCES, Scale
from .schema import write_schemas
from .yamlstrict import Node, parse_yaml

SCHEMA_FOLDER = "schemas"
# Which schema each kind of data file names on its first line.
SCHEMA_OF = {"claim": "claim.schema.json", "source": "source.schema.json", "ratings": "ratings.schema.json"}


class ScaffoldError(Exception):
    """The file or folder cannot be written; the message says why and what to do."""


def new_record(layout: Layout, kind: str, record_id: str, today: dt.date) -> Path:
    """Write claims/<id>.yaml or <sources>/<id>.yaml from its commented template; return its path."""
    wrong = id_error(record_id, Node("scalar", 1, 1, record_id).describe())
    if wrong:
        message, hint = wrong
        raise ScaffoldError(f"id: {message}" + (f" Hint: {hint}" if hint else ""))
    folder = layout.claims_dir if kind == "claim" else layout.sources_dir
    target = folder / f"{record_id}.yaml"
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{layout.rel(target)} already exists; edit it, or choose another id")
    if not folder.is_dir():
        raise ScaffoldError(f"folder {layout.rel(folder)} not found; create it, or run the command inside the project")
    text = _environment().get_template(f"{kind}.yaml.j2").render(
        id=record_id, today=today.isoformat(), schema=_schema_ref(layout, folder, kind),
        ratings=_rating_ids(layout, today), ratings_file=layout.rel(layout.ratings_file),
        sources_dir=layout.rel(layout.sources_dir), claimant_kinds=CLAIMANT_KINDS, stances=STANCES, kinds=SOURCE_KINDS)
    with open(target, "x", encoding="utf-8") as out:  # "x": never overwrite, even if created meanwhile
        out.write(text)
    return target


def init_project(folder: Path, *, title: str, site_url: str, language: str = "en") -> list[Path]:
    """Create a complete project (configuration, pages, scale, an example claim, schemas) in an empty folder.

    `language` is the language the desk writes its claims in: the theme's and the interface's."""
    from .localdates import language_problem
    from .render import folds_search

    wrong = language_problem(language)
    if wrong:
        raise ScaffoldError(f"--language: {wrong}")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} is not an empty folder; give a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    layout = Layout.under(folder)
    written = write_schemas(folder / SCHEMA_FOLDER)
    starter = resources.files("factdesk") / "starter" / "project"
    env = _environment()
    for rel, item in _walk(starter):
        target = folder / rel.removesuffix(".j2")
        if rel == "gitignore":  # stored without its dot so packaging tools keep it
            target = folder / ".gitignore"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = item.read_text(encoding="utf-8")
        if rel.endswith(".j2"):
            text = env.from_string(text).render(title=title, site_url=site_url, language=language,
                                                fold=folds_search(language))
        kind = _data_kind(layout, target)
        if kind:
            text = f"# yaml-language-server: $schema={_schema_ref(layout, target.parent, kind)}\n" + text
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return sorted(written)


def _environment() -> Environment:
    from jinja2 import PackageLoader

    return Environment(loader=PackageLoader("factdesk", "starter"), undefined=StrictUndefined,
                       keep_trailing_newline=True, autoescape=False)


def _walk(folder, prefix: str = ""):
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        rel = f"{prefix}{item.name}"
        if item.is_dir():
            yield from _walk(item, rel + "/")
        else:
            yield rel, item


def _data_kind(layout: Layout, path: Path) -> str:
    if path.suffix != ".yaml":
        return ""
    if path.parent == layout.sources_dir:
        return "source"
    if path.parent == layout.claims_dir:
        return "claim"
    return "ratings" if path == layout.ratings_file else ""


def _schema_ref(layout: Layout, folder: Path, kind: str) -> str:
    return Path(os.path.relpath(layout.root / SCHEMA_FOLDER / SCHEMA_OF[kind], folder)).as_posix()


def _rating_ids(layout: Layout, today: dt.date) -> list[str]:
    """The project's rating ids, for the template's notes (empty if the scale cannot be read yet)."""
    try:
        root, _ = parse_yaml(layout.ratings_file.read_bytes(), layout.rel(layout.ratings_file))
    except OSError:
        return []
    scale = Reader(layout.rel(layout.ratings_file), today=today).read(root, Scale) if root else None
    return scale.ids if scale else []
