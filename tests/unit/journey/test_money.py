"""Issue 15, items 1 and 8: a session with a payment order never ends silently, and the order is review → pay
→ submit with a clear 支付成功. On fake ports (the platform's side: tests/integration/test_central_refunds.py)."""
from __future__ import annotations

import pytest

from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from kiosk.orders import CANCELLED, OPEN, REFUNDED, SUBMITTED, OrderLedger, settle_open
from kiosk.outbox import Outbox
from kiosk.platform.services import LinkError
from tests.unit.journey.drive import to_payment


def order_state(rig) -> str:
    return rig.outbox.orders.get(rig.j.session.payment.order_id or "P1").state


def waiting_for_the_phone(rig):
    rig.services.payments.final_status = "pending"
    to_payment(rig)
    rig.run()
    assert rig.j.step == Step.PAYMENT and rig.j.session.payment.order_id == "P1"
    assert rig.outbox.orders.get("P1").state == OPEN  # kept durably before the QR code showed


def test_paid_goes_straight_to_submit_with_the_order_and_says_payment_succeeded(rig):
    to_payment(rig)
    rig.run()
    assert rig.j.step == Step.SUBMIT
    assert rig.j.notice.code == KioskErrorCode.PAYMENT_DONE and "支付成功" in rig.j.notice.text.zh
    app_id = rig.j.session.application_id
    assert rig.outbox.packages[app_id].manifest["payment"]["order_id"] == "P1"  # one transaction
    assert order_state(rig) == SUBMITTED


def test_back_after_paying_is_refused_with_a_message_and_the_payment_kept(rig):
    waiting_for_the_phone(rig)
    rig.j.session.payment.status = "paid"  # the phone paid; the journey has not moved on yet
    rig.j.back()
    assert rig.j.step == Step.PAYMENT and rig.j.notice.code == KioskErrorCode.PAID_NO_BACK
    assert rig.j.session.payment.order_id == "P1"


@pytest.mark.parametrize("how", ["idle", "cancel"])  # 首页 in the header is cancel() too (退出办理)
def test_a_session_ending_with_an_unpaid_order_cancels_it_first_and_says_so(rig, how):
    waiting_for_the_phone(rig)
    if how == "idle":
        rig.clock.advance(rig.settings.idle.timeout_s + 1)
        rig.j.tick()
        assert rig.j.step == Step.ATTRACT
    else:
        rig.j.cancel()
        assert rig.j.step == Step.HOME
    rig.run()
    assert rig.services.payments.closed == ["P1"]
    assert rig.outbox.orders.get("P1").state == CANCELLED
    assert rig.j.notice.code == KioskErrorCode.ORDER_CANCELLED and "订单已取消" in rig.j.notice.text.zh
    assert [d["order"] for d in rig.audited("order_cancelled")] == ["P1"]


def test_money_paid_before_leaving_the_review_is_refunded_and_the_citizen_told(rig):
    waiting_for_the_phone(rig)
    rig.j.back()  # to the review; the phone pays meanwhile
    assert rig.j.step == Step.REVIEW
    rig.services.payments.close_status = "refunded"
    rig.j.cancel()
    rig.run()
    assert rig.outbox.orders.get("P1").state == REFUNDED and rig.outbox.records == {}
    assert rig.j.notice.code == KioskErrorCode.PAYMENT_REFUNDED and "已退款" in rig.j.notice.text.zh
    assert "10.00" in rig.j.notice.text.zh


def test_an_order_that_cannot_be_closed_now_stays_open_for_the_next_start(rig):
    waiting_for_the_phone(rig)
    rig.services.payments.close_error = LinkError(KioskErrorCode.PLATFORM_UNREACHABLE, "offline")
    rig.j.cancel()
    rig.run()
    assert rig.outbox.orders.get("P1").state == OPEN
    assert rig.j.notice.code == KioskErrorCode.ORDER_NOT_CLOSED
    assert rig.audited("order_close_failed")


def test_the_end_of_a_submitted_session_leaves_its_paid_order_alone(rig):
    to_payment(rig)
    rig.run()
    rig.j.session.outcome.decided = True
    rig.j.end_session()
    rig.run()
    assert rig.services.payments.closed == [] and rig.outbox.orders.get("P1").state == SUBMITTED


def test_at_start_paid_but_unsubmitted_orders_are_refunded_after_a_power_loss(tmp_path):
    """A crash between paying and storing the application: the ledger survives it, the kiosk refunds."""
    box = Outbox(tmp_path, "K-TEST", key=bytes(32))
    box.orders.opened("PO-LOST", "app-lost", 1000)
    box.orders.opened("PO-SENT", "app-sent", 1000)
    box.enqueue("app-sent", "910000004000", {"application_id": "app-sent"}, {})
    box.close()  # the power goes
    box = Outbox(tmp_path, "K-TEST", key=bytes(32))
    audit: list[tuple[str, dict]] = []

    class Platform:
        asked: list[str] = []

        def refund(self, order_id):
            self.asked.append(order_id)
            return type("O", (), {"status": "refunded"})()

    platform = Platform()
    result = settle_open(box.orders, box.get, platform, lambda e, **d: audit.append((e, d)))
    assert result == {"PO-LOST": REFUNDED, "PO-SENT": SUBMITTED} and platform.asked == ["PO-LOST"]
    assert ("order_refunded", {"order": "PO-LOST", "amount_fen": 1000}) in audit
    assert box.orders.open_orders() == []
    box.close()


def test_the_ledger_keeps_one_row_per_order():
    ledger = OrderLedger.in_memory()
    ledger.opened("P1", "a", 1000)
    ledger.opened("P1", "a", 1000)
    assert len(ledger.open_orders()) == 1
