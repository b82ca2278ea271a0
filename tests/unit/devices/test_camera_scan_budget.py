"""The live decoder's time budget (``barcode.camera_decode_budget_ms``): its default is what
docs/devices-barcode.md says, and the camera scanner on a citizen's screen hands that budget to
``decode_frame`` (round 14 of the doc: 50 ms reads what no budget reads on the camera bench)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from devices.barcode import camera_scan
from devices.barcode.camera_scan import CameraScanner
from kiosk.journey.plan import Step
from kiosk.runtime import pace_scanner
from kiosk.settings import BarcodeSettings

DOC = Path(__file__).resolve().parents[3] / "docs" / "devices-barcode.md"


class _Camera:
    poll_interval_s = 0.1


def test_the_default_live_budget_is_what_the_docs_say() -> None:
    row = re.search(r"^\| `camera_decode_budget_ms` \| (\d+(?:\.\d+)?) ms \|", DOC.read_text("utf-8"), re.M)
    assert row, "docs/devices-barcode.md has no settings row for camera_decode_budget_ms"
    assert BarcodeSettings().camera_decode_budget_ms == float(row.group(1)) == 50.0
    assert "(ms" in BarcodeSettings.model_fields["camera_decode_budget_ms"].description


def test_the_scanner_hands_the_setting_to_decode_frame(monkeypatch) -> None:
    asked: list[float] = []

    def fake_decode_frame(image, formats=None, budget_ms=None):
        asked.append(budget_ms)
        return []

    monkeypatch.setattr(camera_scan, "decode_frame", fake_decode_frame)
    b = BarcodeSettings()
    scanner = CameraScanner("camera_scan", lambda: None, budget_ms=b.camera_decode_budget_ms, full_read_still=False)
    frame = np.zeros((720, 1280, 3), np.uint8)
    scanner.scan_image(frame)
    pace_scanner(scanner, _Camera(), b, Step.ATTRACT)  # the attract screen's own, smaller budget ...
    scanner.scan_image(frame)
    pace_scanner(scanner, _Camera(), b, Step.HOME)  # ... and a citizen's screen gets the setting back
    scanner.scan_image(frame)
    assert asked == [50.0, b.camera_idle_budget_ms, 50.0]
