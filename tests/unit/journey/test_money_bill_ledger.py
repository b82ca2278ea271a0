"""A utility bill's order in the kiosk's order ledger (issue 15, items 1, 2 and 10): kept before its QR code
shows like an application's, closed at the platform when the citizen walks away, and ``settled`` once paid
(the bill's money, never refunded)."""
from __future__ import annotations

from types import SimpleNamespace

from kiosk.orders import SETTLED, OrderLedger, settle


class FakeCloser:
    def __init__(self, status: str) -> None:
        self.status, self.closed = status, []

    def refund(self, order_id):
        self.closed.append(order_id)
        return SimpleNamespace(status=self.status)


def test_an_order_the_platform_keeps_paid_on_close_is_settled_not_left_open_or_called_cancelled():
    ledger, audit = OrderLedger.in_memory(), []
    ledger.opened("PO1", "app-1", 4200)
    state = settle(ledger, ledger.get("PO1"), lambda app: None, FakeCloser("paid"),
                   lambda event, **data: audit.append(event))
    assert state == SETTLED and ledger.get("PO1").state == SETTLED and ledger.open_orders() == []
    assert audit == ["order_settled"]
