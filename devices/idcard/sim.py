"""A SAM_V module simulated byte for byte, with fault knobs (``sim://idcard?card=graduate``).

It cuts request frames out of the bytes the driver writes, as a module does, and answers with the frames a
real module sends (devices.md 1.5). The same object serves the in-process ``sim://idcard`` port and, through
``simserver.SamServer``, a TCP port or a pseudo-terminal for external programs.

Knobs: place/remove a card, unplug/plug (from ``SimHardware``), ``fault``:
  none              answer like a healthy module
  remove_mid_read   the card is lifted during the read: SW3 41, and the card is gone (once)
  read_flaky_once   one read answers SW3 41 although the card stays (an RF hiccup)
  bad_checksum      every reply's checksum byte is wrong
  bad_checksum_once the next read reply's checksum is wrong, then healthy again
  noise_mid_read    line noise inside the next read reply (once)
  host_checksum_once the next reply says SW3 10: "your request reached me garbled" (once)
  garbage           every reply is replaced by random bytes
  silence           no reply at all
  sam_fault         the SAM failed its self-test (SW3 60)
  not_an_id_card    a card of another kind lies on the reader (a bank or transit card): it is found but
                    never selects (SW3 81)
and ``fingerprint_supported`` (False: 30 10 answers SW3 21, as on SAMs without it).
"""
from __future__ import annotations

import os
from collections import deque
from typing import Any

from .. import sim
from ..transport import DeviceURL
from . import protocol as p
from .model import IdCardData
from .synthetic import IDENTITIES
from .textblock import build_text_block

FAULTS = ("none", "remove_mid_read", "read_flaky_once", "bad_checksum", "bad_checksum_once", "noise_mid_read",
          "host_checksum_once", "garbage", "silence", "sam_fault",
          "not_an_id_card")
SAM_ID_DATA = bytes([5, 0, 1, 0]) + (20230101).to_bytes(4, "little") + (12345678).to_bytes(4, "little") \
    + (87654321).to_bytes(4, "little")
CHIP_SERIAL = bytes(8)  # select-OK data; all zero as in devices.md's vector
PHOTO_LEN = 1024


def read_reply(card: IdCardData, *, fingerprint: bool = False) -> bytes:
    """The 30 01 reply (1295 bytes) or, with ``fingerprint``, the 30 10 reply for a card."""
    text = build_text_block(card)
    photo = card.photo_wlt.ljust(PHOTO_LEN, b"\x00")[:PHOTO_LEN]
    fp = card.fingerprint if fingerprint else None
    return p.encode_response(p.SW3.OK, p.encode_read_data(text, photo, fp))


def appended_address_reply(card: IdCardData) -> bytes:
    """30 03: SW3 91 (no content) for a card without an endorsed address, else its UTF-16LE text.

    The real reply length is not published; 70 bytes (35 characters, like the address field) is a guess."""
    if not card.appended_address:
        return p.encode_response(p.SW3.NO_CONTENT)
    raw = card.appended_address.encode("utf-16-le")
    return p.encode_response(p.SW3.OK, raw + " ".encode("utf-16-le") * max(0, (70 - len(raw)) // 2))



def line_noise(reply: bytes) -> bytes:
    """16 bytes of noise in the middle of a reply, as a line hit gives, always caught by the XOR checksum.

    Random noise passes an XOR checksum once in 256 replies (a read the module really could spoil unseen); this
    fault stands for the noise a reader sees, so its last byte is turned until the frame the driver cuts by its
    length field fails the check.
    """
    half = len(reply) // 2
    noise = bytearray(b"\x00\xFF\x55" + os.urandom(13))
    total = p.frame_length(reply[:p.HEADER_LEN])
    while True:
        framed = (reply[:half] + bytes(noise) + reply[half:])[:total]
        if p.xor(framed[5:-1]) != framed[-1]:
            return reply[:half] + bytes(noise) + reply[half:]
        noise[-1] ^= 0x01

class RequestAssembler:
    """Cuts request frames out of a byte stream: resynchronises on the preamble like a module's UART."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        """Whole frames (checksum unchecked) and, for a header with an impossible length, ``b""``."""
        self.buf.extend(data)
        out: list[bytes] = []
        while True:
            start = self.buf.find(p.PREAMBLE)
            if start < 0:
                del self.buf[:max(0, len(self.buf) - (len(p.PREAMBLE) - 1))]
                return out
            del self.buf[:start]
            if len(self.buf) < p.HEADER_LEN:
                return out
            try:
                total = p.frame_length(bytes(self.buf[:p.HEADER_LEN]))
            except p.FrameError:
                del self.buf[:p.HEADER_LEN]
                out.append(b"")  # a length the module cannot take: it answers SW3 11
                continue
            if len(self.buf) < total:
                return out
            out.append(bytes(self.buf[:total]))
            del self.buf[:total]


class SamSimulator(sim.SimHardware):
    kind = "idcard"

    def __init__(self, url: DeviceURL) -> None:
        super().__init__(url)
        self.card: IdCardData | None = None
        self.fault = "none"
        self.set_fault(url.params.get("fault", "none"))
        self.fingerprint_supported = url.params.get("fp", "1") != "0"
        self._rx: dict[int, RequestAssembler] = {}
        self.selected = False
        self.requests: deque[bytes] = deque(maxlen=10_000)  # the latest request frames, for tests
        self.replies = 0
        card = url.params.get("card")
        if card:
            self.place_card(card)

    # ----- knobs --------------------------------------------------------------------------------
    def place_card(self, card: IdCardData | str = "graduate") -> None:
        if isinstance(card, str) and card not in IDENTITIES:
            raise ValueError(f"unknown identity {card!r}; one of {', '.join(IDENTITIES)}")
        with self.lock:
            self.card = IDENTITIES[card] if isinstance(card, str) else card
            self.selected = False

    def remove_card(self) -> None:
        with self.lock:
            self.card = None
            self.selected = False

    def set_fault(self, fault: str) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {', '.join(FAULTS)}")
        with self.lock:
            self.fault = fault

    def knobs(self) -> dict[str, Any]:
        return dict(super().knobs(), card=self.card.masked() if self.card else None, fault=self.fault)

    # ----- protocol -----------------------------------------------------------------------------
    def handle(self, port: Any, data: bytes) -> None:
        """Bytes from the host on ``port``; replies go back with ``port.feed``."""
        assembler = self._rx.setdefault(id(port), RequestAssembler())
        for frame in assembler.feed(data):
            reply = self.answer(frame)
            if reply:
                port.feed(reply)

    def forget(self, port: Any) -> None:
        self._rx.pop(id(port), None)

    def _port_closed(self, port: sim.SimPort) -> None:
        super()._port_closed(port)
        self.forget(port)

    def answer(self, frame: bytes) -> bytes:
        """The reply to one request frame, as a SAM_V module gives it (b"" for no reply)."""
        if not frame:
            return p.encode_response(p.SW3.HOST_LENGTH)
        self.requests.append(frame)
        try:
            req = p.decode_frame(frame, response=False)
        except p.FrameError:
            return p.encode_response(p.SW3.HOST_CHECKSUM)
        with self.lock:
            fault = self.fault
            if fault == "silence":
                return b""
            if fault == "garbage":
                return os.urandom(23)
            if fault == "host_checksum_once":
                self.fault = "none"
                return p.encode_response(p.SW3.HOST_CHECKSUM)
            reply = self._answer(req.command, req.data)
            long_read = req.command in p.READ_COMMANDS and len(reply) > 100
            if fault == "bad_checksum" or (fault == "bad_checksum_once" and long_read):
                reply = reply[:-1] + bytes([reply[-1] ^ 0xFF])
            if fault == "noise_mid_read" and long_read:
                reply = line_noise(reply)
            if fault in ("bad_checksum_once", "noise_mid_read") and long_read:
                self.fault = "none"
            self.replies += 1
            return reply

    def _answer(self, command: int, data: bytes) -> bytes:
        C = p.Command
        if command in (C.SAM_STATUS, C.RESET_SAM):
            self.selected = False if command == C.RESET_SAM else self.selected
            return p.encode_response(p.SW3.SAM_SELFTEST_FAILED if self.fault == "sam_fault" else p.SW3.OK)
        if self.fault == "sam_fault":
            return p.encode_response(p.SW3.SAM_SELFTEST_FAILED)
        if command == C.SAM_ID:
            return p.encode_response(p.SW3.OK, SAM_ID_DATA)
        if command == C.SET_MAX_RF_BYTES:
            return p.encode_response(p.SW3.OK)
        if self.fault == "not_an_id_card" and command in (C.FIND_CARD, C.SELECT_CARD):
            return p.encode_response(p.SW3.FIND_OK if command == C.FIND_CARD else p.SW3.SELECT_FAILED, bytes(4)
                                     if command == C.FIND_CARD else b"")
        if command == C.FIND_CARD:
            return p.encode_response(p.SW3.FIND_OK, bytes(4)) if self.card else p.encode_response(p.SW3.NO_CARD)
        if command == C.SELECT_CARD:
            if not self.card:
                return p.encode_response(p.SW3.SELECT_FAILED)
            self.selected = True
            return p.encode_response(p.SW3.OK, CHIP_SERIAL)
        if command in (C.READ_TEXT_PHOTO, C.READ_WITH_FINGERPRINT):
            if command == C.READ_WITH_FINGERPRINT and not self.fingerprint_supported:
                return p.encode_response(p.SW3.COMMAND_ERROR)
            if not self.card or not self.selected:
                return p.encode_response(p.SW3.READ_FAILED)
            if self.fault in ("remove_mid_read", "read_flaky_once"):
                if self.fault == "remove_mid_read":
                    self.card = None
                self.fault = "none"
                self.selected = False
                return p.encode_response(p.SW3.READ_FAILED)
            self.selected = False
            return read_reply(self.card, fingerprint=command == C.READ_WITH_FINGERPRINT)
        if command == C.READ_APPENDED_ADDRESS:
            if not self.card:
                return p.encode_response(p.SW3.READ_FAILED)
            return appended_address_reply(self.card)
        if command == C.READ_CHIP_ID:
            return p.encode_response(p.SW3.OK, CHIP_SERIAL) if self.card else p.encode_response(p.SW3.NO_CARD)
        return p.encode_response(p.SW3.COMMAND_ERROR)

