"""Share cards: the image a chat app or social network shows for a link to a claim page (og:image).

A card is a 1200×630 PNG with the verdict badge, the claim and the site's name, in the edition's language.
Text is laid out by Pillow with its RAQM engine (HarfBuzz shaping, FriBiDi ordering): without it Persian is
drawn with disconnected letters in the wrong order, so a Pillow without RAQM is refused. Lines are broken by
the width the shaped text really takes. The same inputs give the same bytes (no timestamps in the PNG), and
`cached_card` renders a card only when the memo has none for its inputs.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, features

from . import localdates
from .memo import Memo, key
from .render import text_colour

LAYOUT = ImageFont.Layout.RAQM  # shaping and bidirectional text; BASIC would draw Persian letters apart
CARD_VERSION = 2  # raise it whenever the drawing changes: every card is then rendered again
NAMESPACE = "card"
WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BAND = 14  # the strip in the verdict's colour along the top edge
BADGE_TOP, BADGE_HEIGHT, BADGE_PADDING, BADGE_SIZE = 64, 76, 30, 42
TEXT_TOP, TEXT_BOTTOM = 186, 508  # the box the claim is written in
CLAIM_SIZES = (60, 52, 44)  # tried in turn: the largest at which the whole claim fits
LINE_HEIGHT = 1.5  # times the font size; Persian letters reach far above and below the line
RULE_Y = 532
FOOTER_Y, FOOTER_SIZE = 556, 30
GAP = 40  # at least this much between the site's name and the date
ELLIPSIS = "…"
PAPER, INK, MUTED, RULE = "#ffffff", "#111827", "#4b5563", "#e5e7eb"
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")  # break at spaces; never at a no-break space or a ZWNJ


class CardError(Exception):
    """A card cannot be drawn; the message says why and what to do."""


@dataclass(frozen=True)
class CardFonts:
    """The font files of the cards: `regular` for the claim and the date, `bold` for the verdict and site name.
    Both need Persian and Latin letters (Vazirmatn has both)."""

    regular: Path
    bold: Path

    @functools.cached_property
    def digest(self) -> str:
        """What the cards' appearance depends on in the font files: their bytes."""
        digest = hashlib.sha256()
        for path in (self.regular, self.bold):
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        return _font(self.bold if bold else self.regular, size)


def render_card(claim_text: str, rating_label: str, rating_colour: str, site_name: str, language: str,
                fonts: CardFonts, date: str = "") -> bytes:
    """The card as PNG bytes: the verdict in its badge colour, the claim, the site's name and (if it fits) the
    date, laid out right to left for a right-to-left language."""
    require_raqm()
    rtl = localdates.direction(language) == "rtl"  # the edition's: where the badge and the site's name go
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAND - 1), fill=rating_colour)
    _badge(draw, rating_label, rating_colour, language, fonts, rtl)
    size, lines = claim_lines(claim_text, language, fonts)
    font = fonts.font(size)
    right = _direction(claim_text, language) == "rtl"  # an untranslated claim reads left to right
    for i, line in enumerate(lines):
        _text(draw, line, font, INK, TEXT_TOP + round(i * size * LINE_HEIGHT), right, language)
    draw.rectangle((MARGIN, RULE_Y, WIDTH - MARGIN - 1, RULE_Y + 1), fill=RULE)
    _footer(draw, site_name, date, language, fonts, rtl)
    out = io.BytesIO()
    # Every pixel is one of the card's colours or a blend of two that touch: a palette of those keeps the
    # colours exact and the text's edges smooth, at a third of the size. Pillow writes no time or text chunks.
    image.quantize(palette=_palette(rating_colour), dither=Image.Dither.NONE).save(out, "PNG")
    return out.getvalue()


def cached_card(memo: Memo, claim_text: str, rating_label: str, rating_colour: str, site_name: str, language: str,
                fonts: CardFonts, date: str = "") -> bytes:
    """The card for these inputs from the memo; rendered (and kept) only when it has none."""
    digest = key(CARD_VERSION, claim_text, rating_label, rating_colour, language, site_name, date, fonts.digest)
    png = memo.get(NAMESPACE, digest)
    if png is None:
        png = render_card(claim_text, rating_label, rating_colour, site_name, language, fonts, date)
        memo.put(NAMESPACE, digest, png)
    return png


def require_raqm() -> None:
    """Refuse to draw without Pillow's RAQM layout engine."""
    if not features.check_feature("raqm"):
        raise CardError("Pillow was built without its RAQM layout engine (libraqm), so Persian would be drawn with "
                        "disconnected letters. Hint: install Pillow from its wheels (pip install --force-reinstall "
                        "pillow), which include it, or turn share_cards off")


def claim_lines(claim_text: str, language: str, fonts: CardFonts) -> tuple[int, list[str]]:
    """The font size and lines of the claim: the largest size at which it fits the box, else the smallest
    size with as much of it as fits and an ellipsis."""
    width = WIDTH - 2 * MARGIN
    for size in CLAIM_SIZES:
        most = int((TEXT_BOTTOM - TEXT_TOP - size) // (size * LINE_HEIGHT)) + 1
        lines, cut = wrap(claim_text, fonts.font(size), width, most, language)
        if not cut:
            return size, lines
    return size, lines


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, most: int, language: str) -> tuple[list[str], bool]:
    """`text` broken into at most `most` lines no wider than `width` as shaped with `font`, and whether some
    of it had to be left out (the last line then ends with an ellipsis)."""
    def fits(line: str) -> bool:
        return _width(font, line, language) <= width

    lines: list[str] = []
    cut = False
    for word in _SPACES.split(text.strip()):
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            if not fits(word):  # a word longer than a line (a URL, say)
                word, cut = _shortened(word, fits), True
            lines.append(word)
    if len(lines) > most:
        lines, cut = lines[:most], True
        lines[-1] = _shortened(lines[-1], fits)
    return lines, cut


def _shortened(line: str, fits) -> str:
    """The line with words (or, for a single long word, letters) dropped from its end until it fits with an
    ellipsis."""
    words = line.split(" ")
    while len(words) > 1 and not fits(" ".join(words) + ELLIPSIS):
        words.pop()
    line = " ".join(words)
    while line and not fits(line + ELLIPSIS):
        line = line[:-1]
    return line.rstrip(" \u200c،,;:") + ELLIPSIS


def _badge(draw: ImageDraw.ImageDraw, label: str, colour: str, language: str, fonts: CardFonts, rtl: bool) -> None:
    font = fonts.font(BADGE_SIZE, bold=True)
    most = WIDTH - 2 * MARGIN - 2 * BADGE_PADDING
    label = label if _width(font, label, language) <= most else \
        _shortened(label, lambda text: _width(font, text, language) <= most)
    width = round(_width(font, label, language)) + 2 * BADGE_PADDING
    left = WIDTH - MARGIN - width if rtl else MARGIN
    box = (left, BADGE_TOP, left + width - 1, BADGE_TOP + BADGE_HEIGHT - 1)  # Pillow's corners are inclusive
    draw.rounded_rectangle(box, radius=14, fill=colour)
    draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), label, font=font, fill=text_colour(colour),
              anchor="mm", **_shaping(label, language))


def _footer(draw: ImageDraw.ImageDraw, site_name: str, date: str, language: str, fonts: CardFonts,
            rtl: bool) -> None:
    name_font, date_font = fonts.font(FOOTER_SIZE, bold=True), fonts.font(FOOTER_SIZE)
    width = WIDTH - 2 * MARGIN
    name = site_name if _width(name_font, site_name, language) <= width else \
        _shortened(site_name, lambda text: _width(name_font, text, language) <= width)
    _text(draw, name, name_font, INK, FOOTER_Y, rtl, language)
    if date and _width(name_font, name, language) + GAP + _width(date_font, date, language) <= width:
        _text(draw, date, date_font, MUTED, FOOTER_Y, not rtl, language)


def _text(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, fill: str, top: int,
          right: bool, language: str) -> None:
    """One line, aligned to the right or left margin, with its ascender at `top`."""
    x, anchor = (WIDTH - MARGIN, "ra") if right else (MARGIN, "la")
    draw.text((x, top), text, font=font, fill=fill, anchor=anchor, **_shaping(text, language))


def _palette(rating_colour: str, steps: int = 16) -> Image.Image:
    """The card's colours and the blends of each pair that meet at an edge, as a palette image. Pillow looks
    colours up in a palette by coarse cells (8 levels a channel), so no two entries share a cell, and the plain
    colours, put first, stay exact."""
    pairs = ((PAPER, INK), (PAPER, MUTED), (PAPER, RULE), (PAPER, rating_colour),
             (rating_colour, text_colour(rating_colour)))
    plain = [ImageColor.getrgb(c) for pair in pairs for c in pair]
    blends = [tuple(round(s + (e - s) * i / steps) for s, e in zip(start, end, strict=True))
              for start, end in ((ImageColor.getrgb(a), ImageColor.getrgb(b)) for a, b in pairs)
              for i in range(1, steps)]
    colours: dict[tuple[int, ...], tuple[int, ...]] = {}  # cache cell -> colour
    for colour in (*plain, *blends):
        colours.setdefault(tuple(v >> 3 for v in colour), colour)
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours.values() for value in colour])
    return palette


def _width(font: ImageFont.FreeTypeFont, text: str, language: str) -> float:
    """How wide the text is once shaped, as it will be drawn."""
    return font.getlength(text, **_shaping(text, language))


def _shaping(text: str, language: str) -> dict:
    """What the layout engine is told about a run of text: its direction and language (RAQM only takes them)."""
    if LAYOUT != ImageFont.Layout.RAQM:
        return {}
    return {"direction": _direction(text, language), "language": language}


def _direction(text: str, language: str) -> str:
    """The direction a text is laid out in. In a right-to-left edition, any text with a right-to-left letter
    is (a Persian sentence may begin with a Latin name); any other text takes that of its first letter with a
    strong direction, as a browser's dir=auto does (a claim not yet translated reads left to right)."""
    kinds = [unicodedata.bidirectional(char) for char in text]
    if localdates.direction(language) == "rtl" and ("R" in kinds or "AL" in kinds):
        return "rtl"
    return "rtl" if next((k for k in kinds if k in ("L", "R", "AL")), "L") != "L" else "ltr"


@functools.lru_cache(maxsize=32)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(path), size, layout_engine=LAYOUT)
    except OSError as exc:
        raise CardError(f"{path.name}: cannot read it as a TrueType or OpenType font ({exc}) "
                        "Hint: run `npm ci` to restore the Vazirmatn fonts, or name another font file") from None
