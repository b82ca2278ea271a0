"""Draw what a printer prints: interpreted ESC/POS elements -> a PNG of the paper at 203 dpi.

One image dot is one printer dot, the image is the profile's printable width (576 dots on 80 mm paper,
384 on 58 mm) plus a small paper margin, text is drawn in 12x24 cells with a CJK font (``fonts``), QR codes
and barcodes are drawn module for module at the printer's module size (``symbols``), so a phone or zxing
reads the PNG like the paper. Used by the simulator (the demo shows the receipt on screen) and by
``kiosk receipt render`` for any captured stream.
"""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

from . import fonts
from .escpos import PROFILES, Profile
from .interpret import Barcode, Cut, Element, Feed, Interpreter, QrCode, Raster, Receipt, TextLine, Unknown
from .symbols import QR_EC_LEVELS, SymbolError, barcode_data, barcode_image, qr_image

MARGIN_DOTS = 16  # white paper either side of the printable area
TOP_DOTS = 24


def _aligned_x(width: int, content: int, align: int) -> int:
    if align == 1:
        return max(0, (width - content) // 2)
    if align == 2:
        return max(0, width - content)
    return 0


class _Paper:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.width = profile.dots
        self.blocks: list[tuple[int, Image.Image]] = []  # (x, image) stacked top to bottom

    def add(self, img: Image.Image, align: int = 0, x: int | None = None) -> None:
        self.blocks.append((_aligned_x(self.width, img.width, align) if x is None else x, img))

    def space(self, dots: int) -> None:
        if dots > 0:
            self.blocks.append((0, Image.new("1", (1, dots), 1)))

    def image(self, cut: bool) -> Image.Image:
        height = TOP_DOTS + sum(img.height for _, img in self.blocks) + TOP_DOTS
        page = Image.new("L", (self.width + 2 * MARGIN_DOTS, height), 255)
        y = TOP_DOTS
        for x, img in self.blocks:
            page.paste(img.convert("L").crop((0, 0, min(img.width, self.width - x), img.height)),
                       (MARGIN_DOTS + x, y))
            y += img.height
        if cut:  # a dashed line where the cutter cut
            d = ImageDraw.Draw(page)
            for x in range(0, page.width, 12):
                d.line((x, height - 2, x + 6, height - 2), fill=160)
        return page


def _text(paper: _Paper, line: TextLine) -> None:
    cw, ch = paper.profile.font_a
    st = line.style
    per_line = max(1, paper.width // (cw * st.width))
    # The printer wraps a line longer than the paper onto the next line.
    chunks, current, used = [], "", 0
    for c in line.text:
        w = fonts.cell_width(c)
        if used + w > per_line and current:
            chunks.append(current)
            current, used = "", 0
        current += c
        used += w
    chunks.append(current)
    for chunk in chunks:
        glyph_h = ch * st.height
        advance = max(glyph_h, st.line_spacing if st.height == 1 else glyph_h)
        img = Image.new("1", (max(1, fonts.text_width(chunk, cw, st.width)), advance), 1)
        draw = ImageDraw.Draw(img)
        fonts.draw_text(draw, 0, 0, chunk, cell=(cw, ch), scale_w=st.width, scale_h=st.height,
                        bold=st.bold)
        if st.underline:
            draw.line((0, glyph_h - 1, img.width, glyph_h - 1), fill=0, width=1)
        paper.add(img, st.align)


def _raster(paper: _Paper, r: Raster) -> None:
    img = Image.frombytes("1", (r.width_bytes * 8, len(r.rows)), b"".join(r.rows))
    img = img.point(lambda v: 0 if v else 255, mode="1")  # bit 1 = black dot
    if r.scale in (1, 3):
        img = img.resize((img.width * 2, img.height), Image.Resampling.NEAREST)
    if r.scale in (2, 3):
        img = img.resize((img.width, img.height * 2), Image.Resampling.NEAREST)
    paper.add(img, r.align)


def _barcode(paper: _Paper, b: Barcode) -> None:
    try:
        bars = barcode_image(b.kind, b.data, module=b.module, height=b.height)
    except SymbolError:
        _text(paper, TextLine(f"[barcode {b.data.decode('latin-1')}]", _plain()))
        return
    hri = barcode_data(b.data) if b.kind == 0x49 else b.data.decode("latin-1")
    if b.hri in (1, 3):
        _text(paper, TextLine(hri, _plain(b.align)))
    paper.add(bars, b.align)
    if b.hri in (2, 3):
        _text(paper, TextLine(hri, _plain(b.align)))


def _plain(align: int = 0):
    from .interpret import Style  # noqa: PLC0415

    return Style(align=align, line_spacing=30)


def render(receipt: Receipt, profile: Profile | str = "80mm") -> Image.Image:
    """The receipt as a grayscale image, one pixel per printer dot."""
    profile = PROFILES[profile] if isinstance(profile, str) else profile
    paper = _Paper(profile)
    spacing = profile.line_spacing_dots
    for e in receipt.elements:
        if isinstance(e, TextLine):
            spacing = e.style.line_spacing
            _text(paper, e)
        elif isinstance(e, QrCode):
            try:
                paper.add(qr_image(e.payload, max(1, e.module), QR_EC_LEVELS.get(e.ec, "L")), e.align)
            except SymbolError:
                _text(paper, TextLine("[QR too long]", _plain()))
        elif isinstance(e, Barcode):
            _barcode(paper, e)
        elif isinstance(e, Raster):
            _raster(paper, e)
        elif isinstance(e, Feed):
            paper.space(e.lines * spacing)
        elif isinstance(e, (Cut, Unknown)):
            continue
    return paper.image(receipt.cut)


def render_png(receipt: Receipt, profile: Profile | str = "80mm") -> bytes:
    buf = io.BytesIO()
    render(receipt, profile).save(buf, format="PNG", dpi=(203, 203))
    return buf.getvalue()


def split_receipts(elements: list[Element]) -> list[Receipt]:
    """Elements of a whole stream cut into receipts at each cut; a tail without a cut is kept too."""
    out, current = [], Receipt()
    for e in elements:
        current.elements.append(e)
        if isinstance(e, Cut):
            current.cut = True
            out.append(current)
            current = Receipt()
    if any(not isinstance(e, Unknown) for e in current.elements):
        out.append(current)
    return out


def render_stream(data: bytes, profile: Profile | str = "80mm") -> list[Image.Image]:
    """Every receipt in a raw ESC/POS stream (e.g. a ``file://`` printer's output), rendered."""
    return [render(r, profile) for r in split_receipts(Interpreter().feed(data))]
