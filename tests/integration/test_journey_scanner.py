"""The journey with a document scanner (sane://) in the camera slot: 拍摄 scans, no live preview, no page
detection; enhancement and the checks stay. SANE's own test backend stands in for the scanner."""
from __future__ import annotations

import shutil
from concurrent.futures import Future

import cv2
import numpy as np
import pytest

from devices import sim
from devices.base import Capability
from devices.camera import docscan
from kiosk.capture.auto import AutoState
from kiosk.journey import JourneyEventKind
from kiosk.settings import default_files, load_settings
from kiosk.journey.plan import Step
from tests.helpers.kiosk import start_kiosk

pytestmark = pytest.mark.skipif(shutil.which("scanimage") is None, reason="scanimage (sane-utils) missing")


def scanner_kiosk(tmp_path, picture, source=""):
    sane_dir = tmp_path / "sane.d"
    sane_dir.mkdir()
    (sane_dir / "dll.conf").write_text("test\n")
    camera = {"url": "sane://test?resolution=150&mode=Color&timeout_s=8" + source,
              "options": {"config_dir": str(sane_dir), "extra_args": ["--test-picture", picture]}}
    settings = load_settings(default_files(True), data_dir=tmp_path, overrides={"devices": {"camera": camera}})
    return (*start_kiosk(settings), settings)


def typed_sheet(height: int, width: int, lines: list[str], *, scale: float = 0.9) -> np.ndarray:
    """A sheet as a scanner returns it: dark text lines on near-white (no text: a blank sheet)."""
    sheet = np.full((height, width, 3), 245, np.uint8)
    for row, text in enumerate(lines):
        cv2.putText(sheet, text, (20, 60 + int(55 * scale) * row), cv2.FONT_HERSHEY_SIMPLEX, scale, (30, 30, 30),
                    2, cv2.LINE_AA)
    return sheet


def process_scanned(j, material, result, **kw) -> bool:
    """Hand the journey what the scanner returned (one sheet or a feeder's list), as the driver's Future."""
    fut: Future = Future()
    fut.set_result(result)
    return j.steps[Step.MATERIALS].file_pages(j._ctx, fut, material, j.session, flat=True, **kw)


def to_materials(rt, rec, settings):
    j = rt.journey
    j.wake()
    j.open_catalog()
    j.choose_item("312000218000")
    j.start_item()
    sim.get_hardware(settings.devices.idcard.url).place_card("graduate")
    rec.wait_for(lambda ev: j.step == Step.FORM and not j.busy)
    j.set_field("phone", "13800138000")
    j.set_field("purpose", "employment")
    assert j.submit_form() == []
    assert j.step == Step.MATERIALS


def capture(j, rec) -> None:
    """拍摄 (scan). SANE's test backend now and then hangs a run (see tests/unit/devices/test_sane_scanner.py): the
    driver kills it at the URL's timeout (code 1417) and, as a citizen would, the page is scanned again."""
    for _ in range(3):
        j.capture_page()
        rec.wait_for(lambda ev: not j.busy and (j.notice is not None or any(j.session.pages.values())), timeout_s=30)
        if j.notice is None or j.notice.code != 1417:
            return


@pytest.fixture
def no_detection(monkeypatch):
    calls = []
    real = docscan.detect_page
    monkeypatch.setattr(docscan, "detect_page", lambda image, *a, **k: calls.append(image.shape) or real(image))
    return calls


def test_a_scanned_page_is_kept_without_detection_or_preview(tmp_path, no_detection):
    rt, rec, platform, settings = scanner_kiosk(tmp_path, "Color pattern")
    try:
        j = rt.journey
        to_materials(rt, rec, settings)
        # No preview to wait for: the screen is told at once that capture is manual.
        live = rec.wait_for(lambda ev: [e for e in ev if e.kind == JourneyEventKind.LIVE and e.data is not None])
        assert live[-1].data.state == AutoState.OFF
        assert j.steps[Step.MATERIALS].live is None   # no preview thread follows a scanner
        capture(j, rec)
        assert j.session.page_count("purpose_letter") == 1
        page = j.session.pages["purpose_letter"][0]
        # The whole scan is the page (80 x 100 mm at 150 dpi), not rectified to A4, and enhanced and encoded.
        assert (page.width, page.height) == (int(80 / 25.4 * 150), int(100 / 25.4 * 150))
        assert page.mime == "image/jpeg" and 0 < len(page.data) < 300_000
        assert no_detection == []
        assert j.notice is None
    finally:
        rt.stop()
        platform.stop()


def test_a_blank_scan_is_refused_with_the_scanners_own_advice(tmp_path, no_detection):
    rt, rec, platform, settings = scanner_kiosk(tmp_path, "Solid white")
    try:
        j = rt.journey
        to_materials(rt, rec, settings)
        capture(j, rec)
        assert j.notice is not None and j.notice.code == 2019 and j.session.page_count("purpose_letter") == 0
        assert no_detection == []
    finally:
        rt.stop()
        platform.stop()


def test_one_tap_scans_the_pages_in_the_feeder_up_to_what_the_material_takes(tmp_path, no_detection):
    """A sheet-fed scanner (source=ADF): the citizen puts the whole document in the feeder and taps 扫描
    once; every page comes in, in order, but never more than the material takes (SANE's test backend has
    ten sheets in its feeder)."""
    rt, rec, platform, settings = scanner_kiosk(tmp_path, "Color pattern",
                                                "&source=Automatic%20Document%20Feeder")
    try:
        j = rt.journey
        to_materials(rt, rec, settings)
        material = j.current_material()
        assert rt.devices.get("scanner").supports(Capability.BATCH) and material.max_pages > 1
        capture(j, rec)
        assert j.notice is None
        assert j.session.page_count(material.id) == material.max_pages
        assert no_detection == []
    finally:
        rt.stop()
        platform.stop()


@pytest.mark.parametrize("duplex", [False, True])
def test_a_blank_sheet_in_the_stack_is_left_out_and_said_unless_it_is_a_duplex_back(tmp_path, duplex):
    """Pages 1 and 3 printed, page 2 blank: two pages are kept in feed order. Simplex, the blank one is most
    likely a sheet put in face down, so the citizen is told (2019); duplex, blank backs are normal."""
    rt, rec, platform, settings = scanner_kiosk(tmp_path, "Color pattern")
    try:
        j = rt.journey
        to_materials(rt, rec, settings)
        material = j.current_material()
        # Told apart by their height.
        sheets = [typed_sheet(1000 + 50 * n, 780, [] if n == 2 else [f"page {n} line {row} 0123456789"
                                                                     for row in range(8)], scale=1.2)
                  for n in (1, 2, 3)]
        assert process_scanned(j, material, sheets, quiet=duplex)
        kept = j.session.pages[material.id]
        assert [p.height for p in kept] == [1050, 1150]
        assert (j.notice is None) if duplex else (j.notice is not None and j.notice.code == 2019)
    finally:
        rt.stop()
        platform.stop()


def test_a_blurred_scan_is_refused_with_advice_for_a_scanner(tmp_path):
    """A page lifted off the glass scans blurred: refused with the scanner's advice (2020), not the
    camera's "hold still"; the same page sharp is kept."""
    rt, rec, platform, settings = scanner_kiosk(tmp_path, "Color pattern")
    try:
        j = rt.journey
        to_materials(rt, rec, settings)
        material = j.current_material()
        sheet = typed_sheet(700, 520, ["Lorem ipsum 0123 dolor"] * 12)
        for image, kept, code in ((cv2.GaussianBlur(sheet, (0, 0), 3.0), 0, 2020), (sheet, 1, None)):
            process_scanned(j, material, image)
            assert j.session.page_count(material.id) == kept
            assert (j.notice.code if j.notice else None) == code
    finally:
        rt.stop()
        platform.stop()
