"""The printer driver against simulated printers behind real transports: status bits into state and
health, a job cut short by paper out (nothing lost, nothing doubled), socket:// and a character device."""
from __future__ import annotations

import pytest

from devices import sim
from devices.base import DeviceState, Supply
from devices.errors import DeviceErrorCode
from devices.printer import EscPos, ReceiptPrinter
from devices.printer.interpret import Interpreter, Raster
from devices.printer.netsim import PrinterPty, PrinterServer
from devices.printer.render import split_receipts
from devices.printer.status import PrinterStatus, valid_status_byte
from devices.printer.testpage import build_test_page
from tests.helpers.fakes import Recorder

# (DLE EOT n, bit) -> the PrinterStatus field it sets (devices.md 2.4); near end and paper end are 2-bit pairs.
BITS = [
    (1, 0x08, "offline"), (2, 0x04, "cover_open"), (2, 0x20, "paper_end_stop"), (2, 0x40, "error"),
    (3, 0x08, "cutter_error"), (3, 0x20, "unrecoverable"), (3, 0x40, "auto_recoverable"),
    (4, 0x0C, "paper_near_end"), (4, 0x60, "paper_out"),
]


@pytest.mark.parametrize("n,bit,name", BITS)
def test_each_status_bit_sets_its_own_field_and_nothing_else(n, bit, name):
    raw = [0x12, 0x12, 0x12, 0x12]
    raw[n - 1] |= bit
    status = PrinterStatus.from_bytes(*raw)
    assert {k for k, v in vars(status).items() if v} == {name}
    assert status.to_bytes() == tuple(raw)


@pytest.mark.parametrize("n,half", [(4, 0x04), (4, 0x08), (4, 0x20), (4, 0x40)])
def test_half_of_a_paper_sensor_pair_is_not_taken_as_near_end_or_out(n, half):
    status = PrinterStatus.from_bytes(0x12, 0x12, 0x12, 0x12 | half)
    assert not status.paper_near_end and not status.paper_out


@pytest.mark.parametrize("b", [0x00, 0x02, 0x10, 0x13, 0x92, 0xFF])
def test_bytes_that_are_not_status_replies_are_rejected(b):
    assert not valid_status_byte(b)
    with pytest.raises(ValueError):
        PrinterStatus.from_bytes(b, 0x12, 0x12, 0x12)


def _long_job(tag: str) -> bytes:
    p = EscPos().init().chinese()
    for i in range(60):
        p.line(f"{tag} 第{i:02d}行 受理回执内容")
    p.line("申请人：张㐀明")  # a raster line: a long command the status checks must not split
    return p.qr(f"https://zwfw.example.gov.cn/t/{tag}").cut().getvalue()


@pytest.fixture
def printer():
    p = ReceiptPrinter("printer", "sim://printer?name=drv")
    p.poll_interval_s = 0.05
    rec = Recorder()
    p.subscribe(rec)
    p.start()
    rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
    yield p, rec, sim.get_hardware("sim://printer?name=drv")
    p.stop()


@pytest.mark.parametrize("knob,code", [
    (lambda hw: hw.set_paper("out"), DeviceErrorCode.PRINTER_PAPER_OUT),
    (lambda hw: hw.set_cover_open(True), DeviceErrorCode.PRINTER_COVER_OPEN),
    (lambda hw: hw.set_cutter_error(True), DeviceErrorCode.PRINTER_CUTTER),
    (lambda hw: hw.set_offline(True), DeviceErrorCode.PRINTER_OFFLINE),
])
def test_a_polled_fault_puts_the_printer_in_error_with_its_code_and_clears_when_fixed(printer, knob, code):
    p, rec, hw = printer
    knob(hw)
    rec.wait_for(lambda ev: p.state == DeviceState.ERROR and p.health().error_code == code)
    hw.set_paper("ok"), hw.set_cover_open(False), hw.set_cutter_error(False), hw.set_offline(False)
    rec.wait_for(lambda ev: p.state == DeviceState.IDLE and p.health().error_code is None)


def test_paper_out_mid_job_loses_nothing_and_duplicates_nothing(printer):
    p, rec, hw = printer
    job = _long_job("SZ-CUT")
    hw.paper_out_after_lines = 20
    result = p.print_job("job-cut", job).result(10)
    assert not result.ok and result.error_code == DeviceErrorCode.PRINTER_JOB_INTERRUPTED
    assert 0 < result.bytes_sent < len(job)
    assert p.state == DeviceState.ERROR and p.health().supplies["paper"] == Supply.OUT
    hw.set_paper("ok")  # the technician reloads: the torn-off half is set aside
    rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
    assert hw.receipts == [] and len(hw.partials) == 1  # the held tail was cleared (DLE ENQ 2), not printed
    assert p.print_job("job-cut", job).result(10).ok
    assert p.print_job("job-cut", job).result(10).duplicate
    assert len(hw.receipts) == 1
    (expected,) = split_receipts(Interpreter().feed(job))
    assert hw.receipts[0].elements == expected.elements  # the reprint is whole: every line, image, QR


def test_without_clearing_the_buffer_a_reloaded_printer_prints_the_tail_of_the_cut_short_job():
    # Why the driver sends DLE ENQ 2: the simulator holds data while out of paper, like a printer.
    hw = sim.get_hardware("sim://printer?name=naive")
    port = hw.connect()
    hw.paper_out_after_lines = 5
    port.write(_long_job("SZ-NAIVE"))
    assert hw.receipts == []
    hw.set_paper("ok")
    assert len(hw.receipts) == 1 and "第00行" not in hw.receipts[0].text  # a tail-only "receipt" came out


def test_a_job_larger_than_a_chunk_checks_status_between_whole_commands(printer):
    p, rec, hw = printer
    job = _long_job("SZ-BIG")
    assert p.print_job("job-big", job).result(10).ok
    assert len(hw.receipts) == 1 and any(isinstance(e, Raster) for e in hw.receipts[0].elements)
    assert p.health().counters["jobs_printed"] == 1


def test_socket_printer_status_print_and_reconnect_after_the_cable_is_pulled():
    with PrinterServer() as server:
        p = ReceiptPrinter("printer", server.url)
        p.poll_interval_s = 0.05
        p.reconnect_min_s = 0.05
        rec = Recorder()
        p.subscribe(rec)
        p.start()
        try:
            rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
            server.hw.set_paper("near_end")
            rec.wait_for(lambda ev: p.health().supplies.get("paper") == Supply.LOW)
            assert p.print_job("net-1", build_test_page()).result(10).ok
            assert server.hw.last_receipt.qr_payloads
            server.drop_connections()
            rec.wait_for(lambda ev: p.health().counters.get("disconnects", 0) >= 1)
            rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
            assert p.print_job("net-2", build_test_page()).result(10).ok
            assert len(server.hw.receipts) == 2
        finally:
            p.stop()


def test_a_character_device_url_is_read_write_so_status_works_like_usb_usblp():
    with PrinterPty() as pty:
        p = ReceiptPrinter("printer", pty.url)
        p.poll_interval_s = 0.05
        rec = Recorder()
        p.subscribe(rec)
        p.start()
        try:
            rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
            pty.hw.set_cover_open(True)
            rec.wait_for(lambda ev: p.health().error_code == DeviceErrorCode.PRINTER_COVER_OPEN)
            pty.hw.set_cover_open(False)
            rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
            assert p.print_job("usb-1", build_test_page()).result(10).ok
            assert "中文：政务服务自助终端" in pty.hw.last_receipt.text
        finally:
            p.stop()
