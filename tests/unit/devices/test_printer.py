"""ESC/POS encoder golden bytes, real-time status bits, the interpreter, and jobs cut short by paper out."""
from __future__ import annotations

import pytest

from devices import sim
from devices.base import DeviceState, EventKind, Supply
from devices.errors import DeviceErrorCode
from devices.printer import EscPos, ReceiptPrinter
from devices.printer.escpos import text_fits
from devices.printer.interpret import Cut, Interpreter, QrCode, TextLine
from devices.printer.status import PrinterStatus, valid_status_byte
from tests.helpers.fakes import Recorder

H = bytes.fromhex


def test_native_qr_bytes_match_python_escpos():
    out = EscPos().qr("ABC", module=6, ec="M").getvalue()
    assert out == H("1D 28 6B 04 00 31 41 32 00 1D 28 6B 03 00 31 43 06 1D 28 6B 03 00 31 45 31"
                    " 1D 28 6B 06 00 31 50 30 41 42 43 1D 28 6B 03 00 31 51 30")


def test_chinese_is_gb18030_and_yen_is_normalised_to_the_fullwidth_sign():
    assert EscPos().text("办事指南，¥").getvalue() == H("B0 EC CA C2 D6 B8 C4 CF A3 AC A3 A4")


def test_characters_outside_the_double_byte_areas_are_refused_as_text():
    assert not text_fits("㐀") and not text_fits("\U00020000")
    with pytest.raises(ValueError, match="image"):
        EscPos().text("张㐀")


@pytest.mark.parametrize("call,expected", [
    (lambda p: p.init(), "1B 40"), (lambda p: p.chinese(), "1C 26"), (lambda p: p.chinese(False), "1C 2E"),
    (lambda p: p.align("center"), "1B 61 01"), (lambda p: p.bold(), "1B 45 01"),
    (lambda p: p.size(2, 2), "1D 21 11"), (lambda p: p.feed(3), "1B 64 03"),
    (lambda p: p.cut(partial=True, feed=0), "1D 56 42 00"), (lambda p: p.cut(feed=3), "1D 56 41 03"),
    (lambda p: p.raster([b"\xFF", b"\x81"], 1), "1D 76 30 00 01 00 02 00 FF 81"),
    (lambda p: p.bold(False), "1B 45 00"), (lambda p: p.align("right"), "1B 61 02"),
    (lambda p: p.size(1, 2), "1D 21 01"), (lambda p: p.size(3, 1), "1D 21 20"),
    (lambda p: p.line_spacing(40), "1B 33 28"), (lambda p: p.line_spacing(), "1B 32"),
    (lambda p: p.line("中文"), "D6 D0 CE C4 0A"),
    # python-escpos 3.1's CODE128 "{B12345" body (devices.md 2.1), preceded by height/width/HRI
    (lambda p: p.barcode("{B12345", "CODE128", height=0x40, width=3, hri=2),
     "1D 68 40 1D 77 03 1D 48 02 1D 6B 49 07 7B 42 31 32 33 34 35"),
    (lambda p: p.barcode("12345"), "1D 68 40 1D 77 02 1D 48 02 1D 6B 49 07 7B 42 31 32 33 34 35"),
])
def test_command_bytes(call, expected):
    assert call(EscPos("80mm")).getvalue() == H(expected)


def test_58mm_profile_has_no_cutter_and_feeds_instead():
    p = EscPos("58mm")
    assert not p.profile.supports("cut")
    assert p.cut().getvalue() == H("1B 64 04")


@pytest.mark.parametrize("status,bytes_", [
    (PrinterStatus(), (0x12, 0x12, 0x12, 0x12)),
    (PrinterStatus(offline=True), (0x1A, 0x12, 0x12, 0x12)),
    (PrinterStatus(cover_open=True), (0x12, 0x16, 0x12, 0x12)),
    (PrinterStatus(paper_end_stop=True), (0x12, 0x32, 0x12, 0x12)),
    (PrinterStatus(cutter_error=True), (0x12, 0x12, 0x1A, 0x12)),
    (PrinterStatus(paper_near_end=True), (0x12, 0x12, 0x12, 0x1E)),
    (PrinterStatus(paper_out=True), (0x12, 0x12, 0x12, 0x72)),
])
def test_status_bits_match_the_published_simulator_values(status, bytes_):
    assert status.to_bytes() == bytes_
    assert PrinterStatus.from_bytes(*bytes_) == status


def test_every_status_bit_decodes_to_its_fault():
    assert PrinterStatus.from_bytes(0x12, 0x12, 0x12, 0x72).fault() == DeviceErrorCode.PRINTER_PAPER_OUT
    assert PrinterStatus.from_bytes(0x12, 0x16, 0x12, 0x12).fault() == DeviceErrorCode.PRINTER_COVER_OPEN
    assert PrinterStatus.from_bytes(0x12, 0x12, 0x1A, 0x12).fault() == DeviceErrorCode.PRINTER_CUTTER
    assert PrinterStatus.from_bytes(0x12, 0x12, 0x32, 0x12).fault() == DeviceErrorCode.PRINTER_UNRECOVERABLE
    assert PrinterStatus.from_bytes(0x1A, 0x12, 0x12, 0x12).fault() == DeviceErrorCode.PRINTER_OFFLINE
    assert PrinterStatus.from_bytes(0x12, 0x12, 0x12, 0x1E).fault() is None
    assert not valid_status_byte(0x00) and not valid_status_byte(0x93)


def test_the_interpreter_reads_what_the_encoder_wrote_in_any_chunking():
    data = EscPos().init().chinese().bold().line("受理回执").bold(False).qr("SZ1").cut().getvalue()
    whole = Interpreter().feed(data)
    interp = Interpreter()
    bytewise = [e for b in data for e in interp.feed(bytes([b]))]
    assert whole == bytewise
    assert isinstance(whole[0], TextLine) and whole[0].text == "受理回执" and whole[0].style.bold
    assert [e.payload for e in whole if isinstance(e, QrCode)] == [b"SZ1"]
    assert isinstance(whole[-1], Cut)


@pytest.fixture
def printer():
    p = ReceiptPrinter("printer", "sim://printer")
    p.poll_interval_s = 0.05
    rec = Recorder()
    p.subscribe(rec)
    p.start()
    rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
    yield p, rec, sim.get_hardware("sim://printer")
    p.stop()


JOB = EscPos().init().chinese().line("第一行").line("第二行").line("第三行").qr("SZ-TRACK-1").cut().getvalue()


def test_a_job_prints_once_even_when_retried(printer):
    p, rec, hw = printer
    first = p.print_job("job-1", JOB).result(5)
    again = p.print_job("job-1", JOB).result(5)
    assert first.ok and not first.duplicate
    assert again.ok and again.duplicate
    assert len(hw.receipts) == 1 and hw.receipts[0].qr_payloads == [b"SZ-TRACK-1"]


def test_paper_out_mid_job_fails_the_job_and_a_reprint_after_reloading_gives_one_whole_receipt(printer):
    p, rec, hw = printer
    hw.paper_out_after_lines = 2
    result = p.print_job("job-2", JOB).result(5)
    assert not result.ok and result.error_code == DeviceErrorCode.PRINTER_JOB_INTERRUPTED
    assert p.state == DeviceState.ERROR and p.health().supplies["paper"] == Supply.OUT
    assert hw.receipts == [] and hw.take_partial() is not None
    hw.set_paper("ok")
    rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
    assert p.print_job("job-2", JOB).result(5).ok
    assert len(hw.receipts) == 1 and "第三行" in hw.receipts[0].text


def test_a_job_is_not_started_when_the_cover_is_open(printer):
    p, rec, hw = printer
    hw.set_cover_open(True)
    result = p.print_job("job-3", JOB).result(5)
    assert not result.ok and result.error_code == DeviceErrorCode.PRINTER_COVER_OPEN
    assert hw.receipts == []


def test_paper_near_end_is_a_supply_warning_not_an_error(printer):
    p, rec, hw = printer
    hw.set_paper("near_end")
    rec.wait_for(lambda ev: any(e.kind == EventKind.SUPPLY_CHANGED and e.data["level"] == Supply.LOW for e in ev))
    assert p.state == DeviceState.IDLE
    assert p.print_job("job-4", JOB).result(5).ok


def test_file_url_writes_the_raw_stream(tmp_path):
    out = tmp_path / "out.bin"
    p = ReceiptPrinter("printer", f"file://{out}")
    p.start()
    assert p.print_job("f1", JOB).result(5).ok
    p.stop()
    assert out.read_bytes() == JOB
