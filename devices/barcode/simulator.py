"""``sim://barcode?...``: a simulated serial scanner, and the camera side of presenting codes.

The scanner presents codes as configured hardware does: ``[prefix][AIM ID]payload suffix`` in the chosen
output encoding. URL options mirror the scanner's own settings: ``suffix``, ``prefix``, ``aim=1``,
``encoding=utf-8|gbk``, ``model=generic|honeywell|gm``, ``trigger=1`` (host-trigger mode: reads only while
triggered, like the real modules) and ``read_timeout_ms`` (the scanner's own read time-out; 0 = none).

Knobs: ``scan(payload, symbology)`` holds a code in front of the scanner (in trigger mode it is read at the
next trigger, as a code lying on the scan window is), ``unplug()``/``plug()``, ``garbage(bytes)`` for line
noise. ``show_to_camera(payload)`` renders the code and holds it under the simulated document camera.
"""
from __future__ import annotations

import time

from .. import sim
from ..transport import DeviceURL
from . import triggers
from .framing import aim_id, parse_suffix


class ScannerSimulator(sim.SimHardware):
    kind = "barcode"

    def __init__(self, url: DeviceURL) -> None:
        super().__init__(url)
        p = url.params
        self.suffix = parse_suffix(p.get("suffix", "cr"))
        self.prefix = p.get("prefix", "").encode("latin-1")
        self.aim = p.get("aim", "0") in ("1", "true", "yes")
        self.encoding = "gb18030" if p.get("encoding", "utf-8").lower() == "gbk" else p.get("encoding", "utf-8")
        self.model = triggers.model(p.get("model", "generic"))
        self.host_trigger = p.get("trigger", "0") in ("1", "true", "yes") and self.model.can_trigger
        self.read_timeout_s = url.float_param("read_timeout_ms", 0.0) / 1000.0
        self.received: list[bytes] = []  # every write of the host, as written
        self.triggers = 0  # trigger commands understood
        self.lit_until: float | None = None  # trigger mode: reading (None = dark; inf = no time-out)
        self.held: list[bytes] = []  # trigger mode: codes in front of the dark scanner
        self._rx = bytearray()

    # ----- the wire -----------------------------------------------------------------------------
    def handle(self, port: sim.SimPort, data: bytes) -> None:
        with self.lock:
            self.received.append(data)
            self._rx += data
            for command in self._commands():
                self._command(port, command)

    def _commands(self) -> list[bytes]:
        """Complete host commands at the start of the receive buffer; anything unknown is dropped."""
        out: list[bytes] = []
        while self._rx:
            if self._rx[0] == triggers.SYN and len(self._rx) >= 3:
                out.append(bytes(self._rx[:3]))
                del self._rx[:3]
            elif self._rx[:2] == b"\x7E\x00" and len(self._rx) >= 5:
                total = _gm_length(bytes(self._rx))
                if total == 0 or len(self._rx) < total:
                    break
                out.append(bytes(self._rx[:total]))
                del self._rx[:total]
            elif self._rx[0] in (triggers.SYN, 0x7E) and len(self._rx) < 5:
                break  # wait for the rest of the command
            else:
                del self._rx[:1]
        return out

    def _command(self, port: sim.SimPort, cmd: bytes) -> None:
        if not self.host_trigger:
            return  # a scanner not in host-trigger mode ignores trigger commands
        if self.model.name == "honeywell" and cmd == self.model.start:
            self._light()
        elif self.model.name == "honeywell" and cmd == self.model.stop:
            self.lit_until = None
        elif self.model.name == "gm" and _gm_valid(cmd) and cmd[2:-2] == triggers.GM_TRIGGER_BODY:
            port.feed(triggers.GM_ACK_OK)
            self._light()

    def _light(self) -> None:
        self.triggers += 1
        self.lit_until = time.monotonic() + self.read_timeout_s if self.read_timeout_s else float("inf")
        if self.held:
            self._send(self.held.pop(0))

    @property
    def lit(self) -> bool:
        with self.lock:
            return self.lit_until is not None and time.monotonic() < self.lit_until

    def _send(self, raw: bytes) -> None:
        for port in list(self.ports):
            port.feed(raw)
        if self.host_trigger:
            self.lit_until = None  # the scanner stops on a decode

    def _frame(self, payload: str | bytes, symbology: str) -> bytes:
        raw = payload.encode(self.encoding) if isinstance(payload, str) else payload
        return self.prefix + (aim_id(symbology).encode() if self.aim else b"") + raw + self.suffix

    # ----- knobs --------------------------------------------------------------------------------
    def scan(self, payload: str | bytes, symbology: str = "QRCode") -> None:
        """Present a code. Continuous mode: sent at once. Trigger mode: sent if the scanner is reading,
        else held in front of it until the next trigger."""
        frame = self._frame(payload, symbology)
        with self.lock:
            if self.host_trigger and not self.lit:
                self.held.append(frame)
            else:
                self._send(frame)

    def unplug(self) -> None:
        with self.lock:
            self.lit_until = None  # no power, no light: a replugged scanner waits for a new trigger
            self._rx.clear()
        super().unplug()

    def garbage(self, data: bytes) -> None:
        """Line noise (a flaky cable, a wrong baud rate) straight onto the wire."""
        with self.lock:
            for port in list(self.ports):
                port.feed(data)

    def show_to_camera(self, payload: str | bytes, symbology: str = "QRCode", camera_url: str = "sim://camera",
                       **render_options: object) -> None:
        """Render ``payload`` and hold it under the simulated document camera (a phone or a receipt)."""
        camera = sim.get_hardware(camera_url)
        # Any simulated camera that can show a payload will do: the barcode kind does not import the camera kind.
        if not callable(getattr(camera, "show_payload", None)):
            raise TypeError(f"{camera_url} is not a simulated camera")
        camera.show_payload(payload, symbology, **render_options)

    def knobs(self) -> dict:
        return dict(super().knobs(), model=self.model.name, trigger=self.host_trigger, lit=self.lit,
                    held=len(self.held), triggers=self.triggers)


def _gm_length(buf: bytes) -> int:
    """Length of a GM host command ``7E 00 type len addr_hi addr_lo data.. crc crc`` (0 = not known).
    Type 08 (write) carries ``len`` data bytes after a 2-byte register address."""
    if len(buf) < 4:
        return 0
    return 2 + 4 + buf[3] + 2 if buf[2] in (0x07, 0x08) else 0


def _gm_valid(cmd: bytes) -> bool:
    crc = cmd[-2:]
    return crc == b"\xAB\xCD" or crc == triggers.crc16_xmodem(cmd[2:-2]).to_bytes(2, "big")

