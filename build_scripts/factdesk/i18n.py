"""Interface text in the reader's language, from standard gettext message catalogues (`.po` files).

Two catalogues serve each language, read as they are (nothing compiled is committed):
- the generator's own, `factdesk/locale/<language>/LC_MESSAGES/factdesk.po`: the templates' labels;
- the project's, `locale/<language>/LC_MESSAGES/site.po` next to mkdocs.yml: the rating scale's labels and
  definitions and the timeline's events, whose English text is the message id. A project entry wins over the
  generator's.
The English text is the message id everywhere, so a missing or untranslated entry shows the English.
`pybabel extract -F babel.cfg -o build_scripts/factdesk/locale/factdesk.pot build_scripts/factdesk` refreshes the
template of the generator's catalogue; a test checks it is current.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

PACKAGE_DOMAIN = "factdesk"
PROJECT_DOMAIN = "site"


def catalogue(language: str, project_root: Path | None = None) -> gettext.NullTranslations:
    """The translations for `language`: the project's catalogue over the generator's; English needs none."""
    package = _package_po(language)
    project = project_root / "locale" / language / "LC_MESSAGES" / f"{PROJECT_DOMAIN}.po" if project_root else None
    found = tuple((str(p), p.stat().st_mtime_ns) for p in (package, project) if p is not None and p.is_file())
    return _compiled(found, language) if found else gettext.NullTranslations()


def _package_po(language: str) -> Path | None:
    path = resources.files("factdesk").joinpath("locale", language, "LC_MESSAGES", f"{PACKAGE_DOMAIN}.po")
    return Path(str(path)) if path.is_file() else None


@lru_cache(maxsize=16)
def _compiled(files: tuple[tuple[str, int], ...], language: str) -> Translations:
    """The .po files merged (later ones win) and compiled in memory; cached until a file changes."""
    merged = Catalog(locale=language)
    for path, _ in files:
        with open(path, "rb") as fh:
            for message in read_po(fh):
                if message.id and message.string and not message.fuzzy:
                    merged.add(message.id, message.string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, merged, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)
