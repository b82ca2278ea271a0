"""In-process simulators: simulated hardware that the real drivers talk to over a pyserial-shaped port.

A simulator is "hardware": it lives on across connections, like a reader that stays on the desk while its
cable is unplugged and plugged back. ``sim://KIND?name=...&knob=...`` looks the hardware up (creating it the
first time) and ``connect()`` gives the driver a fresh ``SimPort``. Test code and the demo's simulator panel
reach the same hardware with ``get_hardware`` to turn its knobs (place a card, take the paper out, unplug).

Like OctoPrint's virtual printer: the driver under test is the production driver, byte for byte.

This module is the registry only and knows no device kind: each kind's simulator is registered by the
composition root (``devices.simulators.register_all()``, called by ui/cli.py, the tests and the benches),
so a driver never pulls in a simulator and the registry never pulls in a driver.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

import serial

from .errors import DeviceError, DeviceErrorCode
from .urls import DeviceURL, parse_url


class SimPort:
    """A pyserial-shaped port whose other end is a simulator.

    Bytes the driver writes go to the simulator's ``handle``; the simulator answers with ``feed``.
    ``read(n)`` blocks until n bytes arrived or ``timeout`` passed, exactly like ``serial.Serial.read``.
    """

    def __init__(self, owner: "SimHardware") -> None:
        self.timeout: float | None = 1.0
        self._owner = owner
        self._buf = bytearray()
        self._cond = threading.Condition()
        self.is_open = True

    # driver side --------------------------------------------------------------------------------
    def _check(self) -> None:
        if not self.is_open:
            raise serial.SerialException("port is closed")
        if self._owner.unplugged:
            raise serial.SerialException("device disconnected (simulated unplug)")

    def write(self, data: bytes) -> int:
        self._check()
        self._owner.handle(self, bytes(data))
        return len(data)

    def read(self, size: int = 1) -> bytes:
        self._check()
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        with self._cond:
            while len(self._buf) < size:
                if self._owner.unplugged:
                    raise serial.SerialException("device disconnected (simulated unplug)")
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    break
                self._cond.wait(remaining if remaining is not None else 0.1)
            out = bytes(self._buf[:size])
            del self._buf[:size]
            return out

    @property
    def in_waiting(self) -> int:
        with self._cond:
            return len(self._buf)

    def reset_input_buffer(self) -> None:
        with self._cond:
            self._buf.clear()

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.is_open = False
        with self._cond:
            self._cond.notify_all()
        self._owner._port_closed(self)

    # simulator side -----------------------------------------------------------------------------
    def feed(self, data: bytes) -> None:
        with self._cond:
            self._buf.extend(data)
            self._cond.notify_all()


class SimHardware:
    """Base of simulated hardware. Subclasses implement ``handle(port, data)`` or override ``connect``."""

    kind = "sim"

    def __init__(self, url: DeviceURL) -> None:
        self.url = url
        self.unplugged = False
        self.lock = threading.RLock()
        self.ports: list[SimPort] = []

    def connect(self) -> Any:
        with self.lock:
            if self.unplugged:
                raise DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"{self.url.raw}: simulated unplug")
            port = SimPort(self)
            self.ports.append(port)
            return port

    def handle(self, port: SimPort, data: bytes) -> None:
        raise NotImplementedError

    def _port_closed(self, port: SimPort) -> None:
        with self.lock:
            if port in self.ports:
                self.ports.remove(port)

    def unplug(self) -> None:
        self.unplugged = True
        for port in list(self.ports):
            with port._cond:
                port._cond.notify_all()

    def plug(self) -> None:
        self.unplugged = False

    def knobs(self) -> dict[str, Any]:
        """The simulator's adjustable state, for the demo panel and the technician console."""
        return {"unplugged": self.unplugged}


_FACTORIES: dict[str, Callable[[DeviceURL], SimHardware]] = {}
_HARDWARE: dict[str, SimHardware] = {}
_REG_LOCK = threading.Lock()


def register(kind: str, factory: Callable[[DeviceURL], SimHardware]) -> None:
    """Make ``sim://KIND`` build its hardware with ``factory`` (the composition root calls this)."""
    with _REG_LOCK:
        _FACTORIES[kind] = factory


def registered() -> list[str]:
    """The kinds ``sim://`` can build."""
    with _REG_LOCK:
        return sorted(_FACTORIES)


def _key(u: DeviceURL) -> str:
    return f"{u.host}/{u.params.get('name', '')}"


def get_hardware(url: str | DeviceURL) -> SimHardware:
    """The simulated hardware for a ``sim://`` URL, created on first use."""
    u = parse_url(url) if isinstance(url, str) else url
    with _REG_LOCK:
        key = _key(u)
        hw = _HARDWARE.get(key)
        if hw is not None:
            return hw
        factory = _FACTORIES.get(u.host)
        if factory is None:
            known = ", ".join(sorted(_FACTORIES)) or "none: devices.simulators.register_all() was not called"
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL,
                              f"{u.raw}: no simulator of kind {u.host!r} (registered: {known})")
        hw = factory(u)
        _HARDWARE[key] = hw
        return hw


def all_hardware() -> dict[str, SimHardware]:
    with _REG_LOCK:
        return dict(_HARDWARE)


def reset() -> None:
    """Forget all simulated hardware (tests; a new demo session)."""
    with _REG_LOCK:
        _HARDWARE.clear()
