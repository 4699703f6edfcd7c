"""Share cards: Persian shaped as HarfBuzz shapes it, right to left; the verdict badge; the PNG itself; the memo;
and through `factdesk build`, the cards of both editions and the tags that point at them."""

from __future__ import annotations

import io
import struct

import pytest
import uharfbuzz as hb
import yaml
from factdesk import cards
from factdesk.bundle import offline_overrides
from factdesk.memo import Memo
from factdesk.render import text_colour
from helpers import REPO, TESTS, copy_project, edit, npm_package, run
from mkdocs.commands.build import build
from mkdocs.config import load_config
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFilter, ImageFont
from test_reader_features import Page

RELAYS = TESTS / "fixtures" / "relays"
CLAIMS = ("council-confirmed-budget", "mayor-tunnel-escape-plan")
# Two lines at the largest size: letters that join, letters that do not, and zero-width non-joiners.
PERSIAN = "خامنه‌ای برای فرار به مسکو نقشه‌ای آماده کرده است و آن را به دوستانش گفته بود"
LABEL, COLOUR = "نادرست", "#7f1d1d"
SITE = "فکت‌دسک"


@pytest.fixture(scope="module")
def fonts() -> cards.CardFonts:
    folder = npm_package("vazirmatn") / "fonts" / "ttf"
    return cards.CardFonts(folder / "Vazirmatn-Regular.ttf", folder / "Vazirmatn-Bold.ttf")


@pytest.fixture(scope="module")
def persian_card(fonts) -> bytes:
    return cards.render_card(PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۴ دی ۱۴۰۴")


@pytest.fixture
def basic_layout(monkeypatch):
    """Cards drawn with Pillow's BASIC layout, which neither joins Persian letters nor orders them."""
    monkeypatch.setattr(cards, "LAYOUT", ImageFont.Layout.BASIC)
    cards._font.cache_clear()
    yield
    monkeypatch.undo()
    cards._font.cache_clear()


# -- helpers: ink masks and a reference drawn by HarfBuzz alone --------------------------------------

def ink(image: Image.Image, background: int = 255) -> Image.Image:
    """The pixels far from the background's grey level, cropped to their bounding box."""
    mask = ink_mask(image, background)
    return mask.crop(ink_box(mask))


def ink_mask(image: Image.Image, background: int = 255) -> Image.Image:
    return image.convert("L").point(lambda v: 255 if abs(v - background) > 96 else 0)


def ink_box(mask: Image.Image) -> tuple[int, int, int, int]:
    box = mask.getbbox()
    assert box, "no ink found"
    return box


def harfbuzz_ink(text: str, font_path, size: int) -> Image.Image:
    """`text` shaped by HarfBuzz (contextual forms, right-to-left order) and rasterised by HarfBuzz's own
    rasteriser: no Pillow, FreeType or libraqm involved."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_path))))
    font.scale = (size * 64, size * 64)  # 26.6 fixed point: positions in 64ths of a pixel
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.language = "fa"
    hb.shape(font, buffer, {})
    assert buffer.direction == "rtl"
    raster = hb.RasterDraw()
    raster.scale_factor = (64, 64)
    x = 0
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):  # visual order
        raster.transform = (1, 0, 0, 1, x + pos.x_offset, pos.y_offset)
        raster.draw_glyph(font, info.codepoint)
        x += pos.x_advance
    drawn = raster.render()
    size_ = (drawn.extents.width, drawn.extents.height)
    image = Image.frombytes("L", size_, drawn.buffer, "raw", "L", drawn.extents.stride, -1)  # rows bottom-up
    return ink(image, 0)


def agreement(a: Image.Image, b: Image.Image) -> float:
    """How far two ink masks agree, 0 to 1: the share of each one's ink that lies within a pixel of the other's
    (the worse of the two), with both aligned at the top left of their ink."""
    size = (max(a.width, b.width), max(a.height, b.height))
    first, second = Image.new("L", size), Image.new("L", size)
    first.paste(a)
    second.paste(b)
    near_first, near_second = (m.filter(ImageFilter.MaxFilter(3)) for m in (first, second))
    covered = ImageChops.multiply(second, near_first).histogram()[255] / second.histogram()[255]
    covering = ImageChops.multiply(first, near_second).histogram()[255] / first.histogram()[255]
    return min(covered, covering)


def open_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def claim_line(card: Image.Image, index: int, size: int) -> Image.Image:
    """The band of the card holding line `index` of the claim."""
    top = cards.TEXT_TOP + round(index * size * cards.LINE_HEIGHT)
    return card.crop((0, top, cards.WIDTH, top + round(size * cards.LINE_HEIGHT)))  # its ascender to the next's


def badge_box(card: Image.Image) -> tuple[int, int, int, int]:
    """Where the verdict's colour is in the badge row."""
    row = card.convert("RGB").crop((0, cards.BADGE_TOP, cards.WIDTH, cards.BADGE_TOP + cards.BADGE_HEIGHT))
    paper = Image.new("RGB", row.size, cards.PAPER)
    box = ImageChops.difference(row, paper).convert("L").point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box
    return box[0], cards.BADGE_TOP + box[1], box[2], cards.BADGE_TOP + box[3]


# -- the drawing -------------------------------------------------------------------------------------

def test_persian_claim_is_drawn_as_harfbuzz_shapes_it(persian_card, fonts):
    size, lines = cards.claim_lines(PERSIAN, "fa", fonts)
    assert len(lines) == 2 and " ".join(lines) == PERSIAN
    card = open_png(persian_card)
    for i, line in enumerate(lines):
        drawn = ink(claim_line(card, i, size), 255)
        reference = harfbuzz_ink(line, fonts.regular, size)
        assert abs(drawn.width - reference.width) <= 2, (i, drawn.size, reference.size)
        assert agreement(drawn, reference) >= 0.97, i


def test_the_reference_tells_joined_from_disconnected_or_reversed_letters(fonts):
    """The comparison above can fail: Persian drawn letter by letter, or with its words reversed, is far from
    HarfBuzz's reference."""
    phrase = "خامنه‌ای برای فرار به مسکو"
    reference = harfbuzz_ink(phrase, fonts.regular, 60)
    for text, layout in ((phrase, ImageFont.Layout.BASIC), (phrase[::-1], ImageFont.Layout.BASIC),
                         (" ".join(reversed(phrase.split(" "))), ImageFont.Layout.RAQM)):
        font = ImageFont.truetype(str(fonts.regular), 60, layout_engine=layout)
        image = Image.new("L", (1400, 200))
        direction = "rtl" if layout == ImageFont.Layout.RAQM else None  # BASIC knows no direction
        ImageDraw.Draw(image).text((20, 40), text, font=font, fill=255, direction=direction)
        assert agreement(ink(image, 0), reference) < 0.6, (text, layout)


def test_a_card_drawn_without_raqm_differs_and_fails_the_reference(persian_card, fonts, basic_layout):
    basic = cards.render_card(PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۴ دی ۱۴۰۴")
    assert basic != persian_card
    size, lines = cards.claim_lines(PERSIAN, "fa", fonts)
    drawn = ink(claim_line(open_png(basic), 0, size), 255)
    assert agreement(drawn, harfbuzz_ink(lines[0], fonts.regular, size)) < 0.6


def test_persian_is_right_aligned_and_english_left_aligned(persian_card, fonts):
    english = open_png(cards.render_card("The mayor has a plan.", "False", COLOUR, "Relay desk", "en", fonts))
    persian = open_png(persian_card)
    size, lines = cards.claim_lines(PERSIAN, "fa", fonts)
    font = fonts.font(size)
    # The second Persian line ends at the right margin and, being short, stops well before the left one.
    left, _, right, _ = ink_box(ink_mask(claim_line(persian, 1, size)))
    assert abs(right - (cards.WIDTH - cards.MARGIN)) <= 6
    assert abs(left - (cards.WIDTH - cards.MARGIN - font.getlength(lines[1], direction="rtl", language="fa"))) <= 6
    assert left > cards.MARGIN + 100
    # A Persian claim that begins with a Latin name is still a right-to-left line.
    named = open_png(cards.render_card("BBC گزارش داد که او رفته است", LABEL, COLOUR, SITE, "fa", fonts))
    left, _, right, _ = ink_box(ink_mask(claim_line(named, 0, size)))
    assert abs(right - (cards.WIDTH - cards.MARGIN)) <= 6 and left > cards.MARGIN + 200
    left, _, right, _ = ink_box(ink_mask(claim_line(english, 0, size)))
    assert abs(left - cards.MARGIN) <= 6
    assert abs(right - (cards.MARGIN + font.getlength("The mayor has a plan.", language="en"))) <= 6
    # The badge and the site's name start on the side the language starts on.
    assert badge_box(persian)[2] == cards.WIDTH - cards.MARGIN
    assert badge_box(english)[0] == cards.MARGIN


def test_the_badge_shows_the_verdict_in_its_colour(persian_card, fonts):
    card = open_png(persian_card).convert("RGB")
    box = badge_box(card)
    badge = card.crop(box)
    colours = badge.getcolors(maxcolors=4096)
    share = {colour: count / (badge.width * badge.height) for count, colour in colours}
    assert share.get(Image.new("RGB", (1, 1), COLOUR).getpixel((0, 0)), 0) > 0.6
    assert share.get((255, 255, 255), 0) > 0.03  # the label, white on this dark red as on the site's badges
    drawn = ink(badge.crop((6, 6, badge.width - 6, badge.height - 6)), badge.convert("L").getpixel((3, 30)))
    assert agreement(drawn, harfbuzz_ink(LABEL, fonts.bold, cards.BADGE_SIZE)) >= 0.95


def test_every_rating_keeps_its_exact_colours(fonts):
    """The palette the PNG is written with loses none of the card's colours, for each rating of the scale."""
    for rating in yaml.safe_load((REPO / "ratings.yaml").read_text(encoding="utf-8"))["ratings"]:
        card = open_png(cards.render_card(PERSIAN, rating["label"], rating["colour"], SITE, "fa", fonts, "۱۴ دی"))
        found = {colour for _, colour in card.convert("RGB").getcolors(maxcolors=1 << 16)}
        wanted = (cards.PAPER, cards.INK, cards.MUTED, cards.RULE, rating["colour"], text_colour(rating["colour"]))
        assert {ImageColor.getrgb(c) for c in wanted} <= found, rating["id"]


def test_card_is_a_1200_by_630_png_without_timestamps_and_the_same_for_the_same_inputs(persian_card, fonts):
    assert persian_card[:8] == b"\x89PNG\r\n\x1a\n"
    image = open_png(persian_card)
    assert image.format == "PNG" and image.size == (1200, 630)
    chunks, at = [], 8
    while at < len(persian_card):
        length, kind = struct.unpack(">I4s", persian_card[at:at + 8])
        chunks.append(kind.decode())
        at += 12 + length
    assert chunks[0] == "IHDR" and chunks[-1] == "IEND"
    assert not {"tIME", "tEXt", "iTXt", "zTXt"} & set(chunks)
    assert cards.render_card(PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۴ دی ۱۴۰۴") == persian_card
    assert cards.render_card(PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۵ دی ۱۴۰۴") != persian_card


def test_long_claims_wrap_by_shaped_width_and_end_with_an_ellipsis(fonts):
    text = " ".join([PERSIAN] * 4)
    size, lines = cards.claim_lines(text, "fa", fonts)
    assert size == cards.CLAIM_SIZES[-1]
    font = fonts.font(size)
    assert 1 < len(lines) <= (cards.TEXT_BOTTOM - cards.TEXT_TOP) / (size * cards.LINE_HEIGHT) + 1
    for line in lines:
        assert font.getlength(line, direction="rtl", language="fa") <= cards.WIDTH - 2 * cards.MARGIN
    assert lines[-1].endswith(cards.ELLIPSIS)
    assert text.startswith(" ".join(lines)[:-1].rstrip())
    # A line is never broken at a zero-width non-joiner, only at spaces.
    assert all(not line.startswith("ای") for line in lines)
    # The same words measured without shaping are wider: breaking by them would leave lines half empty.
    basic = ImageFont.truetype(str(fonts.regular), size, layout_engine=ImageFont.Layout.BASIC)
    assert basic.getlength(lines[0]) > font.getlength(lines[0], direction="rtl", language="fa") * 1.1


def test_a_pillow_without_raqm_is_refused(monkeypatch, fonts):
    monkeypatch.setattr(cards.features, "check_feature", lambda name: False)
    with pytest.raises(cards.CardError, match="RAQM.*disconnected letters"):
        cards.render_card(PERSIAN, LABEL, COLOUR, SITE, "fa", fonts)


def test_the_memo_renders_a_card_once_per_set_of_inputs(tmp_path, monkeypatch, fonts):
    calls = []
    real = cards.render_card
    monkeypatch.setattr(cards, "render_card", lambda *args: calls.append(args) or real(*args))
    memo = Memo(tmp_path)
    first = cards.cached_card(memo, PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۴ دی ۱۴۰۴")
    assert cards.cached_card(memo, PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۴ دی ۱۴۰۴") == first
    assert len(calls) == 1 and (memo.hits, memo.misses) == (1, 1)
    memo.flush()  # as a build does when it ends
    later = Memo(tmp_path)  # the next build: from disk
    assert cards.cached_card(later, PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۴ دی ۱۴۰۴") == first
    assert len(calls) == 1 and later.hits == 1
    for changed in ((PERSIAN, "نادرست", "#b91c1c", SITE, "fa"), (PERSIAN, LABEL, COLOUR, "Relay desk", "fa"),
                    (PERSIAN + ".", LABEL, COLOUR, SITE, "fa"), (PERSIAN, LABEL, COLOUR, SITE, "en")):
        cards.cached_card(later, *changed, fonts, "۱۴ دی ۱۴۰۴")
    cards.cached_card(later, PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۵ دی ۱۴۰۴")
    swapped = cards.CardFonts(fonts.bold, fonts.regular)  # other font files: another digest
    cards.cached_card(later, PERSIAN, LABEL, COLOUR, SITE, "fa", swapped, "۱۴ دی ۱۴۰۴")
    monkeypatch.setattr(cards, "CARD_VERSION", cards.CARD_VERSION + 1)  # the drawing changed
    cards.cached_card(later, PERSIAN, LABEL, COLOUR, SITE, "fa", fonts, "۱۴ دی ۱۴۰۴")
    assert len(calls) == 8
    assert len(later.entries(cards.NAMESPACE)) == 8


# -- through the entry points ------------------------------------------------------------------------

def share_cards_on(project, fonts, **options) -> None:
    """Turn the option on in both editions' configuration, with the fonts at absolute paths."""
    lines = "".join(f"      {name}: {value}\n" for name, value in
                    {"share_cards": "true", "card_font": fonts.regular, "card_font_bold": fonts.bold,
                     **options}.items())
    for config in ("mkdocs.yml", "mkdocs.fa.yml"):
        edit(project, config, "      languages: [fa]\n", "      languages: [fa]\n" + lines)


@pytest.fixture(scope="module")
def built(tmp_path_factory, fonts):
    project = copy_project(tmp_path_factory.mktemp("cards"), RELAYS)
    share_cards_on(project, fonts)
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 0, result.stderr + result.stdout
    return project


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["", "fa/"])
def test_build_writes_a_card_per_claim_and_links_it(built, edition):
    site = built / "site" / edition
    assert sorted(p.stem for p in (site / "cards").glob("*.png")) == sorted(CLAIMS)
    for claim in CLAIMS:
        page = Page((site / "claims" / claim / "index.html").read_text(encoding="utf-8"))
        url = f"https://relays.example/{edition}cards/{claim}.png"
        assert page.meta["og:image"] == page.meta["twitter:image"] == url
        assert page.meta["twitter:card"] == "summary_large_image"
        assert page.meta["og:type"] == "article" and page.meta["og:url"].startswith(f"https://relays.example/{edition}")
        assert page.meta["og:locale"] == ("fa_IR" if edition else "en_US")
        assert page.meta["og:image:alt"] == f"{page.meta['factdesk:verdict']}: {page.meta['og:title']}"
        assert open_png((site / "cards" / f"{claim}.png").read_bytes()).size == (1200, 630)
        descriptions = [a for tag, a in page.elements if tag == "meta" and a.get("name") == "description"]
        assert len(descriptions) == 1 and descriptions[0]["content"] == page.meta["og:description"]
    home = Page((site / "index.html").read_text(encoding="utf-8"))
    assert home.meta["og:type"] == "website" and home.meta["og:url"] == f"https://relays.example/{edition}"
    assert home.meta["og:title"] and home.meta["twitter:card"] == "summary" and "og:image" not in home.meta


@pytest.mark.slow
def test_the_persian_card_shows_the_translation(built, fonts):
    claim = "council-confirmed-budget"  # the claim with a Persian translation
    english, persian = (open_png((built / "site" / e / "cards" / f"{claim}.png").read_bytes()) for e in ("", "fa"))
    translation = (built / "claims" / f"{claim}.fa.yaml").read_text(encoding="utf-8")
    text = next(line.split(":", 1)[1].strip().strip('"') for line in translation.splitlines()
                if line.startswith("claim:"))
    size, lines = cards.claim_lines(text, "fa", fonts)
    drawn = ink(claim_line(persian, 0, size), 255)
    assert agreement(drawn, harfbuzz_ink(lines[0], fonts.regular, size)) >= 0.97
    assert ImageChops.difference(english.convert("RGB"), persian.convert("RGB")).getbbox() is not None


@pytest.mark.slow
def test_a_warm_build_renders_no_card(tmp_path, monkeypatch, fonts):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the plugin sets it for the build; gone again after the test
    project = copy_project(tmp_path, RELAYS)
    share_cards_on(project, fonts)
    calls = []
    real = cards.render_card
    monkeypatch.setattr(cards, "render_card", lambda *args: calls.append(args[0]) or real(*args))
    outputs = []
    for _ in range(2):
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
        outputs.append({p.name: p.read_bytes() for p in (project / "site" / "cards").glob("*.png")})
    assert len(calls) == len(CLAIMS)  # all on the cold build, none on the warm one
    assert outputs[0] == outputs[1] and len(outputs[0]) == len(CLAIMS)


@pytest.mark.slow
def test_offline_builds_make_no_cards(tmp_path, monkeypatch, fonts):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    project = copy_project(tmp_path, RELAYS)
    share_cards_on(project, fonts, card_font="missing.ttf")  # and need no fonts
    config = project / "mkdocs.yml"
    build(load_config(str(config), site_dir=str(project / "offline"), **offline_overrides(config)))
    assert not (project / "offline" / "cards").exists()
    page = Page((project / "offline" / "claims" / f"{CLAIMS[0]}.html").read_text(encoding="utf-8"))
    assert "og:image" not in page.meta and page.meta["twitter:card"] == "summary"


@pytest.mark.slow
@pytest.mark.parametrize(("change", "message"), [
    ({"card_font_bold": "fonts/Nothing-Bold.ttf"},
     "mkdocs.yml: the factdesk option card_font_bold: font file fonts/Nothing-Bold.ttf not found Hint: run `npm ci`"),
    ({"site_url": None}, "mkdocs.yml: the factdesk option share_cards needs site_url"),
])
def test_a_build_that_cannot_make_cards_says_why_and_writes_no_site(tmp_path, fonts, change, message):
    project = copy_project(tmp_path, RELAYS)
    if "site_url" in change:
        edit(project, "mkdocs.yml", "site_url: https://relays.example/\n", "")
        share_cards_on(project, fonts)
    else:
        share_cards_on(project, fonts, **change)
    result = run(["factdesk", "build"], cwd=project)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()
