"""Serial line scanners: framing (prefix, AIM ID, suffix, gap), trigger commands byte for byte, encodings, the
simulator answering triggers like the modules, and reconnect after unplug over sim:// and a real pty."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from devices import sim
from devices.barcode import Scan, SerialScanner, barcode_driver, decode_text
from devices.barcode import triggers as trg
from devices.barcode.evdev_scanner import EvdevScanner
from devices.barcode.framing import Framer, aim_id, aim_symbology, parse_suffix
from devices.base import DeviceState, EventKind
from devices.errors import DeviceError, DeviceErrorCode
from tests.helpers.fakes import Recorder, wait_until

H = bytes.fromhex
RECEIPT = "https://zwfw.example.gov.cn/t/SZ20261127000001"


# --- framing ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("suffix", "wire"), [("cr", b"A1\rB2\r"), ("lf", b"A1\nB2\n"), ("crlf", b"A1\r\nB2\r\n"),
                                              ("tab", b"A1\tB2\t"), ("hex:03", b"A1\x03B2\x03")])
def test_each_suffix_ends_a_code_even_when_split_across_reads(suffix: str, wire: bytes) -> None:
    framer = Framer(suffix=parse_suffix(suffix))
    frames = [f for i in range(len(wire)) for f in framer.feed(wire[i:i + 1], now=float(i))]
    assert [f.payload for f in frames] == [b"A1", b"B2"]
    assert framer.pending == b""


def test_without_suffix_a_pause_ends_the_code() -> None:
    framer = Framer(suffix=b"", gap_s=0.08)
    assert framer.feed(b"6901", 10.00) == []
    assert framer.feed(b"2345", 10.05) == []  # 50 ms apart: same code
    assert framer.feed(b"", 10.10) == []  # 50 ms since the last byte
    assert [f.payload for f in framer.feed(b"", 10.14)] == [b"69012345"]


def test_prefix_is_stripped_and_line_noise_before_it_is_dropped() -> None:
    framer = Framer(suffix=b"\r", prefix=b"\x02")
    (frame,) = framer.feed(b"\xff\x13\x02SZ20261127000001\r", 0.0)
    assert frame.payload == b"SZ20261127000001" and not frame.prefix_missing
    assert framer.noise_bytes == 2
    (bare,) = framer.feed(b"ABC\r", 1.0)
    assert bare.payload == b"ABC" and bare.prefix_missing  # still delivered: the citizen's scan works


@pytest.mark.parametrize(("aim", "name"), [("]Q1", "QRCode"), ("]C0", "Code128"), ("]C1", "Code128"),
                                           ("]E0", "EAN-13"), ("]E4", "EAN-8"), ("]d2", "DataMatrix"),
                                           ("]L2", "PDF417"), ("]X0", "unknown")])
def test_aim_id_names_the_symbology_and_is_stripped(aim: str, name: str) -> None:
    (frame,) = Framer(suffix=b"\r", aim=True).feed(aim.encode() + b"payload\r", 0.0)
    assert (frame.payload, frame.symbology, frame.aim) == (b"payload", name, aim)
    assert aim_symbology(aim) == name


def test_aim_ids_the_simulator_sends_name_the_symbology_back() -> None:
    for name in ("QRCode", "Code128", "EAN-13", "EAN-8", "DataMatrix", "PDF417", "Aztec", "Code39"):
        assert aim_symbology(aim_id(name)) == name


def test_a_run_without_suffix_longer_than_any_code_is_thrown_away() -> None:
    framer = Framer(suffix=b"\r")
    framer.feed(b"x" * 5000, 0.0)
    assert framer.pending == b"" and framer.overruns == 1
    assert [f.payload for f in framer.feed(b"ok\r", 1.0)] == [b"ok"]


def test_bad_suffix_names_the_choices() -> None:
    with pytest.raises(ValueError, match="crlf"):
        parse_suffix("semicolon")


# --- encodings -------------------------------------------------------------------------------------------------

def test_text_is_utf8_when_valid_else_gbk() -> None:
    assert decode_text("缴费 SZ".encode()) == "缴费 SZ"
    assert decode_text("缴费 SZ".encode("gbk")) == "缴费 SZ"
    assert decode_text("缴费".encode("gbk"), "gbk") == "缴费"
    assert decode_text(b"\xff\xfe", "utf-8") == "\ufffd\ufffd"  # forced encoding never raises


# --- trigger commands ------------------------------------------------------------------------------------------

def test_honeywell_trigger_bytes_are_syn_t_cr_and_syn_u_cr() -> None:
    assert trg.model("honeywell").start == H("16 54 0D")
    assert trg.model("honeywell").stop == H("16 55 0D")


def test_gm_trigger_bytes_are_the_published_command() -> None:
    assert trg.model("gm").start == H("7E 00 08 01 00 02 01 AB CD")


@pytest.mark.parametrize(("frame", "crc"), [("08 01 00 D9 D3", "20 38"), ("07 01 00 2A 02", "D8 0F"),
                                            ("00 01 00", "33 31")])
def test_gm_crc_reproduces_the_published_frames(frame: str, crc: str) -> None:
    assert trg.crc16_xmodem(H(frame)).to_bytes(2, "big") == H(crc)


def test_gm_reply_is_recognised_only_when_complete_and_valid() -> None:
    assert trg.gm_reply_length(trg.GM_ACK_OK + b"DATA") == 7
    assert trg.gm_reply_length(trg.GM_ACK_OK[:5]) == 0 and trg.gm_reply_incomplete(trg.GM_ACK_OK[:5])
    assert trg.gm_reply_length(H("02 00 00 01 00 33 32")) == 0  # bad CRC: data, not a reply
    assert not trg.gm_reply_incomplete(b"SZ2026")


def test_trigger_mode_needs_a_model_that_has_a_trigger() -> None:
    with pytest.raises(DeviceError) as err:
        SerialScanner("barcode", "sim://barcode?trigger=1")
    assert err.value.code == DeviceErrorCode.UNSUPPORTED_URL and "model=honeywell" in err.value.detail


def test_driver_is_chosen_by_url_scheme() -> None:
    assert barcode_driver("serial:///dev/ttyACM0?suffix=cr") is SerialScanner
    assert barcode_driver("sim://barcode") is SerialScanner
    assert barcode_driver("evdev:///dev/input/by-id/usb-scanner-event-kbd") is EvdevScanner


# --- the driver against the simulator --------------------------------------------------------------------------

def _scans(events: list) -> list[Scan]:
    return [e.data for e in events if e.kind == EventKind.BARCODE_READ]


def _started(url: str) -> tuple[SerialScanner, Recorder, sim.SimHardware]:
    scanner, rec = SerialScanner("barcode", url), Recorder()
    scanner.subscribe(rec)
    scanner.start()
    rec.wait_for(lambda ev: scanner.state == DeviceState.IDLE)
    return scanner, rec, sim.get_hardware(url)


def test_scan_from_the_simulator_arrives_as_one_event() -> None:
    scanner, rec, hw = _started("sim://barcode?suffix=crlf")
    try:
        hw.scan(RECEIPT)
        (scan,) = rec.wait_for(_scans)
        assert scan == Scan(raw=RECEIPT.encode(), text=RECEIPT, symbology="unknown", source="barcode")
    finally:
        scanner.stop()


def test_gbk_scanner_with_prefix_and_aim_ids_gives_clean_text_and_symbology() -> None:
    url = "sim://barcode?suffix=cr&prefix=%02&aim=1&encoding=gbk"
    scanner, rec, hw = _started(url)
    try:
        hw.scan("深圳市电费 0100123456", symbology="Code128")
        (scan,) = rec.wait_for(_scans)
        assert (scan.text, scan.symbology) == ("深圳市电费 0100123456", "Code128")
        assert scan.raw == "深圳市电费 0100123456".encode("gbk")
    finally:
        scanner.stop()


def test_honeywell_in_trigger_mode_reads_only_when_triggered_and_stops_on_request() -> None:
    url = "sim://barcode?model=honeywell&trigger=1&armed=0"
    scanner, rec, hw = _started(url)
    try:
        hw.scan(RECEIPT)  # lying on the dark scan window
        assert hw.held and not _scans(rec.events)
        scanner.arm(True).result(5)
        (scan,) = rec.wait_for(_scans)
        assert scan.text == RECEIPT
        assert H("16 54 0D") in hw.received
        scanner.arm(False).result(5)
        assert hw.received[-1] == H("16 55 0D") and not hw.lit
        hw.scan("SZ20261127000002")
        assert len(hw.held) == 1  # the dark scanner does not read it
    finally:
        scanner.stop()


def test_gm_module_reply_to_the_trigger_is_not_taken_for_data() -> None:
    url = "sim://barcode?model=gm&trigger=1"
    hw = sim.get_hardware(url)
    hw.scan(RECEIPT)  # held until the driver's trigger at start
    scanner, rec, _ = _started(url)
    try:
        (scan,) = rec.wait_for(_scans)
        assert scan.raw == RECEIPT.encode()  # no 02 00 00 01 00 33 31 in front
        assert H("7E 00 08 01 00 02 01 AB CD") in hw.received
        wait_until(lambda: scanner.health().counters.get("acks", 0) >= 1)
    finally:
        scanner.stop()


def test_scanner_comes_back_after_unplug_and_re_arms_its_trigger() -> None:
    url = "sim://barcode?model=honeywell&trigger=1"
    scanner, rec, hw = _started(url)
    try:
        triggers_before = hw.triggers
        hw.unplug()
        offline = rec.wait_for(lambda ev: [e.data for e in ev if e.kind == EventKind.STATE_CHANGED
                                           and e.data.state == DeviceState.OFFLINE])
        assert offline[0].error_code in (DeviceErrorCode.TRANSPORT_LOST, DeviceErrorCode.TRANSPORT_OPEN_FAILED)
        hw.scan(RECEIPT)  # held while the scanner is unplugged and dark
        hw.plug()
        (scan,) = rec.wait_for(_scans)
        assert scan.text == RECEIPT and hw.triggers > triggers_before
        assert scanner.state == DeviceState.IDLE and scanner.health().counters["disconnects"] >= 1
    finally:
        scanner.stop()


def test_line_noise_is_bounded_and_a_prefix_keeps_it_out_of_the_next_code() -> None:
    scanner, rec, hw = _started("sim://barcode?suffix=cr&prefix=%02")
    try:
        hw.garbage(b"\x00\xff" * 2500)  # a flaky cable: longer than any code, no suffix
        hw.scan("SZ20261127000003")
        (scan,) = rec.wait_for(_scans)
        assert scan.text == "SZ20261127000003"
        assert scanner.health().counters["overruns"] >= 1 and scanner.health().counters["noise_bytes"] > 0
    finally:
        scanner.stop()


# --- a real pseudo-terminal: the driver's serial path, unplugged and plugged back -------------------------------

class _Pty:
    """A pseudo-terminal behind a stable symlink, like udev's /dev/serial/by-id/... for a USB scanner."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master = -1
        self.plug()

    def plug(self) -> None:
        self.master, slave = os.openpty()
        name = os.ttyname(slave)
        os.close(slave)
        tmp = self.link.with_suffix(".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(name)
        tmp.replace(self.link)

    def unplug(self) -> None:
        os.close(self.master)
        self.master = -1
        self.link.unlink()

    def send(self, data: bytes) -> None:
        os.write(self.master, data)


def test_serial_scanner_over_a_real_pty_reads_and_survives_unplug(tmp_path: Path) -> None:
    pty = _Pty(tmp_path / "usb-scanner")
    scanner, rec = SerialScanner("barcode", f"serial://{pty.link}?suffix=crlf&encoding=gbk"), Recorder()
    scanner.subscribe(rec)
    scanner.start()
    try:
        rec.wait_for(lambda ev: scanner.state == DeviceState.IDLE)
        pty.send("燃气 88001234".encode("gbk") + b"\r\n")
        assert [s.text for s in rec.wait_for(_scans)] == ["燃气 88001234"]
        pty.unplug()
        rec.wait_for(lambda ev: scanner.state == DeviceState.OFFLINE)
        pty.plug()
        rec.wait_for(lambda ev: scanner.state == DeviceState.IDLE)
        pty.send(b"SZ20261127000004\r\n")
        assert [s.text for s in rec.wait_for(lambda ev: len(_scans(ev)) == 2 and _scans(ev))] == \
            ["燃气 88001234", "SZ20261127000004"]
    finally:
        scanner.stop()
        if pty.master >= 0:
            os.close(pty.master)
