"""The real driver against the byte-exact simulator: events, faults, unplug and replug."""
from __future__ import annotations

import dataclasses

import pytest

from devices import sim
from devices.base import DeviceState, EventKind
from devices.errors import DeviceErrorCode
from devices.idcard import IdCardReader
from devices.idcard.synthetic import IDENTITIES
from tests.helpers.fakes import Recorder

URL = "sim://idcard"


@pytest.fixture
def reader():
    r = IdCardReader("idcard", URL, {"poll_interval_s": 0.02})
    rec = Recorder()
    r.subscribe(rec)
    r.start()
    rec.wait_for(lambda ev: r.state == DeviceState.IDLE)
    yield r, rec, sim.get_hardware(URL)
    r.stop()


def of(kind):
    return lambda events: [e for e in events if e.kind == kind]


def test_an_armed_reader_reads_a_placed_card_and_reports_its_removal(reader):
    r, rec, hw = reader
    r.arm()
    hw.place_card("graduate")
    read = rec.wait_for(of(EventKind.CARD_READ))[0]
    assert read.data == IDENTITIES["graduate"]
    assert rec.kinds().index(EventKind.CARD_PLACED) < rec.kinds().index(EventKind.CARD_READ)
    hw.remove_card()
    rec.wait_for(of(EventKind.CARD_REMOVED))
    assert r.health().counters["cards_read"] == 1


def test_a_disarmed_reader_sees_the_card_but_reads_no_personal_data(reader):
    r, rec, hw = reader
    hw.place_card("graduate")
    rec.wait_for(of(EventKind.CARD_PLACED))
    assert not of(EventKind.CARD_READ)(rec.events)
    assert not any(req[7:9] == b"\x30\x01" for req in hw.requests)


def test_card_removed_mid_read_is_a_user_error_and_the_next_card_reads(reader):
    r, rec, hw = reader
    r.arm()
    hw.set_fault("remove_mid_read")
    hw.place_card("graduate")
    err = rec.wait_for(of(EventKind.CARD_ERROR))[0]
    assert err.data.code == DeviceErrorCode.IDCARD_REMOVED_EARLY
    hw.place_card("elder")
    r.arm()
    assert rec.wait_for(of(EventKind.CARD_READ))[0].data.name == "王秀英"


def test_a_card_with_a_forged_number_is_refused_with_a_clear_code(reader):
    r, rec, hw = reader
    r.arm()
    hw.place_card(dataclasses.replace(IDENTITIES["standard"], id_number="110105194912310021"))
    err = rec.wait_for(of(EventKind.CARD_ERROR))[0]
    assert err.data.code == DeviceErrorCode.IDCARD_BAD_NUMBER


def test_unplug_goes_offline_and_replug_recovers_by_itself(reader):
    r, rec, hw = reader
    hw.unplug()
    rec.wait_for(lambda ev: r.state == DeviceState.OFFLINE)
    assert r.health().error_code in (DeviceErrorCode.TRANSPORT_LOST, DeviceErrorCode.TRANSPORT_OPEN_FAILED)
    hw.plug()
    rec.wait_for(lambda ev: r.state == DeviceState.IDLE and r.health().counters.get("opens", 0) >= 2)
    r.arm()
    hw.place_card("graduate")
    rec.wait_for(of(EventKind.CARD_READ))


def test_corrupted_frames_are_retried_then_escalate_to_a_protocol_error(reader):
    r, rec, hw = reader
    hw.set_fault("bad_checksum")
    rec.wait_for(lambda ev: r.state == DeviceState.ERROR and r.last_error.code == DeviceErrorCode.PROTOCOL)
    assert r.health().counters["retries"] >= 2
    assert r.health().counters["sam_resets"] >= 1
    hw.set_fault("none")
    rec.wait_for(lambda ev: r.state == DeviceState.IDLE)


def test_silence_times_out_and_garbage_never_escapes_as_anything_but_a_device_error(reader):
    r, rec, hw = reader
    r.command_timeout_s = 0.05
    hw.set_fault("garbage")
    rec.wait_for(lambda ev: r.state == DeviceState.ERROR)
    hw.set_fault("silence")
    rec.wait_for(lambda ev: r.state == DeviceState.ERROR and r.last_error.code == DeviceErrorCode.TIMEOUT)
    hw.set_fault("none")
    rec.wait_for(lambda ev: r.state == DeviceState.IDLE)


def test_a_failed_sam_self_test_is_a_reader_fault(reader):
    r, rec, hw = reader
    hw.set_fault("sam_fault")
    rec.wait_for(lambda ev: r.state == DeviceState.ERROR and r.last_error.code == DeviceErrorCode.IDCARD_SAM_FAULT)


def test_sam_id_is_reported_in_health(reader):
    r, rec, hw = reader
    assert r.health().info["sam_id"] == "05.01-20230101-012345678-087654321"
