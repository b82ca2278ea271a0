"""A CJK font reportlab can embed. reportlab embeds TrueType outlines only (Noto CJK is CFF), so the
documents use WenQuanYi Zen Hei (Debian fonts-wqy-zenhei, a TrueType collection). Rare name characters it
lacks (CJK Extension A...) are set in BabelStone Han (fonts-babelstone-han, TrueType) by ``markup``.
Limitation: reportlab 4/5 embeds BMP characters only; a name character beyond U+FFFF (Extension B+) cannot
be embedded and is shown as 〓 (the GB 18030 "geta" mark for a missing character) -- the printed receipt
draws it as an image instead.
"""
from __future__ import annotations

import functools
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)
RARE_CANDIDATES = (Path("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"),)
FONT_NAME = "KioskCJK"
RARE_FONT_NAME = "KioskCJKRare"
MISSING = "〓"


class FontMissing(RuntimeError):
    pass


def cjk_font() -> str:
    """Register (once) and return the name of an embeddable CJK font; FontMissing says what to install."""
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    for path in CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
            return FONT_NAME
    raise FontMissing("no TrueType CJK font found: install the Debian package fonts-wqy-zenhei")


@functools.lru_cache(maxsize=1)
def rare_font() -> str | None:
    for path in RARE_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(RARE_FONT_NAME, str(path)))
            return RARE_FONT_NAME
    return None


@functools.lru_cache(maxsize=4096)
def _in_primary(ch: str) -> bool:
    font = pdfmetrics.getFont(cjk_font())
    return ord(ch) in font.face.charToGlyph


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (font name, text) runs: the primary CJK font, the rare-character font where needed."""
    primary, rare = cjk_font(), rare_font()
    out: list[tuple[str, str]] = []
    for ch in text:
        if ord(ch) > 0xFFFF:
            font, ch = primary, MISSING
        elif _in_primary(ch) or rare is None:
            font = primary
        else:
            font = rare
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def markup(text: str) -> str:
    """Escaped Paragraph markup of ``text`` with rare characters wrapped in the rare font."""
    primary = cjk_font()
    return "".join(escape(t) if f == primary else f'<font name="{f}">{escape(t)}</font>' for f, t in runs(text))


def draw_string(c, x: float, y: float, text: str, size: float) -> float:
    """canvas.drawString with font fallback; returns the x after the text."""
    for font, part in runs(text):
        c.setFont(font, size)
        c.drawString(x, y, part)
        x += pdfmetrics.stringWidth(part, font, size)
    return x
