"""The real driver against the simulator over a real pseudo-terminal at 115200 baud, and over TCP.

The simulator runs on the pty's master in its own thread (``SamServer``) and sends its replies at the
wire speed of 115200 baud; the driver opens the slave through pyserial exactly as it opens a USB-serial
reader (``serial://<symlink>?baudrate=115200``; the symlink plays the udev rule's fixed name).
"""
from __future__ import annotations

import os

import pytest

from devices.base import DeviceState, EventKind
from devices.errors import DeviceErrorCode
from devices.idcard import IdCardReader
from devices.idcard import protocol as p
from devices.idcard.simserver import SamServer, new_simulator
from devices.idcard.synthetic import IDENTITIES
from tests.helpers.fakes import Recorder

BAUD = 115200


def of(kind):
    return lambda events: [e for e in events if e.kind == kind]


@pytest.fixture
def pty_reader(tmp_path):
    hw = new_simulator()
    server = SamServer(hw, pace_baud=BAUD).start()
    link = str(tmp_path / "ttyIDCARD")
    server.open_pty(link)
    reader = IdCardReader("idcard", f"serial://{link}?baudrate={BAUD}", {"poll_interval_s": 0.05})
    rec = Recorder()
    reader.subscribe(rec)
    reader.start()
    rec.wait_for(lambda ev: reader.state == DeviceState.IDLE)
    yield reader, rec, hw, server
    reader.stop()
    server.stop()


def test_a_card_is_read_over_a_real_pty_at_115200_baud_in_about_its_wire_time(pty_reader):
    reader, rec, hw, server = pty_reader
    assert os.path.realpath(server.pty_link).startswith("/dev/pts/")
    reader.arm()
    hw.place_card("standard")
    card = rec.wait_for(of(EventKind.CARD_READ))[0].data
    assert card == IDENTITIES["standard"]
    placed = rec.wait_for(of(EventKind.CARD_PLACED))[0].at
    read = rec.wait_for(of(EventKind.CARD_READ))[0].at
    # select + read + appended-address replies really took their wire time (the pacing is real) ...
    assert read - placed >= p.wire_time_s(19 + 1295 + 11, BAUD) * 0.9
    # ... and not absurdly more (generous: the machine is shared)
    assert read - placed < 2.0


def test_line_noise_in_the_middle_of_a_read_reply_costs_one_retry_not_the_card(pty_reader):
    reader, rec, hw, _ = pty_reader
    hw.set_fault("noise_mid_read")
    reader.arm()
    hw.place_card("gat")
    assert rec.wait_for(of(EventKind.CARD_READ))[0].data == IDENTITIES["gat"]
    assert reader.health().counters["retries"] >= 1 and hw.fault == "none"


def test_garbage_instead_of_replies_is_a_device_error_and_the_reader_recovers_after(pty_reader):
    reader, rec, hw, _ = pty_reader
    reader.command_timeout_s = 0.1
    hw.set_fault("garbage")
    rec.wait_for(lambda ev: reader.state == DeviceState.ERROR)
    assert reader.last_error.code in (DeviceErrorCode.PROTOCOL, DeviceErrorCode.TIMEOUT)
    hw.set_fault("none")
    rec.wait_for(lambda ev: reader.state == DeviceState.IDLE)
    reader.arm()
    hw.place_card("elder")
    assert rec.wait_for(of(EventKind.CARD_READ))[0].data.name == "王秀英"


def test_a_card_removed_mid_read_is_reported_to_the_citizen_and_the_next_placement_reads(pty_reader):
    reader, rec, hw, _ = pty_reader
    hw.set_fault("remove_mid_read")
    reader.arm()
    hw.place_card("graduate")
    err = rec.wait_for(of(EventKind.CARD_ERROR))[0].data
    assert err.code == DeviceErrorCode.IDCARD_REMOVED_EARLY
    rec.wait_for(of(EventKind.CARD_REMOVED))
    hw.place_card("graduate")
    assert rec.wait_for(of(EventKind.CARD_READ))[0].data == IDENTITIES["graduate"]


def test_unplugging_the_pty_goes_offline_and_plugging_it_back_reads_again(pty_reader):
    reader, rec, hw, server = pty_reader
    first_pty = os.path.realpath(server.pty_link)
    hw.unplug()
    rec.wait_for(lambda ev: reader.state == DeviceState.OFFLINE)
    assert reader.health().error_code in (DeviceErrorCode.TRANSPORT_LOST, DeviceErrorCode.TRANSPORT_OPEN_FAILED)
    assert not os.path.exists(server.pty_link)
    hw.plug()
    rec.wait_for(lambda ev: reader.state == DeviceState.IDLE and reader.health().counters.get("opens", 0) >= 2)
    assert os.path.exists(server.pty_link)  # a fresh pty behind the same name, like a re-enumerated adapter
    reader.arm()
    hw.place_card("hui")
    assert rec.wait_for(of(EventKind.CARD_READ))[0].data.nation == "回"
    assert first_pty.startswith("/dev/pts/")


def test_the_driver_reads_over_tcp_and_comes_back_after_the_connection_is_dropped():
    hw = new_simulator("card=foreign_2023")
    with SamServer(hw) as server:
        port = server.listen_tcp("127.0.0.1", 0)
        reader = IdCardReader("idcard", f"socket://127.0.0.1:{port}", {"poll_interval_s": 0.05})
        rec = Recorder()
        reader.subscribe(rec)
        reader.start()
        try:
            reader.arm()
            assert rec.wait_for(of(EventKind.CARD_READ))[0].data == IDENTITIES["foreign_2023"]
            hw.unplug()
            rec.wait_for(lambda ev: reader.state == DeviceState.OFFLINE)
            hw.plug()
            rec.wait_for(lambda ev: reader.state == DeviceState.IDLE and reader.health().counters["opens"] >= 2)
        finally:
            reader.stop()
