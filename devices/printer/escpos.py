"""ESC/POS encoder, apart from any connection (devices.md section 2).

``EscPos`` builds the bytes of one receipt; a capability ``Profile`` says what the printer can do
(paper width, dots, columns, cutter, native QR). Chinese text is sent as GB18030 bytes in the printer's
Chinese mode; characters the printer font cannot show (4-byte GB18030 sequences, i.e. outside the
double-byte areas) are never sent as text: ``text_fits`` tells, and the caller prints them as an image.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

ESC, GS, FS, DLE, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x0A


@dataclass(frozen=True)
class Profile:
    name: str
    paper_mm: int
    dots: int  # printable dots per line at 203 dpi
    columns: int  # ASCII characters per line in font A (a Han character takes two)
    cutter: bool = True
    partial_cut: bool = True
    native_qr: bool = True
    max_qr_module: int = 16
    raster: bool = True

    def supports(self, feature: str) -> bool:
        return {
            "cut": self.cutter, "partial_cut": self.partial_cut, "qr": self.native_qr, "raster": self.raster,
        }.get(feature, False)


PROFILES = {
    "80mm": Profile("80mm", 80, 576, 48),
    "58mm": Profile("58mm", 58, 384, 32, cutter=False, partial_cut=False, max_qr_module=8),
}


class Align(IntEnum):
    LEFT = 0
    CENTER = 1
    RIGHT = 2


QR_EC = {"L": 0x30, "M": 0x31, "Q": 0x32, "H": 0x33}

# Characters with a 2-byte GB18030 twin that printers do have: normalise before encoding.
_NORMALISE = str.maketrans({"¥": "￥", "\u00a0": " ", "\t": " "})


def normalise(text: str) -> str:
    return text.translate(_NORMALISE)


def char_fits(ch: str) -> bool:
    """True when the printer's font can print ``ch``: ASCII or a 2-byte GB18030 character."""
    if ch == "\n" or " " <= ch <= "~":
        return True
    try:
        return len(ch.encode("gb18030")) == 2
    except UnicodeEncodeError:
        return False


def text_fits(text: str) -> bool:
    return all(char_fits(c) for c in normalise(text))


def display_width(text: str) -> int:
    """Columns the text takes in font A: ASCII 1, double-byte characters 2."""
    return sum(1 if ord(c) < 0x80 else 2 for c in text)


class EscPos:
    """Builds an ESC/POS byte stream. Methods return ``self`` so calls chain."""

    def __init__(self, profile: Profile | str = "80mm") -> None:
        self.profile = PROFILES[profile] if isinstance(profile, str) else profile
        self._out = bytearray()

    def getvalue(self) -> bytes:
        return bytes(self._out)

    def raw(self, data: bytes) -> "EscPos":
        self._out += data
        return self

    def init(self) -> "EscPos":
        return self.raw(bytes([ESC, 0x40]))

    def chinese(self, on: bool = True) -> "EscPos":
        return self.raw(bytes([FS, 0x26]) if on else bytes([FS, 0x2E]))

    def align(self, align: Align | str) -> "EscPos":
        a = Align[align.upper()] if isinstance(align, str) else align
        return self.raw(bytes([ESC, 0x61, int(a)]))

    def bold(self, on: bool = True) -> "EscPos":
        return self.raw(bytes([ESC, 0x45, 1 if on else 0]))

    def size(self, width: int = 1, height: int = 1) -> "EscPos":
        if not (1 <= width <= 8 and 1 <= height <= 8):
            raise ValueError("character size is 1..8 times")
        return self.raw(bytes([GS, 0x21, ((width - 1) << 4) | (height - 1)]))

    def line_spacing(self, dots: int | None = None) -> "EscPos":
        if dots is None:
            return self.raw(bytes([ESC, 0x32]))
        return self.raw(bytes([ESC, 0x33, max(0, min(255, dots))]))

    def text(self, text: str) -> "EscPos":
        """Text in GB18030. Raises ValueError for characters the printer cannot show (see ``text_fits``)."""
        text = normalise(text)
        bad = [c for c in text if not char_fits(c)]
        if bad:
            raise ValueError(f"printer font cannot show {''.join(bad)!r}; print it as an image")
        return self.raw(text.encode("gb18030"))

    def line(self, text: str = "") -> "EscPos":
        return self.text(text).raw(bytes([LF]))

    def feed(self, lines: int = 1) -> "EscPos":
        return self.raw(bytes([ESC, 0x64, max(0, min(255, lines))]))

    def qr(self, data: str | bytes, module: int = 6, ec: str = "M") -> "EscPos":
        payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if len(payload) > 7089:
            raise ValueError("QR payload too long")
        module = max(1, min(self.profile.max_qr_module, module))
        n = len(payload) + 3
        self.raw(bytes([GS, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]))  # model 2
        self.raw(bytes([GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, module]))
        self.raw(bytes([GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, QR_EC[ec]]))
        self.raw(bytes([GS, 0x28, 0x6B, n & 0xFF, n >> 8, 0x31, 0x50, 0x30]) + payload)
        return self.raw(bytes([GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]))

    def barcode128(self, data: str, height: int = 64, width: int = 2, hri: int = 2) -> "EscPos":
        body = data.encode("ascii")
        if not data.startswith("{"):
            body = b"{B" + body
        if len(body) > 255:
            raise ValueError("barcode too long")
        self.raw(bytes([GS, 0x68, height, GS, 0x77, width, GS, 0x48, hri]))
        return self.raw(bytes([GS, 0x6B, 0x49, len(body)]) + body)

    def raster(self, rows: list[bytes], width_bytes: int) -> "EscPos":
        """GS v 0: ``rows`` of ``width_bytes`` bytes each, bit 1 = black, MSB leftmost."""
        h = len(rows)
        self.raw(bytes([GS, 0x76, 0x30, 0x00, width_bytes & 0xFF, width_bytes >> 8, h & 0xFF, h >> 8]))
        for row in rows:
            if len(row) != width_bytes:
                raise ValueError("raster rows must all be width_bytes long")
            self.raw(row)
        return self

    def cut(self, partial: bool = False, feed: int = 4) -> "EscPos":
        if not self.profile.cutter:
            return self.feed(feed)
        mode = 0x42 if partial and self.profile.partial_cut else 0x41
        return self.raw(bytes([GS, 0x56, mode, max(0, min(255, feed))]))


def status_request(n: int) -> bytes:
    """DLE EOT n: real-time status (1 printer, 2 offline cause, 3 error cause, 4 roll paper)."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n is 1..4")
    return bytes([DLE, 0x04, n])
