"""Registers every device kind's simulator with the ``sim://`` registry (``devices.sim``).

Called by the composition root: ``ui/cli.py`` (every command, demo or not, so ``sim://`` URLs in any
settings file work), the tests (tests/conftest.py) and the benches. Neither the registry nor a driver
imports a simulator; this module is the one place that knows them all, and it is where cross-kind wiring of
simulators happens (the simulated camera renders codes with the barcode kind's renderer).

Importing the simulators is cheap except for the camera's, which loads OpenCV: it is imported only when
``sim://camera`` is first asked for.
"""
from __future__ import annotations

from . import sim
from .urls import DeviceURL


def _camera(url: DeviceURL) -> sim.SimHardware:
    from .barcode.render import render_code  # noqa: PLC0415 - OpenCV and zxing-cpp only for a simulated camera
    from .camera.sim import CameraSimulator  # noqa: PLC0415

    return CameraSimulator(url, code_renderer=render_code)


def _face(url: DeviceURL) -> sim.SimHardware:
    from .camera.sim.face import FaceSimulator  # noqa: PLC0415 - OpenCV only for a simulated face camera

    return FaceSimulator(url)


def _idcard(url: DeviceURL) -> sim.SimHardware:
    from .idcard.sim import SamSimulator  # noqa: PLC0415

    return SamSimulator(url)


def _printer(url: DeviceURL) -> sim.SimHardware:
    from .printer.sim import PrinterSimulator  # noqa: PLC0415

    return PrinterSimulator(url)


def _barcode(url: DeviceURL) -> sim.SimHardware:
    from .barcode.simulator import ScannerSimulator  # noqa: PLC0415

    return ScannerSimulator(url)


def _a4(url: DeviceURL) -> sim.SimHardware:
    from .a4.sim import A4Simulator  # noqa: PLC0415

    return A4Simulator(url)


FACTORIES = {"idcard": _idcard, "printer": _printer, "camera": _camera, "barcode": _barcode, "a4": _a4,
             "face": _face}


def register_all() -> None:
    """Make ``sim://idcard``, ``sim://printer``, ``sim://camera``, ``sim://barcode``, ``sim://a4`` and
    ``sim://face`` work (idempotent)."""
    for kind, factory in FACTORIES.items():
        sim.register(kind, factory)
