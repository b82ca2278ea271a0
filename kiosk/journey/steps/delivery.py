"""送达: how the result reaches the citizen, prefilled from what the kiosk knows (they only check it)."""
from __future__ import annotations

from ...errors import KioskErrorCode, notice_for_kiosk
from .. import forms, regions
from ..plan import Step
from ..ports import Context
from ..table import Trigger
from .base import StepHandler

DETAILS = ("recipient", "phone", "region", "address")


class DeliveryStep(StepHandler):
    step = Step.DELIVERY

    def enter(self, ctx: Context) -> None:
        """Recipient, phone and address from the card, the form and shared data."""
        s = ctx.session
        d = s.delivery
        card = s.card
        if card is not None and not d.recipient:
            d.recipient = card.name
        if not d.phone:
            d.phone = next((v for k, v in s.form.items() if "phone" in k and forms.PHONE.match(v)), "")
        if not d.address:
            known = str(s.shared.get("address.residence") or (card.address if card else ""))
            d.region, d.address = regions.split_address(known)

    def choose(self, ctx: Context, method: str, details: dict[str, str]) -> None:
        d = ctx.session.delivery
        d.method = method
        for key in DETAILS:
            if key in details:
                setattr(d, key, forms.clean(details[key]))

    def done(self, ctx: Context) -> bool:
        if ctx.step != self.step:
            return False  # a late 下一步 on another screen (the review!) must not move the journey
        d = ctx.session.delivery
        item = ctx.session.item
        if item is not None and d.method not in {m.value for m in item.offered_delivery}:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.DELIVERY_INCOMPLETE), self.owner)
            return False
        if d.method == "express" and not (d.recipient and forms.PHONE.match(d.phone) and d.address and d.region):
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.DELIVERY_INCOMPLETE), self.owner)
            return False
        ctx.fire(Trigger.NEXT)
        return True
