"""Resident ID card reader driver (GA 467 SAM_V) over any byte-stream transport.

Polling cycle (devices.md 1.3): SAM status on open, then find card every ``poll_interval_s``; a found card
raises CARD_PLACED; when the reader is *armed* (the journey waits for a card) it is selected and read, and
CARD_READ carries the parsed ``IdCardData``. A card that stops answering raises CARD_REMOVED.
Reading personal data only while armed keeps the reader from collecting data nobody asked for.

Deadlines escalate: a command that times out or returns a garbled frame is retried once; a second failure
resets the SAM; a failure after the reset is a device error, and the worker reopens the transport.
"""
from __future__ import annotations

import logging
import threading
import time

from ..base import Device, DeviceState, EventKind
from ..errors import DeviceError, DeviceErrorCode
from ..transport import STREAM_ERRORS, Stream, open_stream
from . import protocol as p
from .model import IdCardData
from .textblock import parse_text_block

log = logging.getLogger(__name__)

DEFAULT_BAUD = 115200


class IdCardReader(Device):
    kind = "idcard"
    poll_interval_s = 0.25
    command_timeout_s = 1.0  # per command; the 1295-byte read needs ~0.11 s of wire time at 115200 baud
    read_timeout_s = 3.0

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        self._stream: Stream | None = None
        self._armed = threading.Event()
        self._present = False
        self._read_done = False
        self._misses = 0
        self.poll_interval_s = float(self.options.get("poll_interval_s", self.poll_interval_s))

    # ----- public -------------------------------------------------------------------------------
    def arm(self) -> None:
        """Read the next card placed (or the one lying there now)."""
        self._read_done = False
        self._armed.set()

    def disarm(self) -> None:
        self._armed.clear()

    @property
    def card_present(self) -> bool:
        return self._present

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
        self._stream = open_stream(self.url, timeout_s=self.command_timeout_s, baudrate=DEFAULT_BAUD)
        try:
            self._stream.reset_input_buffer()
            reply = self.transact(p.Command.SAM_STATUS)
            if reply.sw3 != p.SW3.OK:
                raise self._sw3_error(reply.sw3)
            sam = self.transact(p.Command.SAM_ID)
            if sam.sw3 == p.SW3.OK and len(sam.data) >= 16:
                self.set_info("sam_id", format_sam_id(sam.data))
        except DeviceError:
            self._close()
            raise
        self._present = False

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def _poll(self) -> None:
        reply = self.transact(p.Command.FIND_CARD)
        if reply.sw3 == p.SW3.FIND_OK:
            self._misses = 0
            if not self._present:
                self._present = True
                self._read_done = False
                self.emit(EventKind.CARD_PLACED)
            if self._armed.is_set() and not self._read_done:
                self._read_card()
        elif reply.sw3 == p.SW3.NO_CARD:
            if self._present:
                self._present = False
                self._read_done = False
                self.emit(EventKind.CARD_REMOVED)
        else:
            raise self._sw3_error(reply.sw3)
        if self.state != DeviceState.IDLE:
            self.set_state(DeviceState.IDLE)

    # ----- reading ------------------------------------------------------------------------------
    def _read_card(self) -> None:
        self.set_state(DeviceState.BUSY)
        try:
            card = self.read_card()
        except DeviceError as exc:
            if exc.code in (DeviceErrorCode.TRANSPORT_LOST, DeviceErrorCode.TIMEOUT, DeviceErrorCode.PROTOCOL):
                raise
            self.count("read_failures")
            self._read_done = True  # do not hammer a bad card; it is read again once re-placed
            self.emit(EventKind.CARD_ERROR, exc)
            self.set_state(DeviceState.IDLE)
            return
        self._read_done = True
        self.count("cards_read")
        self.emit(EventKind.CARD_READ, card)
        self.set_state(DeviceState.IDLE)

    def read_card(self) -> IdCardData:
        """Select and read the card on the reader (worker thread). Raises DeviceError."""
        sel = self.transact(p.Command.SELECT_CARD)
        if sel.sw3 == p.SW3.NO_CARD or sel.sw3 == p.SW3.SELECT_FAILED:
            raise DeviceError(DeviceErrorCode.IDCARD_REMOVED_EARLY, "select failed")
        if sel.sw3 != p.SW3.OK:
            raise self._sw3_error(sel.sw3)
        reply = self.transact(p.Command.READ_TEXT_PHOTO, timeout_s=self.read_timeout_s)
        if reply.sw3 != p.SW3.OK:
            if reply.sw3 in (p.SW3.NO_CARD, p.SW3.READ_FAILED):
                raise DeviceError(DeviceErrorCode.IDCARD_REMOVED_EARLY, f"read failed (SW3 {reply.sw3:02X})")
            raise self._sw3_error(reply.sw3)
        try:
            text, photo, fp = p.split_read_reply(reply.data)
        except p.FrameError as exc:
            raise DeviceError(DeviceErrorCode.IDCARD_READ_FAILED, str(exc)) from None
        return parse_text_block(text, photo, fp)

    # ----- framing ------------------------------------------------------------------------------
    def transact(self, command: int, data: bytes = b"", *, timeout_s: float | None = None) -> p.Frame:
        """One command with escalation: retry once, then reset the SAM and try a last time."""
        timeout_s = timeout_s or self.command_timeout_s
        last: DeviceError | None = None
        for attempt in range(3):
            if attempt == 2:
                self.count("sam_resets")
                self._exchange(p.Command.RESET_SAM, b"", timeout_s)  # may raise: then it is a real error
            try:
                return self._exchange(command, data, timeout_s)
            except DeviceError as exc:
                if exc.code == DeviceErrorCode.TRANSPORT_LOST:
                    raise
                last = exc
                self.count("retries")
        assert last is not None
        raise last

    def _exchange(self, command: int, data: bytes, timeout_s: float) -> p.Frame:
        stream = self._stream
        if stream is None:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, "not open")
        deadline = time.monotonic() + timeout_s
        try:
            stream.reset_input_buffer()
            stream.write(p.encode_request(command, data))
            return p.decode_frame(read_frame(stream, deadline))
        except p.FrameError as exc:
            raise DeviceError(DeviceErrorCode.PROTOCOL, str(exc)) from None
        except STREAM_ERRORS as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc)) from exc

    def _sw3_error(self, sw3: int) -> DeviceError:
        info = p.RESULTS.get(sw3)
        if info is None:
            return DeviceError(DeviceErrorCode.PROTOCOL, f"unknown SW3 {sw3:02X}")
        return DeviceError(info.device_code or DeviceErrorCode.IDCARD_READ_FAILED, f"SW3 {sw3:02X}: {info.en}")


def read_frame(stream: Stream, deadline: float) -> bytes:
    """Read one frame, skipping line noise before the preamble; TIMEOUT when the deadline passes."""
    window = b""
    while window != p.PREAMBLE:
        chunk = _read_exact(stream, 1, deadline)
        window = (window + chunk)[-len(p.PREAMBLE):]
    length_bytes = _read_exact(stream, 2, deadline)
    total = p.frame_length(p.PREAMBLE + length_bytes)  # FrameError for absurd lengths
    rest = _read_exact(stream, total - p.HEADER_LEN, deadline)
    return p.PREAMBLE + length_bytes + rest


def _read_exact(stream: Stream, n: int, deadline: float) -> bytes:
    out = b""
    while len(out) < n:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeviceError(DeviceErrorCode.TIMEOUT, f"no answer within the deadline ({len(out)}/{n} bytes)")
        stream.timeout = remaining
        chunk = stream.read(n - len(out))
        out += chunk
    return out


def format_sam_id(data: bytes) -> str:
    """SAM id as DD.DD-N1-N2-N3 (devices.md 1.5; single source, verify on hardware)."""
    d = data
    n1 = int.from_bytes(d[4:8], "little")
    n2 = int.from_bytes(d[8:12], "little")
    n3 = int.from_bytes(d[12:16], "little")
    return f"{d[0]:02d}.{d[2]:02d}-{n1}-{n2:09d}-{n3:09d}"
