"""Serial line barcode scanners over any byte-stream URL, and their simulator (``sim://barcode``).

A scanner in serial (or USB CDC) mode sends the payload followed by a suffix, usually CR or CR LF
(devices.md 3.1). The suffix is set in the URL (``?suffix=cr|lf|crlf|none``); with ``none`` a pause of
``gap_ms`` (default 80 ms) ends a code. Each code becomes a BARCODE_READ event carrying a ``Scan``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from .. import sim
from ..base import Device, DeviceState, EventKind
from ..errors import DeviceError, DeviceErrorCode
from ..transport import STREAM_ERRORS, DeviceURL, Stream, close_stream, open_stream, parse_url

SUFFIXES = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "none": b""}
MAX_CODE_BYTES = 4096  # a QR holds at most 2953 bytes; longer runs are line noise


@dataclass(frozen=True)
class Scan:
    """A code read by any path (serial scanner, camera, keyboard wedge), as the journey sees it."""

    raw: bytes
    text: str
    symbology: str = "unknown"
    source: str = ""  # device name


def decode_text(raw: bytes) -> str:
    """Scanners send UTF-8 or GBK depending on their settings: try UTF-8 strictly first."""
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


class SerialScanner(Device):
    kind = "barcode"
    poll_interval_s = 0.02

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        u = parse_url(url)
        suffix = (u.param("suffix") or str(self.options.get("suffix", "cr"))).lower()
        if suffix not in SUFFIXES:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: suffix must be one of {list(SUFFIXES)}")
        self.suffix = SUFFIXES[suffix]
        self.gap_s = u.float_param("gap_ms", 80.0) / 1000.0
        self._stream: Stream | None = None
        self._buf = bytearray()
        self._last_byte_at = 0.0

    def _open(self) -> None:
        self._stream = open_stream(self.url, timeout_s=0, baudrate=9600)
        self._buf.clear()

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            close_stream(stream)

    def _poll(self) -> None:
        stream = self._stream
        if stream is None:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, "not open")
        try:
            stream.timeout = 0.05
            chunk = stream.read(256)
        except STREAM_ERRORS as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc)) from exc
        now = time.monotonic()
        if chunk:
            self._buf += chunk
            self._last_byte_at = now
        for raw in self._split(now):
            self.count("scans")
            self.emit(EventKind.BARCODE_READ, Scan(raw=raw, text=decode_text(raw), source=self.name))
        if len(self._buf) > MAX_CODE_BYTES:
            self._buf.clear()
            self.count("overruns")
        if self.state != DeviceState.IDLE:
            self.set_state(DeviceState.IDLE)

    def _split(self, now: float) -> list[bytes]:
        out: list[bytes] = []
        if self.suffix:
            while True:
                i = self._buf.find(self.suffix)
                if i < 0:
                    break
                code = bytes(self._buf[:i]).strip(b"\r\n")
                del self._buf[:i + len(self.suffix)]
                if code:
                    out.append(code)
        elif self._buf and now - self._last_byte_at >= self.gap_s:
            out.append(bytes(self._buf))
            self._buf.clear()
        return out


class ScannerSimulator(sim.SimHardware):
    """Presents codes as a serial scanner does: payload then suffix. ``scan(text)`` is the knob."""

    kind = "barcode"

    def __init__(self, url: DeviceURL) -> None:
        super().__init__(url)
        self.suffix = SUFFIXES.get((url.params.get("suffix") or "cr").lower(), b"\r")
        self.encoding = url.params.get("encoding", "utf-8")
        self.received: list[bytes] = []  # trigger commands written by the host

    def handle(self, port: sim.SimPort, data: bytes) -> None:
        self.received.append(data)

    def scan(self, payload: str | bytes) -> None:
        raw = payload.encode(self.encoding) if isinstance(payload, str) else payload
        with self.lock:
            for port in list(self.ports):
                port.feed(raw + self.suffix)


sim.register("barcode", ScannerSimulator)
