"""Resident ID card reader driver (GA 467 SAM_V) over any byte-stream transport URL.

Polling cycle (devices.md 1.3): on open, SAM status (a failed self-test gets one SAM reset) and SAM id; then
find card every ``poll_interval_s`` (faster while armed). A found card raises CARD_PLACED; when the reader
is *armed* (the journey waits for a card) it is selected and read, and CARD_READ carries the parsed
``IdCardData``. A card that stops answering raises CARD_REMOVED. Reading personal data only while armed
keeps the reader from collecting data nobody asked for.

Deadlines are per command (``protocol.TIMINGS``: the SAM's work plus the reply's wire time at the URL's
baud rate) and escalate: a command that times out or returns a garbled frame is sent again after the line
is drained; a second failure resets the SAM (10 FF) and tries a last time; a third failure is a device
error (the worker shows ERROR and keeps polling; a lost port goes OFFLINE and is reopened with backoff,
which is how an unplugged reader comes back). A card read escalates the same way as a whole sequence
(find, select, read), since after a garbled read or a reset the card is no longer selected.

URL parameters: ``baudrate`` (115200 default; 57600/38400/19200/9600), ``fingerprint=1`` (read with
30 10), ``appended_address=0`` (skip 30 03), ``wlt=PATH`` (+ ``wlt_symbol``, ``wlt_abi``, ``wlt_ok``: a vendor
WLT library, see ``photo``). The same keys work as device options, plus ``photo_decoder`` (a full spec),
``poll_interval_s``, ``armed_poll_interval_s``, ``command_timeout_s`` and ``read_timeout_s``.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from ..base import Device, DeviceState, EventKind
from ..errors import DeviceError, DeviceErrorCode
from ..transport import DeviceURL, open_stream, parse_url
from . import protocol as p
from .link import SamLink, read_frame  # noqa: F401 - read_frame re-exported for callers of the old module
from .model import IdCardData
from .photo import PhotoState, WltDecoder, decode_photo, load_decoder
from .textblock import parse_text_block

log = logging.getLogger(__name__)

DEFAULT_BAUD = p.DEFAULT_BAUD
C = DeviceErrorCode
RETRY_CODES = frozenset({C.TIMEOUT, C.PROTOCOL})  # what sending again can cure
READ_RETRY_CODES = RETRY_CODES | {C.IDCARD_READ_FAILED}  # plus an RF hiccup while the card stays put
DEVICE_CODES = frozenset({C.TRANSPORT_LOST, C.TIMEOUT, C.PROTOCOL, C.IDCARD_SAM_FAULT})  # the reader's fault
SAM_SICK = frozenset({p.SW3.SAM_SELFTEST_FAILED, p.SW3.UNRECOGNIZED})  # worth a SAM reset at open


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class IdCardReader(Device):
    kind = "idcard"
    idle_poll_s = 0.25
    armed_poll_s = 0.05  # while a citizen is asked for the card, find it fast (25 bytes at 115200: ~2 ms)
    command_timeout_s: float | None = None  # None: per-command deadlines from protocol.TIMINGS and the baud
    read_timeout_s: float | None = None

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        self._link: SamLink | None = None
        self._armed = threading.Event()
        self._present = False
        self._read_done = False
        self._fp_supported = True
        self._decoder: WltDecoder | None = None
        self._decoder_problem = ""
        self._decoder_spec: str | None = None
        try:
            self._url: DeviceURL | None = parse_url(url)
        except DeviceError:
            self._url = None  # _open raises the same error, and the worker shows it as the reader's state
        self.baud = DEFAULT_BAUD
        o = self.options
        self.idle_poll_s = float(o.get("poll_interval_s", self.idle_poll_s))
        self.armed_poll_s = float(o.get("armed_poll_interval_s", min(self.armed_poll_s, self.idle_poll_s)))
        for key in ("command_timeout_s", "read_timeout_s"):
            if o.get(key) is not None:
                setattr(self, key, float(o[key]))

    # The base worker reads poll_interval_s before each wait: polling speeds up while armed (the journey
    # arms only on its identify step and disarms when it leaves it).
    @property  # type: ignore[override]
    def poll_interval_s(self) -> float:
        return self.armed_poll_s if self._armed.is_set() else self.idle_poll_s

    @poll_interval_s.setter
    def poll_interval_s(self, value: float) -> None:
        self.idle_poll_s = value

    # ----- public -------------------------------------------------------------------------------
    def arm(self) -> None:
        """Read the next card placed (or the one lying there now)."""
        self._read_done = False
        self._armed.set()
        if self._thread is not None:
            # Wake the worker: it takes the next poll's time from the armed interval before each wait (the
            # base worker), so a card lying there is found at once rather than at the end of the idle interval,
            # and one placed later within ``armed_poll_s`` (issue 22: the kiosk answers a card within 100 ms).
            self.submit(_wake)

    def disarm(self) -> None:
        self._armed.clear()

    @property
    def card_present(self) -> bool:
        return self._present

    @property
    def link(self) -> SamLink | None:
        return self._link

    # ----- configuration ------------------------------------------------------------------------
    def _setting(self, u: DeviceURL, key: str, default: Any = None) -> Any:
        return u.params.get(key, self.options.get(key, default))

    def _option(self, key: str, default: Any = None) -> Any:
        return self._setting(self._url, key, default) if self._url else self.options.get(key, default)

    def _configure(self, u: DeviceURL) -> None:
        baud = self._setting(u, "baudrate", DEFAULT_BAUD)
        try:
            baud = int(baud)
        except ValueError:
            baud = -1
        if baud not in p.BAUD_RATES:
            raise DeviceError(C.UNSUPPORTED_URL, f"{u.raw}: baudrate {self._setting(u, 'baudrate')} is not one of "
                                                 f"{', '.join(map(str, p.BAUD_RATES))} (a SAM_V UART supports only these)")
        self.baud = baud
        spec = self.options.get("photo_decoder", "")
        if not spec and u.params.get("wlt"):
            extra = "&".join(f"{k[4:]}={v}" for k, v in u.params.items() if k.startswith("wlt_"))
            spec = f"lib:{u.params['wlt']}" + (f"?{extra}" if extra else "")
        if spec != self._decoder_spec:  # loaded once, not at every reconnect
            self._decoder_spec = spec
            self._decoder, self._decoder_problem = load_decoder(spec)
        self.set_info("photo_decoder", self._decoder.name if self._decoder else f"none: {self._decoder_problem}")
        if self._decoder is None:
            # Not a fault: the text is read all the same. Technicians see it in health (and in read-id).
            self.set_info("photo", f"{PhotoState.NOT_DECODABLE.value} (error {int(C.IDCARD_PHOTO_UNDECODABLE)})")
        self.set_info("baudrate", str(self.baud))

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
        self._present = False
        u = self._url = parse_url(self.url)
        self._configure(u)
        stream = open_stream(u, timeout_s=0.5, baudrate=self.baud)
        self._link = SamLink(stream, self.baud)
        try:
            self._link.drain()  # a module that was half-way through a reply when we (re)connected
            status = self.transact(p.Command.SAM_STATUS)
            if status.sw3 in SAM_SICK:
                self._reset_sam()
                status = self.transact(p.Command.SAM_STATUS)
            if status.sw3 != p.SW3.OK:
                # The port works but the SAM does not: online-but-faulted, and polling tells when it recovers.
                self.set_state(DeviceState.ERROR, self._sw3_error(status.sw3))
                return
            sam = self.transact(p.Command.SAM_ID)
            if sam.sw3 == p.SW3.OK:
                try:
                    self.set_info("sam_id", p.format_sam_id(sam.data))
                except p.FrameError:
                    self.set_info("sam_id", sam.data.hex())
        except DeviceError:
            self._close()
            raise

    def _close(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            link.close()

    def _poll(self) -> None:
        reply = self.transact(p.Command.FIND_CARD)
        if reply.sw3 == p.SW3.FIND_OK:
            if not self._present:
                self._present = True
                self._read_done = False
                self.emit(EventKind.CARD_PLACED)
            if self._armed.is_set() and not self._read_done:
                self._read_card()
        elif reply.sw3 == p.SW3.NO_CARD:
            self._card_gone()
        else:
            raise self._sw3_error(reply.sw3)
        if self.state != DeviceState.IDLE:
            self.set_state(DeviceState.IDLE)

    def _card_gone(self) -> None:
        if self._present:
            self._present = False
            self._read_done = False
            self.emit(EventKind.CARD_REMOVED)

    # ----- reading ------------------------------------------------------------------------------
    def _read_card(self) -> None:
        self.set_state(DeviceState.BUSY)
        try:
            card = self.read_card()
        except DeviceError as exc:
            if exc.code in DEVICE_CODES:
                raise
            self.count("read_failures")
            self._read_done = True  # do not hammer a bad card; it is read again once re-placed or re-armed
            self.emit(EventKind.CARD_ERROR, exc)
            if exc.code == C.IDCARD_REMOVED_EARLY:
                self._card_gone()  # so a card put straight back is a new placement, read again
            self.set_state(DeviceState.IDLE)
            return
        self._read_done = True
        self.count("cards_read")
        self.emit(EventKind.CARD_READ, card)
        self.set_state(DeviceState.IDLE)

    def read_card(self) -> IdCardData:
        """Select and read the card on the reader (worker thread), escalating as a sequence. Raises DeviceError."""
        last: DeviceError | None = None
        for attempt in range(3):
            try:
                if attempt == 2:
                    self._reset_sam()
                if attempt > 0:
                    self._find_again()
                return self._read_once()
            except DeviceError as exc:
                if exc.code not in READ_RETRY_CODES:
                    raise
                last = exc
                self.count("retries")
                self._require_link().drain()
        assert last is not None
        raise last

    def _find_again(self) -> None:
        reply = self._exchange(p.Command.FIND_CARD)
        if reply.sw3 == p.SW3.NO_CARD:
            raise DeviceError(C.IDCARD_REMOVED_EARLY, "card gone after a failed read")
        if reply.sw3 != p.SW3.FIND_OK:
            raise self._sw3_error(reply.sw3)

    def _read_once(self) -> IdCardData:
        sel = self._exchange(p.Command.SELECT_CARD)
        if sel.sw3 in (p.SW3.NO_CARD, p.SW3.SELECT_FAILED):
            raise DeviceError(C.IDCARD_REMOVED_EARLY, f"select failed (SW3 {sel.sw3:02X})")
        if sel.sw3 != p.SW3.OK:
            raise self._sw3_error(sel.sw3)
        fingerprint = self._fp_supported and _flag(self._option("fingerprint", False))
        command = p.Command.READ_WITH_FINGERPRINT if fingerprint else p.Command.READ_TEXT_PHOTO
        reply = self._exchange(command, timeout_s=self.read_timeout_s)
        if fingerprint and reply.sw3 == p.SW3.COMMAND_ERROR:
            self._fp_supported = False  # this SAM has no 30 10: read text and photo from now on
            raise DeviceError(C.PROTOCOL, "SAM does not support 30 10; falling back to 30 01")
        if reply.sw3 in (p.SW3.NO_CARD, p.SW3.READ_FAILED):
            # Usually the card was lifted; if it still answers a find, it was an RF hiccup worth a retry.
            present = self._exchange(p.Command.FIND_CARD).sw3 == p.SW3.FIND_OK
            code = C.IDCARD_READ_FAILED if present else C.IDCARD_REMOVED_EARLY
            raise DeviceError(code, f"read failed (SW3 {reply.sw3:02X})")
        if reply.sw3 != p.SW3.OK:
            raise self._sw3_error(reply.sw3)
        try:
            text, photo, fp = p.split_read_reply(reply.data, fingerprint=fingerprint)
        except p.FrameError as exc:
            raise DeviceError(C.PROTOCOL, str(exc)) from None
        card = parse_text_block(text, photo, fp)
        changes: dict[str, Any] = {"appended_address": self._appended_address()}
        state, bmp, detail = decode_photo(self._decoder, photo)
        self.set_info("photo", state.value + (f": {detail}" if detail else ""))
        changes.update(photo_state=state, photo_bmp=bmp)
        return dataclasses.replace(card, **changes)

    def _appended_address(self) -> str:
        """30 03 after a good read. Optional data: its failure never spoils the read that succeeded."""
        if not _flag(self._option("appended_address", True)):
            return ""
        try:
            reply = self._exchange(p.Command.READ_APPENDED_ADDRESS)
            if reply.sw3 == p.SW3.OK:
                return p.parse_appended_address(reply.data)
        except p.FrameError as exc:
            log.info("%s: appended address unreadable: %s", self.name, exc)
        except DeviceError as exc:
            if exc.code == C.TRANSPORT_LOST:
                raise
            log.info("%s: appended address not read: %s", self.name, exc)
            self._require_link().drain()
        return ""

    # ----- commands with escalation -------------------------------------------------------------
    def transact(self, command: int, data: bytes = b"", *, timeout_s: float | None = None) -> p.Frame:
        """One command with escalation: send again once, then reset the SAM and try a last time."""
        last: DeviceError | None = None
        for attempt in range(3):
            if attempt == 2:
                self._reset_sam()  # may raise: then that is the error
            try:
                return self._exchange(command, data, timeout_s)
            except DeviceError as exc:
                if exc.code not in RETRY_CODES:
                    raise
                last = exc
                self.count("retries")
                self._require_link().drain()
        assert last is not None
        raise last

    def _reset_sam(self) -> None:
        self.count("sam_resets")
        reply = self._exchange(p.Command.RESET_SAM)
        if reply.sw3 != p.SW3.OK:
            raise self._sw3_error(reply.sw3)

    def _require_link(self) -> SamLink:
        if self._link is None:
            raise DeviceError(C.TRANSPORT_LOST, "not open")
        return self._link

    def _exchange(self, command: int, data: bytes = b"", timeout_s: float | None = None) -> p.Frame:
        if timeout_s is None and self.command_timeout_s is not None and command not in p.READ_COMMANDS:
            timeout_s = self.command_timeout_s
        return self._require_link().exchange(command, data, timeout_s=timeout_s)

    def _sw3_error(self, sw3: int) -> DeviceError:
        info = p.RESULTS.get(sw3)
        if info is None:
            return DeviceError(C.PROTOCOL, f"unknown SW3 {sw3:02X}")
        return DeviceError(info.device_code or C.IDCARD_READ_FAILED, f"SW3 {sw3:02X}: {info.en}")


def format_sam_id(data: bytes) -> str:
    """Kept for callers of the old module; see ``protocol.format_sam_id``."""
    return p.format_sam_id(data)


def _wake() -> None:
    """A command that does nothing: running it makes the worker look at its poll schedule again."""
