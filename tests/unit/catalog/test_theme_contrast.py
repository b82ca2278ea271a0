"""Every text/background pair the theme uses reaches WCAG contrast: 4.5:1 in standard mode, 7:1 in elder
mode (the 适老化 requirement). The colours are read from ui/qml/components/Theme.qml itself, so a colour
changed there is measured here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

THEME = Path(__file__).resolve().parents[3] / "ui" / "qml" / "components" / "Theme.qml"
WHITE = "#ffffff"


def theme(elder: bool) -> dict[str, str]:
    colours: dict[str, str] = {}
    for name, expr in re.findall(r'readonly property color (\w+): (.+)', THEME.read_text(encoding="utf-8")):
        m = re.match(r'elder \? "(#[0-9a-fA-F]{6})" : "(#[0-9a-fA-F]{6})"', expr)
        colours[name] = (m.group(1) if elder else m.group(2)) if m else re.search(r'"(#[0-9a-fA-F]{6})"', expr).group(1)
    return colours


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# (text, background) as the screens combine them (Label, muted Label and placeholders, tiles, buttons,
# header, status text on cards, white on the status bars).
PAIRS = [("text", "background"), ("text", "surface"), ("textMuted", "background"), ("textMuted", "surface"),
         ("primary", "surface"), ("primary", "background"), ("primaryText", "primary"), ("primaryText", "header"),
         ("ok", "surface"), ("warn", "surface"), ("error", "surface"), ("error", "background"),
         ("primaryText", "ok"), ("primaryText", "warn")]


def test_the_contrast_measure_is_right():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#777777", WHITE) == pytest.approx(4.48, abs=0.01)  # the well-known just-failing grey


@pytest.mark.parametrize("elder,minimum", [(False, 4.5), (True, 7.0)])
def test_every_theme_pair_reaches_its_contrast(elder, minimum):
    t = theme(elder)
    low = {f"{fg} on {bg}": round(contrast(t[fg], t[bg]), 2) for fg, bg in PAIRS if contrast(t[fg], t[bg]) < minimum}
    assert not low, f"below {minimum}:1 in {'elder' if elder else 'standard'} mode: {low}"


# Colours written in components rather than the theme, with where they are used.
LITERAL_PAIRS = [
    ("#dce7f7", "#0b4ea2", 4.5, "subtitle on a primary tile or button (standard)"),
    ("#dce7f7", "#003a8c", 7.0, "subtitle on a primary tile or button (elder)"),
    ("#ffffff", "#4a5668", 7.0, "the label of a disabled BigButton (it still says what it does)"),
    ("#cfd8e3", "#2b3a4f", 7.0, "身份证感应区 on the reader drawing"),
    ("#1d2733", "#f5b700", 7.0, "a highlighted header button"),
    ("#1d2733", "#cfe0f7", 7.0, "a done step in the step bar"),
    ("#1d2733", "#e6ebf2", 7.0, "a step still to come in the step bar"),
    ("#3d4756", "#d5dbe3", 4.5, "a disabled button in the technicians' console"),
]


@pytest.mark.parametrize("fg,bg,minimum,where", LITERAL_PAIRS)
def test_colours_written_in_components_reach_their_contrast(fg, bg, minimum, where):
    assert contrast(fg, bg) >= minimum, f"{where}: {contrast(fg, bg):.2f}:1"


def test_the_listed_component_colours_are_the_ones_in_use():
    qml = "\n".join(p.read_text(encoding="utf-8") for p in THEME.parents[1].rglob("*.qml"))
    for fg, bg, _, where in LITERAL_PAIRS:
        for colour in (fg, bg):
            if colour not in ("#0b4ea2", "#003a8c", "#ffffff"):  # the theme's primaries and white
                assert colour in qml, f"{colour} ({where}) no longer in the QML: update LITERAL_PAIRS"
