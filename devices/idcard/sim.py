"""A SAM_V module simulated byte for byte, with fault knobs (``sim://idcard?card=graduate``).

It parses the request frames the driver writes and answers with the frames a real module sends
(devices.md 1.5). Knobs: place/remove a card, ``fault`` = none | remove_mid_read | bad_checksum | silence |
garbage | sam_fault, and unplug/plug from ``SimHardware``.
"""
from __future__ import annotations

import os

from .. import sim
from ..transport import DeviceURL
from . import protocol as p
from .model import IdCardData
from .synthetic import IDENTITIES
from .textblock import build_text_block

FAULTS = ("none", "remove_mid_read", "bad_checksum", "silence", "garbage", "sam_fault")
SAM_ID_DATA = bytes([5, 0, 1, 0]) + (20230101).to_bytes(4, "little") + (12345678).to_bytes(4, "little") \
    + (87654321).to_bytes(4, "little")


def read_reply(card: IdCardData) -> bytes:
    text = build_text_block(card)
    photo = card.photo_wlt.ljust(1024, b"\x00")[:1024]
    return p.encode_response(p.SW3.OK, len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo)


class SamSimulator(sim.SimHardware):
    kind = "idcard"

    def __init__(self, url: DeviceURL) -> None:
        super().__init__(url)
        self.card: IdCardData | None = None
        self.fault = url.params.get("fault", "none")
        self._rx: dict[int, bytearray] = {}
        self.selected = False
        self.requests: list[bytes] = []  # every request frame received, for tests
        card = url.params.get("card")
        if card:
            self.place_card(card)

    # ----- knobs --------------------------------------------------------------------------------
    def place_card(self, card: IdCardData | str = "graduate") -> None:
        with self.lock:
            self.card = IDENTITIES[card] if isinstance(card, str) else card
            self.selected = False

    def remove_card(self) -> None:
        with self.lock:
            self.card = None
            self.selected = False

    def set_fault(self, fault: str) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        self.fault = fault

    def knobs(self) -> dict:
        return dict(super().knobs(), card=self.card.masked() if self.card else None, fault=self.fault)

    # ----- protocol -----------------------------------------------------------------------------
    def handle(self, port: sim.SimPort, data: bytes) -> None:
        buf = self._rx.setdefault(id(port), bytearray())
        buf.extend(data)
        while True:
            start = buf.find(p.PREAMBLE)
            if start < 0:
                del buf[:max(0, len(buf) - 4)]
                return
            del buf[:start]
            if len(buf) < p.HEADER_LEN:
                return
            try:
                total = p.frame_length(bytes(buf[:p.HEADER_LEN]))
            except p.FrameError:
                del buf[:1]
                continue
            if len(buf) < total:
                return
            frame = bytes(buf[:total])
            del buf[:total]
            self.requests.append(frame)
            reply = self.answer(frame)
            if reply:
                port.feed(reply)

    def answer(self, frame: bytes) -> bytes:
        """The reply to one request frame, as a SAM_V module gives it."""
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
            reply = self._answer(req.command, req.data)
            if fault == "bad_checksum" and len(reply) > 8:
                reply = reply[:-1] + bytes([reply[-1] ^ 0xFF])
            return reply

    def _answer(self, command: int, data: bytes) -> bytes:
        C = p.Command
        if command in (C.SAM_STATUS, C.RESET_SAM):
            return p.encode_response(p.SW3.SAM_SELFTEST_FAILED if self.fault == "sam_fault" else p.SW3.OK)
        if self.fault == "sam_fault":
            return p.encode_response(p.SW3.SAM_SELFTEST_FAILED)
        if command == C.SAM_ID:
            return p.encode_response(p.SW3.OK, SAM_ID_DATA)
        if command == C.SET_MAX_RF_BYTES:
            return p.encode_response(p.SW3.OK)
        if command == C.FIND_CARD:
            return p.encode_response(p.SW3.FIND_OK, bytes(4)) if self.card else p.encode_response(p.SW3.NO_CARD)
        if command == C.SELECT_CARD:
            if not self.card:
                return p.encode_response(p.SW3.SELECT_FAILED)
            self.selected = True
            return p.encode_response(p.SW3.OK, bytes(8))
        if command in (C.READ_TEXT_PHOTO, C.READ_WITH_FINGERPRINT):
            if not self.card or not self.selected:
                return p.encode_response(p.SW3.READ_FAILED)
            if self.fault == "remove_mid_read":
                self.card = None
                self.fault = "none"
                return p.encode_response(p.SW3.READ_FAILED)
            self.selected = False
            return read_reply(self.card)
        if command == C.READ_APPENDED_ADDRESS:
            if not self.card or not self.card.appended_address:
                return p.encode_response(p.SW3.NO_CONTENT)
            return p.encode_response(p.SW3.OK, self.card.appended_address.encode("utf-16-le"))
        if command == C.READ_CHIP_ID:
            return p.encode_response(p.SW3.OK, bytes(8)) if self.card else p.encode_response(p.SW3.NO_CARD)
        return p.encode_response(p.SW3.COMMAND_ERROR)


sim.register("idcard", SamSimulator)
