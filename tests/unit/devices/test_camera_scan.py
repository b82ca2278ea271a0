"""Camera scanning: codes held under the simulated document camera become one BARCODE_READ each, decoded on
the scanner's own thread from the newest frame only, repeats suppressed for the configured time, and the
scanner follows the camera offline and back."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from devices import sim
from devices.barcode.camera_scan import CameraScanner
from devices.barcode.dedupe import Deduper
from devices.barcode.render import render_code
from devices.base import DeviceState, EventKind
from devices.camera import DocumentCamera
from devices.errors import DeviceError, DeviceErrorCode
from tests.helpers.fakes import FakeCamera, FakeClock, Recorder, wait_until

RECEIPT = "https://zwfw.example.gov.cn/t/SZ20261127000001"


def _reads(events: list) -> list:
    return [e for e in events if e.kind == EventKind.BARCODE_READ]


# --- dedupe ----------------------------------------------------------------------------------------------------

def test_a_code_seen_again_within_the_window_is_suppressed_and_every_sighting_restarts_it() -> None:
    clock = FakeClock()
    dd = Deduper(3.0, clock)
    assert dd.is_new("QRCode", b"A")
    for _ in range(10):  # held under the camera for 20 s, seen every 2 s
        clock.advance(2.0)
        assert not dd.is_new("QRCode", b"A")
    assert dd.is_new("QRCode", b"B")  # another code is news
    clock.advance(3.0)
    assert dd.is_new("QRCode", b"A")  # taken away for the whole window, shown again


def test_forget_reports_the_next_sighting_and_zero_window_reports_all() -> None:
    dd = Deduper(3.0, FakeClock())
    dd.is_new("QRCode", b"A")
    dd.forget()
    assert dd.is_new("QRCode", b"A")
    zero = Deduper(0.0)
    assert zero.is_new("QRCode", b"A") and zero.is_new("QRCode", b"A")


def test_dedupe_memory_stays_bounded() -> None:
    clock = FakeClock()
    dd = Deduper(60.0, clock, max_codes=8)
    for n in range(100):
        clock.advance(0.01)
        dd.is_new("QRCode", str(n).encode())
    assert len(dd._seen) == 8 and dd.is_new("QRCode", b"0")  # the oldest were forgotten


# --- the loop's frame policy, driven step by step -------------------------------------------------------------------
def _frame(text: str) -> np.ndarray:
    frame = np.full((480, 640), 235, np.uint8)
    code = render_code(text, module_px=4)
    frame[40:40 + code.shape[0], 40:40 + code.shape[1]] = code
    return frame


def test_only_the_newest_frame_is_decoded_and_an_old_one_is_never_decoded_twice() -> None:
    cam = FakeCamera()
    scanner, rec = CameraScanner("camera_scan", lambda: cam, dedupe_s=0.0), Recorder()
    scanner.subscribe(rec)
    scanner._open()
    cam.show(_frame("SZ20261127000001"))
    scanner._poll()
    for n in (2, 3, 4):  # three frames arrive while the scanner is busy
        cam.show(_frame(f"SZ2026112700000{n}"))
    scanner._poll()
    scanner._poll()  # no newer frame: nothing decoded
    assert [e.data.text for e in _reads(rec.events)] == ["SZ20261127000001", "SZ20261127000004"]
    stats = scanner.stats()
    assert (stats.frames, stats.skipped) == (2, 2)


def test_a_paused_scanner_decodes_nothing_and_resuming_reports_a_code_still_shown() -> None:
    cam = FakeCamera()
    scanner, rec = CameraScanner("camera_scan", lambda: cam, dedupe_s=60.0), Recorder()
    scanner.subscribe(rec)
    scanner._open()
    cam.show(_frame(RECEIPT))
    scanner._poll()
    scanner.set_active(False)
    cam.show(_frame(RECEIPT))
    scanner._poll()
    assert scanner.stats().frames == 1
    scanner.set_active(True)  # a new screen asks for a code: the one still shown counts again
    cam.show(_frame(RECEIPT))
    scanner._poll()
    assert len(_reads(rec.events)) == 2


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        CameraScanner("camera_scan", lambda: None, budget_ms=0)
    with pytest.raises(ValueError):
        CameraScanner("camera_scan", lambda: None, max_rate_hz=-1)


# --- with the simulated document camera, threads and all ---------------------------------------------------------

@pytest.fixture
def camera_and_scanner():
    camera = DocumentCamera("camera", "sim://camera?width=1920&height=1080")
    scanner = CameraScanner("camera_scan", lambda: camera, dedupe_s=30.0)
    rec = Recorder()
    scanner.subscribe(rec)
    camera.start()
    scanner.start()
    yield camera, scanner, rec, sim.get_hardware("sim://camera?width=1920&height=1080")
    scanner.stop()
    camera.stop()


def test_a_qr_held_under_the_camera_is_reported_once_from_the_scanners_thread(camera_and_scanner) -> None:
    camera, scanner, rec, hw = camera_and_scanner
    threads: list[str] = []
    scanner.subscribe(lambda e: threads.append(threading.current_thread().name))
    hw.show_payload(RECEIPT, module_px=6, fraction=0.2)
    (event,) = rec.wait_for(_reads)
    assert (event.device, event.data.text, event.data.symbology, event.data.source) == \
        ("camera_scan", RECEIPT, "QRCode", "camera")
    seen = scanner.stats().frames
    wait_until(lambda: scanner.stats().frames >= seen + 8)  # many more frames with the code in them
    assert len(_reads(rec.events)) == 1
    assert scanner.health().counters["duplicates"] >= 7
    assert set(threads) == {"device-camera_scan"}  # never the caller's (the GUI's) thread


def test_an_empty_desk_reads_nothing_and_a_gbk_phone_code_reads_as_chinese(camera_and_scanner) -> None:
    camera, scanner, rec, hw = camera_and_scanner
    hw.put_page("form")  # printed text under the camera is no code
    wait_until(lambda: scanner.stats().frames >= 5)
    assert _reads(rec.events) == []
    hw.show_payload("燃气缴费 户号 88001234".encode("gb18030"), fraction=0.3)
    (event,) = rec.wait_for(_reads)
    assert event.data.text == "燃气缴费 户号 88001234"


def test_scanner_follows_the_camera_offline_and_back(camera_and_scanner) -> None:
    camera, scanner, rec, hw = camera_and_scanner
    rec.wait_for(lambda ev: scanner.state == DeviceState.IDLE)
    hw.unplug()
    offline = rec.wait_for(lambda ev: [e.data for e in ev if e.kind == EventKind.STATE_CHANGED
                                       and e.data.state == DeviceState.OFFLINE])
    assert offline[0].error_code in (DeviceErrorCode.TRANSPORT_LOST, DeviceErrorCode.CAMERA_NOT_FOUND)
    hw.plug()
    hw.show_payload("SZ20261127000009", fraction=0.3)
    (event,) = rec.wait_for(_reads, timeout_s=20)
    assert event.data.text == "SZ20261127000009" and scanner.state == DeviceState.IDLE


def test_attach_asks_the_manager_for_the_camera_at_every_use() -> None:
    class Manager:
        camera: FakeCamera | None = None

        def get(self, name: str):
            assert name == "camera"
            return self.camera

    manager = Manager()
    scanner = CameraScanner.attach(manager, "camera", dedupe_s=0.0)
    with pytest.raises(DeviceError) as err:
        scanner._open()
    assert err.value.code == DeviceErrorCode.NOT_CONFIGURED
    manager.camera = FakeCamera()  # a technician configured one
    manager.camera.show(_frame("SZ20261127000005"))
    scanner._open()
    assert [s.text for s in scanner.scan_image(manager.camera.latest().image)] == ["SZ20261127000005"]


def test_the_barcode_simulator_can_hold_its_code_under_the_camera_instead_of_scanning_it() -> None:
    from devices.barcode.decode import decode_frame

    camera = sim.get_hardware("sim://camera")
    # A bill's GS1-128 barcode held across most of the view (a 1-D code's size is its length).
    sim.get_hardware("sim://barcode").show_to_camera("(415)6901234000016(8020)0100123456", "Code128", gs1=True,
                                                     module_px=3, fraction=0.8)
    (code,) = decode_frame(camera.render(camera.preview_size, 1))
    assert (code.symbology, code.text) == ("Code128", "415690123400001680200100123456")
    camera.show_payload(None)
    assert decode_frame(camera.render(camera.preview_size, 2)) == []
