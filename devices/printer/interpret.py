"""A streaming ESC/POS interpreter: bytes in, printed elements out.

The simulator feeds it what the driver writes (in any chunking) and gets back a model of the paper:
lines of styled text, QR codes, barcodes, raster images and cuts. Unknown commands are skipped by their
known lengths; an unknown ESC/GS byte pair is kept as ``Unknown`` so tests can see it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

ESC, GS, FS, DLE, LF, CR = 0x1B, 0x1D, 0x1C, 0x10, 0x0A, 0x0D


@dataclass
class Style:
    align: int = 0
    bold: bool = False
    width: int = 1
    height: int = 1
    line_spacing: int = 30  # dots from one line to the next (ESC 3 n; ESC 2 = 30 at 203 dpi)
    underline: bool = False


@dataclass
class TextLine:
    text: str
    style: Style


@dataclass
class QrCode:
    payload: bytes
    module: int
    ec: int
    align: int


@dataclass
class Barcode:
    kind: int  # GS k m (function A 0..6 or B 65..)
    data: bytes
    align: int
    height: int = 162  # GS h
    module: int = 3  # GS w
    hri: int = 0  # GS H: 0 none, 1 above, 2 below, 3 both


@dataclass
class Raster:
    width_bytes: int
    rows: list[bytes]
    align: int
    scale: int = 0  # GS v 0 m: 0 normal, 1 double width, 2 double height, 3 both


@dataclass
class Cut:
    partial: bool


@dataclass
class Feed:
    lines: int


@dataclass
class StatusRequest:
    n: int


@dataclass
class Recover:
    """DLE ENQ n: recover from an error; n = 2 also clears the receive and print buffers."""

    clear: bool


@dataclass
class Unknown:
    data: bytes


Element = TextLine | QrCode | Barcode | Raster | Cut | Feed | StatusRequest | Recover | Unknown


@dataclass
class _QrState:
    module: int = 3
    ec: int = 0x30
    data: bytes = b""


class NeedMore(Exception):
    pass


# Fixed-length commands: prefix -> total length in bytes.
_FIXED = {
    (ESC, 0x40): 2, (ESC, 0x61): 3, (ESC, 0x45): 3, (ESC, 0x21): 3, (ESC, 0x64): 3, (ESC, 0x32): 2,
    (ESC, 0x33): 3, (ESC, 0x4D): 3, (ESC, 0x2D): 3, (ESC, 0x74): 3, (ESC, 0x4A): 3, (ESC, 0x7B): 3,
    (ESC, 0x20): 3, (ESC, 0x47): 3, (ESC, 0x56): 3, (ESC, 0x52): 3,
    (GS, 0x21): 3, (GS, 0x48): 3, (GS, 0x66): 3, (GS, 0x68): 3, (GS, 0x77): 3, (GS, 0x61): 3, (GS, 0x42): 3,
    (GS, 0x72): 3, (FS, 0x26): 2, (FS, 0x2E): 2, (FS, 0x21): 3, (FS, 0x57): 3, (DLE, 0x04): 3, (DLE, 0x05): 3,
}


class Interpreter:
    def __init__(self) -> None:
        self.buf = bytearray()
        self.style = Style()
        self.line = bytearray()
        self.qr = _QrState()
        self.barcode = {"height": 162, "module": 3, "hri": 0}
        self.chinese = True  # Chinese firmware powers up in Chinese mode (devices.md 2.1)
        self.elements: list[Element] = []

    def feed(self, data: bytes) -> list[Element]:
        """Consume bytes; return the elements completed by them."""
        self.buf += data
        start = len(self.elements)
        while self.buf:
            try:
                used = self._step()
            except NeedMore:
                break
            del self.buf[:used]
        return self.elements[start:]

    # one command or text byte at the head of the buffer; returns bytes consumed
    def _step(self) -> int:
        b = self.buf
        c = b[0]
        if c == LF:
            self._flush_line(force=True)
            return 1
        if c == CR:
            return 1
        if c not in (ESC, GS, FS, DLE):
            self.line.append(c)
            return 1
        if len(b) < 2:
            raise NeedMore
        key = (c, b[1])
        if key in _FIXED:
            n = _FIXED[key]
            if len(b) < n:
                raise NeedMore
            self._fixed(key, bytes(b[:n]))
            return n
        if key == (GS, 0x28):  # GS ( k pL pH cn fn ...
            if len(b) < 5:
                raise NeedMore
            n = 5 + b[3] + 256 * b[4]
            if len(b) < n:
                raise NeedMore
            self._gs_paren(bytes(b[:n]))
            return n
        if key == (GS, 0x6B):
            return self._barcode()
        if key == (GS, 0x76):
            return self._raster()
        if key == (GS, 0x56):
            if len(b) < 3:
                raise NeedMore
            n = 4 if b[2] in (0x41, 0x42, 65, 66) else 3
            if len(b) < n:
                raise NeedMore
            self._flush_line()
            self.elements.append(Cut(partial=b[2] in (0x01, 0x31, 0x42)))
            return n
        self.elements.append(Unknown(bytes(b[:2])))
        return 2

    def _fixed(self, key: tuple[int, int], cmd: bytes) -> None:
        n = cmd[-1]
        if key == (ESC, 0x40):
            self.line.clear()  # ESC @ clears the print buffer: a half line never prints
            self.style = Style()
            self.qr = _QrState()
        elif key == (ESC, 0x32):
            self.style.line_spacing = 30
        elif key == (ESC, 0x33):
            self.style.line_spacing = n
        elif key == (ESC, 0x2D):
            self.style.underline = bool(n & 3)
        elif key == (FS, 0x26):
            self.chinese = True
        elif key == (FS, 0x2E):
            self.chinese = False
        elif key == (GS, 0x68):
            self.barcode["height"] = max(1, n)
        elif key == (GS, 0x77):
            self.barcode["module"] = n if 1 <= n <= 6 else self.barcode["module"]
        elif key == (GS, 0x48):
            self.barcode["hri"] = n % 0x30 if n >= 0x30 else n
        elif key == (DLE, 0x05):
            self.elements.append(Recover(clear=n == 2))
        elif key == (ESC, 0x61):
            self.style.align = n % 0x30 if n >= 0x30 else n
        elif key == (ESC, 0x45):
            self.style.bold = bool(n & 1)
        elif key == (ESC, 0x21):
            self.style.width = 2 if n & 0x20 else 1
            self.style.height = 2 if n & 0x10 else 1
            self.style.bold = bool(n & 0x08)
            self.style.underline = bool(n & 0x80)
        elif key == (GS, 0x21):
            self.style.width = (n >> 4) + 1
            self.style.height = (n & 0x0F) + 1
        elif key == (ESC, 0x64):
            self._flush_line()
            self.elements.append(Feed(n))
        elif key == (DLE, 0x04):
            self.elements.append(StatusRequest(n))

    def _gs_paren(self, cmd: bytes) -> None:
        if cmd[2] != 0x6B or len(cmd) < 7 or cmd[5] != 0x31:
            self.elements.append(Unknown(cmd[:3]))
            return
        fn = cmd[6]
        if fn == 0x43:
            self.qr.module = cmd[7]
        elif fn == 0x45:
            self.qr.ec = cmd[7]
        elif fn == 0x50:
            self.qr.data = cmd[8:]
        elif fn == 0x51:
            self._flush_line()
            self.elements.append(QrCode(self.qr.data, self.qr.module, self.qr.ec, self.style.align))

    def _barcode(self) -> int:
        b = self.buf
        if len(b) < 4:
            raise NeedMore
        m = b[2]
        if m <= 6:  # function A: NUL-terminated
            end = b.find(0, 3)
            if end < 0:
                raise NeedMore
            self._flush_line()
            self.elements.append(Barcode(m, bytes(b[3:end]), self.style.align, **self.barcode))
            return end + 1
        n = b[3]
        if len(b) < 4 + n:
            raise NeedMore
        self._flush_line()
        self.elements.append(Barcode(m, bytes(b[4:4 + n]), self.style.align, **self.barcode))
        return 4 + n

    def _raster(self) -> int:
        b = self.buf
        if len(b) < 8:
            raise NeedMore
        xw = b[4] + 256 * b[5]
        yh = b[6] + 256 * b[7]
        n = 8 + xw * yh
        if len(b) < n:
            raise NeedMore
        self._flush_line()
        rows = [bytes(b[8 + r * xw:8 + (r + 1) * xw]) for r in range(yh)]
        self.elements.append(Raster(xw, rows, self.style.align, b[3] % 0x30 if b[3] >= 0x30 else b[3]))
        return n

    def _flush_line(self, force: bool = False) -> None:
        if self.line or force:
            text = bytes(self.line).decode("gb18030" if self.chinese else "cp437", errors="replace")
            self.elements.append(TextLine(text, replace(self.style)))
            self.line.clear()


@dataclass
class Receipt:
    """What came out of the printer between two cuts."""

    elements: list[Element] = field(default_factory=list)
    cut: bool = False

    @property
    def text(self) -> str:
        return "\n".join(e.text for e in self.elements if isinstance(e, TextLine))

    @property
    def qr_payloads(self) -> list[bytes]:
        return [e.payload for e in self.elements if isinstance(e, QrCode)]


def command_chunks(data: bytes, size: int) -> list[bytes]:
    """Split a stream into chunks of about ``size`` bytes that end between whole commands.

    The driver asks for real-time status between chunks; a DLE EOT sent in the middle of a command (inside
    raster or QR data) would be taken as that command's data and never answered -- or, on printers that
    scan for real-time commands everywhere, corrupt the image. A single command longer than ``size`` is
    one chunk. Chunks never end inside a line of text (a double-byte character must not be split)."""
    probe = Interpreter()
    probe.buf = bytearray(data)
    chunks, start, pos, last_cut = [], 0, 0, 0
    while probe.buf:
        try:
            used = probe._step()
        except NeedMore:
            break
        head = probe.buf[0]
        del probe.buf[:used]  # O(1): CPython trims a bytearray's head in place
        probe.elements.clear()
        pos += used
        if head not in (ESC, GS, FS, DLE, LF):
            continue  # inside text: not a place to cut
        if pos - start >= size:
            cut = last_cut if last_cut > start else pos
            chunks.append(data[start:cut])
            start = cut
        last_cut = pos
    if start < len(data):
        chunks.append(data[start:])
    return chunks
