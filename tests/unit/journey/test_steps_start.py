"""The journey's first steps on fake ports (catalog, guide, identify, form, materials, sign): enter/leave,
their actions, and the defects the old shape had."""
from __future__ import annotations

import numpy as np

from devices.base import DeviceState, EventKind
from devices.errors import DeviceErrorCode
from devices.idcard.synthetic import IDENTITIES
from kiosk.errors import KioskErrorCode
from kiosk.journey import JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.platform.services import SharedData
from tests.unit.journey.drive import (CERT, FEE, SIGNATURE, a_page, read_card, to_form, to_identify, to_materials,
                                     to_sign)


# ----- catalog and guide --------------------------------------------------------------------------
def test_an_unknown_item_is_explained_and_nothing_moves(rig):
    rig.j.wake()
    rig.j.open_catalog()
    rig.j.choose_item("999999999999")
    assert rig.j.step == Step.CATALOG and rig.j.notice.code == KioskErrorCode.UNKNOWN_ITEM


def test_choosing_an_item_begins_a_new_session_with_its_plan(rig):
    rig.j.wake()
    rig.j.open_catalog()
    old = rig.j.session
    rig.j.choose_item(CERT)
    assert rig.j.step == Step.GUIDE and rig.j.session is not old
    assert rig.j.plan[:4] == [Step.GUIDE, Step.IDENTIFY, Step.FORM, Step.MATERIALS]
    assert rig.audited("item")[0]["code"] == CERT


def test_an_item_cannot_be_swapped_in_the_middle_of_an_application(rig):
    to_form(rig)
    session = rig.j.session
    rig.j.choose_item(FEE)
    assert rig.j.step == Step.FORM and rig.j.session is session and session.item.code == CERT


# ----- identify -----------------------------------------------------------------------------------
def test_the_reader_is_armed_only_while_the_card_screen_shows(rig):
    to_identify(rig)
    assert rig.reader.armed
    rig.j.back()
    assert rig.j.step == Step.GUIDE and not rig.reader.armed


def test_a_reader_fault_notice_goes_when_the_reader_is_back(rig):
    """Defect: error 1001 stayed on screen after the reader recovered (the notice had no device)."""
    rig.reader.state = DeviceState.OFFLINE
    to_identify(rig)
    assert rig.j.notice is not None and rig.j.notice.device == "idcard"
    rig.devices.set_health("idcard", DeviceState.IDLE)
    assert rig.j.notice is None


def test_a_fault_of_a_device_this_screen_does_not_use_leaves_its_notice_alone(rig):
    to_identify(rig)
    rig.j.call_help()
    rig.devices.set_health("printer", DeviceState.ERROR, int(DeviceErrorCode.PRINTER_OFFLINE))
    rig.devices.set_health("idcard", DeviceState.IDLE)  # the reader is fine: not its notice to clear
    assert rig.j.notice.code == KioskErrorCode.HELP_REQUESTED


def test_an_expired_card_is_refused_and_not_kept(rig):
    to_identify(rig)
    card = IDENTITIES["graduate"]
    import dataclasses
    import datetime as dt

    old = dataclasses.replace(card, valid_until=dt.date(2020, 1, 1))
    rig.devices.emit("idcard", EventKind.CARD_READ, old)
    assert rig.j.notice.code == KioskErrorCode.CARD_EXPIRED and rig.j.session.card is None
    assert rig.executor.queue == []  # nothing asked of the platform


def test_a_card_read_asks_data_sharing_then_prefills_the_form(rig):
    to_identify(rig)
    rig.devices.emit("idcard", EventKind.CARD_READ, IDENTITIES["graduate"])
    assert rig.j.busy and rig.j.step == Step.IDENTIFY  # sharing runs in the background
    rig.run()
    assert rig.j.step == Step.FORM and not rig.j.busy
    assert rig.j.session.form["name"] == IDENTITIES["graduate"].name
    assert rig.services.sharing.asked == [IDENTITIES["graduate"].id_number[-4:]]


def test_sharing_offline_says_so_and_goes_on_with_the_card(rig):
    rig.services.sharing.shared = SharedData.offline("down")
    to_identify(rig)
    read_card(rig)
    assert rig.j.step == Step.FORM and rig.j.notice.code == KioskErrorCode.SHARING_UNAVAILABLE


def test_a_card_read_opens_a_citizen_session_that_sharing_uses_and_the_session_end_closes(rig):
    to_identify(rig)
    read_card(rig)
    sid = rig.j.session.citizen_session
    assert rig.services.citizens.opened == [sid] and rig.services.sharing.sessions == [sid]
    rig.j.cancel()  # the journey's session ends: _new_session closes the citizen session at the platform
    rig.run()
    assert rig.services.citizens.closed == [sid] and rig.j.session.citizen_session == ""


def test_no_citizen_session_goes_on_with_the_card_as_when_sharing_is_offline(rig):
    rig.services.citizens.available = False  # platform offline, or refusing (rate limit)
    to_identify(rig)
    read_card(rig)
    assert rig.j.step == Step.FORM and rig.j.notice.code == KioskErrorCode.SHARING_UNAVAILABLE
    assert rig.services.sharing.asked == [] and rig.j.session.form["name"] == IDENTITIES["graduate"].name


def test_a_card_read_after_the_session_ended_is_dropped(rig):
    to_identify(rig)
    rig.devices.emit("idcard", EventKind.CARD_READ, IDENTITIES["graduate"])
    rig.j.cancel()
    rig.run()
    assert rig.j.step == Step.HOME and rig.j.session.form == {} and not rig.j.busy


# ----- form ---------------------------------------------------------------------------------------
def test_a_missing_field_is_named_and_the_form_stays(rig):
    to_form(rig)
    errors = rig.j.submit_form()
    assert [e.field for e in errors] == ["phone", "purpose"]
    assert rig.j.step == Step.FORM and rig.j.notice.field == "phone"
    rig.j.set_field("phone", "13800138000")  # the field the message was about: the message goes
    assert rig.j.notice is None


def test_a_read_only_field_cannot_be_changed(rig):
    to_form(rig)
    name = rig.j.session.form["name"]
    rig.j.set_field("name", "别人")
    assert rig.j.session.form["name"] == name


# ----- materials ----------------------------------------------------------------------------------
def test_the_materials_screen_is_built_on_the_first_material(rig):
    """Defect: the screen was announced before the index was reset (拍摄材料（0/0）, an empty name)."""
    seen = []
    rig.j.subscribe(lambda e: seen.append(rig.j.current_material()) if e.kind == JourneyEventKind.STEP
                    and e.data == Step.MATERIALS else None)
    to_materials(rig)
    assert seen and seen[0] is not None and seen[0].id == rig.j.capture_list()[0].id
    assert rig.j.material_index == 0


def test_the_next_citizen_starts_at_the_first_material_again(rig):
    to_materials(rig)
    rig.j.session.material_index = 1  # the last citizen had moved on
    rig.j.cancel()
    assert rig.j.material_index == 0 and rig.j.session.pages == {}


def test_back_from_the_signature_shows_a_material_the_pages_are_filed_under(rig):
    to_materials(rig)
    rig.j.capture_page()
    rig.camera.pending[-1].set_result(a_page())
    rig.run()
    first = rig.j.current_material()
    assert rig.j.session.page_count(first.id) == 1
    while rig.j.step == Step.MATERIALS:
        rig.j.material_done()
    assert rig.j.step == Step.SIGN
    rig.j.back()
    assert rig.j.step == Step.MATERIALS and rig.j.current_material() is not None
    assert rig.j.current_material().id == rig.j.capture_list()[rig.j.material_index].id


def test_a_required_material_without_pages_is_named(rig):
    to_materials(rig)
    rig.j.material_done()
    assert rig.j.notice.code == KioskErrorCode.MATERIAL_MISSING and rig.j.step == Step.MATERIALS


def test_a_page_taken_when_the_session_ended_is_wiped_not_filed(rig):
    to_materials(rig)
    rig.j.capture_page()
    pending = rig.camera.pending[-1]
    old = rig.j.session
    rig.j.cancel()
    pending.set_result(a_page())
    rig.run()
    assert old.pages == {} and rig.j.session.pages == {} and not rig.j.busy


def test_a_page_with_nothing_on_it_is_refused_with_the_reason(rig):
    to_materials(rig)
    rig.j.capture_page()
    rig.camera.pending[-1].set_result(np.full((1080, 1440, 3), 40, np.uint8))
    rig.run()
    assert rig.j.notice.code == KioskErrorCode.CAPTURE_NO_PAGE and rig.j.session.page_count() == 0


# ----- sign ---------------------------------------------------------------------------------------
def test_an_empty_signature_is_refused_and_a_real_one_kept_as_png(rig):
    to_sign(rig)
    assert rig.j.sign([], 300, 100) is False and rig.j.notice.code == KioskErrorCode.SIGNATURE_EMPTY
    assert rig.j.step == Step.SIGN
    assert rig.j.sign(SIGNATURE, 300, 100) is True and rig.j.step != Step.SIGN
    assert bytes(rig.j.session.signature[:4]) == b"\x89PNG"
