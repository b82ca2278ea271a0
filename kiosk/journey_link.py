"""The journey's work with the platform's services: data sharing when the card is read (减材料), and the
payment step (order, QR code, waiting for the citizen's phone to pay).

Service calls block for a bounded time, so they run on the journey's executor and report back through
the journey's events. Without a platform link (offline tools, some tests) sharing falls back to the card's
data and payment says the platform cannot be reached.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from . import forms
from .errors import KioskErrorCode, notice_for_kiosk
from .services import LinkError, SharedData, plan_materials
from .steps import Step

if TYPE_CHECKING:
    from .journey import Journey
    from .session import Session

log = logging.getLogger(__name__)


class LinkWork:
    def __init__(self, journey: "Journey") -> None:
        self.j = journey
        self._pay_cancel = threading.Event()
        self._order: Any = None

    # ----- data sharing -------------------------------------------------------------------------
    def fetch_shared(self, session: "Session", card: Any) -> None:
        j = self.j
        item = session.item
        try:
            services = j.services
            shared = services.sharing.fetch(card.id_number, item, name=card.name) if services is not None \
                else SharedData.offline("no platform link")
        except Exception:  # never strand the citizen on the identify screen
            log.exception("data sharing failed")
            shared = SharedData.offline("error")
        if session is not j.session or item is None:
            return  # the session ended while we asked
        session.shared = dict(shared.values)
        session.material_plan = plan_materials(item, shared)
        session.form = forms.prefill(item, card, session.shared)
        j.audit("shared_data", online=shared.online, values=len(shared.values),
                held=[m.id for m, _ in session.material_plan.held])
        j.replan()
        j.set_busy(False)
        j.next_step()
        if not shared.online:
            j.set_notice(notice_for_kiosk(KioskErrorCode.SHARING_UNAVAILABLE, level="info"))

    # ----- payment ------------------------------------------------------------------------------
    def start_payment(self) -> None:
        self._pay_cancel = threading.Event()
        self.j.set_busy(True)
        self.j.executor.submit(self._pay, self.j.session, self._pay_cancel)

    def stop_payment(self) -> None:
        self._pay_cancel.set()

    def simulate_pay(self) -> None:
        """Demo: the citizen's phone pays the order shown (the reference platform's simulated payer)."""
        order, services = self._order, self.j.services
        if order is not None and services is not None:
            self.j.executor.submit(services.payments.simulate_pay, order)

    def _pay(self, session: "Session", cancel: threading.Event) -> None:
        j = self.j
        item = session.item
        services = j.services
        if item is None:
            return
        if services is None:
            j.set_busy(False)
            j.set_notice(notice_for_kiosk(KioskErrorCode.PLATFORM_UNREACHABLE, level="error"))
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
                j.set_busy(False)
                j.next_step()  # nothing to pay for this choice (e.g. a free option)
                return
            order = pay.create_order(session.application_id, item, session.form, expected_amount_fen=amount)
        except LinkError as exc:
            j.set_busy(False)
            j.set_notice(exc.notice())
            j.audit("payment_failed", code=int(exc.code))
            return
        self._order = order
        p = session.payment
        p.order_id, p.amount_fen, p.status = order.order_id, order.amount_fen, order.status
        p.qr_payload, p.expires_at = order.qr_payload, order.expires_at
        j.audit("payment_order", order=order.order_id, amount_fen=order.amount_fen)
        j.set_busy(False)
        j.set_notice(None)
        j.emit_update()
        try:
            final = pay.wait_paid(order.order_id, cancel=cancel)
        except LinkError as exc:
            if not cancel.is_set():
                j.set_notice(exc.notice())
            return
        if cancel.is_set() or session is not j.session:
            return
        p.status = final.status
        j.emit_update()
        if final.status == "paid":
            j.audit("paid", order=final.order_id)
            if j.step == Step.PAYMENT:
                j.next_step()
        elif final.status == "expired":
            j.set_notice(notice_for_kiosk(KioskErrorCode.PAYMENT_EXPIRED, level="warning"))
