"""A USB printer through the kernel's usblp driver: ``file:///dev/usb/lp0``.

usblp exposes a USB printer as a character device that is written to *and read from*: the printer's
answers to DLE EOT come back through ``read``. A plain ``file://`` path is a write-only capture of the raw
stream (``devices.transport.FileStream``); a ``file://`` path naming a character device is opened
read-write here, so the driver has real-time status over USB too. (The same class opens a serial tty or a
pseudo-terminal named by path, in raw mode, which the tests use.)
"""
from __future__ import annotations

import errno
import os
import select
import stat
import termios
import time
import tty

from ..errors import DeviceError, DeviceErrorCode
from ..transport import parse_url


def is_char_device(url: str) -> bool:
    try:
        u = parse_url(url)
    except DeviceError:
        return False
    if u.scheme != "file" or not u.path:
        return False
    try:
        return stat.S_ISCHR(os.stat(u.path).st_mode)
    except OSError:
        return False


class CharDeviceStream:
    """pyserial-shaped (``read``/``write``/``timeout``/``reset_input_buffer``/``close``) over a device fd."""

    def __init__(self, path: str, timeout_s: float = 0.5, write_timeout_s: float = 5.0) -> None:
        self.path = path
        self.timeout: float | None = timeout_s
        self.write_timeout_s = write_timeout_s
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError as exc:
            code = DeviceErrorCode.PERMISSION_DENIED if exc.errno == errno.EACCES \
                else DeviceErrorCode.TRANSPORT_OPEN_FAILED
            raise DeviceError(code, f"{path}: {exc.strerror} (USB printers: group lp)") from exc
        if os.isatty(self._fd):  # a tty would translate LF to CR LF and eat control bytes
            try:
                tty.setraw(self._fd, termios.TCSANOW)
            except termios.error:
                pass

    def read(self, size: int = 1) -> bytes:
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        out = bytearray()
        while len(out) < size:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._fd], [], [], remaining)
            if not ready:
                break
            try:
                chunk = os.read(self._fd, size - len(out))
            except BlockingIOError:
                continue
            if not chunk:  # usblp: nothing to report right now
                if deadline is not None and time.monotonic() >= deadline:
                    break
                continue
            out += chunk
        return bytes(out)

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        deadline = time.monotonic() + self.write_timeout_s
        while view:
            _, ready, _ = select.select([], [self._fd], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise OSError(errno.ETIMEDOUT, f"{self.path}: the printer takes no data")
            try:
                n = os.write(self._fd, view)
            except BlockingIOError:
                continue
            view = view[n:]
        return len(data)

    def reset_input_buffer(self) -> None:
        while True:
            ready, _, _ = select.select([self._fd], [], [], 0)
            if not ready:
                return
            try:
                if not os.read(self._fd, 4096):
                    return
            except BlockingIOError:
                return

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def open_char_device(url: str, timeout_s: float = 0.5) -> CharDeviceStream:
    return CharDeviceStream(parse_url(url).path, timeout_s=timeout_s)
