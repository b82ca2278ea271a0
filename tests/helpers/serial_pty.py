"""A real serial port for tests: a pseudo-terminal whose far end is a device simulator.

``FakeSerialDevice(hardware)`` opens a pty pair; the driver opens ``.path`` (``/dev/pts/N``) with pyserial
like any ``/dev/ttyUSB0`` and its bytes reach the simulator's ``handle``; the simulator's answers go back
through the pty. So the console's "pick the right port" test drives the production driver over a real
tty, not over ``sim://``.
"""
from __future__ import annotations

import os
import select
import threading
import tty
from typing import Any


class _PtyPort:
    """What a simulator's ``handle(port, data)`` answers into: the pty's master side."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def feed(self, data: bytes) -> None:
        os.write(self._fd, data)


class FakeSerialDevice:
    def __init__(self, hardware: Any) -> None:
        self.hardware = hardware
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line discipline: bytes pass as they are
        self.path = os.ttyname(self._slave)
        self._port = _PtyPort(self.master)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-serial", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if data:
                self.hardware.handle(self._port, data)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        os.close(self.master)
        os.close(self._slave)
