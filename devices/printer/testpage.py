"""The technician's test receipt: every feature the kiosk's receipts use, on one page.

Chinese text in GB18030, character sizes, bold, line spacing, alignment, a rare name character printed
as a raster image, a native (or raster) QR code, a CODE128 barcode and the cut. ``TEST_QR`` and
``TEST_BARCODE`` are what a scanner must read back; ``TEST_TEXT`` lines must be legible.
"""
from __future__ import annotations

import datetime as dt

from .escpos import EscPos, Profile

TEST_QR = "https://zwfw.example.gov.cn/t/SZTEST0001"
TEST_BARCODE = "SZTEST0001"
TEST_TEXT = ("打印测试页", "中文：政务服务自助终端", "全角符号：，。：￥")
RARE_NAME = "张㐀𠀀"  # U+3400 (CJK Ext A) and U+20000 (Ext B): 4-byte GB18030, not in printer fonts


def build_test_page(profile: Profile | str = "80mm", now: dt.datetime | None = None) -> bytes:
    p = EscPos(profile)
    prof = p.profile
    when = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
    p.init().chinese().align("center").bold().size(2, 2).line(TEST_TEXT[0]).size().bold(False)
    p.line(f"{prof.name}  {prof.dots} 点/行  {prof.columns} 列").line(when).align("left")
    p.line("-" * prof.columns)
    p.line(TEST_TEXT[1]).line(TEST_TEXT[2]).line("ASCII: 0123456789 ABC xyz")
    p.bold().line("粗体：受理编号").bold(False)
    p.size(1, 2).line("倍高：受理回执").size(2, 1).line("倍宽：回执").size()
    p.line_spacing(48).line("行距 48 点").line("行距 48 点").line_spacing()
    p.line(f"生僻字（图像）：{RARE_NAME}")
    p.align("right").line("右对齐").align("center").line("居中")
    p.line("-" * prof.columns)
    p.feed(1).qr(TEST_QR, module=6 if prof.columns >= 48 else 4, ec="M").feed(1).line("二维码")
    p.barcode(TEST_BARCODE, "CODE128", height=64, width=2).feed(1)
    p.line("切纸" if prof.supports("cut") else "无切刀：走纸至撕纸口").feed(2).cut(partial=True)
    return p.getvalue()
