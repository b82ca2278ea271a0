"""Chinese must render: the CJK font is installed and has a glyph for every character the screens show."""
from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from ui.app import CJK_FAMILY

UI = Path(__file__).resolve().parents[2] / "ui"


def test_the_cjk_font_is_installed(qapp):
    assert CJK_FAMILY in QFontDatabase.families(), "install the Debian package fonts-noto-cjk"


def test_every_character_on_the_screens_has_a_glyph(qapp):
    metrics = QFontMetrics(QFont(CJK_FAMILY))
    texts = [t for f in (UI / "qml").rglob("*.qml") for t in re.findall(r'"([^"]*)"', f.read_text("utf-8"))]
    texts += list(json.loads((UI / "i18n" / "en_US.json").read_text("utf-8")).values())
    chars = {c for t in texts for c in t if ord(c) > 0x7F}
    missing = sorted(c for c in chars if not metrics.inFontUcs4(ord(c)))
    assert chars and missing == []
