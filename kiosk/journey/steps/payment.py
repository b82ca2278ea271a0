"""缴费: an order at the platform, its QR code on the screen, and waiting for the citizen's phone to pay.

The order is made when the screen shows and the wait ends when it goes (``leave`` sets the cancel event);
the calls block for bounded times, so they run on the executor and report back through the context.

Money and application are one transaction (issue 15): the plan puts this step after the review and right
before SUBMIT; the order goes into the kiosk's order ledger (``kiosk.orders``, durable) before its QR code
shows; once paid the journey moves on to SUBMIT at once (支付成功 on screen), which stores the application
with the order id. A session that ends with the order still open (idle, 退出办理, 首页) has it closed at
the platform first (``session_ending``): cancelled, or refunded when the money came; the citizen is told.
"""
from __future__ import annotations

import threading

from ...errors import KioskErrorCode, notice_for_kiosk
from ...orders import CANCELLED, OPEN, REFUNDED, settle
from ...platform.services import LinkError
from ..bill import is_bill, pay_bill
from ..events import JourneyEventKind
from ..plan import Step
from ..ports import Context
from ..session import Session
from ..table import Trigger
from .base import StepHandler


class PaymentStep(StepHandler):
    step = Step.PAYMENT

    def __init__(self) -> None:
        self._cancel = threading.Event()

    def enter(self, ctx: Context) -> None:
        self._start(ctx)

    def leave(self, ctx: Context) -> None:
        self._cancel.set()

    def refuses_back(self, ctx: Context) -> bool:
        """返回 once paid: refused with a message (the paid application is on its way to SUBMIT)."""
        if ctx.step == self.step and ctx.session.payment.status == "paid":
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.PAID_NO_BACK, level="info"), self.owner)
            return True
        return False

    def session_ending(self, ctx: Context) -> None:
        """The session is about to be wiped: its open order is closed at the platform (off the lock)."""
        session = ctx.session
        order_id = session.payment.order_id
        if not order_id or ctx.outbox.get(session.application_id) is not None:
            return  # no order, or the application carrying it is stored: the money is the application's
        order = ctx.outbox.orders.get(order_id)
        if order is not None and order.state == OPEN:
            ctx.run(self._close, ctx, order)

    def _close(self, ctx: Context, order) -> None:
        services = ctx.services
        if services is None:
            state = OPEN
        else:
            state = settle(ctx.outbox.orders, order, ctx.outbox.get, services.payments,
                           lambda event, **data: ctx.audit(event, **data))
        yuan = f"{order.amount_fen / 100:.2f}"
        if state == REFUNDED:
            notice = notice_for_kiosk(KioskErrorCode.PAYMENT_REFUNDED, yuan, level="info")
        elif state == CANCELLED:
            notice = notice_for_kiosk(KioskErrorCode.ORDER_CANCELLED, level="info")
        elif state == OPEN:
            notice = notice_for_kiosk(KioskErrorCode.ORDER_NOT_CLOSED, level="warning")
        else:
            return
        ctx.set_notice(notice, "money")

    def pay_again(self, ctx: Context) -> None:
        """A new QR code after the old one expired or the payment failed."""
        if ctx.step == self.step and not ctx.busy and ctx.session.payment.status != "paid":
            self._cancel.set()
            self._start(ctx)

    def simulate_pay(self, ctx: Context) -> None:
        """Demo: the citizen's phone pays the order shown (the reference platform's simulated payer)."""
        order, services = ctx.session.order, ctx.services
        if order is not None and services is not None:
            ctx.run(services.payments.simulate_pay, order)

    def _start(self, ctx: Context) -> None:
        self._cancel = threading.Event()
        ctx.set_busy(True)
        ctx.run(self._pay, ctx, ctx.session, self._cancel)

    def _pay(self, ctx: Context, session: Session, cancel: threading.Event) -> None:
        item = session.item
        if is_bill(item):
            return pay_bill(ctx, session, cancel, self.owner)
        services = ctx.services
        if item is None:
            ctx.set_busy(False)
            return
        if services is None:
            ctx.set_busy(False)
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.PLATFORM_UNREACHABLE, level="error"), self.owner)
            return
        pay = services.payments
        try:
            if item.fee.from_bill:
                bill = pay.lookup_bill(item, session.form.get("account_no", ""))
                amount: int | None = bill.amount_fen
                session.payment.bill_period, session.payment.bill_holder = bill.period, bill.holder_masked
            else:
                amount = pay.amount(item, session.form)
            if amount == 0:
                session.payment.status = "none"
                if ctx.step == self.step and session is ctx.session:  # nothing to pay (e.g. a free option):
                    ctx.advance(Trigger.NEXT)  # on at once, never a frame of 重新生成二维码
                else:
                    ctx.set_busy(False)
                return
            order = pay.create_order(session.application_id, item, session.form, expected_amount_fen=amount)
        except LinkError as exc:
            ctx.set_busy(False)
            ctx.set_notice(exc.notice(), self.owner)
            ctx.audit("payment_failed", code=int(exc.code))
            return
        try:
            ctx.outbox.orders.opened(order.order_id, session.application_id, order.amount_fen)
        except Exception:  # noqa: BLE001 - not kept durably: the QR must not show (nothing would refund it)
            ctx.run(services.payments.cancel, order.order_id)
            ctx.set_busy(False)
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.PAYMENT_FAILED, level="error"), self.owner)
            return
        session.order = order
        p = session.payment
        p.order_id, p.amount_fen, p.status = order.order_id, order.amount_fen, order.status
        p.qr_payload, p.expires_at = order.qr_payload, order.expires_at
        ctx.audit("payment_order", order=order.order_id, amount_fen=order.amount_fen)
        ctx.clear_notice(self.owner)
        ctx.emit(JourneyEventKind.UPDATE)  # the code first, then not busy: no flash of 重新生成二维码 between
        ctx.set_busy(False)
        try:
            final = pay.wait_paid(order.order_id, cancel=cancel)
        except LinkError as exc:
            if not cancel.is_set():
                ctx.set_notice(exc.notice(), self.owner)
            return
        if cancel.is_set() or session is not ctx.session:
            return
        p.status = final.status
        ctx.emit(JourneyEventKind.UPDATE)
        if final.status == "paid":
            ctx.audit("paid", order=final.order_id)
            if ctx.step == self.step:
                ctx.fire(Trigger.NEXT)  # SUBMIT: the application is stored with the paid order at once
                ctx.set_notice(notice_for_kiosk(KioskErrorCode.PAYMENT_DONE, f"{final.amount_fen / 100:.2f}",
                                                level="info"), "submit")
        elif final.status == "expired":
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.PAYMENT_EXPIRED, level="warning"), self.owner)
