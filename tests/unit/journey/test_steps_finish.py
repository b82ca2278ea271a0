"""The journey's last steps on fake ports (delivery, submit, result, receipt, payment, status, end, idle):
their actions, and the defects the old shape had."""
from __future__ import annotations

from kiosk.errors import KioskErrorCode
from kiosk.journey import JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.outbox import OutboxState
from kiosk.platform.schema import StatusResponse
from kiosk.platform.services import LinkError
from tests.unit.journey.drive import CERT, read_card, to_form, to_payment, to_review


# ----- delivery -----------------------------------------------------------------------------------
# (the delivery step's tests: test_delivery_address.py)


# ----- submit, result, receipt --------------------------------------------------------------------
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


def test_the_receipt_prints_on_the_receipt_screen_reached_only_from_the_result(rig):
    """The receipt prints as its screen shows (no 打印回执 tap needed, issue 17); the table leads there only
    from the result, so no other navigation prints."""
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


# ----- payment ------------------------------------------------------------------------------------
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


def test_nothing_to_pay_never_shows_the_payment_screen_freed(rig):
    """Freed before moving on, the payment screen was drawn for a frame without its busy state: an empty
    screen offering 重新生成二维码 (regenerate the QR) to a citizen who has nothing to pay."""
    seen: list[tuple[str, bool]] = []  # (step, busy) as a screen reads them at each STEP and BUSY
    rig.j.subscribe(lambda e: seen.append((rig.j.step.value, rig.j.busy))
                    if e.kind in (JourneyEventKind.STEP, JourneyEventKind.BUSY) else None)
    rig.services.payments.amount_fen = 0
    to_payment(rig)
    rig.run()
    assert ("payment", True) in seen and ("payment", False) not in seen, seen
    assert rig.j.step == Step.SUBMIT


# ----- status -------------------------------------------------------------------------------------
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


# ----- end and idle -------------------------------------------------------------------------------
def test_the_goodbye_screen_wipes_the_session_after_a_few_seconds(rig):
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id)
    rig.j.finish()
    assert rig.j.step == Step.END
    session = rig.j.session
    rig.clock.advance(rig.settings.idle.end_s + 0.1)
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


def test_a_card_on_the_status_screen_refused_by_the_platforms_limit_says_wait_not_unreachable(rig):
    """The platform answered 429 (its limit on this kiosk's look-ups): "cannot be reached" would be untrue;
    the citizen is told to wait a minute (seen: 12 offline receipts looked up in 4 s after the network came back)."""
    rig.services.citizens.available, rig.services.citizens.failure = False, "throttled"
    rig.j.wake()
    rig.j.open_status()
    read_card(rig, "dishonest")
    assert rig.j.notice.code == KioskErrorCode.LOOKUP_THROTTLED and "稍等一分钟" in rig.j.notice.text.zh
    rig.services.citizens.failure = "network"
    rig.j.open_status()
    read_card(rig, "dishonest")
    assert rig.j.notice.code == KioskErrorCode.PLATFORM_UNREACHABLE


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
