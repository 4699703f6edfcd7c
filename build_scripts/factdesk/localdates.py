"""Dates, numbers and text direction as readers of each language write them.

Pure functions with no MkDocs import, so the renderer, the feeds and the
exports can all use them. Language codes are CLDR/Babel locale identifiers
("fa", "en", "de", "fa_IR"; "fa-IR" is accepted too).

The Solar Hijri conversion comes from persiantools, not from arithmetic
written here. Chosen over jdatetime (both are pure-Python wheels for Python
3.9-3.14 and both had releases in 2026) because:
  * persiantools is MIT-licensed like Factdesk and has no dependencies;
    jdatetime (PSF-2.0) gets its conversion from jalali-core, a separate
    package under LGPL-2.1 with one release (2024).
  * from 6.2 its conversion is derived from the same leap-year rule as its
    validation (the 33-year rule plus the astronomical corrections that start
    in 1502 SH), so the two cannot disagree. Earlier releases did (issues #41,
    #48, PR #68 in its tracker), hence the ">=6.2" pin and the Nowruz tests.
  * the two libraries give the same Solar Hijri date for every day from
    1900-01-01 to 2124-03-19 (checked day by day when choosing).
"""

from __future__ import annotations

import datetime as dt
import re

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup
from persiantools.jdatetime import JalaliDate

RTL_LANGUAGES = frozenset({"fa", "ar", "he", "ur", "ps", "ckb", "dv", "yi", "sd"})

SOLAR_HIJRI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                      "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")

# Plain forms, without the ezafe hamza (ژانویهٔ) that CLDR puts in its
# "format" month names: Persian news sites write "۲۰ ژانویه ۲۰۲۶" and
# "۱۶ دسامبر" (Tabnak, Ecoiran, BBC Persian). Kept here rather than read from
# Babel so a CLDR update cannot change the spelling on published pages.
GREGORIAN_MONTHS_FA = ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
                       "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر")

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Embedding and isolate controls (LRE..RLO, LRI..PDI). Contributor text may not
# hold them (the validator rejects them); they are dropped before isolating so
# that a stray PDI can never close the generator's isolate early.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"


def long_date(value: dt.date, language: str) -> str:
    """The date as readers of `language` write it in running text."""
    locale = _locale(language)
    if _is_persian_of_iran(locale):
        return _persian_long_date(value)
    if str(locale) == "en":
        # The site's English house style, as on every page so far: "4 January 2026".
        return format_date(value, "d MMMM y", locale="en")
    return format_date(value, format="long", locale=locale)


def _persian_long_date(value: dt.date) -> str:
    """Solar Hijri date first, Gregorian beside it: "۱۴ دی ۱۴۰۴ (۴ ژانویه ۲۰۲۶)"."""
    solar = JalaliDate.to_jalali(value.year, value.month, value.day)
    text = (f"{solar.day} {SOLAR_HIJRI_MONTHS[solar.month - 1]} {solar.year}"
            f" ({value.day} {GREGORIAN_MONTHS_FA[value.month - 1]} {value.year})")
    return text.translate(_PERSIAN_DIGITS)


def _is_persian_of_iran(locale: Locale) -> bool:
    # Afghan Persian (fa_AF) names the Solar Hijri months differently (حمل، ثور، …),
    # so it gets Babel's formatting until someone writes its style down.
    return locale.language == "fa" and locale.territory in (None, "IR")


def digits(text: str, language: str) -> str:
    """Latin digits turned into Persian ones for Persian; the text unchanged otherwise."""
    if _base(language) == "fa":
        return text.translate(_PERSIAN_DIGITS)
    return text


def number(n: int, language: str) -> str:
    """A whole number with the digits and thousands separator of `language`."""
    locale = _locale(language)
    if locale.language == "fa":
        # Babel gives the Persian separator (U+066C ٬) but never changes digits.
        return digits(format_decimal(n, locale=locale, numbering_system="arabext"), "fa")
    return format_decimal(n, locale=locale)


def isolate_html(text: str) -> Markup:
    """Left-to-right text (a quote, a name, a URL) isolated for use inside right-to-left HTML."""
    cleaned = _BIDI_CONTROLS.sub("", str(text))
    if hasattr(text, "__html__"):  # already-safe markup stays markup; dropping controls cannot open a tag
        cleaned = Markup(cleaned)
    return Markup('<bdi dir="ltr">{}</bdi>').format(cleaned)


def isolate_text(text: str) -> str:
    """The same for plain text (titles, feeds): U+2068 FSI … U+2069 PDI around it."""
    return f"{FSI}{_BIDI_CONTROLS.sub('', text)}{PDI}"


def direction(language: str) -> str:
    """"rtl" for languages written right to left, "ltr" for the others."""
    return "rtl" if _base(language) in RTL_LANGUAGES else "ltr"


def language_problem(code: str) -> str | None:
    """Why `code` is not a language Factdesk can format, or None when it is."""
    if not isinstance(code, str) or not code.strip():
        return "expected a language code such as 'fa' or 'en', found nothing"
    try:
        Locale.parse(_normalise(code))
    except UnknownLocaleError:
        language, _, rest = _normalise(code).partition("_")
        if rest and known_language(language):
            return (f"unknown language code {code!r}: the locale data (CLDR) knows the language"
                    f" {language!r} but not the region {rest!r}; use {language!r} alone or a known region")
        return (f"unknown language code {code!r}: the locale data (CLDR) has no language {language!r};"
                f" use a code such as 'fa' or 'en'")
    except ValueError:
        return (f"{code!r} is not a language code: expected a language such as 'fa',"
                f" optionally with a region, 'fa_IR'")
    return None


def known_language(code: str) -> bool:
    """Whether Babel's locale data knows `code`."""
    return language_problem(code) is None


def language_name(code: str, in_language: str) -> str:
    """The name of language `code` as written in `in_language` ("فارسی", "English", "Persian"); when that
    language has no name for it, its own name, or else the code."""
    locale = _locale(code)
    return locale.get_display_name(_locale(in_language)) or locale.get_display_name() or code


def _locale(code: str) -> Locale:
    problem = language_problem(code)
    if problem:
        raise ValueError(problem)
    return Locale.parse(_normalise(code))


def _normalise(code: str) -> str:
    return code.strip().replace("-", "_")


def _base(code: str) -> str:
    return _normalise(code).split("_")[0].lower()
