"""The screen's physical size (kiosk/screen.py): the profiles' px per mm, the display's EDID, the settings."""
from __future__ import annotations

import pytest

from kiosk import screen
from kiosk.settings import SettingsError, default_files, load_settings


def edid(*, dtd_mm: tuple[int, int] | None, basic_cm: tuple[int, int] = (0, 0)) -> bytes:
    """A 128-byte EDID block with the header, a basic size in cm and (optionally) a detailed timing
    descriptor with its image size in mm (as a 21.5" 1920x1080 monitor writes it)."""
    block = bytearray(128)
    block[:8] = b"\x00\xff\xff\xff\xff\xff\xff\x00"
    block[21], block[22] = basic_cm
    if dtd_mm:
        block[54], block[55] = 0x02, 0x3A  # pixel clock 148.5 MHz: a timing descriptor, not a text one
        w, h = dtd_mm
        block[66], block[67], block[68] = w & 0xFF, h & 0xFF, (w >> 8) << 4 | (h >> 8)
    return bytes(block)


@pytest.mark.parametrize("name,orientation,expected", [
    ("15.6", "portrait", 5.56), ("15.6", "landscape", 5.56),
    ("21.5", "portrait", 4.03), ("21.5", "landscape", 4.03),
    ("32", "portrait", 2.71), ("32", "landscape", 2.71),
])
def test_each_profile_gives_the_scene_its_px_per_mm(name, orientation, expected):
    s = screen.profile(name, orientation)
    assert s.px_per_mm == pytest.approx(expected, abs=0.01)
    w, h = s.size_mm  # a 16:9 panel of that diagonal, turned as the scene is
    assert (w > h) == (orientation == "landscape")
    assert (w ** 2 + h ** 2) ** 0.5 == pytest.approx(float(name) * 25.4, rel=1e-3)


def test_an_unknown_profile_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="15.6, 21.5, 32"):
        screen.profile("17", "portrait")


def test_the_edid_size_comes_from_the_timing_descriptor_in_mm_else_the_basic_size_in_cm():
    assert screen.edid_size_mm(edid(dtd_mm=(476, 268), basic_cm=(48, 27))) == (476.0, 268.0)
    assert screen.edid_size_mm(edid(dtd_mm=(16, 9), basic_cm=(48, 27))) == (480.0, 270.0)  # an aspect, not a size
    assert screen.edid_size_mm(edid(dtd_mm=None, basic_cm=(0, 0))) is None  # a projector: no size
    assert screen.edid_size_mm(b"not an edid" * 20) is None
    assert screen.edid_size_mm(b"") is None  # the connector of a switched-off display


def test_a_display_turned_to_portrait_still_fills_the_scene(tmp_path):
    # /sys/class/drm/card0-HDMI-A-1: a 21.5" monitor turned to portrait still reports 476 x 268 mm.
    conn = tmp_path / "card0-HDMI-A-1"
    conn.mkdir()
    (conn / "status").write_text("connected\n")
    (conn / "edid").write_bytes(edid(dtd_mm=(476, 268)))
    off = tmp_path / "card0-DP-1"
    off.mkdir()
    (off / "status").write_text("disconnected\n")
    (off / "edid").write_bytes(b"")
    s = screen.resolve(orientation="portrait", diagonal_in=32, source="auto", drm_dir=tmp_path)
    assert s.source == "edid" and s.diagonal_in == pytest.approx(21.5, abs=0.1)
    assert s.px_per_mm == pytest.approx(max(1080 / 268, 1920 / 476))
    assert s.size_mm[0] <= 268 + 1e-6 and s.size_mm[1] <= 476 + 1e-6  # the scene fits on the glass


def test_without_edid_the_setting_decides_and_an_override_beats_both(tmp_path):
    s = screen.resolve(orientation="landscape", diagonal_in=15.6, source="auto", drm_dir=tmp_path / "none")
    assert s.source == "setting" and s.px_per_mm == pytest.approx(screen.profile("15.6", "landscape").px_per_mm)
    s = screen.resolve(orientation="portrait", diagonal_in=15.6, px_per_mm=3.5, drm_dir=tmp_path)
    assert s.source == "px_per_mm" and s.px_per_mm == 3.5 and s.mm(35) == pytest.approx(10)


def test_the_screen_settings_have_units_defaults_and_refuse_nonsense(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path)
    # the demo's window is not the kiosk's screen: it never takes the laptop's EDID
    assert settings.screen.source == "setting" and settings.screen.diagonal_in == 21.5
    settings = load_settings(default_files(False), data_dir=tmp_path)
    assert settings.screen.source == "auto" and settings.screen.px_per_mm == 0
    with pytest.raises(SettingsError, match="screen.diagonal_in"):
        load_settings(default_files(True), data_dir=tmp_path, overrides={"screen": {"diagonal_in": 0.5}})
