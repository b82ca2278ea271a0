"""The idle attract screen leaves the CPU alone (issue 22: <= 5 % of one core): the camera's code scanning
and its preview run at ``barcode.camera_idle_rate_hz`` there, at full rate on every screen a citizen uses."""
from __future__ import annotations

from kiosk.journey.plan import Step
from kiosk.runtime import SCAN_STEPS, pace_scanner
from kiosk.settings import BarcodeSettings


class FakeCamera:
    poll_interval_s = 0.1  # the driver's own preview rate (10 fps)


class FakeScanner:
    def __init__(self) -> None:
        self.max_rate_hz = 0.0
        self.budget_ms = 30.0
        self.active = False
        self.skip_still = False

    def set_active(self, on: bool) -> None:
        self.active = on


def test_attract_screen_scans_and_previews_at_the_idle_rate():
    scanner, camera = FakeScanner(), FakeCamera()
    pace_scanner(scanner, camera, BarcodeSettings(), Step.ATTRACT)
    assert scanner.active  # a code held up at the attract screen is still read
    assert scanner.max_rate_hz == 2.0
    assert camera.poll_interval_s == 0.5
    # A frame with no code spends the whole decode budget: the idle screen's is smaller (9 ms of CPU per empty
    # frame instead of 21, measured on simulator desks), the citizen's screens get the full one back.
    assert scanner.budget_ms == 8.0
    assert scanner.skip_still  # an unchanged desk is not decoded again (devices/barcode/still.py)
    pace_scanner(scanner, camera, BarcodeSettings(), Step.HOME)
    assert scanner.budget_ms == 50.0  # barcode.camera_decode_budget_ms (docs/devices-barcode.md, round 14)
    assert not scanner.skip_still  # a citizen's screens decode every frame


def test_a_citizen_at_the_kiosk_gets_the_full_rate_back():
    scanner, camera = FakeScanner(), FakeCamera()
    b = BarcodeSettings(camera_max_rate_hz=0.0)
    pace_scanner(scanner, camera, b, Step.ATTRACT)
    pace_scanner(scanner, camera, b, Step.HOME)
    assert scanner.max_rate_hz == 0.0  # every new preview frame
    assert camera.poll_interval_s == 0.1 and "poll_interval_s" not in vars(camera)
    pace_scanner(scanner, camera, b, Step.MATERIALS)
    assert Step.MATERIALS not in SCAN_STEPS and not scanner.active


def test_idle_rate_zero_keeps_the_full_rate_everywhere():
    scanner, camera = FakeScanner(), FakeCamera()
    pace_scanner(scanner, camera, BarcodeSettings(camera_idle_rate_hz=0, camera_max_rate_hz=8), Step.ATTRACT)
    assert scanner.max_rate_hz == 8 and camera.poll_interval_s == 0.1


def test_idle_still_grey_zero_decodes_every_frame_on_the_attract_screen():
    scanner, camera = FakeScanner(), FakeCamera()
    pace_scanner(scanner, camera, BarcodeSettings(camera_idle_still_grey=0), Step.ATTRACT)
    assert scanner.active and not scanner.skip_still
