"""localdates: dates, numbers, direction and isolation per language, against known pairs.

Solar Hijri pairs were checked against sources independent of the library:
* 1 Farvardin 1403 = Wednesday 20 March 2024: the University of Tehran
  Geophysics Institute's calendar centre put the equinox at 06:36:26 Tehran
  time that day, before noon, so the year began that day (reported by
  mokhatab24.ir, zendegisalem.com, mamlekatonline.ir). 1402 was therefore a
  common year (Esfand 29 days) and 1403 a leap year (Esfand 30 days).
* 30 Esfand 1403 = 20 March 2025 and 1 Farvardin 1404 = Friday 21 March 2025
  (equinox 12:31:30, after noon: eghtesaad24.ir, snn.ir, pelak5.ir).
* 1 Farvardin 1405 = 21 March 2026: the equinox fell at 18:15:59 on Friday
  29 Esfand 1404 (20 March 2026), after noon (trendha.ir, quoting the same
  institute), so 1404 has 29 days in Esfand.
* 1 Farvardin 1401 = 21 March 2022 (equinox 19:03:26 on 29 Esfand 1400 =
  20 March 2022, iribnews.ir); 1 Farvardin 1402 = 21 March 2023 (00:54:28,
  tabnak.ir, afkarnews.com).
* 30 Dey 1404 = 20 January 2026 (ecoiran.com's Dey 1404 table), which puts
  14 Dey 1404 on 4 January 2026.
One calendar page in the same search (excelnotes.com) gives Nowruz 2024 as
21 March: that is the usual date, not the 2024 one.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from babel import Locale
from factdesk.localdates import (
    GREGORIAN_MONTHS_FA,
    RTL_LANGUAGES,
    SOLAR_HIJRI_MONTHS,
    digits,
    direction,
    isolate_html,
    isolate_text,
    known_language,
    language_name,
    language_problem,
    long_date,
    number,
)
from markupsafe import Markup

D = dt.date.fromisoformat


@pytest.mark.parametrize(("gregorian", "persian"), [
    ("2026-01-04", "۱۴ دی ۱۴۰۴ (۴ ژانویه ۲۰۲۶)"),
    ("2025-06-13", "۲۳ خرداد ۱۴۰۴ (۱۳ ژوئن ۲۰۲۵)"),
    ("2026-02-28", "۹ اسفند ۱۴۰۴ (۲۸ فوریه ۲۰۲۶)"),
    ("2026-03-21", "۱ فروردین ۱۴۰۵ (۲۱ مارس ۲۰۲۶)"),   # Nowruz 1405
    ("2026-03-20", "۲۹ اسفند ۱۴۰۴ (۲۰ مارس ۲۰۲۶)"),   # 1404 is a common year
    ("2024-03-20", "۱ فروردین ۱۴۰۳ (۲۰ مارس ۲۰۲۴)"),   # Nowruz 1403 on the 20th
    ("2024-03-19", "۲۹ اسفند ۱۴۰۲ (۱۹ مارس ۲۰۲۴)"),   # 1402 is a common year
    ("2025-03-20", "۳۰ اسفند ۱۴۰۳ (۲۰ مارس ۲۰۲۵)"),   # 1403 is a leap year
    ("2025-03-21", "۱ فروردین ۱۴۰۴ (۲۱ مارس ۲۰۲۵)"),
    ("2024-02-29", "۱۰ اسفند ۱۴۰۲ (۲۹ فوریه ۲۰۲۴)"),   # Gregorian leap day
    ("2025-05-04", "۱۴ اردیبهشت ۱۴۰۴ (۴ مه ۲۰۲۵)"),
    ("2025-07-09", "۱۸ تیر ۱۴۰۴ (۹ ژوئیه ۲۰۲۵)"),
])
def test_persian_long_date_is_solar_hijri_with_gregorian_beside_it(gregorian, persian):
    assert long_date(D(gregorian), "fa") == persian


@pytest.mark.parametrize(("year", "nowruz"), [
    (1399, "2020-03-20"), (1400, "2021-03-21"), (1401, "2022-03-21"), (1402, "2023-03-21"),
    (1403, "2024-03-20"), (1404, "2025-03-21"), (1405, "2026-03-21"),
])
def test_nowruz_falls_on_the_published_day(year, nowruz):
    first = long_date(D(nowruz), "fa")
    eve = long_date(D(nowruz) - dt.timedelta(days=1), "fa")
    assert first.startswith(digits(f"1 فروردین {year} (", "fa"))
    assert eve.split(" (")[0].split(" ")[1:] == ["اسفند", digits(str(year - 1), "fa")]


def test_solar_hijri_days_follow_each_other_without_gaps():
    """Every day 1990-2100: the next day, or day 1 of the next month, with the calendar's month lengths."""
    def parts(value):
        day, month, year = long_date(value, "fa").split(" (")[0].split(" ")
        back = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
        return int(year.translate(back)), SOLAR_HIJRI_MONTHS.index(month) + 1, int(day.translate(back))

    value, last = D("1990-01-01"), parts(D("1990-01-01"))
    while value < D("2100-12-31"):
        value += dt.timedelta(days=1)
        now = parts(value)
        if now[2] != last[2] + 1:
            length = 31 if last[1] <= 6 else 30 if last[1] <= 11 else None
            assert now[2] == 1, value
            assert last[2] == length or (last[1] == 12 and last[2] in (29, 30)), value
            assert (now[0], now[1]) == ((last[0], last[1] + 1) if last[1] < 12 else (last[0] + 1, 1)), value
        last = now


def test_persian_dates_use_persian_digits_and_plain_month_names():
    text = " ".join(long_date(D(f"2025-{m:02}-15"), "fa") for m in range(1, 13))
    assert not any(c.isascii() and c.isdigit() for c in text)
    assert "\u0654" not in text   # no ezafe hamza: ژانویه, not ژانویهٔ
    assert all(name in text for name in GREGORIAN_MONTHS_FA)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "4 January 2026"),
    ("de", "4. Januar 2026"),
    ("en_US", "January 4, 2026"),
    ("fr", "4 janvier 2026"),
    ("fa_IR", "۱۴ دی ۱۴۰۴ (۴ ژانویه ۲۰۲۶)"),
    ("fa-IR", "۱۴ دی ۱۴۰۴ (۴ ژانویه ۲۰۲۶)"),
])
def test_long_date_in_other_languages(language, expected):
    assert long_date(D("2026-01-04"), language) == expected


def test_english_long_date_matches_the_house_style_for_every_month():
    months = ("January February March April May June July August September October November December").split()
    assert [long_date(dt.date(2026, m, 9), "en") for m in range(1, 13)] == [f"9 {name} 2026" for name in months]


def test_afghan_persian_falls_back_to_the_locale_data():
    # Dari names the Solar Hijri months differently; until that style is written down, Babel's is used.
    assert long_date(D("2026-01-04"), "fa_AF") == "4 جنوری 2026"


def test_long_date_rejects_unknown_languages():
    with pytest.raises(ValueError, match="has no language 'xx'"):
        long_date(D("2026-01-04"), "xx")


def test_digits():
    assert digits("2026-01-04, 12:30", "fa") == "۲۰۲۶-۰۱-۰۴, ۱۲:۳۰"
    assert digits("0123456789", "fa_IR") == "۰۱۲۳۴۵۶۷۸۹"
    assert digits("2026", "en") == "2026"
    assert digits("2026", "ar") == "2026"
    assert digits("", "fa") == ""


@pytest.mark.parametrize(("n", "language", "expected"), [
    (1234567, "fa", "۱٬۲۳۴٬۵۶۷"),
    (1000, "fa", "۱٬۰۰۰"),
    (999, "fa", "۹۹۹"),
    (0, "fa", "۰"),
    (-1234, "fa", "-۱٬۲۳۴"),
    (1234567, "en", "1,234,567"),
    (1234567, "de", "1.234.567"),
    (1234567, "fr", "1\u202f234\u202f567"),
])
def test_number(n, language, expected):
    assert number(n, language) == expected


def test_persian_thousands_separator_is_the_arabic_one():
    assert "\u066c" in number(10_000, "fa") and "," not in number(10_000, "fa")


def test_isolate_html_escapes_and_marks_the_run_left_to_right():
    out = isolate_html('He said "<b>leave</b>" & left')
    assert isinstance(out, Markup)
    assert out == '<bdi dir="ltr">He said &#34;&lt;b&gt;leave&lt;/b&gt;&#34; &amp; left</bdi>'
    assert isolate_html(Markup("<i>ok</i>")) == '<bdi dir="ltr"><i>ok</i></bdi>'  # already safe: not escaped twice
    assert isolate_html("https://example.org/a?b=1&c=2") == '<bdi dir="ltr">https://example.org/a?b=1&amp;c=2</bdi>'


def test_isolate_text_uses_first_strong_isolate_and_pop():
    assert isolate_text("BBC News") == "\u2068BBC News\u2069"
    assert isolate_text("") == "\u2068\u2069"


@pytest.mark.parametrize("isolate", [isolate_text, isolate_html])
def test_isolates_drop_bidi_controls_so_none_can_escape(isolate):
    # U+2066-U+2069 and U+202A-U+202E are rejected in contributor text; only the generator adds them.
    out = str(isolate("a\u2069b\u202ec\u2066d"))
    inner = out.removeprefix("\u2068").removesuffix("\u2069")
    assert "abcd" in inner
    assert not any(c in inner for c in "\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e")


@pytest.mark.parametrize("language", sorted(RTL_LANGUAGES))
def test_right_to_left_languages(language):
    assert direction(language) == "rtl"
    assert Locale.parse(language).text_direction == "rtl"  # the list agrees with CLDR


@pytest.mark.parametrize("language", ["en", "de", "fr", "ru", "tr", "az", "ku", "en_GB", "xx"])
def test_left_to_right_languages(language):
    assert direction(language) == "ltr"


@pytest.mark.parametrize("language", ["fa_IR", "fa-IR", "FA", "ar_EG", "he_IL", "ckb_IQ"])
def test_direction_reads_the_language_part_of_the_code(language):
    assert direction(language) == "rtl"


@pytest.mark.parametrize("code", ["fa", "en", "de", "fa_IR", "fa-IR", "fa_AF", "ckb", "en_GB"])
def test_known_languages(code):
    assert known_language(code)
    assert language_problem(code) is None


@pytest.mark.parametrize(("code", "problem"), [
    ("xx", "unknown language code 'xx': the locale data (CLDR) has no language 'xx'; use a code such as 'fa' or 'en'"),
    ("fa_XX", "unknown language code 'fa_XX': the locale data (CLDR) knows the language 'fa' but not the region"
              " 'XX'; use 'fa' alone or a known region"),
    ("12", "'12' is not a language code: expected a language such as 'fa', optionally with a region, 'fa_IR'"),
    ("", "expected a language code such as 'fa' or 'en', found nothing"),
    ("  ", "expected a language code such as 'fa' or 'en', found nothing"),
])
def test_unknown_languages_are_rejected_with_a_reason(code, problem):
    assert not known_language(code)
    assert language_problem(code) == problem


def test_language_names():
    assert language_name("fa", "fa") == "فارسی"
    assert language_name("en", "en") == "English"
    assert language_name("fa", "en") == "Persian"
    assert language_name("en", "fa") == "انگلیسی"
    with pytest.raises(ValueError, match="no language 'xx'"):
        language_name("xx", "en")


def test_module_does_not_import_mkdocs():
    code = "import sys, factdesk.localdates; print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
