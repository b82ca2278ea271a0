"""Each step of the journey on fake ports: enter/leave, its actions, and the defects the old shape had."""
from __future__ import annotations

import numpy as np

from devices.base import DeviceState, EventKind
from devices.errors import DeviceErrorCode
from devices.idcard.synthetic import IDENTITIES
from kiosk.errors import KioskErrorCode
from kiosk.journey import JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.journey.steps.end import END_S
from kiosk.outbox import OutboxState
from kiosk.platform.schema import StatusResponse
from kiosk.platform.services import LinkError, SharedData

CERT = "312000218000"  # 无犯罪记录证明: identify, form, materials, sign, delivery ...
FEE = "910000004000"  # 机动车驾驶证补领: ￥10
SIGNATURE = [[(20.0 + 6 * i, 60.0 + (-1) ** i * 25) for i in range(30)]]


def to_identify(rig, code=CERT):
    j = rig.j
    j.wake()
    j.open_catalog()
    j.choose_item(code)
    j.start_item()
    assert j.step == Step.IDENTIFY


def read_card(rig, who="graduate"):
    rig.devices.emit("idcard", EventKind.CARD_READ, IDENTITIES[who])
    rig.run()


def to_form(rig, code=CERT):
    to_identify(rig, code)
    read_card(rig)
    assert rig.j.step == Step.FORM


def to_materials(rig):
    to_form(rig)
    rig.j.set_field("phone", "13800138000")
    rig.j.set_field("purpose", "employment")
    assert rig.j.submit_form() == []
    assert rig.j.step == Step.MATERIALS


def a_page() -> np.ndarray:
    """A white A4 sheet with text lines on a dark desk, as the camera would give it."""
    import cv2

    img = np.full((1080, 1440, 3), 40, np.uint8)
    cv2.rectangle(img, (420, 90), (1020, 940), (245, 245, 245), -1)
    for row in range(12):
        cv2.putText(img, "Test page line %d" % row, (460, 160 + 60 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.9,
                    (30, 30, 30), 2)
    return img


# ----- catalog and guide -----------------------------------------------------------------------------
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


# ----- identify --------------------------------------------------------------------------------------
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


# ----- form ------------------------------------------------------------------------------------------
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


# ----- materials -------------------------------------------------------------------------------------
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


# ----- sign ------------------------------------------------------------------------------------------
def to_sign(rig):
    to_materials(rig)
    rig.j.capture_page()
    rig.camera.pending[-1].set_result(a_page())
    rig.run()
    while rig.j.step == Step.MATERIALS:
        rig.j.material_done()
    assert rig.j.step == Step.SIGN


def test_an_empty_signature_is_refused_and_a_real_one_kept_as_png(rig):
    to_sign(rig)
    assert rig.j.sign([], 300, 100) is False and rig.j.notice.code == KioskErrorCode.SIGNATURE_EMPTY
    assert rig.j.step == Step.SIGN
    assert rig.j.sign(SIGNATURE, 300, 100) is True and rig.j.step != Step.SIGN
    assert bytes(rig.j.session.signature[:4]) == b"\x89PNG"


def to_review(rig):
    to_sign(rig)
    rig.j.sign(SIGNATURE, 300, 100)
    if rig.j.step == Step.DELIVERY:
        rig.j.choose_delivery("pickup")
        rig.j.delivery_done()
    assert rig.j.step == Step.REVIEW


# ----- delivery --------------------------------------------------------------------------------------
def test_delivery_is_prefilled_and_express_needs_every_detail(rig):
    to_sign(rig)
    rig.j.sign(SIGNATURE, 300, 100)
    assert rig.j.step == Step.DELIVERY
    d = rig.j.session.delivery
    assert d.recipient == IDENTITIES["graduate"].name and d.phone == "13800138000"
    assert d.address  # from shared data (the residence), split from its region
    rig.j.choose_delivery("express", phone="123")
    rig.j.delivery_done()
    assert rig.j.step == Step.DELIVERY and rig.j.notice.code == KioskErrorCode.DELIVERY_INCOMPLETE
    rig.j.choose_delivery("express", phone="13800138000")
    rig.j.delivery_done()
    assert rig.j.step == Step.REVIEW


# ----- submit, result, receipt -----------------------------------------------------------------------
def test_only_the_citizens_confirm_or_payment_leads_to_storing(rig):
    """Defect: SUBMIT could be entered by any navigation (goto) and submitted as a side effect. Now the table
    leads into SUBMIT only from the step before it in the plan (the review, or the payment once paid: see
    test_submit_is_reached_only_from_review_or_a_landed_payment), and nothing is stored before that."""
    to_review(rig)
    assert rig.outbox.records == {}
    rig.j.confirm()
    assert rig.j.step == Step.SUBMIT and rig.j.busy
    rig.run()
    assert list(rig.outbox.records) == [rig.j.session.application_id] and rig.outbox.kicks == 1
    assert rig.j.session.outcome.local_number == "L000001"


def test_the_platforms_answer_reaches_the_result_by_the_outbox(rig):
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id, reference="SZ2026120500042", status="approved")
    out = rig.j.session.outcome
    assert rig.j.step == Step.RESULT and out.reference == "SZ2026120500042" and out.status == "approved"
    assert not rig.j.busy and len(rig.audited("submitted")) == 1
    rig.outbox.deliver(rig.j.session.application_id, status="received")  # a late duplicate changes nothing
    assert out.status == "approved" and len(rig.audited("submitted")) == 1


def test_a_refused_application_is_said_on_the_result(rig):
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id, state=OutboxState.REJECTED)
    assert rig.j.step == Step.RESULT and rig.j.notice.code == KioskErrorCode.SUBMIT_REJECTED


def test_no_answer_in_time_tells_the_citizen_it_will_be_sent_later(rig):
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.clock.advance(rig.settings.platform.submit_wait_s - 0.5)
    rig.j.tick()
    assert rig.j.step == Step.SUBMIT
    rig.clock.advance(1.0)
    rig.j.tick()
    assert rig.j.step == Step.RESULT and rig.j.session.outcome.status == "queued"
    assert rig.j.notice.code == KioskErrorCode.SUBMIT_QUEUED
    rig.outbox.deliver(rig.j.session.application_id)  # arriving later changes the screen no more
    assert rig.j.step == Step.RESULT and rig.j.session.outcome.status == "queued"


def test_the_submit_screen_never_times_out_while_storing(rig):
    to_review(rig)
    rig.j.confirm()
    rig.clock.advance(10 * rig.j.idle_timeout_s())
    rig.j.tick()
    assert rig.j.step == Step.SUBMIT and rig.j.session.item is not None


def test_the_receipt_prints_when_the_citizen_goes_on_not_on_arrival(rig):
    """Defect: entering RECEIPT printed, as a side effect of navigation."""
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id)
    rig.j.proceed()
    assert rig.j.step == Step.RECEIPT
    # No printer among the fake devices: the citizen is told, the application is safe.
    assert rig.j.notice.code == KioskErrorCode.RECEIPT_NOT_PRINTED
    rig.j.finish()
    assert rig.j.step == Step.END


# ----- payment ---------------------------------------------------------------------------------------
def to_payment(rig):
    to_form(rig, FEE)
    j = rig.j
    j.set_field("phone", "13800138000")
    j.set_field("declaration", "true")
    assert j.submit_form() == []
    while j.step == Step.MATERIALS:
        j.capture_page()
        rig.camera.pending[-1].set_result(a_page())
        rig.run()
        j.material_done()
    j.sign(SIGNATURE, 300, 100)
    if j.step == Step.DELIVERY:
        j.choose_delivery("pickup")
        j.delivery_done()
    assert j.step == Step.REVIEW and rig.services.payments.orders == []  # nothing charged before the review
    j.confirm()
    assert j.step == Step.PAYMENT and j.busy


def test_payment_makes_an_order_on_arrival_and_goes_on_when_paid(rig):
    to_payment(rig)
    rig.run()
    assert rig.services.payments.orders == [rig.j.session.application_id]
    assert rig.j.session.payment.status == "paid" and rig.j.step == Step.SUBMIT


def test_leaving_the_payment_screen_stops_waiting_for_the_phone(rig):
    rig.services.payments.final_status = "pending"
    to_payment(rig)
    rig.run()
    cancel = rig.services.payments.waits[-1]
    assert rig.j.step == Step.PAYMENT and not cancel.is_set()
    rig.j.back()
    assert cancel.is_set() and rig.j.step == Step.REVIEW


def test_nothing_to_pay_skips_the_payment_screen(rig):
    rig.services.payments.amount_fen = 0
    to_payment(rig)
    rig.run()
    assert rig.services.payments.orders == [] and rig.j.step == Step.SUBMIT


# ----- status ----------------------------------------------------------------------------------------
def test_status_is_asked_through_the_status_service(rig):
    rig.services.status.answer = StatusResponse(reference="SZ2026120500042", item_code=CERT, status="approved")
    rig.j.wake()
    rig.j.open_status()
    rig.j.query_status("sz2026120500042")
    rig.run()
    assert rig.services.status.asked == ["SZ2026120500042"] and rig.services.status.sessions == [None]
    assert rig.j.status_result["status"] == "approved" and rig.j.status_result["item"].code == CERT


def test_a_malformed_number_is_refused_before_asking_and_an_unknown_one_said(rig):
    rig.j.wake()
    rig.j.open_status()
    rig.j.query_status("12; DROP TABLE")
    assert rig.j.notice.code == KioskErrorCode.STATUS_BAD_NUMBER and rig.services.status.asked == []
    rig.services.status.error = LinkError(KioskErrorCode.STATUS_NOT_FOUND, "404")
    rig.j.query_status("SZ2026120500999")
    rig.run()
    assert rig.j.notice.code == KioskErrorCode.STATUS_NOT_FOUND and rig.j.status_result == {}


def test_a_local_number_is_asked_only_with_the_applicants_card(rig):
    rig.j.wake()
    rig.j.open_status()
    rig.j.query_status("SZ-DEMO-0001-20261205-0003")
    assert rig.j.notice.code == KioskErrorCode.STATUS_LOCAL_NEEDS_CARD and rig.services.status.asked == []
    rig.j.session.citizen_session = "S-OF-THE-CARD"  # what reading the applicant's card opens
    rig.services.status.answer = StatusResponse(reference="SZ2026120500042", item_code=CERT, status="under_review")
    rig.j.query_status("sz-demo-0001-20261205-0003")
    rig.run()
    assert rig.services.status.asked == ["SZ-DEMO-0001-20261205-0003"]
    assert rig.services.status.sessions == ["S-OF-THE-CARD"] and rig.j.status_result["status"] == "under_review"


# ----- end and idle ----------------------------------------------------------------------------------
def test_the_goodbye_screen_wipes_the_session_after_a_few_seconds(rig):
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id)
    rig.j.finish()
    assert rig.j.step == Step.END
    session = rig.j.session
    rig.clock.advance(END_S + 0.1)
    rig.j.tick()
    assert rig.j.step == Step.ATTRACT and session.card is None and session.pages == {}


def test_idle_warning_then_wipe(rig):
    to_form(rig)
    j = rig.j
    rig.clock.advance(j.idle_timeout_s() - 5)
    j.tick()
    assert j.countdown == 5
    j.touch()
    assert j.countdown is None
    rig.clock.advance(j.idle_timeout_s() + 1)
    j.tick()
    assert j.step == Step.ATTRACT and j.session.item is None and rig.audited("idle_timeout")


def test_the_printed_receipts_bytes_leave_memory_with_the_citizen(rig):
    from kiosk.printing.receipt import SentJob

    journal = rig.j.print_journal()
    journal.sent(SentJob("receipt-x", b"\x1b@masked receipt"))
    assert journal.last_sent("receipt-x") is not None
    rig.j.wake()
    rig.j.open_catalog()
    rig.j.choose_item(CERT)  # a new citizen's session begins
    assert journal.last_sent("receipt-x") is None


def test_a_card_on_the_status_screen_opens_a_session_the_query_is_asked_in(rig):
    rig.services.status.answer = StatusResponse(reference="SZ2026120500042", item_code=CERT, status="approved")
    rig.j.wake()
    rig.j.open_status()
    read_card(rig, "dishonest")
    sid = rig.j.session.citizen_session
    assert sid and rig.services.citizens.opened == [sid]
    rig.j.query_status("SZ2026120500042")
    rig.run()
    assert rig.services.status.sessions == [sid]



def test_a_new_status_query_clears_the_previous_answer_at_once(rig):
    rig.services.status.answer = StatusResponse(reference="SZ2026120500042", item_code=CERT, status="approved")
    rig.j.wake()
    rig.j.open_status()
    rig.j.query_status("SZ2026120500042")
    rig.run()
    assert rig.j.status_result["status"] == "approved"
    rig.services.status.error = LinkError(KioskErrorCode.STATUS_NOT_FOUND, "404")
    rig.j.query_status("SZ2026120500999")
    assert rig.j.status_result == {}  # before the answer: the old result is not shown under the new number
    rig.run()
    assert rig.j.status_result == {} and rig.j.notice.code == KioskErrorCode.STATUS_NOT_FOUND


def test_submit_is_reached_only_from_review_or_a_landed_payment(rig):
    from kiosk.journey.plan import plan_steps
    from kiosk.journey.table import TABLE

    assert not hasattr(rig.j, "goto")  # no navigation around the table
    direct = [(t, sources) for t, sources, target in TABLE if target == Step.SUBMIT]
    assert direct == []  # only along an item's plan (Trigger.NEXT), from the step before it
    for item in rig.catalog:
        plan = plan_steps(item)
        if Step.SUBMIT in plan:
            assert plan[plan.index(Step.SUBMIT) - 1] in (Step.REVIEW, Step.PAYMENT), item.code
