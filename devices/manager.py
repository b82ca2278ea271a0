"""DeviceManager: builds the devices named in settings, starts them, reports their health.

Callers ask the manager for a device at each use (``get``) instead of keeping a reference, so a device
replaced by a technician (new URL) or rebuilt after a fault is the one they talk to.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from .base import Device, DeviceEvent, Health
from .errors import DeviceError, DeviceErrorCode
from .observers import Observers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceSpec:
    name: str  # "idcard", "printer", "camera", "scanner", "barcode", "a4"
    kind: str  # the driver: idcard | printer | camera | scanner | barcode | a4
    url: str
    options: dict[str, Any] = field(default_factory=dict)


DriverFactory = Callable[[str], type[Device]]  # the device URL -> the driver class


# The kinds' drivers, each imported on demand (a kiosk without a camera never loads OpenCV's capture code).
# Only the manager imports the kinds, inside these functions; no kind imports the manager.
def _idcard(url: str) -> type[Device]:
    from .idcard import IdCardReader  # noqa: PLC0415

    return IdCardReader


def _printer(url: str) -> type[Device]:
    from .printer import ReceiptPrinter  # noqa: PLC0415

    return ReceiptPrinter


def _camera(url: str) -> type[Device]:
    if url.strip().lower().startswith("sane://"):
        # A document scanner still named in the camera slot (a settings file written before the scanner
        # became its own kind; settings loading moves it, the console's replace() may not).
        log.warning("camera %s is a sane:// scanner: built as the scanner kind; configure it under scanner", url)
        return _scanner(url)
    from .camera import DocumentCamera  # noqa: PLC0415

    return DocumentCamera


def _face_camera(url: str) -> type[Device]:
    from .camera import FaceCamera  # noqa: PLC0415

    return FaceCamera


def _scanner(url: str) -> type[Device]:
    from .scanner import SaneScanner  # noqa: PLC0415

    return SaneScanner


def _a4(url: str) -> type[Device]:
    from .a4 import A4Printer  # noqa: PLC0415

    return A4Printer


def _barcode(url: str) -> type[Device]:
    from .barcode import barcode_driver  # noqa: PLC0415 - serial, sim:// or evdev:// by the URL

    return barcode_driver(url)


DRIVERS: dict[str, DriverFactory] = {
    "idcard": _idcard, "printer": _printer, "camera": _camera, "scanner": _scanner, "barcode": _barcode,
    "a4": _a4, "face_camera": _face_camera,
}


def register_driver(kind: str, factory: DriverFactory) -> None:
    """Build devices of ``kind`` with ``factory(url)`` (a composition root adding or replacing a driver)."""
    DRIVERS[kind] = factory


def _driver(kind: str, url: str) -> type[Device]:
    factory = DRIVERS.get(kind)
    if factory is None:
        raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"no driver of kind {kind!r}")
    return factory(url)


class DeviceManager:
    def __init__(self, specs: list[DeviceSpec]) -> None:
        self._lock = threading.RLock()
        self._devices: dict[str, Device] = {}
        self._listeners: Observers[DeviceEvent] = Observers("devices")
        self._unsubscribe: dict[str, Callable[[], None]] = {}
        for spec in specs:
            self._add(spec)

    def _add(self, spec: DeviceSpec) -> Device:
        device = _driver(spec.kind, spec.url)(spec.name, spec.url, spec.options)
        self._devices[spec.name] = device
        self._unsubscribe[spec.name] = device.subscribe(self._dispatch)
        return device

    def _dispatch(self, event: DeviceEvent) -> None:
        self._listeners.notify(event)

    def subscribe(self, listener: Callable[[DeviceEvent], None]) -> Callable[[], None]:
        """Receive the events of every device (on the devices' worker threads)."""
        return self._listeners.subscribe(listener)

    def get(self, name: str) -> Device | None:
        with self._lock:
            return self._devices.get(name)

    def names(self) -> list[str]:
        with self._lock:
            return list(self._devices)

    def start(self) -> None:
        with self._lock:
            devices = list(self._devices.values())
        for device in devices:
            device.start()

    def stop(self) -> None:
        with self._lock:
            devices = list(self._devices.values())
        for device in devices:
            device.stop()

    def replace(self, spec: DeviceSpec) -> Device:
        """Swap a device for one built from a new spec (a technician changed its URL)."""
        with self._lock:
            old = self._devices.pop(spec.name, None)
            unsub = self._unsubscribe.pop(spec.name, None)
        if unsub:
            unsub()
        if old is not None:
            old.stop()
        with self._lock:
            device = self._add(spec)
        device.start()
        return device

    def health(self) -> dict[str, Health]:
        with self._lock:
            devices = dict(self._devices)
        return {name: d.health() for name, d in devices.items()}
