"""ESC/POS encoder, apart from any connection (devices.md section 2).

``EscPos`` builds the bytes of one receipt; a capability ``Profile`` says what the printer can do (paper
width, dots, columns, cutter, native QR, barcodes) and the encoder falls back where it cannot:

- text the printer font cannot show (4-byte GB18030 sequences: rare name characters such as 㐀 U+3400 or
  U+20000, which print as garbage or "?" on Chinese firmware) is drawn with a CJK font at the printer's dot
  size and sent as a raster image (GS v 0) -- ``line()`` does this by itself, ``text()`` refuses;
- no native QR (GS ( k) -> the QR code as a raster image; a 1D symbology the printer lacks -> raster bars;
- no cutter -> paper feed.

Chinese text is sent as GB18030 bytes in the printer's Chinese mode (FS &).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from PIL import Image, ImageDraw

from . import fonts
from .symbols import BARCODE_KINDS, qr_image
from .symbols import barcode_image as _barcode_image

ESC, GS, FS, DLE, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x0A
RASTER_BAND_ROWS = 256  # one GS v 0 per band: keeps each command well inside small receive buffers


@dataclass(frozen=True)
class Profile:
    """What one family of printers can do. ``supports(feature)`` is how callers ask."""

    name: str
    paper_mm: int
    dots: int  # printable dots per line at 203 dpi
    columns: int  # ASCII characters per line in font A (a Han character takes two)
    dpi: int = 203
    font_a: tuple[int, int] = (12, 24)  # cell in dots
    line_spacing_dots: int = 30  # power-on line spacing (3.75 mm)
    cutter: bool = True
    partial_cut: bool = True
    native_qr: bool = True
    max_qr_module: int = 16
    barcodes: frozenset[str] = field(default_factory=lambda: frozenset(BARCODE_KINDS))
    raster: bool = True
    max_size: int = 8  # GS ! multiplier
    gb18030: bool = True  # Chinese firmware: 2-byte GB18030 font in Chinese mode

    def supports(self, feature: str) -> bool:
        """``cut``, ``partial_cut``, ``qr``, ``raster``, ``chinese``, ``barcode`` or ``barcode:CODE128``..."""
        kind, _, arg = feature.partition(":")
        if kind == "barcode":
            return arg.upper() in self.barcodes if arg else bool(self.barcodes)
        return {
            "cut": self.cutter, "partial_cut": self.cutter and self.partial_cut, "qr": self.native_qr,
            "raster": self.raster, "chinese": self.gb18030,
        }.get(feature, False)


PROFILES = {
    # A generic Chinese 80 mm kiosk printer (e.g. the XP-80 / RP80 families): cutter, native QR.
    "80mm": Profile("80mm", 80, 576, 48),
    # A generic 58 mm unit (ZJ-5870/POS-5890 class): no cutter, QR module at most 8 dots.
    "58mm": Profile("58mm", 58, 384, 32, cutter=False, partial_cut=False, max_qr_module=8),
    # An older 58 mm unit without GS ( k or GS k: QR and barcodes go as raster images.
    "58mm-basic": Profile("58mm-basic", 58, 384, 32, cutter=False, partial_cut=False, native_qr=False,
                          barcodes=frozenset()),
}


class Align(IntEnum):
    LEFT = 0
    CENTER = 1
    RIGHT = 2


QR_EC = {"L": 0x30, "M": 0x31, "Q": 0x32, "H": 0x33}

# Characters with a 2-byte GB18030 twin that printers do have: normalise before encoding.
_NORMALISE = str.maketrans({"¥": "￥", "\u00a0": " ", "\t": " ", "\u3000": "  "})


# Line and paragraph separators a form field may carry (pasted text, a scanned payload): a space on paper.
_SEPARATORS = frozenset("\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029")


def _printable(ch: str) -> str:
    if ch == "\n" or ch.isprintable() or ch in " \u3000":
        return ch
    if ch in _SEPARATORS:
        return " "
    # Other controls (C0, DEL, C1) and invisible format characters (BOM, zero-width, bidi marks): in a
    # GB18030 stream they would be printer commands, and the rasteriser's text shaper refuses some of them.
    return ""


def normalise(text: str) -> str:
    """Text as the printer can take it: GB18030 twins, separators as spaces, control characters dropped."""
    text = text.translate(_NORMALISE)
    if text.isprintable():
        return text
    return "".join(_printable(c) for c in text)


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


def wrap(text: str, columns: int, indent: str = "") -> list[str]:
    """Break ``text`` into lines of at most ``columns`` font-A columns (Han = 2), continuing with ``indent``."""
    lines, line, width = [], "", 0
    for ch in text:
        w = display_width(ch)
        if width + w > columns and line:
            lines.append(line)
            line, width = indent, display_width(indent)
        line += ch
        width += w
    lines.append(line)
    return lines


@dataclass
class _Style:
    align: Align = Align.LEFT
    bold: bool = False
    width: int = 1
    height: int = 1


class EscPos:
    """Builds an ESC/POS byte stream. Methods return ``self`` so calls chain."""

    def __init__(self, profile: Profile | str = "80mm") -> None:
        self.profile = PROFILES[profile] if isinstance(profile, str) else profile
        self._out = bytearray()
        self._style = _Style()
        self.raster_lines = 0  # lines that went out as images (rare characters): for tests and logs

    def getvalue(self) -> bytes:
        return bytes(self._out)

    def raw(self, data: bytes) -> "EscPos":
        self._out += data
        return self

    # ----- modes --------------------------------------------------------------------------------
    def init(self) -> "EscPos":
        self._style = _Style()
        return self.raw(bytes([ESC, 0x40]))

    def chinese(self, on: bool = True) -> "EscPos":
        return self.raw(bytes([FS, 0x26]) if on else bytes([FS, 0x2E]))

    def align(self, align: Align | str) -> "EscPos":
        a = Align[align.upper()] if isinstance(align, str) else align
        self._style.align = a
        return self.raw(bytes([ESC, 0x61, int(a)]))

    def bold(self, on: bool = True) -> "EscPos":
        self._style.bold = on
        return self.raw(bytes([ESC, 0x45, 1 if on else 0]))

    def size(self, width: int = 1, height: int = 1) -> "EscPos":
        """Character size (GS !), 1..8 times; clamped to what the profile can do."""
        if not (1 <= width <= 8 and 1 <= height <= 8):
            raise ValueError("character size is 1..8 times")
        width, height = min(width, self.profile.max_size), min(height, self.profile.max_size)
        self._style.width, self._style.height = width, height
        return self.raw(bytes([GS, 0x21, ((width - 1) << 4) | (height - 1)]))

    def line_spacing(self, dots: int | None = None) -> "EscPos":
        """ESC 3 n (n dots between baselines); ``None`` restores the default (ESC 2)."""
        if dots is None:
            return self.raw(bytes([ESC, 0x32]))
        return self.raw(bytes([ESC, 0x33, max(0, min(255, dots))]))

    # ----- text ---------------------------------------------------------------------------------
    def text(self, text: str) -> "EscPos":
        """Text in GB18030. Raises ValueError for characters the printer cannot show (see ``line``)."""
        text = normalise(text)
        bad = [c for c in text if not char_fits(c)]
        if bad:
            raise ValueError(f"printer font cannot show {''.join(bad)!r}; print it as an image (line())")
        return self.raw(text.encode("gb18030"))

    def line(self, text: str = "") -> "EscPos":
        """One printed line. A line with characters the printer font lacks goes out as a raster image
        drawn at the printer's own cell size, style and alignment, so it looks like the other lines."""
        text = normalise(text)
        if all(char_fits(c) for c in text) or not self.profile.raster:
            if not self.profile.raster:  # no way to draw it: a visible gap beats garbage bytes
                text = "".join(c if char_fits(c) else "□" for c in text)
            return self.text(text).raw(bytes([LF]))
        self.raster_lines += 1
        return self.image(self.text_image(text))

    def text_image(self, text: str) -> Image.Image:
        """``text`` drawn as the printer would print it in the current style, across the paper width."""
        st = self._style
        cw, ch = self.profile.font_a
        height = max(ch * st.height, self.profile.line_spacing_dots if st.height == 1 else 0)
        img = Image.new("1", (self.profile.dots, height), 1)
        width = fonts.text_width(text, cw, st.width)
        x = {Align.LEFT: 0, Align.CENTER: (self.profile.dots - width) // 2,
             Align.RIGHT: self.profile.dots - width}[st.align]
        fonts.draw_text(ImageDraw.Draw(img), max(0, x), (height - ch * st.height) // 2, text,
                        cell=(cw, ch), scale_w=st.width, scale_h=st.height, bold=st.bold)
        return img

    def feed(self, lines: int = 1) -> "EscPos":
        return self.raw(bytes([ESC, 0x64, max(0, min(255, lines))]))

    # ----- images and symbols -------------------------------------------------------------------
    def raster(self, rows: list[bytes], width_bytes: int) -> "EscPos":
        """GS v 0: ``rows`` of ``width_bytes`` bytes each, bit 1 = black, MSB leftmost."""
        h = len(rows)
        self.raw(bytes([GS, 0x76, 0x30, 0x00, width_bytes & 0xFF, width_bytes >> 8, h & 0xFF, h >> 8]))
        for row in rows:
            if len(row) != width_bytes:
                raise ValueError("raster rows must all be width_bytes long")
            self.raw(row)
        return self

    def image(self, img: Image.Image, center: bool = False) -> "EscPos":
        """A picture as GS v 0 bands (black = dark pixels). Wider than the paper is an error."""
        if not self.profile.raster:
            raise ValueError(f"profile {self.profile.name} cannot print images")
        mono = img.convert("L").point(lambda v: 255 if v < 128 else 0, mode="1")  # 1 = black dot
        if mono.width > self.profile.dots:
            raise ValueError(f"image {mono.width} dots wide; the paper has {self.profile.dots}")
        if center and mono.width < self.profile.dots:
            padded = Image.new("1", (self.profile.dots, mono.height), 0)
            padded.paste(mono, ((self.profile.dots - mono.width) // 2, 0))
            mono = padded
        box = mono.getbbox()  # blank columns right of the ink need not travel: the image starts at the left
        if box is not None and box[2] < mono.width:
            mono = mono.crop((0, 0, box[2], mono.height))
        width_bytes = (mono.width + 7) // 8
        if mono.width % 8:
            padded = Image.new("1", (width_bytes * 8, mono.height), 0)
            padded.paste(mono, (0, 0))
            mono = padded
        data = mono.tobytes()  # mode "1" packs MSB-first, rows padded to whole bytes: GS v 0's layout
        for top in range(0, mono.height, RASTER_BAND_ROWS):
            rows = [data[r * width_bytes:(r + 1) * width_bytes]
                    for r in range(top, min(mono.height, top + RASTER_BAND_ROWS))]
            self.raster(rows, width_bytes)
        return self

    def qr(self, data: str | bytes, module: int = 6, ec: str = "M") -> "EscPos":
        """A QR code (model 2): native GS ( k where the printer has it, else the same code as an image."""
        payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if len(payload) > 7089:
            raise ValueError("QR payload too long")
        module = max(1, min(self.profile.max_qr_module, module))
        if not self.profile.native_qr:
            return self.image(qr_image(payload, module, ec, quiet_modules=2), center=True)
        n = len(payload) + 3
        self.raw(bytes([GS, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]))  # model 2
        self.raw(bytes([GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, module]))
        self.raw(bytes([GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, QR_EC[ec]]))
        self.raw(bytes([GS, 0x28, 0x6B, n & 0xFF, n >> 8, 0x31, 0x50, 0x30]) + payload)
        return self.raw(bytes([GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]))

    def barcode(self, data: str, kind: str = "CODE128", height: int = 64, width: int = 2,
                hri: int = 2) -> "EscPos":
        """A 1D barcode (GS k function B), HRI text below by default; raster bars where unsupported."""
        kind = kind.upper()
        m = BARCODE_KINDS[kind]
        body = data.encode("ascii")
        if kind == "CODE128" and not data.startswith("{"):
            body = b"{B" + body
        if len(body) > 255:
            raise ValueError("barcode too long")
        if not self.profile.supports(f"barcode:{kind}"):
            self.image(_barcode_image(m, body, module=width, height=height), center=True)
            if hri in (2, 3):
                self.line(data)
            return self
        self.raw(bytes([GS, 0x68, height, GS, 0x77, width, GS, 0x48, hri]))
        return self.raw(bytes([GS, 0x6B, m, len(body)]) + body)

    def barcode128(self, data: str, height: int = 64, width: int = 2, hri: int = 2) -> "EscPos":
        return self.barcode(data, "CODE128", height, width, hri)

    def cut(self, partial: bool = False, feed: int = 4) -> "EscPos":
        """Feed and cut (GS V 65/66 n); a printer without a cutter only feeds, to the tear bar."""
        if not self.profile.cutter:
            return self.feed(feed)
        mode = 0x42 if partial and self.profile.partial_cut else 0x41
        return self.raw(bytes([GS, 0x56, mode, max(0, min(255, feed))]))


def status_request(n: int) -> bytes:
    """DLE EOT n: real-time status (1 printer, 2 offline cause, 3 error cause, 4 roll paper)."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n is 1..4")
    return bytes([DLE, 0x04, n])


def recover_request(clear_buffers: bool = True) -> bytes:
    """DLE ENQ n: recover from an error; n = 2 clears the receive and print buffers first, so what was
    sent after the fault does not print when the fault is fixed (the reprint prints it whole instead)."""
    return bytes([DLE, 0x05, 2 if clear_buffers else 1])
