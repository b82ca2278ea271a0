"""Serial line barcode scanners over any byte-stream URL (serial://, a device path, socket://, sim://).

URL options (all optional; ``options`` in settings give the same keys as defaults):

- ``suffix=cr|lf|crlf|tab|etx|none|hex:..`` (default cr); with ``none`` a pause of ``gap_ms`` (80) ends a code;
- ``prefix=TEXT`` (URL-encoded, e.g. ``%02`` for STX): stripped; bytes before it are line noise;
- ``aim=1``: the scanner sends AIM symbology identifiers (``]Q1``...): stripped, and they name the symbology;
- ``encoding=auto|utf-8|gbk|gb18030`` (default auto: UTF-8 if valid, else GB18030, a superset of GBK);
- ``model=generic|honeywell|gm`` and ``trigger=1``: host-triggered reading (``triggers``); the scanner is
  armed at start (``armed=0`` to start dark), re-triggered every ``retrigger_ms`` (5000) while armed and
  ``reread_ms`` (1000) after a read; ``arm(False)`` turns it off;
- ``dedupe_ms=N``: drop a repeat of the same code within N ms (default 0: the scanner's own setting rules).

Each code becomes a BARCODE_READ event carrying a ``Scan``. Unplug and replug are the base class's job:
the port raises, the device goes OFFLINE, reopens with backoff and, in trigger mode, re-arms the scanner.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ..base import Device, DeviceState, EventKind
from ..errors import DeviceError, DeviceErrorCode
from ..transport import STREAM_ERRORS, Stream, close_stream, open_stream, parse_url
from . import triggers
from .dedupe import Deduper
from .framing import SUFFIXES, Frame, Framer, parse_suffix

__all__ = ["ENCODINGS", "SUFFIXES", "Scan", "SerialScanner", "decode_text"]

ENCODINGS = ("auto", "utf-8", "gbk", "gb18030")
_REPLY_WAIT_S = 0.5  # a GM reply is 7 bytes; at 9600 baud it takes 7 ms


@dataclass(frozen=True)
class Scan:
    """A code read by any path (serial scanner, camera, keyboard wedge), as the journey sees it."""

    raw: bytes
    text: str
    symbology: str = "unknown"
    source: str = ""  # device name


def decode_text(raw: bytes, encoding: str = "auto") -> str:
    """Scanners send UTF-8 or GBK depending on their "output encoding" setting (devices.md 3.1).

    ``auto`` tries UTF-8 strictly first: GBK text is almost never valid UTF-8, while the reverse is common.
    GBK is read as GB18030, its superset. Undecodable bytes never raise (the payload is shown as text).
    """
    if encoding != "auto":
        return raw.decode("gb18030" if encoding == "gbk" else encoding, errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _opt(url_params: dict[str, str], options: dict[str, Any], key: str, default: str) -> str:
    value = url_params.get(key)
    return str(options.get(key, default)) if value is None else value


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


class SerialScanner(Device):
    kind = "barcode"
    poll_interval_s = 0.02

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        u = parse_url(url)
        o = lambda key, default: _opt(u.params, self.options, key, default)  # noqa: E731
        try:
            suffix = parse_suffix(o("suffix", "cr"))
            self.model = triggers.model(o("model", "generic"))
        except ValueError as exc:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: {exc}") from None
        self.encoding = o("encoding", "auto").lower()
        if self.encoding not in ENCODINGS:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: encoding must be one of {ENCODINGS}")
        self.host_trigger = _flag(o("trigger", "0"))
        if self.host_trigger and not self.model.can_trigger:
            raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL,
                              f"{url}: trigger=1 needs model=honeywell or model=gm (model {self.model.name} has "
                              "no host trigger command)")
        self.suffix = suffix
        self.gap_s = u.float_param("gap_ms", float(self.options.get("gap_ms", 80.0))) / 1000.0
        self.retrigger_s = u.float_param("retrigger_ms", float(self.options.get("retrigger_ms", 5000.0))) / 1000.0
        self.reread_s = u.float_param("reread_ms", float(self.options.get("reread_ms", 1000.0))) / 1000.0
        dedupe_s = u.float_param("dedupe_ms", float(self.options.get("dedupe_ms", 0.0))) / 1000.0
        self._framer = Framer(suffix=suffix, prefix=o("prefix", "").encode("latin-1"), aim=_flag(o("aim", "0")),
                              gap_s=self.gap_s)
        self._dedupe = Deduper(max(0.0, dedupe_s))
        self._armed = _flag(o("armed", "1"))
        self._next_trigger_at = 0.0
        self._acks_pending = 0
        self._reply = bytearray()  # bytes that may be a GM reply, held until complete
        self._reply_since = 0.0
        self._stream: Stream | None = None
        self.set_info("model", self.model.name)
        self.set_info("trigger", "host" if self.host_trigger else "scanner")
        self.set_info("armed", "yes" if self._armed else "no")

    # ----- public API (any thread) -------------------------------------------------------------
    @property
    def armed(self) -> bool:
        return self._armed

    def arm(self, on: bool = True):
        """Light the scanner (host-trigger mode) or turn it off; a Future. Without host trigger: no-op."""
        return self.submit(self._arm, on)

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
        self._stream = open_stream(self.url, timeout_s=0, baudrate=9600)
        self._framer.reset()
        self._reply.clear()
        self._acks_pending = 0
        self._next_trigger_at = 0.0  # a replugged scanner forgot it was triggered: trigger at the first poll

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            close_stream(stream)

    def _poll(self) -> None:
        stream = self._require()
        now = time.monotonic()
        if self.host_trigger and self._armed and now >= self._next_trigger_at:
            self._write(self.model.start)
            self._next_trigger_at = now + self.retrigger_s
        try:
            stream.timeout = 0.05
            chunk = stream.read(256)
        except STREAM_ERRORS as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc)) from exc
        now = time.monotonic()
        for frame in self._framer.feed(self._strip_replies(chunk, now), now):
            self._deliver(frame, now)
        self._sync_counters()
        if self.state != DeviceState.IDLE:
            self.set_state(DeviceState.IDLE)

    # ----- internals (worker thread) -----------------------------------------------------------
    def _require(self) -> Stream:
        if self._stream is None:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, "not open")
        return self._stream

    def _write(self, data: bytes) -> None:
        try:
            self._require().write(data)
        except STREAM_ERRORS as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc)) from exc
        self.count("commands")
        if self.model.acks_commands:  # bounded: a module that never answers must not make us wait forever
            self._acks_pending = min(self._acks_pending + 1, 4)

    def _arm(self, on: bool) -> None:
        self._armed = on
        self.set_info("armed", "yes" if on else "no")
        if not self.host_trigger:
            return
        if on:
            self._write(self.model.start)
            self._next_trigger_at = time.monotonic() + self.retrigger_s
        elif self.model.stop:
            self._write(self.model.stop)

    def _strip_replies(self, chunk: bytes, now: float) -> bytes:
        """Remove the replies a GM module sends to our commands from the data stream; they arrive before
        the code they trigger, so only the start of the stream after a command is examined. A reply that
        stays incomplete for longer than ``_REPLY_WAIT_S`` was data after all."""
        if not self._acks_pending or not (chunk or self._reply):
            return chunk
        if not self._reply:
            self._reply_since = now
        self._reply += chunk
        while self._acks_pending and self._reply:
            n = triggers.gm_reply_length(bytes(self._reply))
            if n:
                del self._reply[:n]
                self._acks_pending -= 1
                self._reply_since = now
                self.count("acks")
            elif triggers.gm_reply_incomplete(bytes(self._reply)) and now - self._reply_since < _REPLY_WAIT_S:
                return b""  # wait for the rest
            else:
                self._acks_pending = 0  # not a reply: the module does not answer (or answered garbage)
        out = bytes(self._reply)
        self._reply.clear()
        return out

    def _deliver(self, frame: Frame, now: float) -> None:
        if frame.prefix_missing:
            self.count("prefix_missing")
        if self.host_trigger and self._armed:
            # The scanner stopped on the decode; give the citizen time to take the code away.
            self._next_trigger_at = now + self.reread_s
        if not self._dedupe.is_new(frame.symbology, frame.payload):
            self.count("duplicates")
            return
        self.count("scans")
        self.emit(EventKind.BARCODE_READ, Scan(raw=frame.payload, text=decode_text(frame.payload, self.encoding),
                                               symbology=frame.symbology, source=self.name))

    def _sync_counters(self) -> None:
        with self._lock:
            self._counters["overruns"] = self._framer.overruns
            self._counters["noise_bytes"] = self._framer.noise_bytes

