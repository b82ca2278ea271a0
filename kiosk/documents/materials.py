"""A material as one PDF: its captured pages, one per A4 sheet, with a header line (reportlab)."""
from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ..capture.pages import Page
from .fonts import cjk_font

MARGIN = 10 * mm


def material_pdf(title: str, pages: list[Page], *, subject: str = "") -> bytes:
    """Compress nothing again: the page images are already encoded (JPEG/PNG) and are embedded as they are."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(title)
    c.setSubject(subject)
    c.setCreator("kiosk")
    font = cjk_font()
    width, height = A4
    for i, page in enumerate(pages, 1):
        c.setFont(font, 9)
        c.drawString(MARGIN, height - MARGIN + 2 * mm, f"{title}  第 {i}/{len(pages)} 页")
        box_w, box_h = width - 2 * MARGIN, height - 2 * MARGIN - 4 * mm
        scale = min(box_w / page.width, box_h / page.height)
        w, h = page.width * scale, page.height * scale
        img = ImageReader(io.BytesIO(bytes(page.data)))
        c.drawImage(img, (width - w) / 2, MARGIN + (box_h - h) / 2, w, h)
        c.showPage()
    c.save()
    return buf.getvalue()
