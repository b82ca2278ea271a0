"""学习空台面 in the console: the technician shows the document camera its empty bed, sees it learned, forgets it.

The simulated camera (``sim://camera``) gives the empty bed; a camera stand-in whose stills are prepared pictures
gives what the simulator cannot: a page laid between two stills, a pale table outlined with nothing on it
(tests/helpers/hard_scenes), a still that never comes. Damaged files where the bed is kept never stop the console.
"""
from __future__ import annotations

import io
import json
import pickle
from concurrent.futures import Future

import numpy as np
import pytest

from devices import sim
from devices.base import DeviceState
from devices.errors import DeviceError, DeviceErrorCode
from kiosk.audit.trail import audit_files
from kiosk.capture.bed import BedStore
from kiosk.errors import KioskErrorCode, notice_for_kiosk
from kiosk.maintenance.console import Maintenance
from kiosk.runtime import build_runtime
from kiosk.settings import default_files, load_settings
from tests.helpers import hard_scenes
from tests.helpers.fakes import wait_until


def build(tmp_path, **overrides):
    # No code reading from the camera's preview: it would read the stand-ins below (use_camera) as well.
    overrides = {"barcode": {"camera_scan": False}, **overrides}
    settings = load_settings(default_files(True), data_dir=tmp_path, overrides=overrides)
    rt = build_runtime(settings, "http://127.0.0.1:9")
    rt.start()
    return Maintenance(rt), rt


@pytest.fixture
def console(tmp_path):
    m, rt = build(tmp_path)
    m.request_entry()
    assert m.enter_pin("2468").ok   # the demo PIN
    wait_until(lambda: rt.devices.get("camera").state.value == "idle", timeout_s=20)
    sim.get_hardware(rt.settings.devices.camera.url).remove_page()   # the bed is empty
    yield m, rt
    m.close()
    rt.stop()


def events(rt, kind):
    return [e["data"] for p in audit_files(rt.settings.path("audit"))
            for e in map(json.loads, p.read_text(encoding="utf-8").splitlines()) if e["event"] == kind]


class StandIn:
    """A document camera whose stills are ``frames`` (one per capture), or what ``still(n)`` gives."""

    kind = "camera"
    state = DeviceState.IDLE
    last_error = None

    def __init__(self, frames=None, still=None, kind="camera"):
        self.frames, self.still, self.kind = list(frames or []), still, kind
        self.captures = 0

    def capture(self) -> Future:
        self.captures += 1
        if self.still is not None:
            return self.still(self.captures)
        fut: Future = Future()
        fut.set_result(self.frames[(self.captures - 1) % len(self.frames)])
        return fut


def use_camera(monkeypatch, rt, device):
    real = rt.devices.get
    monkeypatch.setattr(rt.devices, "get", lambda name: device if name == "camera" else real(name))


def test_the_empty_simulated_bed_is_learned_saved_and_shown_on_the_card(console):
    m, rt = console
    assert m.empty_bed_status()["learned"] is False
    r = m.learn_empty_bed().result(60)
    assert r.ok, r.en
    assert r.zh.startswith("已记住空台面（2048×1536，3 张画面，") and "今后台面本身不会被当作材料" in r.zh
    assert "空台面上没有像材料的轮廓" in r.zh and "outlines nothing" in r.en   # the plain sim mat: nothing outlined
    store = BedStore(rt.settings.data_dir)
    assert store.path == rt.settings.data_dir / "camera" / "empty_bed.npz" and store.path.exists()
    bed = store.load()
    assert bed is not None and bed.frame_size == (2048, 1536) and bed.frames == 3
    status = m.empty_bed_status()
    assert status["learned"] and (status["width"], status["height"]) == (2048, 1536)
    assert len(status["when"]) == len("2026-12-06 10:12") and status["when"] in r.zh
    [audited] = events(rt, "maintenance_bed_learned")
    assert audited == {"width": 2048, "height": 1536, "frames": 3, "outline": False, "outline_is_bed": False}


def test_an_outline_the_detector_finds_on_the_empty_table_is_said_and_known_as_the_bed(console, monkeypatch):
    """The question the technician has: a pale table whose edges are in view is outlined with nothing on it."""
    m, rt = console
    empty_table = hard_scenes.render("empty_table", 0).image   # docscan outlines the table itself
    use_camera(monkeypatch, rt, StandIn([empty_table]))
    r = m.learn_empty_bed().result(30)
    assert r.ok and "台面上有一处像材料的轮廓，已记为台面" in r.zh and "known as the bed" in r.en
    assert r.details["outline"] and r.details["outline_is_bed"]
    assert BedStore(rt.settings.data_dir).load().frame_size == (1280, 720)


def test_a_page_laid_between_the_stills_is_refused_with_2162_and_the_bed_learned_before_stays(console, monkeypatch):
    m, rt = console
    assert m.learn_empty_bed().result(60).ok
    before = BedStore(rt.settings.data_dir).load()
    hw = sim.get_hardware(rt.settings.devices.camera.url)
    camera = rt.devices.get("camera")

    def still(n):   # the real simulated camera; a citizen's page laid on it before the second still
        if n == 2:
            hw.put_page("form")
        return camera.capture()
    use_camera(monkeypatch, rt, StandIn(still=still))
    r = m.learn_empty_bed().result(60)
    text = notice_for_kiosk(KioskErrorCode.BED_LEARN_MOVING).text
    assert not r.ok and r.code == 2162 and (r.zh, r.en) == (text.zh, text.en)
    after = BedStore(rt.settings.data_dir).load()
    assert after.learned_at == before.learned_at and np.array_equal(after.look, before.look)
    assert m.empty_bed_status()["learned"]
    assert events(rt, "maintenance_bed_refused")[-1] == {"code": 2162, "result": text.en}


def test_too_few_stills_is_2161(console, monkeypatch):
    m, rt = console
    empty = np.zeros((0, 0, 3), np.uint8)   # a camera that answers with nothing
    use_camera(monkeypatch, rt, StandIn([empty]))
    r = m.learn_empty_bed().result(30)
    assert not r.ok and r.code == 2161 and r.zh == notice_for_kiosk(KioskErrorCode.BED_LEARN_NO_FRAMES).text.zh
    assert not BedStore(rt.settings.data_dir).path.exists()


def test_no_camera_is_not_configured(tmp_path):
    m, rt = build(tmp_path, devices={"camera": {"enabled": False}})
    try:
        m.request_entry()
        m.enter_pin("2468")
        r = m.learn_empty_bed().result(10)
        assert not r.ok and r.code == int(DeviceErrorCode.NOT_CONFIGURED)
        assert events(rt, "maintenance_bed_refused") == [{"code": 1008, "result": r.en}]
    finally:
        m.close()
        rt.stop()


def test_an_unplugged_camera_a_capture_fault_and_a_still_that_never_comes_give_the_devices_code(console,
                                                                                                 monkeypatch):
    m, rt = console
    def fault(n):
        fut: Future = Future()
        fut.set_exception(DeviceError(DeviceErrorCode.TRANSPORT_LOST, "cable pulled"))
        return fut
    use_camera(monkeypatch, rt, StandIn(still=fault))
    r = m.learn_empty_bed().result(30)
    assert not r.ok and r.code == int(DeviceErrorCode.TRANSPORT_LOST)

    monkeypatch.setattr(rt.settings.maintenance, "device_test_timeout_s", 0.3, raising=True)
    use_camera(monkeypatch, rt, StandIn(still=lambda n: Future()))   # never resolved
    r = m.learn_empty_bed().result(30)
    assert not r.ok and r.code == int(DeviceErrorCode.TIMEOUT)

    monkeypatch.undo()
    sim.get_hardware(rt.settings.devices.camera.url).unplug()
    wait_until(lambda: rt.devices.get("camera").state.value not in ("idle", "busy", "error"), timeout_s=20)
    r = m.learn_empty_bed().result(30)
    assert not r.ok and r.code >= 1000 and r.code < 2000
    assert not BedStore(rt.settings.data_dir).path.exists()


def test_a_document_scanner_standing_in_for_the_camera_has_no_bed_to_learn(console, monkeypatch):
    m, rt = console
    scanner = StandIn([np.full((720, 1280, 3), 200, np.uint8)], kind="scanner")
    use_camera(monkeypatch, rt, scanner)
    r = m.learn_empty_bed().result(10)
    assert not r.ok and "文档扫描仪没有台面可学习" in r.zh and "scanner has no bed" in r.en
    assert scanner.captures == 0 and not BedStore(rt.settings.data_dir).path.exists()


def test_a_closed_console_neither_learns_nor_forgets(tmp_path):
    m, rt = build(tmp_path)
    try:
        with pytest.raises(PermissionError):
            m.learn_empty_bed()
        with pytest.raises(PermissionError):
            m.forget_empty_bed()
    finally:
        m.close()
        rt.stop()


def test_forgetting_removes_the_file_and_says_whether_there_was_one(console):
    m, rt = console
    assert m.learn_empty_bed().result(60).ok
    gone = m.forget_empty_bed()
    assert gone.ok and gone.details["had"] and "已清除空台面" in gone.zh
    assert not BedStore(rt.settings.data_dir).path.exists() and not m.empty_bed_status()["learned"]
    again = m.forget_empty_bed()
    assert again.ok and not again.details["had"] and "没有已学习的空台面" in again.zh
    assert events(rt, "maintenance_bed_forgotten") == [{"ok": True, "had": True}, {"ok": True, "had": False}]


def test_learning_twice_replaces_the_bed(console, monkeypatch):
    m, rt = console
    assert m.learn_empty_bed().result(60).ok
    assert BedStore(rt.settings.data_dir).load().frame_size == (2048, 1536)
    use_camera(monkeypatch, rt, StandIn([hard_scenes.render("empty_pale", 1).image]))
    r = m.learn_empty_bed().result(30)
    assert r.ok and "1280×720" in r.zh
    assert BedStore(rt.settings.data_dir).load().frame_size == (1280, 720)
    assert m.empty_bed_status()["width"] == 1280


def _npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


GOOD = dict(look=np.full((36, 64), 180, np.float32), frame_size=np.array([1280, 720]), learned_at=np.array(1.0),
            frames=np.array(3))
DAMAGED = {
    "junk": b"\x93NUMPY junk \x00\xff" * 40,
    "pickle": pickle.dumps({"look": [1, 2, 3]}),
    "zero_size": b"",
    "cut_off_npz": _npz(**GOOD)[:300],
    "nan_look": _npz(**dict(GOOD, look=np.full((36, 64), np.nan, np.float32))),
    "object_array": _npz(**dict(GOOD, look=np.array([{"a": 1}], dtype=object))),
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_bed_file_is_not_learned_and_does_not_stop_the_console(tmp_path, content):
    path = tmp_path / "camera" / "empty_bed.npz"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    m, rt = build(tmp_path)   # the console opens over it
    try:
        m.request_entry()
        assert m.enter_pin("2468").ok
        status = m.empty_bed_status()
        assert status["learned"] is False and status["damaged"] is True
        wait_until(lambda: rt.devices.get("camera").state.value == "idle", timeout_s=20)
        sim.get_hardware(rt.settings.devices.camera.url).remove_page()
        assert m.learn_empty_bed().result(60).ok   # learning again replaces it
        assert m.empty_bed_status()["learned"] and BedStore(tmp_path).load().frame_size == (2048, 1536)
    finally:
        m.close()
        rt.stop()


def test_a_time_that_is_no_time_shows_empty_not_a_crash(tmp_path):
    path = tmp_path / "camera" / "empty_bed.npz"
    path.parent.mkdir(parents=True)
    for when in (1e30, float("nan")):
        path.write_bytes(_npz(**dict(GOOD, learned_at=np.array(when))))
        from kiosk.maintenance import bed_console
        status = bed_console.status(tmp_path)
        assert status["learned"] and status["when"] == ""


def test_the_audit_holds_no_picture(console, monkeypatch):
    m, rt = console
    assert m.learn_empty_bed().result(60).ok
    use_camera(monkeypatch, rt, StandIn([np.full((720, 1280, 3), v, np.uint8) for v in (40, 200, 120)]))
    assert m.learn_empty_bed().result(30).code == 2162
    m.forget_empty_bed()
    for kind in ("maintenance_bed_learned", "maintenance_bed_refused", "maintenance_bed_forgotten"):
        for data in events(rt, kind):
            assert len(json.dumps(data)) < 400 and "look" not in data
            assert all(isinstance(v, (int, float, str, bool, type(None))) for v in data.values())
