"""The demo panel's hands on the embedded reference platform (demo mode only): situations a tester sets up
in one click that no network fault can make (central.fault_gate does those).

- a utility bill already paid: the biller's ledger (central.bills) records the bill settled, as if the
  citizen had paid it elsewhere, so the kiosk's next look-up of that account answers paid (no QR code);
- payment orders that expire soon: new orders get ``seconds`` to live instead of ``payment_ttl_s``, so the
  QR code on the kiosk's payment screen expires while the tester watches. ``restore`` undoes it.

Nothing here is reachable over HTTP: the demo process holds the platform object and calls these directly.
"""
from __future__ import annotations

import hashlib
import logging

from kiosk.platform.schema import Bill

from . import bills
from .context import Platform

log = logging.getLogger(__name__)


class DemoLevers:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._payment_ttl_s = platform.config.payment_ttl_s  # the configured TTL, put back by restore()

    def mark_bill_paid(self, item_code: str, account_no: str) -> Bill:
        """Settle last month's bill of ``account_no`` in the biller's ledger; the bill as a look-up now sees it.

        The settling "order" is the biller's own record (``DEMO-...``), not a kiosk payment: no order of any
        kiosk is touched, and nothing is to refund. A bill already paid stays as it is.
        """
        p = self.platform
        bill = bills.bill_for(p, item_code, account_no)
        if bill.status != "paid":
            tag = hashlib.sha256(f"{item_code}|{account_no}|{bill.period}".encode()).hexdigest()[:12].upper()
            order_id = f"DEMO-{tag}"
            p.store.bill_ordered(item_code, account_no, bill.period, bill.amount_fen, order_id)
            p.store.settle_bill(order_id, f"DEMO-TX-{tag}", p.config.now_iso())
            log.info("demo: bill %s/%s for %s marked paid elsewhere", item_code, account_no[-4:], bill.period)
        return bills.bill_for(p, item_code, account_no)

    def expire_payments_after(self, seconds: float) -> None:
        """Payment orders created from now on expire ``seconds`` after they are made."""
        if seconds <= 0:
            raise ValueError("seconds must be > 0")
        self.platform.config.payment_ttl_s = float(seconds)
        log.info("demo: new payment orders expire after %.0f s", seconds)

    @property
    def payment_ttl_s(self) -> float:
        return self.platform.config.payment_ttl_s

    def restore(self) -> None:
        """Payment orders live as configured again (a paid bill stays paid: the ledger is the biller's)."""
        self.platform.config.payment_ttl_s = self._payment_ttl_s
