"""The scripted citizen who walks away (``kiosk autopilot --abandon-at``, issue 15): nobody touches the kiosk
after ``step`` until the idle timeout ends the session, and the journey's line says what became of the money,
as the platform's own order says (``"payment"``: none | cancelled | refunded | submitted; at the payment step
the phone pays just after the kiosk gave up, and that late payment must come back). A utility bill's line
also says what the biller's ledger holds (``"bill"``: open | paid, with the settling ``"transaction_id"``).

A mixin of ``ui.autopilot.Autopilot``: it uses the autopilot's view-model, runtime and output.
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterator

Cond = Callable[[], bool]


class WalkAwayCitizen:
    # provided by ui.autopilot.Autopilot
    app: Any
    vm: Any
    out: Any
    failures: int
    layout_problems: list[str]
    abandon_at: list[str]
    _journey_no: int
    _bill_account: str  # a walk-away run's bill journey: the account it pays (or would have)

    def _walk_away(self, code: str, step: str, app_id: str, started: float) -> Iterator[Cond]:
        """The citizen leaves the kiosk at ``step``: nobody touches it until the idle timeout ends the session."""
        journey, pay = self.app.runtime.journey, self.app.runtime.services.payments
        if step == "payment":  # the code is on the screen (the citizen had the phone out)
            yield lambda: self.vm.payment.get("status") == "pending" or bool(self.vm.notice)
        order_id = journey.session.payment.order_id
        yield lambda: self.vm.step == "attract"
        orders = self.app.runtime.outbox.orders
        if order_id:  # the kiosk closes the order off the screen's thread: wait until it is settled
            yield lambda: orders.get(order_id) is not None and orders.get(order_id).state != "open"
            if step == "payment":
                pay.client.simulate_payment(pay.status(order_id).qr_payload)  # the phone pays too late
        payment = self._money(order_id)
        line = {"item": code, "application_id": app_id, "abandoned_at": step, "ended_by": "idle_timeout",
                "payment": payment, "seconds": round(time.monotonic() - started, 2)}
        settled = ("none", "cancelled", "refunded", "submitted")
        if self._bill_account:  # a bill: what the biller's ledger says of it now (the platform's, not the kiosk's)
            line.update(self._bill_after(code, order_id))
            settled = ("none", "cancelled", "refunded", "settled")
            if (line["bill"] == "paid") != (payment == "settled"):
                payment = line["payment"] = f"{payment} (bill {line['bill']})"
        if payment not in settled:
            self.failures += 1
            line["error"] = f"money not settled: the order is {payment}"
        if self.layout_problems:
            self.failures += 1
            line["layout_problems"] = self.layout_problems
            line.setdefault("error", f"{len(self.layout_problems)} layout problem(s) a citizen would meet")
        print(json.dumps(line, ensure_ascii=False), file=self.out, flush=True)

    def _bill_after(self, code: str, order_id: str) -> dict[str, Any]:
        """The bill walked away from, as the platform's biller's ledger holds it: ``"bill"`` open | paid, and
        the transaction that settled it (which must be this journey's order's, when it was paid)."""
        pay = self.app.runtime.services.payments
        bill = pay.lookup_bill(self.app.runtime.catalog.get(code), self._bill_account)
        out: dict[str, Any] = {"bill": bill.status, "transaction_id": bill.transaction_id}
        if bill.status == "paid" and (not order_id or pay.status(order_id).transaction_id != bill.transaction_id):
            out["bill"] = "paid by another order"
        return out

    def _bill_account_for(self, example: str) -> str:
        """A walk-away run of a bill pays a bill of its own in each journey (the same account's bill, paid at
        one step, would be ``already_paid`` at the next): the example account with the journey number in its
        last digits."""
        return example[:-3] + f"{self._journey_no % 1000:03d}" if self.abandon_at and len(example) > 4 else example

    def _money(self, order_id: str) -> str:
        """What became of the money, as the platform's order says (not the kiosk's belief)."""
        if not order_id:
            return "none"
        order = self.app.runtime.services.payments.status(order_id)
        if order.status in ("cancelled", "expired", "pending"):  # pending: nothing taken; a late payment refunds
            return "cancelled" if order.status != "pending" else "open"
        if order.status == "refunded":
            return "refunded"
        if self._bill_account:  # a bill's paid order settles the bill (never an application)
            return "settled"
        return "submitted" if order.reference or self.app.runtime.outbox.get(order.application_id) else "paid"
