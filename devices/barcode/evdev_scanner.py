"""USB keyboard-wedge scanners on Linux, read through evdev with the device grabbed.

``evdev:///dev/input/by-id/usb-XXXX-event-kbd`` (the stable by-id path; udev recreates it on replug), or
``evdev://?name=Honeywell`` (first keyboard whose name contains the text) or ``evdev://?vid=0c2e&pid=0b61``.
Options: ``terminator=enter|tab|none`` (default enter), ``gap_ms`` (80, for ``none``), ``dedupe_ms`` (0).

The device is grabbed (EVIOCGRAB) while open, so its key presses reach only the kiosk and never type into
the Qt window or a virtual terminal (devices.md 3.1 [S21b]). python-evdev is an optional dependency
(``pip install 'kiosk[evdev]'``): when it is missing, or /dev/input is not readable, the device stays
OFFLINE with error 1301 BARCODE_NO_EVDEV and a message that says what to do; nothing crashes.
"""
from __future__ import annotations

import errno
import glob
import os
import select
import time
from typing import Any

from ..base import Device, DeviceState, EventKind
from ..errors import DeviceError, DeviceErrorCode
from ..transport import parse_url
from .dedupe import Deduper
from .keymap import EV_KEY, KEY_ENTER, KeyDecoder
from .scanner import Scan

INPUT_DIR = "/dev/input"
_INSTALL = "install python-evdev: pip install 'kiosk[evdev]' (or apt-get install python3-evdev)"
_PERMISSION = ("add the kiosk user to group 'input' or install the udev rule in docs/devices-barcode.md "
               "(GROUP=\"input\", MODE=\"0660\"), then replug the scanner")


def load_evdev() -> Any:
    """The python-evdev module, or DeviceError BARCODE_NO_EVDEV saying how to install it."""
    try:
        import evdev  # noqa: PLC0415 - optional dependency
    except ImportError as exc:
        raise DeviceError(DeviceErrorCode.BARCODE_NO_EVDEV, f"python-evdev is not installed ({exc}): {_INSTALL}") \
            from None
    return evdev


class EvdevScanner(Device):
    kind = "barcode"
    poll_interval_s = 0.01

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        self._u = parse_url(url)
        p = self._u.params
        self.terminator = p.get("terminator", str(self.options.get("terminator", "enter"))).lower()
        try:
            self._decoder = KeyDecoder(self.terminator, gap_s=self._u.float_param("gap_ms", 80.0) / 1000.0)
        except ValueError as exc:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: {exc}") from None
        self._dedupe = Deduper(self._u.float_param("dedupe_ms", 0.0) / 1000.0)
        self._device: Any = None
        if self._u.path in ("", "/") and not (p.get("name") or p.get("vid")):
            # Without a selector the first keyboard would do, and that may be the maintenance keyboard.
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: name the scanner: evdev:///dev/input/by-id/"
                              "...-event-kbd, evdev://?name=TEXT or evdev://?vid=XXXX&pid=XXXX")

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
        evdev = load_evdev()
        path = self._find(evdev)
        try:
            device = evdev.InputDevice(path)
        except PermissionError:
            raise DeviceError(DeviceErrorCode.BARCODE_NO_EVDEV, f"{path} is not readable: {_PERMISSION}") from None
        except OSError as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"{path}: {exc.strerror}") from None
        try:
            device.grab()
        except OSError as exc:
            device.close()
            if exc.errno == errno.EBUSY:
                raise DeviceError(DeviceErrorCode.BUSY, f"{path} is grabbed by another program "
                                  "(another kiosk instance?); stop it") from None
            raise DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"{path}: grab failed: {exc}") from None
        self._device = device
        self._decoder.reset()
        self.set_info("input", f"{device.name} ({path})")

    def _close(self) -> None:
        device, self._device = self._device, None
        if device is None:
            return
        try:
            device.ungrab()
        except OSError:
            pass  # unplugged: the grab went with the device
        device.close()

    def _poll(self) -> None:
        device = self._device
        if device is None:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, "not open")
        try:
            ready, _, _ = select.select([device.fd], [], [], 0.05)
            events = list(device.read()) if ready else []
        except BlockingIOError:
            events = []
        except OSError as exc:  # ENODEV: unplugged
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, f"{exc.strerror or exc}") from exc
        for event in events:
            if event.type == EV_KEY:
                self._text(self._decoder.feed(event.code, event.value, event.timestamp()))
        self._text(self._decoder.flush(time.time()))
        if self.state != DeviceState.IDLE:
            self.set_state(DeviceState.IDLE)

    # ----- internals ----------------------------------------------------------------------------
    def _text(self, text: str | None) -> None:
        if not text:
            return
        raw = text.encode("utf-8")
        if not self._dedupe.is_new("unknown", raw):
            self.count("duplicates")
            return
        self.count("scans")
        self.emit(EventKind.BARCODE_READ, Scan(raw=raw, text=text, symbology="unknown", source=self.name))

    def _find(self, evdev: Any) -> str:
        """The event node named by the URL: a path, or the first keyboard matching name / vid+pid."""
        path = self._u.path or ""
        if path and path != "/":
            if not os.path.exists(path):
                raise DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"{path} does not exist (unplugged?)")
            return path
        want_name = (self._u.param("name") or "").lower()
        vid, pid = self._u.param("vid"), self._u.param("pid")
        # python-evdev's list_devices() silently leaves out nodes we may not read: look for ourselves.
        nodes = sorted(glob.glob(os.path.join(INPUT_DIR, "event*")))
        readable = [n for n in nodes if os.access(n, os.R_OK | os.W_OK)]
        if nodes and not readable:
            raise DeviceError(DeviceErrorCode.BARCODE_NO_EVDEV,
                              f"none of the {len(nodes)} devices under {INPUT_DIR} is readable: {_PERMISSION}")
        for candidate in readable:
            try:
                device = evdev.InputDevice(candidate)
            except OSError:
                continue  # went away while we looked
            try:
                if self._matches(device, want_name, vid, pid):
                    return candidate
            finally:
                device.close()
        what = f"a name containing {want_name!r}" if want_name else f"vid={vid} pid={pid}"
        hidden = len(nodes) - len(readable)
        raise DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"no keyboard device with {what} under {INPUT_DIR}"
                          + (f" ({hidden} not readable: {_PERMISSION})" if hidden else " (unplugged?)"))

    @staticmethod
    def _matches(device: Any, want_name: str, vid: str | None, pid: str | None) -> bool:
        # Some scanners expose two event nodes and only one carries keys (devices.md 3.1): require Enter.
        if KEY_ENTER not in device.capabilities().get(EV_KEY, []):
            return False
        if want_name and want_name not in device.name.lower():
            return False
        info = device.info
        if vid and int(vid, 16) != info.vendor:
            return False
        return not (pid and int(pid, 16) != info.product)
