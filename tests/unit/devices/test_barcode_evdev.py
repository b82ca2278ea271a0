"""Keyboard-wedge scanners through evdev: key events back to text (shift, caps lock, Ctrl for GS1's FNC1,
keypad, Enter), the device grabbed while open, and clear states when python-evdev or permissions are missing.

No input device exists here (and no uinput in this kernel), so the driver runs against a fake python-evdev
module with the same surface (InputDevice(path), fd, read(), grab(), ungrab(), capabilities()); the
end-to-end test through a virtual uinput keyboard runs where /dev/uinput is usable.
"""
from __future__ import annotations

import errno
import os
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.barcode import evdev_scanner
from devices.barcode.evdev_scanner import EvdevScanner
from devices.barcode.keymap import (EV_KEY, KEY_CAPSLOCK, KEY_DOWN, KEY_ENTER, KEY_LEFTSHIFT, KEY_TAB, KEY_UP,
                                    KeyDecoder, keys_for_text)
from devices.base import DeviceState, EventKind
from devices.errors import DeviceError, DeviceErrorCode
from tests.helpers.fakes import Recorder

TYPABLE = "".join(chr(c) for c in range(0x20, 0x7F))


def typed(decoder: KeyDecoder, events: list[tuple[int, int]], start: float = 100.0) -> list[str]:
    out = []
    for i, (code, value) in enumerate(events):
        text = decoder.feed(code, value, start + i * 0.002)  # a scanner types a key every ~2 ms
        if text is not None:
            out.append(text)
    return out


# --- key decoding ----------------------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None, database=None)
@given(st.text(alphabet=TYPABLE, min_size=1, max_size=80))
def test_any_us_keyboard_text_comes_back_exactly(text: str) -> None:
    assert typed(KeyDecoder(), keys_for_text(text)) == [text]


def test_shift_gives_capitals_and_symbols() -> None:
    events = [(KEY_LEFTSHIFT, KEY_DOWN), (31, KEY_DOWN), (31, KEY_UP), (44, KEY_DOWN), (44, KEY_UP),
              (KEY_LEFTSHIFT, KEY_UP), (3, KEY_DOWN), (3, KEY_UP), (KEY_LEFTSHIFT, KEY_DOWN), (3, KEY_DOWN),
              (KEY_LEFTSHIFT, KEY_UP), (KEY_ENTER, KEY_DOWN)]
    assert typed(KeyDecoder(), events) == ["SZ2@"]


def test_caps_lock_inverts_letters_but_not_digits_and_shift_undoes_it() -> None:
    events = [(KEY_CAPSLOCK, KEY_DOWN), (KEY_CAPSLOCK, KEY_UP), (31, KEY_DOWN), (2, KEY_DOWN),
              (KEY_LEFTSHIFT, KEY_DOWN), (44, KEY_DOWN), (KEY_LEFTSHIFT, KEY_UP), (KEY_ENTER, KEY_DOWN)]
    assert typed(KeyDecoder(), events) == ["S1z"]


def test_ctrl_right_bracket_is_the_gs1_group_separator() -> None:
    gs1 = "415690123400001680200100123456\x1d390212345"
    assert typed(KeyDecoder(), keys_for_text(gs1)) == [gs1]


def test_keypad_digits_and_keypad_enter() -> None:
    events = [(79, KEY_DOWN), (80, KEY_DOWN), (82, KEY_DOWN), (96, KEY_DOWN)]  # KP1 KP2 KP0 KPENTER
    assert typed(KeyDecoder(), events) == ["120"]


def test_tab_terminator_and_enter_alone_gives_nothing() -> None:
    assert typed(KeyDecoder("tab"), keys_for_text("AB")[:-2] + [(KEY_TAB, KEY_DOWN)]) == ["AB"]
    assert typed(KeyDecoder(), [(KEY_ENTER, KEY_DOWN), (KEY_ENTER, KEY_UP)]) == []


def test_without_terminator_a_pause_ends_the_code() -> None:
    decoder = KeyDecoder("none", gap_s=0.1)
    typed(decoder, keys_for_text("88001234")[:-2], start=10.0)
    last = 10.0 + (len(keys_for_text("88001234")) - 3) * 0.002
    assert decoder.flush(last + 0.05) is None
    assert decoder.flush(last + 0.1) == "88001234"


def test_a_scan_cut_short_is_not_glued_to_the_next_one() -> None:
    decoder = KeyDecoder(stale_s=1.0)
    typed(decoder, keys_for_text("SZ2026")[:-2], start=10.0)  # no Enter: the citizen moved the code away
    assert typed(decoder, keys_for_text("SZ20261127000001"), start=20.0) == ["SZ20261127000001"]
    assert decoder.dropped == 1


def test_bad_terminator_is_refused() -> None:
    with pytest.raises(ValueError, match="enter"):
        KeyDecoder("space")


# --- the driver against a fake python-evdev ----------------------------------------------------------------------

class FakeEvent:
    def __init__(self, code: int, value: int, at: float) -> None:
        self.type, self.code, self.value, self._at = EV_KEY, code, value, at

    def timestamp(self) -> float:
        return self._at


class FakeInputDevice:
    """A keyboard node: events written to a pipe make its fd readable for select()."""

    opened: list["FakeInputDevice"] = []
    denied: set[str] = set()

    def __init__(self, path: str) -> None:
        if path in self.denied:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        self.path, self.name = path, "Honeywell 1900 Keyboard"
        self.grabbed = self.closed = self.unplugged = False
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        self.fd = self._r
        self._queue: list[FakeEvent] = []
        FakeInputDevice.opened.append(self)

    def capabilities(self) -> dict[int, list[int]]:
        return {EV_KEY: [KEY_ENTER, 2, 3]}

    @property
    def info(self) -> types.SimpleNamespace:
        return types.SimpleNamespace(vendor=0x0C2E, product=0x0B61)

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def read(self):
        try:
            os.read(self._r, 4096)
        except BlockingIOError:
            pass
        if self.unplugged:
            raise OSError(errno.ENODEV, "No such device")
        events, self._queue = self._queue, []
        if not events:
            raise BlockingIOError
        return iter(events)

    def type_text(self, text: str) -> None:
        self._queue += [FakeEvent(c, v, 50.0 + i * 0.002) for i, (c, v) in enumerate(keys_for_text(text))]
        os.write(self._w, b"x")

    def pull_out(self) -> None:
        self.unplugged = True
        os.write(self._w, b"x")

    def close(self) -> None:
        self.closed = True
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture
def fake_evdev(monkeypatch):
    module = types.ModuleType("evdev")
    module.InputDevice = FakeInputDevice
    FakeInputDevice.opened, FakeInputDevice.denied = [], set()
    monkeypatch.setitem(sys.modules, "evdev", module)
    yield module
    for dev in FakeInputDevice.opened:
        dev.close()


def _states(events: list) -> list[DeviceState]:
    return [e.data.state for e in events if e.kind == EventKind.STATE_CHANGED]


def _offline_then_idle(events: list) -> bool:
    states = _states(events)
    return DeviceState.OFFLINE in states and DeviceState.IDLE in states[states.index(DeviceState.OFFLINE):]


def _state_with_error(rec: Recorder, code: int):
    return rec.wait_for(lambda ev: [e.data for e in ev if e.kind == EventKind.STATE_CHANGED
                                    and e.data.error_code == code])[0]


def test_missing_python_evdev_is_a_clear_state_not_a_crash(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "evdev", None)  # import evdev -> ImportError
    scanner, rec = EvdevScanner("barcode", f"evdev://{tmp_path}/event-kbd"), Recorder()
    scanner.subscribe(rec)
    scanner.start()
    try:
        health = _state_with_error(rec, DeviceErrorCode.BARCODE_NO_EVDEV)
        assert health.state == DeviceState.OFFLINE
        assert "pip install 'kiosk[evdev]'" in health.error_detail
    finally:
        scanner.stop()


def test_unreadable_input_device_says_which_group_to_join(fake_evdev, tmp_path: Path) -> None:
    node = tmp_path / "usb-scanner-event-kbd"
    node.touch()
    FakeInputDevice.denied.add(str(node))
    scanner, rec = EvdevScanner("barcode", f"evdev://{node}"), Recorder()
    scanner.subscribe(rec)
    scanner.start()
    try:
        health = _state_with_error(rec, DeviceErrorCode.BARCODE_NO_EVDEV)
        assert "group 'input'" in health.error_detail and str(node) in health.error_detail
    finally:
        scanner.stop()


def test_no_readable_node_under_dev_input_is_the_same_clear_state(fake_evdev, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "event3").touch()
    monkeypatch.setattr(evdev_scanner, "INPUT_DIR", str(tmp_path))
    monkeypatch.setattr(evdev_scanner.os, "access", lambda path, mode: False)  # root can read anything
    with pytest.raises(DeviceError) as err:
        EvdevScanner("barcode", "evdev://?name=honeywell")._find(fake_evdev)
    assert err.value.code == DeviceErrorCode.BARCODE_NO_EVDEV and "group 'input'" in err.value.detail


def test_device_found_by_name_among_input_nodes(fake_evdev, tmp_path: Path, monkeypatch) -> None:
    for n in (0, 1):
        (tmp_path / f"event{n}").touch()
    monkeypatch.setattr(evdev_scanner, "INPUT_DIR", str(tmp_path))
    assert EvdevScanner("barcode", "evdev://?name=HONEYWELL")._find(fake_evdev) == str(tmp_path / "event0")
    assert EvdevScanner("barcode", "evdev://?vid=0c2e&pid=0b61")._find(fake_evdev) == str(tmp_path / "event0")
    with pytest.raises(DeviceError, match="no keyboard device"):
        EvdevScanner("barcode", "evdev://?name=zebra")._find(fake_evdev)


def test_a_url_without_selector_is_refused_so_the_maintenance_keyboard_is_never_grabbed() -> None:
    with pytest.raises(DeviceError) as err:
        EvdevScanner("barcode", "evdev://")
    assert err.value.code == DeviceErrorCode.UNSUPPORTED_URL


def test_scans_are_read_with_the_device_grabbed_and_it_comes_back_after_unplug(fake_evdev, tmp_path: Path) -> None:
    node = tmp_path / "usb-scanner-event-kbd"
    node.touch()
    scanner, rec = EvdevScanner("barcode", f"evdev://{node}"), Recorder()
    scanner.subscribe(rec)
    scanner.start()
    try:
        rec.wait_for(lambda ev: scanner.state == DeviceState.IDLE)
        device = FakeInputDevice.opened[-1]
        assert device.grabbed  # EVIOCGRAB: its keys never reach the Qt window
        device.type_text("https://zwfw.example.gov.cn/t/SZ20261127000001")
        scans = rec.wait_for(lambda ev: [e.data for e in ev if e.kind == EventKind.BARCODE_READ])
        assert [(s.text, s.source) for s in scans] == [("https://zwfw.example.gov.cn/t/SZ20261127000001", "barcode")]
        device.pull_out()
        # The node is still there (as a by-id link is once udev re-creates it): reopened at once.
        rec.wait_for(_offline_then_idle)
        assert device.closed
        assert FakeInputDevice.opened[-1] is not device and FakeInputDevice.opened[-1].grabbed
    finally:
        scanner.stop()
    assert not FakeInputDevice.opened[-1].grabbed and FakeInputDevice.opened[-1].closed


def _uinput_usable() -> bool:
    try:
        os.close(os.open("/dev/uinput", os.O_WRONLY | os.O_NONBLOCK))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _uinput_usable(), reason="/dev/uinput is not usable here (kernel without uinput)")
def test_end_to_end_through_a_virtual_uinput_keyboard() -> None:
    evdev = pytest.importorskip("evdev")
    keys = sorted({c for c, _ in keys_for_text(TYPABLE)} | {KEY_ENTER})
    with evdev.UInput({EV_KEY: keys}, name="kiosk-test-scanner") as ui:
        scanner, rec = EvdevScanner("barcode", "evdev://?name=kiosk-test-scanner"), Recorder()
        scanner.subscribe(rec)
        scanner.start()
        try:
            rec.wait_for(lambda ev: scanner.state == DeviceState.IDLE)
            for code, value in keys_for_text("SZ20261127000001"):
                ui.write(EV_KEY, code, value)
                ui.syn()
            scans = rec.wait_for(lambda ev: [e.data for e in ev if e.kind == EventKind.BARCODE_READ])
            assert scans[0].text == "SZ20261127000001"
        finally:
            scanner.stop()
