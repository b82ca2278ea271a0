"""The still-scene gate (issue 22, the idle attract loop's CPU): a camera frame that shows what the last decoded
frame showed, within the sensor's noise, is not decoded; a changed one is, and a code laid on the desk of an
idle kiosk is still read."""
from __future__ import annotations

import numpy as np
import pytest

from devices import sim
from devices.barcode.camera_scan import CameraScanner
from devices.barcode.render import render_code
from devices.barcode.still import StillGate
from devices.base import EventKind
from devices.camera import DocumentCamera
from tests.helpers.fakes import FakeCamera, Recorder, wait_until

RECEIPT = "https://zwfw.example.gov.cn/t/SZ20261127000001"


def _desk(seed: int, code: str | None = None, light: int = 0) -> np.ndarray:
    """A plain 960x720 desk with a camera's noise (a new draw for every seed), optionally a code lying on it."""
    desk = np.full((720, 960, 3), 200 + light, np.int16)
    desk[:, :, 0] -= 30  # a tinted mat, not pure grey
    if code is not None:
        img = render_code(code, module_px=4)
        desk[200:200 + img.shape[0], 300:300 + img.shape[1]] = img[:, :, None] + light
    noise = np.random.default_rng(seed).integers(-4, 5, size=desk.shape, dtype=np.int16)
    return np.clip(desk + noise, 0, 255).astype(np.uint8)


def test_the_gate_skips_an_unchanged_noisy_frame_and_not_a_changed_one() -> None:
    gate = StillGate(tolerance_grey=6.0, max_skips=100)
    assert gate.should_decode(_desk(1))  # nothing to compare with: decoded
    assert not any(gate.should_decode(_desk(seed)) for seed in range(2, 12))  # noise only: never identical
    assert gate.should_decode(_desk(12, code=RECEIPT))  # a code laid on the desk
    assert not gate.should_decode(_desk(13, code=RECEIPT))  # ... and left there
    assert gate.should_decode(_desk(14))  # taken away


def test_a_light_change_alone_is_not_a_new_scene_but_a_code_in_new_light_is() -> None:
    gate = StillGate(tolerance_grey=6.0, max_skips=100)
    gate.should_decode(_desk(1))
    assert not gate.should_decode(_desk(2, light=12))  # the room got brighter: the same empty desk
    assert gate.should_decode(_desk(3, code=RECEIPT, light=12))


def test_a_still_scene_is_decoded_again_after_max_skips_frames() -> None:
    gate = StillGate(tolerance_grey=6.0, max_skips=3)
    decided = [gate.should_decode(_desk(seed, code=RECEIPT)) for seed in range(9)]
    assert decided == [True, False, False, False, True, False, False, False, True]


def test_forget_decodes_the_next_frame_whatever_it_shows() -> None:
    gate = StillGate()
    gate.should_decode(_desk(1))
    gate.forget()
    assert gate.should_decode(_desk(2))


def test_bad_gate_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        StillGate(tolerance_grey=0)
    with pytest.raises(ValueError):
        StillGate(max_skips=-1)


# --- in the scanner, driven frame by frame ---------------------------------------------------------------------

def _reads(rec: Recorder) -> list[str]:
    return [e.data.text for e in rec.events if e.kind == EventKind.BARCODE_READ]


def test_with_skip_still_an_empty_desk_is_decoded_once_and_a_code_laid_on_it_is_read() -> None:
    cam = FakeCamera()
    scanner, rec = CameraScanner("camera_scan", lambda: cam, skip_still=True,
                                 still_gate=StillGate(max_skips=100)), Recorder()
    scanner.subscribe(rec)
    scanner._open()
    for seed in range(5):
        cam.show(_desk(seed))
        scanner._poll()
    assert (scanner.stats().frames, scanner.stats().still) == (1, 4)
    cam.show(_desk(5, code=RECEIPT))
    scanner._poll()
    assert _reads(rec) == [RECEIPT]


def test_without_skip_still_every_new_frame_is_decoded() -> None:
    cam = FakeCamera()
    scanner = CameraScanner("camera_scan", lambda: cam)
    scanner._open()
    for seed in range(4):
        cam.show(_desk(seed))
        scanner._poll()
    assert scanner.stats().frames == 4


def test_turning_skip_still_on_or_resuming_decodes_the_next_frame_afresh() -> None:
    cam = FakeCamera()
    scanner, rec = CameraScanner("camera_scan", lambda: cam, dedupe_s=60.0, skip_still=True,
                                 still_gate=StillGate(max_skips=100)), Recorder()
    scanner.subscribe(rec)
    scanner._open()
    cam.show(_desk(1, code=RECEIPT))
    scanner._poll()
    scanner.set_active(False)  # the camera photographs materials; then a screen asks for a code again
    scanner.set_active(True)
    cam.show(_desk(2, code=RECEIPT))
    scanner._poll()
    assert _reads(rec) == [RECEIPT, RECEIPT]  # the code still shown is news to the new screen: decoded again
    scanner.skip_still = False
    scanner.skip_still = True  # back on the attract screen: looks afresh
    cam.show(_desk(3, code=RECEIPT))
    scanner._poll()
    assert scanner.stats().frames == 3


def test_a_qr_laid_under_the_idle_simulated_camera_is_read() -> None:
    """The attract screen's pacing, with threads and the simulator's sensor noise: the empty desk is passed
    over frame after frame, and a code laid on it is still read."""
    url = "sim://camera?width=1920&height=1080&seed=7"
    camera = DocumentCamera("camera", url)
    camera.poll_interval_s = 0.02
    scanner = CameraScanner("camera_scan", lambda: camera, dedupe_s=30.0, max_rate_hz=25.0, skip_still=True,
                            still_gate=StillGate(max_skips=1000))
    rec = Recorder()
    scanner.subscribe(rec)
    camera.start()
    scanner.start()
    try:
        wait_until(lambda: scanner.stats().still >= 3, timeout_s=10)
        assert scanner.stats().frames == 1  # the empty desk, decoded once
        sim.get_hardware(url).show_payload(RECEIPT, module_px=6, fraction=0.2)
        rec.wait_for(lambda events: [e for e in events if e.kind == EventKind.BARCODE_READ])
        assert _reads(rec) == [RECEIPT]
    finally:
        scanner.stop()
        camera.stop()
