"""A utility bill (水电煤) is paid, not applied for: the look-up, the order and its wait, and the slip.

The plan of a bill item (``plan.plan_steps``) is GUIDE → FORM (the account number) → PAYMENT → RECEIPT →
END: nothing goes into the outbox, nobody reviews it. Its order goes into the kiosk's order ledger
(``kiosk.orders``) before the QR code shows, as an application's does: a citizen who walks away leaves it
open, and the session's end closes it at the platform (a payment landing after that is refunded and settles
nothing: the bill stays open); once paid it is ``settled`` there (the bill's, never refunded). The platform keeps the biller's ledger and settles
the bill when the payment lands (``central/bills.py``); a bill it already holds as paid is told to the
citizen on the payment screen, with no QR code and no money taken (``already_paid``). The slip
(``kiosk.printing.bill_slip``) prints the biller, the masked account, the period, the amount, the
transaction number and its time. The payment and receipt steps call in here for a bill item.
"""
from __future__ import annotations

import threading
from typing import Any

from ..errors import KioskErrorCode, notice_for_kiosk
from ..orders import SETTLED
from ..platform.catalog_schema import Item
from ..platform.services import LinkError
from .events import JourneyEventKind
from .ports import Context
from .session import Session
from .table import Trigger

PAYMENT = "payment"  # the owner of the notices set here (the payment screen's)


def is_bill(item: Item | None) -> bool:
    return item is not None and item.kind == "bill_payment"


def mask_account(account_no: str) -> str:
    """An account number as accounts are shown: the last 4 digits only."""
    n = account_no.strip()
    return "*" * max(len(n) - 4, 4) + n[-4:] if len(n) > 4 else "*" * len(n)


def pay_bill(ctx: Context, session: Session, cancel: threading.Event, owner: str = PAYMENT) -> None:
    """Look the bill up; a settled one ends here (``already_paid``); an open one gets its order and QR code."""
    item, services, p = session.item, ctx.services, session.payment
    if item is None:
        ctx.set_busy(False)
        return
    if services is None:
        ctx.set_busy(False)
        ctx.set_notice(notice_for_kiosk(KioskErrorCode.PLATFORM_UNREACHABLE, level="error"), owner)
        return
    pay = services.payments
    account = session.form.get("account_no", "")
    try:
        bill = pay.lookup_bill(item, account)
        p.bill_period, p.bill_holder, p.bill_account = bill.period, bill.holder_masked, mask_account(account)
        p.amount_fen = bill.amount_fen
        if bill.status == "paid":
            _already_paid(ctx, session, owner)
            return
        order = pay.create_order(session.application_id, item, {"account_no": account},
                                 expected_amount_fen=bill.amount_fen)
    except LinkError as exc:
        if exc.code == KioskErrorCode.BILL_ALREADY_PAID:  # settled between the look-up and the order
            _already_paid(ctx, session, owner)
            return
        ctx.set_busy(False)
        ctx.set_notice(exc.notice(), owner)
        ctx.audit("payment_failed", code=int(exc.code))
        return
    try:  # kept before the QR shows, like an application's: a session ending with it open closes it first
        ctx.outbox.orders.opened(order.order_id, session.application_id, order.amount_fen)
    except Exception:  # noqa: BLE001 - not kept durably: the QR must not show (nothing would close it)
        ctx.run(pay.cancel, order.order_id)
        ctx.set_busy(False)
        ctx.set_notice(notice_for_kiosk(KioskErrorCode.PAYMENT_FAILED, level="error"), owner)
        return
    session.order = order
    p.order_id, p.amount_fen, p.status = order.order_id, order.amount_fen, order.status
    p.qr_payload, p.expires_at = order.qr_payload, order.expires_at
    ctx.audit("bill_order", order=order.order_id, amount_fen=order.amount_fen, period=p.bill_period)
    ctx.clear_notice(owner)
    ctx.emit(JourneyEventKind.UPDATE)
    ctx.set_busy(False)
    try:
        final = pay.wait_paid(order.order_id, cancel=cancel)
    except LinkError as exc:
        if not cancel.is_set():
            ctx.set_notice(exc.notice(), owner)
        return
    if cancel.is_set() or session is not ctx.session:
        return
    p.status = final.status
    if final.status == "paid":
        ctx.outbox.orders.settled(order.order_id, SETTLED)  # the biller holds the bill as paid: nothing to close
        p.transaction_id, p.paid_at = final.transaction_id or "", final.paid_at or ""
        ctx.audit("bill_paid", order=final.order_id, transaction=p.transaction_id, period=p.bill_period)
        ctx.emit(JourneyEventKind.UPDATE)
        if ctx.step == PAYMENT:
            ctx.fire(Trigger.NEXT)  # on to the slip
        return
    ctx.emit(JourneyEventKind.UPDATE)
    if final.status == "expired":
        ctx.set_notice(notice_for_kiosk(KioskErrorCode.PAYMENT_EXPIRED, level="warning"), owner)


def _already_paid(ctx: Context, session: Session, owner: str) -> None:
    session.payment.status = "already_paid"
    ctx.audit("bill_already_paid", period=session.payment.bill_period)
    ctx.set_notice(notice_for_kiosk(KioskErrorCode.BILL_ALREADY_PAID, level="info"), owner)
    ctx.emit(JourneyEventKind.UPDATE)
    ctx.set_busy(False)


def slip_fields(session: Session, settings: Any) -> dict[str, str]:
    """What the slip prints (and nothing else): kept here so the journey owns its promise."""
    item, p = session.item, session.payment
    assert item is not None
    return {"item": item.name.zh, "biller": item.agency.zh, "account": p.bill_account, "holder": p.bill_holder,
            "period": p.bill_period, "amount_fen": str(p.amount_fen), "transaction_id": p.transaction_id,
            "paid_at": p.paid_at, "contact": item.contact.zh if item.contact else "",
            "kiosk_id": settings.kiosk_id, "kiosk_location": settings.kiosk_location}
