"""The technician's A4 test sheet: one page that shows whether the A4 printer prints what the kiosk's
certificates need -- Chinese in the embedded CJK font (kiosk.documents.fonts), a rare name character,
small and large sizes, a QR code, thin rules and the page's margins (a corner mark 10 mm from each edge).

``TEST_MARK`` is plain ASCII so a test can read it back out of a PDF that went through a print server
(filters may drop the CJK text layer of a PDF they rewrite, never what they print); ``TEST_LINES`` are
the Chinese lines a person checks on the paper.
"""
from __future__ import annotations

import datetime as dt
import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from ..documents.fonts import draw_string

TEST_MARK = "KIOSK A4 TEST SHEET"
TEST_LINES = ("A4打印测试页", "中文：政务服务自助终端 证照打印", "全角符号：，。：￥（）", "生僻字：㐀㐁")
TEST_QR = "https://zwfw.example.gov.cn/verify/A4TEST0001"


def a4_test_pdf(kiosk_id: str, printer: str, now: dt.datetime | None = None) -> bytes:
    """The one-page test sheet as PDF bytes (A4, CJK font embedded)."""
    when = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    c.setTitle(f"{TEST_MARK} {kiosk_id}")
    width, height = A4
    c.setLineWidth(0.5)
    for x, y in ((10 * mm, 10 * mm), (width - 10 * mm, 10 * mm), (10 * mm, height - 10 * mm),
                 (width - 10 * mm, height - 10 * mm)):   # corner marks: the printable area reaches 10 mm
        c.line(x - 5 * mm, y, x + 5 * mm, y)
        c.line(x, y - 5 * mm, x, y + 5 * mm)
    y = height - 35 * mm
    draw_string(c, 25 * mm, y, TEST_LINES[0], 28)
    y -= 12 * mm
    c.setFont("Helvetica", 11)
    c.drawString(25 * mm, y, f"{TEST_MARK}  kiosk {kiosk_id}  {when}")
    y -= 6 * mm
    shown = printer if len(printer) <= 80 else printer[:77] + "..."   # a long server= must not run off the page
    c.drawString(25 * mm, y, f"printer {shown}")
    y -= 12 * mm
    for line in TEST_LINES[1:]:
        draw_string(c, 25 * mm, y, line, 16)
        y -= 10 * mm
    for size in (8, 10, 12, 14, 20):
        y -= size * 0.45 * mm   # one point is 0.35 mm: the line's own height plus a gap
        draw_string(c, 25 * mm, y, f"{size} 磅字号：受理编号 0123456789", size)
        y -= 3 * mm
    y -= 4 * mm
    for i, w in enumerate((0.25, 0.5, 1.0, 2.0)):
        c.setLineWidth(w)
        c.line(25 * mm, y - i * 4 * mm, width - 25 * mm, y - i * 4 * mm)
    y -= 25 * mm
    qr = QrCodeWidget(TEST_QR)
    x0, y0, x1, y1 = qr.getBounds()
    size = 40 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, c, 25 * mm, y - size)
    draw_string(c, 70 * mm, y - 20 * mm, "二维码：手机扫描应打开核验地址", 12)
    c.showPage()
    c.save()
    return buf.getvalue()


__all__ = ["TEST_LINES", "TEST_MARK", "TEST_QR", "a4_test_pdf"]
