"""What the encoder does where the printer cannot: rare characters as images, raster QR and barcodes,
feed instead of cut -- and that what comes out still reads right (interpreted, rendered, scanned)."""
from __future__ import annotations

import numpy as np
import pytest
import zxingcpp

from devices.printer import EscPos
from devices.printer.escpos import PROFILES, wrap
from devices.printer.interpret import Barcode, Interpreter, QrCode, Raster, TextLine, command_chunks
from devices.printer.render import render, render_stream, split_receipts
from devices.printer.testpage import RARE_NAME, TEST_BARCODE, TEST_QR, build_test_page

H = bytes.fromhex


def decode(img):
    return {(r.format.name, r.text) for r in zxingcpp.read_barcodes(img)}


def test_a_line_with_a_rare_name_character_goes_out_as_a_raster_image_no_wider_than_its_ink():
    p = EscPos("80mm").init().chinese()
    p.line("申请人：张㐀明")
    data = p.getvalue()
    elements = Interpreter().feed(data)
    assert not any(isinstance(e, TextLine) for e in elements)  # never 4-byte garbage, never "?" text
    assert p.raster_lines == 1
    raster = [e for e in elements if isinstance(e, Raster)]
    assert len(raster) == 1 and 7 * 24 <= raster[0].width_bytes * 8 < PROFILES["80mm"].dots  # 7 cells wide
    rows = np.unpackbits(np.frombuffer(b"".join(raster[0].rows), np.uint8)).reshape(len(raster[0].rows), -1)
    assert 24 <= rows.shape[0] <= 32 and rows.sum() > 200  # a text line's height, with ink in it
    assert not any(isinstance(e, TextLine) for e in elements)


def test_the_rare_character_image_has_the_glyph_a_font_draws_not_an_empty_box():
    one = EscPos().line("张㐀").getvalue()
    other = EscPos().line("张\U00020000").getvalue()
    assert one != other  # two different rare characters draw differently (no shared .notdef box)


def test_plain_lines_stay_text_and_the_style_of_a_raster_line_follows_the_printer_modes():
    p = EscPos().align("center").bold().size(2, 2)
    p.line("㐀")
    raster = next(e for e in Interpreter().feed(p.getvalue()) if isinstance(e, Raster))
    assert len(raster.rows) == 48  # double height: 2 x 24 dots
    bits = np.unpackbits(np.frombuffer(b"".join(raster.rows), np.uint8)).reshape(48, -1)
    cols = np.nonzero(bits.any(axis=0))[0]
    assert abs((cols.min() + cols.max()) / 2 - 288) < 30  # centred on the 576-dot line


def test_without_native_qr_the_qr_is_a_raster_image_that_scans_to_the_payload():
    p = EscPos("58mm-basic").init().qr("https://zwfw.example.gov.cn/t/SZ1", module=4)
    data = p.getvalue()
    assert b"\x1d\x28\x6b" not in data  # no GS ( k for a printer that lacks it
    assert not PROFILES["58mm-basic"].supports("qr") and PROFILES["80mm"].supports("qr")
    (img,) = render_stream(data + EscPos("58mm-basic").cut().getvalue(), "58mm-basic")
    assert ("QRCode", "https://zwfw.example.gov.cn/t/SZ1") in decode(img)


def test_without_native_barcodes_the_bars_are_raster_and_scan():
    p = EscPos("58mm-basic").init().barcode("SZ20240001")
    assert b"\x1d\x6b" not in p.getvalue()
    assert not PROFILES["58mm-basic"].supports("barcode:CODE128") and PROFILES["80mm"].supports("barcode")
    (img,) = render_stream(p.cut().getvalue(), "58mm-basic")
    assert ("Code128", "SZ20240001") in decode(img)


def test_qr_module_is_clamped_to_the_profile_and_sizes_to_eight():
    assert EscPos("58mm").qr("A", module=12).getvalue()[16] == 8
    assert EscPos("80mm").size(8, 8).getvalue() == H("1D 21 77")
    with pytest.raises(ValueError):
        EscPos().size(9, 1)


def test_wrap_counts_han_as_two_columns_and_indents_continuations():
    lines = wrap("收取材料：居民身份证（身份证读取）单位介绍信", 20, "  ")
    assert all(sum(1 if ord(c) < 128 else 2 for c in ln) <= 20 for ln in lines)
    assert "".join(ln.strip() for ln in lines) == "收取材料：居民身份证（身份证读取）单位介绍信"
    assert all(ln.startswith("  ") for ln in lines[1:])


def test_the_test_page_renders_and_its_qr_and_barcode_scan_on_both_paper_widths():
    for profile in ("80mm", "58mm", "58mm-basic"):
        (img,) = render_stream(build_test_page(profile), profile)
        assert img.width == PROFILES[profile].dots + 32
        found = decode(img)
        assert ("QRCode", TEST_QR) in found and ("Code128", TEST_BARCODE) in found, (profile, found)


def test_the_test_page_carries_chinese_text_a_rare_character_image_and_a_cut():
    elements = Interpreter().feed(build_test_page("80mm"))
    (receipt,) = split_receipts(elements)
    assert receipt.cut and "中文：政务服务自助终端" in receipt.text
    assert RARE_NAME not in receipt.text and any(isinstance(e, Raster) for e in elements)
    assert receipt.qr_payloads == [TEST_QR.encode()]
    assert [e.data for e in elements if isinstance(e, Barcode)] == [b"{B" + TEST_BARCODE.encode()]
    styles = {(e.style.width, e.style.height, e.style.bold) for e in elements if isinstance(e, TextLine)}
    assert {(1, 2, False), (2, 1, False), (2, 2, True), (1, 1, True)} <= styles


def test_status_chunks_end_between_commands_never_inside_text_or_images():
    data = build_test_page("80mm")
    chunks = command_chunks(data, 256)
    assert b"".join(chunks) == data and len(chunks) > 3
    interp = Interpreter()
    for chunk in chunks:
        interp.feed(chunk)
        assert not interp.buf and not interp.line  # nothing half-parsed where a DLE EOT would go


def test_rendered_text_has_ink_where_the_text_is_and_none_on_a_blank_receipt():
    img = render(split_receipts(Interpreter().feed(EscPos().line("受理回执").cut().getvalue()))[0])
    ink = (np.asarray(img) < 128).sum()
    assert ink > 150
    blank = render(split_receipts(Interpreter().feed(EscPos().feed(1).cut().getvalue()))[0])
    assert (np.asarray(blank) < 100).sum() == 0


def test_interpreter_reads_qr_settings_and_barcode_settings():
    data = EscPos().qr("X", module=5, ec="H").barcode("AB", height=80, width=3, hri=1).getvalue()
    qr, bc = [e for e in Interpreter().feed(data) if isinstance(e, (QrCode, Barcode))]
    assert (qr.module, qr.ec) == (5, 0x33) and (bc.height, bc.module, bc.hri) == (80, 3, 1)
