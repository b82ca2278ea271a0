"""Shared A4 layout for the kiosk's documents (reportlab platypus): styles, key-value tables, a QR code."""
from __future__ import annotations

import io
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from .fonts import cjk_font, markup

INK = colors.HexColor("#1d2733")
GRID = colors.HexColor("#8a97a8")
SHADE = colors.HexColor("#eef2f7")


def styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK", textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, alignment=TA_CENTER, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
        "key": ParagraphStyle("key", parent=base, fontSize=10, leading=14, textColor=colors.HexColor("#3a4756")),
    }


def P(text: str, style: ParagraphStyle) -> Paragraph:  # noqa: N802 - reads like the platypus classes
    return Paragraph(markup(text).replace("\n", "<br/>"), style)


def kv_table(rows: list[tuple[str, str]], width: float, key_width: float = 32 * mm, pairs: bool = False) -> Table:
    """A bordered table of key/value rows; ``pairs`` puts two pairs per row (four columns)."""
    st = styles()
    cells = [[P(k, st["key"]), P(v, st["cell"])] for k, v in rows]
    if pairs:
        merged = []
        for i in range(0, len(cells), 2):
            merged.append(cells[i] + (cells[i + 1] if i + 1 < len(cells) else [P("", st["key"]), P("", st["cell"])]))
        cells = merged
        value_w = (width - 2 * key_width) / 2
        widths = [key_width, value_w, key_width, value_w]
    else:
        widths = [key_width, width - key_width]
    t = Table(cells, colWidths=widths)
    shade = [("BACKGROUND", (c, 0), (c, -1), SHADE) for c in range(0, len(widths), 2)]
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4), *shade]))
    return t


def grid_table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    st = styles()
    data = [[P(h, st["key"]) for h in header]] + [[P(c, st["cell"]) for c in r] for r in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return t


def qr_drawing(payload: str, size: float = 32 * mm) -> Drawing:
    """A vector QR code (reportlab's encoder, EC level M) -- sharp at any print resolution."""
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    return d


def build_pdf(story: list[Any], *, title: str, subject: str = "", footer: str = "") -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=title, subject=subject, creator="kiosk", author="kiosk")

    def page(c, d) -> None:
        c.saveState()
        c.setFont(cjk_font(), 8)
        c.setFillColor(GRID)
        c.drawString(18 * mm, 9 * mm, footer)
        c.drawRightString(A4[0] - 18 * mm, 9 * mm, f"第 {d.page} 页")
        c.restoreState()
    doc.build(story, onFirstPage=page, onLaterPages=page)
    return buf.getvalue()


CONTENT_WIDTH = A4[0] - 36 * mm
