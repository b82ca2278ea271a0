"""The kiosk's ledger of payment orders: money is never taken without an application or a refund (issue 15).

A row is written, durably (the outbox's database: WAL, ``synchronous=FULL``), as soon as the platform makes
an order, before its QR code shows. It stays ``open`` until the order is settled one way or the other:

- ``submitted``: the application carrying the order id is stored in the outbox (the platform reconciles it);
- ``cancelled`` / ``refunded``: the kiosk closed the order at the platform (the citizen left, or the kiosk
  found at start an order it never submitted: a crash or power loss between paying and storing);
- ``settled``: a utility bill's order was paid and the platform settled the bill with it (the money is the
  biller's: the platform refunds no such order, and closing it finds it paid).

``settle`` closes one open order (unless its application is stored); ``settle_open`` does it for every open
order at start. An order the platform cannot be reached for stays open and is tried again at the next start;
the platform refunds any payment landing on an order it closed or that expired.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Protocol

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY, app_id TEXT NOT NULL, amount_fen INTEGER NOT NULL, state TEXT NOT NULL,
    created_at REAL NOT NULL, settled_at REAL NOT NULL DEFAULT 0
);
"""
OPEN, SUBMITTED, CANCELLED, REFUNDED, SETTLED = "open", "submitted", "cancelled", "refunded", "settled"


@dataclass(frozen=True)
class Order:
    order_id: str
    app_id: str
    amount_fen: int
    state: str


class Closer(Protocol):
    """The platform's payments (``kiosk.platform.services.PaymentService``): close = cancel or refund."""

    def refund(self, order_id: str) -> Any: ...


class OrderLedger:
    def __init__(self, db: sqlite3.Connection, lock: threading.RLock | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._db, self._lock, self._clock = db, lock or threading.RLock(), clock
        with self._lock:
            self._db.executescript(_SCHEMA)

    @classmethod
    def in_memory(cls) -> "OrderLedger":
        return cls(sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None))

    def opened(self, order_id: str, app_id: str, amount_fen: int) -> None:
        """The platform made an order: kept before the citizen can pay it (asking again changes nothing)."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO orders(order_id, app_id, amount_fen, state, created_at)"
                             " VALUES (?,?,?,?,?)", (order_id, app_id, amount_fen, OPEN, self._clock()))

    def settled(self, order_id: str, state: str) -> None:
        with self._lock:
            self._db.execute("UPDATE orders SET state=?, settled_at=? WHERE order_id=?",
                             (state, self._clock(), order_id))

    def get(self, order_id: str) -> Order | None:
        with self._lock:
            row = self._db.execute("SELECT order_id, app_id, amount_fen, state FROM orders WHERE order_id=?",
                                   (order_id,)).fetchone()
        return Order(*row) if row else None

    def open_orders(self) -> list[Order]:
        with self._lock:
            rows = self._db.execute("SELECT order_id, app_id, amount_fen, state FROM orders WHERE state=?"
                                    " ORDER BY created_at", (OPEN,)).fetchall()
        return [Order(*r) for r in rows]


def settle(ledger: OrderLedger, order: Order, stored: Callable[[str], Any], payments: Closer,
           audit: Callable[..., None]) -> str:
    """Close ``order`` unless its application is stored; the ledger's new state (``open``: not reached)."""
    if stored(order.app_id) is not None:
        ledger.settled(order.order_id, SUBMITTED)
        audit("order_submitted", order=order.order_id)
        return SUBMITTED
    try:
        answer = payments.refund(order.order_id)
    except Exception as exc:  # noqa: BLE001 - offline or refused: the order stays open, tried at the next start
        log.warning("payment order %s could not be closed: %s", order.order_id, exc)
        audit("order_close_failed", order=order.order_id, error=str(getattr(exc, "code", "")) or type(exc).__name__)
        return OPEN
    status = getattr(answer, "status", "")
    if status == "paid":  # the platform kept it paid: it settled a bill, the biller holds it as paid
        ledger.settled(order.order_id, SETTLED)
        audit("order_settled", order=order.order_id, amount_fen=order.amount_fen)
        return SETTLED
    state = REFUNDED if status == "refunded" else CANCELLED  # cancelled or expired: nothing was taken
    ledger.settled(order.order_id, state)
    audit("order_refunded" if state == REFUNDED else "order_cancelled", order=order.order_id,
          amount_fen=order.amount_fen)
    return state


def settle_open(ledger: OrderLedger, stored: Callable[[str], Any], payments: Closer | None,
                audit: Callable[..., None]) -> dict[str, str]:
    """At start: every order left open (a crash, a power loss, an offline close) is submitted or refunded."""
    if payments is None:
        return {}
    done = {}
    for o in ledger.open_orders():
        done[o.order_id] = state = settle(ledger, o, stored, payments, audit)
        # A technician reads this after a crash or a power loss: what became of each order left open.
        log.warning("payment order %s (%.2f yuan) was left open when the kiosk stopped: now %s", o.order_id,
                    o.amount_fen / 100, state)
    return done
