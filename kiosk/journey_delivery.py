"""The delivery step (送达): how the result reaches the citizen, prefilled from what the kiosk knows.

A mixin of ``Journey`` (like ``journey_home.HomeActions``): it uses the journey's session, notices and steps.
"""
from __future__ import annotations

from . import forms, regions
from .errors import KioskErrorCode, notice_for_kiosk


class DeliveryActions:
    def choose_delivery(self, method: str, **details: str) -> None:
        self.touch()
        d = self.session.delivery
        d.method = method
        for key in ("recipient", "phone", "region", "address"):
            if key in details:
                setattr(d, key, forms.clean(details[key]))
        self.emit_field("delivery")

    def _prefill_delivery(self) -> None:
        """Recipient, phone and address from what the kiosk already knows: the citizen should only check."""
        s = self.session
        d = s.delivery
        card = s.card
        if card is not None and not d.recipient:
            d.recipient = card.name
        if not d.phone:
            d.phone = next((v for k, v in s.form.items() if "phone" in k and forms.PHONE.match(v)), "")
        if not d.address:
            known = str(s.shared.get("address.residence") or (card.address if card else ""))
            d.region, d.address = regions.split_address(known)
        self.emit_field("delivery")

    def delivery_done(self) -> None:
        self.touch()
        d = self.session.delivery
        item = self.session.item
        if item is not None and d.method not in {m.value for m in item.delivery}:
            self.set_notice(notice_for_kiosk(KioskErrorCode.DELIVERY_INCOMPLETE))
            return
        if d.method == "express":
            if not (d.recipient and forms.PHONE.match(d.phone) and d.address and d.region):
                self.set_notice(notice_for_kiosk(KioskErrorCode.DELIVERY_INCOMPLETE))
                return
        self.next_step()
