"""A CJK font reportlab can embed. reportlab embeds TrueType outlines only (Noto CJK is CFF), so the
documents use WenQuanYi Zen Hei (Debian fonts-wqy-zenhei, a TrueType collection)."""
from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)
FONT_NAME = "KioskCJK"


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
