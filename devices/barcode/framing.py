"""Framing of a serial scanner's byte stream: prefix, AIM symbology identifier, payload, suffix.

A scanner in serial (RS-232, USB-serial, USB CDC) mode sends, per code (devices.md 3.1):

    [prefix] [AIM ID "]Cm"] payload [suffix]

The suffix (usually CR or CR LF) ends a code; with no suffix a pause (``gap_s``, 50-100 ms) ends it. The
prefix and the AIM ID are optional scanner settings; when the kiosk is told about them it strips them
(and the AIM ID names the symbology, which a serial scanner otherwise does not say). Pure logic with an
explicit clock argument, so tests feed it byte chunks and times.
"""
from __future__ import annotations

from dataclasses import dataclass

SUFFIXES: dict[str, bytes] = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t", "etx": b"\x03", "none": b""}
MAX_CODE_BYTES = 4096  # a QR holds at most 2953 bytes; longer runs without a suffix are line noise

# ISO/IEC 15424 symbology identifiers "]" + code character (+ modifier), by code character. Names are those
# of ``devices.barcode.decode.SYMBOLOGIES`` so the serial and the camera paths say the same thing.
AIM_CODES: dict[str, str] = {
    "A": "Code39", "C": "Code128", "E": "EAN-13", "F": "Codabar", "G": "Code93", "I": "ITF", "L": "PDF417",
    "Q": "QRCode", "d": "DataMatrix", "z": "Aztec", "e": "DataBar", "U": "MaxiCode",
}
_EAN8_MODIFIER = "4"  # "]E4" is EAN-8; "]E0" EAN-13/UPC-A, "]E1"/"]E2" add-ons


def aim_symbology(aim: str) -> str:
    """The symbology named by an AIM ID such as "]Q1" ("unknown" if the code character is not known)."""
    if len(aim) != 3 or aim[0] != "]":
        return "unknown"
    if aim[1] == "E" and aim[2] == _EAN8_MODIFIER:
        return "EAN-8"
    return AIM_CODES.get(aim[1], "unknown")


def aim_id(symbology: str) -> str:
    """The AIM ID a scanner sends for a symbology (the simulator uses it); "]X0" = other."""
    if symbology == "EAN-8":
        return "]E4"
    for char, name in AIM_CODES.items():
        if name == symbology:
            return f"]{char}{'1' if char == 'Q' else '0'}"  # QR model 2 is "]Q1"
    return "]X0"


def parse_suffix(value: str) -> bytes:
    """``cr``, ``lf``, ``crlf``, ``tab``, ``etx``, ``none`` or ``hex:0d0a``."""
    value = value.strip().lower()
    if value in SUFFIXES:
        return SUFFIXES[value]
    if value.startswith("hex:"):
        try:
            out = bytes.fromhex(value[4:])
        except ValueError:
            out = b""
        if out:
            return out
    raise ValueError(f"suffix must be one of {', '.join(SUFFIXES)} or hex:XX..; found {value!r}")


@dataclass(frozen=True)
class Frame:
    """One code cut out of the stream: the payload and, when the scanner sends AIM IDs, its symbology."""

    payload: bytes
    symbology: str = "unknown"
    aim: str = ""
    prefix_missing: bool = False  # a prefix was configured but this code came without it


class Framer:
    """Cuts codes out of a byte stream. ``feed(chunk, now)`` returns the codes completed so far."""

    def __init__(self, *, suffix: bytes = b"\r", prefix: bytes = b"", aim: bool = False, gap_s: float = 0.08) -> None:
        self.suffix = suffix
        self.prefix = prefix
        self.aim = aim
        self.gap_s = gap_s
        self._buf = bytearray()
        self._last_byte_at = 0.0
        self.overruns = 0  # runs longer than MAX_CODE_BYTES thrown away
        self.noise_bytes = 0  # bytes before a configured prefix, thrown away

    def reset(self) -> None:
        self._buf.clear()

    @property
    def pending(self) -> bytes:
        return bytes(self._buf)

    def feed(self, chunk: bytes, now: float) -> list[Frame]:
        if chunk:
            self._buf += chunk
            self._last_byte_at = now
        frames = [self._frame(raw) for raw in self._split(now)]
        if len(self._buf) > MAX_CODE_BYTES:
            self._buf.clear()
            self.overruns += 1
        return [f for f in frames if f.payload]

    def _split(self, now: float) -> list[bytes]:
        out: list[bytes] = []
        if self.suffix:
            while (i := self._buf.find(self.suffix)) >= 0:
                out.append(bytes(self._buf[:i]))
                del self._buf[:i + len(self.suffix)]
        elif self._buf and now - self._last_byte_at >= self.gap_s:
            out.append(bytes(self._buf))
            self._buf.clear()
        return out

    def _frame(self, raw: bytes) -> Frame:
        # A CR/LF suffix pair configured as only one of the two leaves the other at an edge: not payload.
        raw = raw.strip(b"\r\n")
        missing = False
        if self.prefix:
            i = raw.find(self.prefix)
            if i < 0:
                missing = True  # still deliver it: the citizen's scan works while the technician is told
            else:
                self.noise_bytes += i
                raw = raw[i + len(self.prefix):]
        if self.aim and len(raw) >= 3 and raw[:1] == b"]":
            aim = raw[:3].decode("latin-1")
            return Frame(raw[3:], aim_symbology(aim), aim, missing)
        return Frame(raw, prefix_missing=missing)
