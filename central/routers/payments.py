"""Payment: bills (水电煤) looked up by account, orders with a QR payload, status, a simulated payer.
The biller's ledger (a bill open -> paid, settled when its payment lands) is ``central/bills.py``.

The QR payload names the order for the citizen's payment app (``{base}/pay/{order_id}``); scanning it pays
nothing. In a real deployment it is the payment provider's code URL. The simulated payer (demo mode only:
the embedded platform or ``kiosk central --demo``) is a signed kiosk request for one of the kiosk's own
orders: the demo's 模拟支付 button plays the citizen's phone.

The amount is always the platform's: the catalogue's fee for the form's choices (``Fee.amount_for``) or the
bill for the account. A kiosk sends the amount it showed as ``expected_amount_fen`` and is refused when it
differs (a stale catalogue must not charge a wrong amount). One order per application: asking again
returns it, so a kiosk that lost the answer does not charge twice.

Money is never kept without an application (issue 15): closing an order (``cancel``, ``refund``: the kiosk's
session ended, or the kiosk found at start an order it paid and never submitted) cancels it when unpaid and
refunds it when paid and no application claimed it; a payment that lands on a cancelled or expired order is
refunded at once (and settles no bill). An order an application was reconciled with is the application's:
refused (409); an order that settled a bill is the bill's: returned as it is (paid), never refunded, since
the biller was told.
"""
from __future__ import annotations

import datetime as dt
import secrets

from fastapi import APIRouter, Depends, Request

from kiosk.platform.schema import (
    Bill,
    BillQuery,
    ErrorCode,
    ErrorResponse,
    PaymentOrder,
    PaymentOrderCreate,
)

from .. import bills
from ..auth import kiosk_id
from ..config import TZ
from ..context import Platform, new_id, platform
from ..errors import ApiError, not_found

router = APIRouter(tags=["payments"])
sim_router = APIRouter(prefix="/sim", tags=["simulators"])
_ERR = {404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}
@router.post("/bills/lookup", response_model=Bill, responses=_ERR, summary="The amount due on a utility account")
def lookup_bill(body: BillQuery, p: Platform = Depends(platform), _k: str = Depends(kiosk_id)) -> Bill:
    return bills.bill_for(p, body.item_code, body.account_no)


def _order(p: Platform, row: dict) -> PaymentOrder:
    if row["status"] == "pending" and p.config.clock() > row["expires_at"]:
        p.store.update_payment(row["order_id"], status="expired")
        row = dict(row, status="expired")
    return PaymentOrder(order_id=row["order_id"], application_id=row["application_id"], item_code=row["item_code"],
                        amount_fen=row["amount_fen"], status=row["status"], qr_payload=row["qr_payload"],
                        created_at=row["created_at"], expires_at=row["expires_at_iso"], paid_at=row["paid_at"],
                        transaction_id=row["transaction_id"], reference=row["reference"],
                        refunded_at=row.get("refunded_at"))


def _with_qr(p: Platform, request: Request, row: dict) -> dict:
    base = (p.config.public_url or str(request.base_url)).rstrip("/")
    return dict(row, qr_payload=f"{base}/pay/{row['order_id']}")


@router.post("/payments", response_model=PaymentOrder, responses=_ERR,
             summary="Create the payment order of an application (or get it again)")
def create_order(body: PaymentOrderCreate, request: Request, p: Platform = Depends(platform),
                 kid: str = Depends(kiosk_id)) -> PaymentOrder:
    item = p.by_code.get(body.item_code)
    if item is None:
        raise not_found(f"item {body.item_code}")
    if item.fee.from_bill:
        account = body.form.get("account_no", "")
        if not account:
            raise ApiError(422, ErrorCode.REQUEST_INVALID, "form.account_no is needed for a bill")
        bill = bills.bill_for(p, item.code, account)
        if bill.status == "paid":  # settled: 409 before any QR code, unless it is this application's own payment
            own = p.store.payment_for(kid, body.application_id)
            if own is not None and own["status"] == "paid" and own["transaction_id"] == bill.transaction_id:
                return _order(p, _with_qr(p, request, own))
            raise ApiError(409, ErrorCode.BILL_SETTLED, f"the bill {bill.period} of this account is paid already")
        amount = bill.amount_fen
    else:
        amount = item.fee.amount_for(body.form)
        if amount is None:
            raise ApiError(422, ErrorCode.REQUEST_INVALID, f"choose form.{item.fee.by_field} first")
    if amount <= 0:
        raise ApiError(422, ErrorCode.REQUEST_INVALID, f"item {item.code} charges nothing")
    if body.expected_amount_fen is not None and body.expected_amount_fen != amount:
        raise ApiError(409, ErrorCode.AMOUNT_MISMATCH, f"the amount is {amount} fen, not {body.expected_amount_fen}")
    with p.submit_lock:  # one live order per application, even when a kiosk asks twice at once
        order = _create(p, request, kid, item.code, body.application_id, amount)
        if item.fee.from_bill and order.status == "pending":
            bills.order_for_bill(p, bill, order.order_id)
        return order


def _create(p: Platform, request: Request, kid: str, item_code: str, application_id: str, amount: int) -> PaymentOrder:
    existing = p.store.payment_for(kid, application_id)
    if existing is not None:
        current = _order(p, _with_qr(p, request, existing))
        if current.status == "paid" or (current.status == "pending" and current.amount_fen == amount):
            return current
        if current.status == "pending":  # the choice changed: the old order is cancelled, a new one made
            p.store.update_payment(current.order_id, status="cancelled")
    now = p.config.clock()
    expires = now + p.config.payment_ttl_s
    fields = {"order_id": new_id("PO"), "kiosk_id": kid, "application_id": application_id,
              "item_code": item_code, "amount_fen": amount, "status": "pending", "token": secrets.token_urlsafe(12),
              "created_at": p.config.now_iso(), "expires_at": expires,
              "expires_at_iso": dt.datetime.fromtimestamp(expires, TZ).isoformat(timespec="seconds")}
    row = p.store.create_payment(fields)
    return _order(p, _with_qr(p, request, row))


def _owned(p: Platform, order_id: str, kid: str) -> dict:
    row = p.store.payment(order_id)
    if row is None or row["kiosk_id"] != kid:
        raise not_found(f"order {order_id}")
    return row


@router.get("/payments/{order_id}", response_model=PaymentOrder, responses=_ERR, summary="Order status (poll it)")
def get_order(order_id: str, request: Request, p: Platform = Depends(platform),
              kid: str = Depends(kiosk_id)) -> PaymentOrder:
    return _order(p, _with_qr(p, request, _owned(p, order_id, kid)))


def _close(p: Platform, request: Request, order_id: str, kid: str) -> PaymentOrder:
    """Cancel an unpaid order, refund a paid one no application claimed and no bill was settled by; closed ones
    (and a bill's paid order) are returned as they are."""
    with p.submit_lock:  # not while an application claiming it is being accepted
        order = _order(p, _with_qr(p, request, _owned(p, order_id, kid)))
        if order.status == "paid":
            if order.reference:
                raise ApiError(409, ErrorCode.PAYMENT_STATE,
                               f"order is paid for application {order.reference}; a refund goes through the counter")
            if p.store.bill_settled_by(order_id) is not None:
                return order  # it paid a bill, which the biller holds as settled: the money is the bill's
            p.store.update_payment(order_id, status="refunded", refunded_at=p.config.now_iso())
        elif order.status == "pending":
            p.store.update_payment(order_id, status="cancelled")
        return _order(p, _with_qr(p, request, p.store.payment(order_id)))  # type: ignore[arg-type]


@router.post("/payments/{order_id}/cancel", response_model=PaymentOrder, responses=_ERR,
             summary="Close an order: the citizen gave up (unpaid: cancelled; paid, no application: refunded)")
def cancel_order(order_id: str, request: Request, p: Platform = Depends(platform),
                 kid: str = Depends(kiosk_id)) -> PaymentOrder:
    return _close(p, request, order_id, kid)


@router.post("/payments/{order_id}/refund", response_model=PaymentOrder, responses=_ERR,
             summary="Refund a paid order whose application never went out (unpaid: cancelled)")
def refund_order(order_id: str, request: Request, p: Platform = Depends(platform),
                 kid: str = Depends(kiosk_id)) -> PaymentOrder:
    return _close(p, request, order_id, kid)


@sim_router.post("/payer/{order_id}", response_model=PaymentOrder, responses=_ERR,
                 summary="Demo mode only: pay one of this kiosk's orders as the citizen's payment app would")
def simulated_payer(order_id: str, request: Request, p: Platform = Depends(platform),
                    kid: str = Depends(kiosk_id)) -> PaymentOrder:
    row = _owned(p, order_id, kid)
    order = _order(p, _with_qr(p, request, row))
    if order.status in ("paid", "refunded"):
        return order
    txn = "TX" + secrets.token_hex(8).upper()
    now = p.config.now_iso()
    if order.status != "pending":  # the order was closed before the money came: it goes straight back
        p.store.update_payment(order_id, status="refunded", paid_at=now, transaction_id=txn, refunded_at=now)
    else:
        p.store.update_payment(order_id, status="paid", paid_at=now, transaction_id=txn)
        bills.settle(p, order_id, txn, now)  # the biller is told when the payment lands
    return _order(p, _with_qr(p, request, p.store.payment(order_id)))  # type: ignore[arg-type]
