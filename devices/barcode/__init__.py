"""Barcode and QR reading: image decoding, serial line scanners, keyboard-wedge scanners, camera scanning and
a simulator. Every reading path emits BARCODE_READ events carrying a ``Scan``.

Imports here stay light (no OpenCV): ``decode``, ``camera_scan`` and ``render`` are imported by their users;
the simulator (``simulator``) is registered by the composition root (``devices.simulators.register_all``).
"""
from __future__ import annotations

from ..base import Device
from ..transport import parse_url
from .evdev_scanner import EvdevScanner
from .scanner import Scan, SerialScanner, decode_text

__all__ = ["EvdevScanner", "Scan", "SerialScanner", "barcode_driver", "decode_text"]


def barcode_driver(url: str) -> type[Device]:
    """The driver for a barcode device URL: ``evdev://`` is a keyboard-wedge scanner, any byte stream a
    serial one (what ``DeviceManager`` should build for kind "barcode")."""
    return EvdevScanner if parse_url(url).scheme == "evdev" else SerialScanner
