"""Fakes for tests: a clock the test moves, event recorders that wait on conditions (never on sleep)."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

# The outbox key the tests hand to Outbox(...) directly (the kiosk gets its own from kiosk.keystore).
OUTBOX_KEY = bytes(range(32))


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeCamera:
    """A document camera whose newest preview frame the test shows (``DocumentCamera.latest()``'s shape):
    for the live preview (kiosk.capture.auto) and camera barcode scanning (devices.barcode.camera_scan)."""

    name = "camera"

    def __init__(self) -> None:
        from devices.base import Capability, DeviceState  # noqa: PLC0415 - fakes.py stays import-light

        self.state = DeviceState.IDLE
        self.capabilities = frozenset({Capability.LIVE_PREVIEW})
        self._preview: Any = None
        self._seq = 0

    def show(self, image: Any) -> None:
        from devices.base import Preview  # noqa: PLC0415

        self._seq += 1
        self._preview = Preview(image, self._seq)

    def latest(self) -> Any:
        return self._preview

    @property
    def seq(self) -> int:
        """How many frames have been shown."""
        return self._seq

    def supports(self, capability: Any) -> bool:
        return capability in self.capabilities


class Recorder:
    """Collects events from any thread; ``wait_for`` blocks until a predicate holds (with a deadline)."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self._cond = threading.Condition()

    def __call__(self, event: Any) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[list[Any]], Any], timeout_s: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                result = predicate(self.events)
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"condition not met within {timeout_s} s; events: {self.events[-10:]!r}")
                self._cond.wait(remaining)

    def kinds(self) -> list[Any]:
        with self._cond:
            return [getattr(e, "kind", None) for e in self.events]


def wait_until(predicate: Callable[[], Any], timeout_s: float = 10.0, interval_s: float = 0.01) -> Any:
    """Poll a condition on state we cannot subscribe to (e.g. a simulator's counters)."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        threading.Event().wait(interval_s)
