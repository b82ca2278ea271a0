"""The biller's ledger (水电煤) kept by the reference platform: a bill per item, account and period, open until
a payment for it lands, then paid with that payment's transaction number.

A bill is not an application: nothing is reviewed. The kiosk looks the bill up (``bill_for``), an open bill
gets one live order (``order_for_bill``: a new order replaces the bill's older unpaid one, so two QR codes
for one bill are never payable at once), and the payment landing settles it (``settle``). A settled bill
refuses a new order (409 ``BILL_SETTLED``) and its look-up says so, before any QR code is shown.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re

from kiosk.platform.schema import Bill, ErrorCode

from .context import Platform
from .errors import ApiError, not_found

log = logging.getLogger(__name__)
_HOLDERS = ("李*明", "王*英", "张*", "陈*文", "刘*", "黄*华", "周*", "吴*芳")


def bill_for(p: Platform, item_code: str, account_no: str) -> Bill:
    """The synthetic biller's bill for last month, with its state in the ledger."""
    item = p.by_code.get(item_code)
    if item is None or item.kind != "bill_payment":
        raise not_found(f"bill item {item_code}")
    field = item.field("account_no")
    if field is not None and field.pattern and not re.fullmatch(field.pattern, account_no):
        raise ApiError(422, ErrorCode.REQUEST_INVALID, f"account number does not match {field.pattern}")
    if account_no.endswith("0000"):  # the synthetic biller's way of saying "no such account"
        raise not_found(f"account {account_no}")
    h = int(hashlib.sha256(f"{item_code}|{account_no}".encode()).hexdigest(), 16)
    today = p.config.now().date()
    period = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    bill = Bill(item_code=item_code, account_no=account_no, amount_fen=2000 + h % 28000, period=period,
                holder_masked=_HOLDERS[h % len(_HOLDERS)],
                address_masked="深圳市" + "南山区罗湖区福田区宝安区"[h % 4 * 3:h % 4 * 3 + 3] + "****")
    row = p.store.bill(item_code, account_no, period)
    if row is not None and row["state"] == "paid":
        bill = bill.model_copy(update={"status": "paid", "transaction_id": row["transaction_id"],
                                       "paid_at": row["paid_at"]})
    return bill


def order_for_bill(p: Platform, bill: Bill, order_id: str) -> None:
    """``order_id`` becomes the bill's live order; the bill's previous unpaid order is cancelled."""
    row = p.store.bill(bill.item_code, bill.account_no, bill.period)
    old = row["order_id"] if row is not None else None
    if old and old != order_id:
        prev = p.store.payment(old)
        if prev is not None and prev["status"] == "pending":
            p.store.update_payment(old, status="cancelled")
    p.store.bill_ordered(bill.item_code, bill.account_no, bill.period, bill.amount_fen, order_id)


def settle(p: Platform, order_id: str, transaction_id: str, paid_at: str) -> bool:
    """A payment landed: the bill it pays is settled (a no-op for an order that pays no bill)."""
    settled = p.store.settle_bill(order_id, transaction_id, paid_at)
    if settled:
        log.info("bill settled by order %s (%s)", order_id, transaction_id)
    return settled
