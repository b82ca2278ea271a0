"""The kiosk's screen in millimetres: how many pixels of the logical scene make one millimetre.

The screens are laid out in a logical scene of 1080x1920 (portrait) or 1920x1080 (landscape) that is scaled
as a whole to the display, so a logical pixel has no fixed physical size: on a 15.6" panel 1 mm is about
5.6 px of the scene, on a 32" panel about 2.7 px. The theme (ui/qml/components/Theme.qml) specifies text
and touch targets in millimetres (issue 17: Latin capitals and CJK characters >= 4.8 mm, ADA 707.8; elder
text >= 1.5x; targets >= 20 mm, elder >= 25 mm, >= 5 mm apart) and multiplies by :attr:`Screen.px_per_mm`.

Where the size comes from, in order: ``screen.px_per_mm`` when set (a measured override); the physical size
the connected display reports in its EDID (``/sys/class/drm/*/edid``) when ``screen.source`` is ``auto``;
else ``screen.diagonal_in`` (a 16:9 panel of that diagonal). Pure Python: no Qt.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MM_PER_INCH = 25.4
DRM_DIR = Path("/sys/class/drm")

# The logical scene the QML lays out (Main.qml): width, height in px.
SCENE_PX = {"portrait": (1080, 1920), "landscape": (1920, 1080)}

# Named screen profiles: the panel sizes government kiosks are sold with (diagonal in inches). Each comes in
# both orientations; tests and the autopilot (--screen) run the screens in every one of them.
PROFILES_IN = {"15.6": 15.6, "21.5": 21.5, "32": 32.0}


@dataclass(frozen=True)
class Screen:
    """The scene's physical size: ``px_per_mm`` logical px per millimetre, and where that came from."""

    orientation: str
    px_per_mm: float
    diagonal_in: float
    source: str  # "setting" | "edid" | "px_per_mm" | "profile"

    @property
    def scene_px(self) -> tuple[int, int]:
        return SCENE_PX[self.orientation]

    @property
    def size_mm(self) -> tuple[float, float]:
        w, h = self.scene_px
        return w / self.px_per_mm, h / self.px_per_mm

    def mm(self, px: float) -> float:
        """Logical pixels as millimetres on this screen."""
        return px / self.px_per_mm

    def px(self, mm: float) -> float:
        return mm * self.px_per_mm

    def describe(self) -> str:
        w, h = self.size_mm
        return (f'{self.diagonal_in:.1f}" {self.orientation} ({w:.0f}x{h:.0f} mm, {self.px_per_mm:.2f} px/mm, '
                f"from {self.source})")


def px_per_mm_for_diagonal(diagonal_in: float, orientation: str) -> float:
    """A 16:9 panel of ``diagonal_in`` showing the whole scene: the scene's diagonal over the panel's."""
    w, h = SCENE_PX[orientation]
    return math.hypot(w, h) / (diagonal_in * MM_PER_INCH)


def px_per_mm_for_size(width_mm: float, height_mm: float, orientation: str) -> float:
    """A panel of ``width_mm`` x ``height_mm`` (either way round: a panel turned to portrait still reports
    its native landscape size) with the scene scaled to fit it whole: the tighter side decides (a scene that
    fits has at least this many px per mm on both sides)."""
    w, h = SCENE_PX[orientation]
    long_mm, short_mm = max(width_mm, height_mm), min(width_mm, height_mm)
    long_px, short_px = max(w, h), min(w, h)
    return max(long_px / long_mm, short_px / short_mm)


def profile(name: str, orientation: str) -> Screen:
    """One of :data:`PROFILES_IN` (``"15.6"``, ``"21.5"``, ``"32"``) in ``orientation``."""
    if name not in PROFILES_IN:
        raise ValueError(f"no screen profile {name!r}; one of {', '.join(PROFILES_IN)}")
    if orientation not in SCENE_PX:
        raise ValueError(f"orientation {orientation!r}: portrait or landscape")
    d = PROFILES_IN[name]
    return Screen(orientation, px_per_mm_for_diagonal(d, orientation), d, "profile")


def edid_size_mm(edid: bytes) -> tuple[float, float] | None:
    """The display's image size in mm from an EDID block (VESA E-EDID 1.3/1.4): the first detailed timing
    descriptor's size in mm (bytes 66-68), else the basic size in cm (bytes 21-22); None when it says none
    (projectors, unknown) or the block is not an EDID."""
    if len(edid) < 128 or edid[:8] != b"\x00\xff\xff\xff\xff\xff\xff\x00":
        return None
    if edid[54] or edid[55]:  # a detailed timing descriptor (pixel clock != 0)
        w = edid[66] | (edid[68] & 0xF0) << 4
        h = edid[67] | (edid[68] & 0x0F) << 8
        if w >= 50 and h >= 50:  # some panels write 1x1 or 16x9 (an aspect, not a size)
            return float(w), float(h)
    if edid[21] >= 5 and edid[22] >= 5:
        return edid[21] * 10.0, edid[22] * 10.0
    return None


def connected_display_mm(drm_dir: Path = DRM_DIR) -> tuple[float, float] | None:
    """The physical size of the first connected display that reports one (``/sys/class/drm/card*-*``)."""
    try:
        connectors = sorted(p for p in drm_dir.iterdir() if "-" in p.name)
    except OSError:
        return None
    for conn in connectors:
        try:
            if (conn / "status").read_text().strip() != "connected":
                continue
            size = edid_size_mm((conn / "edid").read_bytes())
        except OSError:
            continue
        if size:
            log.info("display %s reports %.0fx%.0f mm (EDID)", conn.name, *size)
            return size
    return None


def resolve(*, orientation: str, diagonal_in: float, px_per_mm: float = 0.0, source: str = "auto",
            drm_dir: Path = DRM_DIR) -> Screen:
    """The screen as the settings say (see the module's doc for the order)."""
    if px_per_mm > 0:
        w, h = SCENE_PX[orientation]
        return Screen(orientation, px_per_mm, math.hypot(w, h) / px_per_mm / MM_PER_INCH, "px_per_mm")
    if source == "auto":
        size = connected_display_mm(drm_dir)
        if size:
            d = math.hypot(*size) / MM_PER_INCH
            return Screen(orientation, px_per_mm_for_size(*size, orientation), d, "edid")
    return Screen(orientation, px_per_mm_for_diagonal(diagonal_in, orientation), diagonal_in, "setting")
