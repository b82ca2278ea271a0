"""Transports opened from URLs, so a device is named by one string in settings.

Byte streams (pyserial-shaped: ``read(n)``, ``write(b)``, ``timeout``, ``reset_input_buffer()``, ``close()``):

- ``serial:///dev/ttyUSB0?baudrate=115200`` and a plain device path ``/dev/ttyUSB0``: a serial port;
- ``socket://HOST:PORT``: raw TCP through pyserial's URL handler (printers on port 9100, remote readers);
- ``file:///path/out.bin``: write-only, appends the raw stream to a file (printers; reads give nothing);
- ``loop://``: pyserial's loopback, for tests;
- ``sim://KIND?...``: an in-process simulator that speaks the device's real protocol (``devices.sim``).

Frame sources (cameras) use ``camera://INDEX?width=W&height=H&fourcc=MJPG`` and ``sim://camera``; they are
opened by ``devices.camera``, which uses ``parse_url`` (``devices.urls``, re-exported here). ``sane://DEVICE``
names a document scanner (``devices.scanner``).
"""
from __future__ import annotations

import os
import threading
from typing import Protocol

import serial

from .errors import DeviceError, DeviceErrorCode
from .urls import SCHEMES, DeviceURL, parse_url  # noqa: F401 - re-exported: drivers name URLs through here

__all__ = ["SCHEMES", "STREAM_ERRORS", "DeviceURL", "FileStream", "Stream", "close_stream", "open_stream",
           "parse_url"]


class Stream(Protocol):
    timeout: float | None

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


class FileStream:
    """Write-only stream appending to a file: a printer whose output is kept as raw bytes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.timeout: float | None = 0
        self._lock = threading.Lock()
        try:
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)
            self._fh = open(path, "ab")
        except OSError as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"{path}: {exc.strerror}") from exc

    def read(self, size: int = 1) -> bytes:
        return b""

    def write(self, data: bytes) -> int:
        with self._lock:
            self._fh.write(data)
            self._fh.flush()
        return len(data)

    def reset_input_buffer(self) -> None:
        pass

    def close(self) -> None:
        self._fh.close()


def open_stream(url: str | DeviceURL, *, timeout_s: float = 1.0, baudrate: int = 9600) -> Stream:
    """Open a byte stream for a URL. ``baudrate`` is the driver's default; ``?baudrate=`` overrides it."""
    u = parse_url(url) if isinstance(url, str) else url
    try:
        if u.scheme == "serial":
            path = u.path or u.host
            baud = u.int_param("baudrate", baudrate)
            return serial.Serial(path, baudrate=baud, timeout=timeout_s, write_timeout=max(timeout_s, 2.0))
        if u.scheme == "socket":
            if not u.host or u.port is None:
                raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{u.raw}: socket:// needs HOST:PORT")
            return serial.serial_for_url(f"socket://{u.host}:{u.port}", timeout=timeout_s)
        if u.scheme == "loop":
            return serial.serial_for_url("loop://", timeout=timeout_s)
        if u.scheme == "file":
            return FileStream(u.path)
        if u.scheme == "sim":
            # The registry knows no device kind: the composition root registered the simulators
            # (devices.simulators.register_all) before any sim:// URL is opened.
            from . import sim  # noqa: PLC0415 - simulated hardware only when a sim:// URL is used
            stream = sim.get_hardware(u).connect()
            stream.timeout = timeout_s
            return stream
    except serial.SerialException as exc:
        code = DeviceErrorCode.PERMISSION_DENIED if "ermission" in str(exc) else DeviceErrorCode.TRANSPORT_OPEN_FAILED
        raise DeviceError(code, f"{u.raw}: {exc}") from exc
    except OSError as exc:
        raise DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"{u.raw}: {exc}") from exc
    raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{u.raw}: not a byte-stream URL")


try:  # pyserial's POSIX port calls termios directly (tcflush in reset_input_buffer), which raises
    import termios  # termios.error, not OSError, when the tty vanishes (an unplugged USB adapter, a closed pty)

    _TTY_ERRORS: tuple[type[BaseException], ...] = (termios.error,)
except ImportError:  # Windows
    _TTY_ERRORS = ()

# Errors a stream raises when the other end goes away; drivers turn them into TRANSPORT_LOST.
STREAM_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError, *_TTY_ERRORS)


def close_stream(stream: Stream) -> None:
    """Close a stream whatever state its far end is in.

    pyserial's socket:// close() skips socket.close() when shutdown() fails, which it does once the peer
    has gone (an unplugged network printer or reader): close the socket ourselves so it does not leak.
    """
    sock = getattr(stream, "_socket", None)
    try:
        stream.close()
    except STREAM_ERRORS:
        pass
    if sock is not None:
        sock.close()
