"""Transports opened from URLs, so a device is named by one string in settings.

Byte streams (pyserial-shaped: ``read(n)``, ``write(b)``, ``timeout``, ``reset_input_buffer()``, ``close()``):

- ``serial:///dev/ttyUSB0?baudrate=115200`` and a plain device path ``/dev/ttyUSB0``: a serial port;
- ``socket://HOST:PORT``: raw TCP through pyserial's URL handler (printers on port 9100, remote readers);
- ``file:///path/out.bin``: write-only, appends the raw stream to a file (printers; reads give nothing);
- ``loop://``: pyserial's loopback, for tests;
- ``sim://KIND?...``: an in-process simulator that speaks the device's real protocol (``devices.sim``).

Frame sources (cameras) use ``camera://INDEX?width=W&height=H&fourcc=MJPG`` and ``sim://camera``; they are
opened by ``devices.camera``, which uses ``parse_url`` from here. ``sane://DEVICE`` names a document scanner
(``devices.camera.sane``).
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit

import serial

from .errors import DeviceError, DeviceErrorCode


class Stream(Protocol):
    timeout: float | None

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class DeviceURL:
    raw: str
    scheme: str
    host: str = ""
    port: int | None = None
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)

    def param(self, key: str, default: str | None = None) -> str | None:
        return self.params.get(key, default)

    def int_param(self, key: str, default: int) -> int:
        value = self.params.get(key)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL,
                              f"{self.raw}: parameter {key}={value!r} is not a whole number") from None

    def float_param(self, key: str, default: float) -> float:
        value = self.params.get(key)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL,
                              f"{self.raw}: parameter {key}={value!r} is not a number") from None


SCHEMES = ("serial", "socket", "file", "loop", "sim", "camera", "sane", "evdev")


def parse_url(url: str) -> DeviceURL:
    """Parse a device URL; a plain path (``/dev/ttyUSB0``, ``COM3``) means a serial port."""
    url = url.strip()
    if not url:
        raise DeviceError(DeviceErrorCode.NOT_CONFIGURED, "empty device URL")
    if "://" not in url:
        return DeviceURL(raw=url, scheme="serial", path=url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: unknown scheme {scheme!r}")
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    try:
        # A SANE device name is colon-separated (genesys:libusb:001:004), not HOST:PORT.
        port = parts.port if scheme != "sane" else None
    except ValueError:
        raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: bad port") from None
    # sim://idcard and camera://0 carry their argument as the "host" part.
    return DeviceURL(raw=url, scheme=scheme, host=parts.hostname or "", port=port, path=parts.path, params=params)


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
            from . import sim  # noqa: PLC0415 - simulators register themselves on import of their packages
            stream = sim.get_hardware(u).connect()
            stream.timeout = timeout_s
            return stream
    except serial.SerialException as exc:
        code = DeviceErrorCode.PERMISSION_DENIED if "ermission" in str(exc) else DeviceErrorCode.TRANSPORT_OPEN_FAILED
        raise DeviceError(code, f"{u.raw}: {exc}") from exc
    except OSError as exc:
        raise DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"{u.raw}: {exc}") from exc
    raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{u.raw}: not a byte-stream URL")


# Errors a stream raises when the other end goes away; drivers turn them into TRANSPORT_LOST.
STREAM_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError)


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
