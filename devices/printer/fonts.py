"""Fonts for drawing printer text as dots: the raster fallback of the encoder and the simulator's PNG.

A thermal printer's font A cell is 12x24 dots (a Han character takes two cells, 24x24). We draw with a
CJK font at that pixel size. The primary font covers the GB 2312/GBK characters of ordinary text; rare
name characters (CJK Extension A/B..., which printers cannot show and which the common CJK fonts also
lack, e.g. U+20000) come from BabelStone Han (Debian fonts-babelstone-han), which covers all of Unicode
15's CJK ideographs. Each character is drawn with the first font that has a glyph for it.
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

# (path, face index) in order of preference. The primary face is WenQuanYi Zen Hei Sharp: a bitmap-hinted
# sans, close to a thermal printer's ROM font. Noto Sans CJK SC is face 2 of its collection.
PRIMARY = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 2),
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
)
# ASCII in font A is a 12x24 monospaced cell: DejaVu Sans Mono advances 0.6 em, so 20 px fills 12 dots.
ASCII = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"), 0)
ASCII_ADVANCE_EM = 0.6
RARE = (
    (Path("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"), 0),
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"), 0),
)


class FontMissing(RuntimeError):
    pass


@functools.lru_cache(maxsize=32)
def _font(path: str, index: int, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px, index=index)


@functools.lru_cache(maxsize=1)
def font_files() -> tuple[tuple[str, int], ...]:
    found = tuple((str(p), i) for p, i in PRIMARY + RARE if p.exists())
    if not any(Path(p) in {q for q, _ in PRIMARY} for p, _ in found):
        raise FontMissing("no CJK font for printer text: install fonts-wqy-zenhei or fonts-noto-cjk")
    if not any(Path(p) in {q for q, _ in RARE} for p, _ in found):
        log.warning("no font for rare CJK characters (install fonts-babelstone-han): they print as boxes")
    return found


@functools.lru_cache(maxsize=4096)
def _has_glyph(path: str, index: int, ch: str) -> bool:
    # FreeType draws the .notdef box for a missing character; compare with a code point no font has.
    font = _font(path, index, 24)
    return _ink(font, ch) != _ink(font, "\U000EFFFD")


def _ink(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    im = Image.new("L", (32, 32), 0)
    ImageDraw.Draw(im).text((2, 2), ch, font=font, fill=255)
    return im.tobytes()


def font_for(ch: str, px: int, cell_w: int = 12) -> ImageFont.FreeTypeFont:
    """The first font that has ``ch``, at ``px`` pixels (the primary one when none has it)."""
    if ch.isascii() and ASCII[0].exists():
        return _font(str(ASCII[0]), ASCII[1], min(px, round(cell_w / ASCII_ADVANCE_EM)))
    files = font_files()
    for path, index in files:
        if ch.isascii() or _has_glyph(path, index, ch):
            return _font(path, index, px)
    return _font(files[0][0], files[0][1], px)


def cell_width(ch: str) -> int:
    """Cells a character takes in font A: 1 for ASCII, 2 for everything else (full width)."""
    return 1 if ord(ch) < 0x80 else 2


def draw_text(draw: ImageDraw.ImageDraw, x: int, y: int, text: str, *, cell: tuple[int, int] = (12, 24),
              scale_w: int = 1, scale_h: int = 1, bold: bool = False, fill: int = 0) -> int:
    """Draw ``text`` in printer cells from (x, y); returns the x after the last character.

    Each character is drawn at cell height, then stretched to the character size (GS !) the way a printer
    multiplies its dots, so double width/height look like the printer's, not like a bigger font.
    """
    cw, ch_ = cell
    for c in text:
        w = cw * cell_width(c)
        glyph = Image.new("L", (w, ch_), 255)
        if c.isprintable():  # a control or separator has no glyph (and the shaper may refuse it): a blank cell
            font = font_for(c, ch_ - 2, cw)
            gd = ImageDraw.Draw(glyph)
            ascent, descent = font.getmetrics()
            baseline = (ch_ - (ascent + descent)) // 2 + ascent  # one baseline for all glyphs: "." stays low
            gx, gy = w / 2, baseline
            try:
                gd.text((gx, gy), c, font=font, fill=0, anchor="ms")
                if bold:
                    gd.text((gx + 1, gy), c, font=font, fill=0, anchor="ms")
            except (RuntimeError, OSError, ValueError):
                log.warning("printer: U+%04X cannot be drawn; left blank", ord(c))
        if scale_w != 1 or scale_h != 1:
            glyph = glyph.resize((w * scale_w, ch_ * scale_h), Image.Resampling.NEAREST)
        draw.bitmap((x, y), _mask(glyph), fill=fill)
        x += w * scale_w
    return x


def _mask(glyph: Image.Image) -> Image.Image:
    # Thermal dots are on or off: threshold the anti-aliased glyph into a 1-bit mask.
    return glyph.point(lambda v: 255 if v < 128 else 0, mode="1")


def text_width(text: str, cell_w: int = 12, scale_w: int = 1) -> int:
    return sum(cell_width(c) for c in text) * cell_w * scale_w
