"""送达: how the result reaches the citizen, prefilled from what the kiosk knows (they only check it)."""
from __future__ import annotations

from ...errors import KioskErrorCode, notice_for_kiosk
from .. import forms, regions
from ..plan import Step
from ..ports import Context
from ..session import Delivery
from ..table import Trigger
from .base import StepHandler

DETAILS = ("recipient", "phone", "region", "address")
MIN_DETAIL = 4  # characters: the platform's DeliveryRequest asks at least this of the street line


class DeliveryStep(StepHandler):
    step = Step.DELIVERY

    def enter(self, ctx: Context) -> None:
        """Recipient from the card and phone from the form (shown, editable); the region picker starts at the
        kiosk's own city. The detail line is the citizen's: a household address (card or shared data) is
        where they are registered, not where they want the result sent, and is never copied into it."""
        s = ctx.session
        d = s.delivery
        card = s.card
        if card is not None and not d.recipient:
            d.recipient = card.name
        if not d.phone:
            d.phone = next((v for k, v in s.form.items() if "phone" in k and forms.PHONE.match(v)), "")
        if not d.region:
            d.region = regions.start_code(ctx.settings.region_code)

    def choose(self, ctx: Context, method: str, details: dict[str, str]) -> None:
        d = ctx.session.delivery
        d.method = method
        for key in DETAILS:
            if key in details:
                setattr(d, key, forms.clean(details[key]))
        ctx.clear_notice(self.owner)  # what was missing may be given now: no stale "请选择地区" under it

    def done(self, ctx: Context) -> bool:
        if ctx.step != self.step:
            return False  # a late 下一步 on another screen (the review!) must not move the journey
        d = ctx.session.delivery
        item = ctx.session.item
        if item is not None and d.method not in {m.value for m in (ctx.session.offered or item.offered_delivery)}:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.DELIVERY_INCOMPLETE), self.owner)
            return False
        if d.method == "express":
            missing = self._missing(d)
            if missing is not None:
                ctx.set_notice(notice_for_kiosk(missing), self.owner)  # names what is missing, nothing else
                return False
        ctx.fire(Trigger.NEXT)
        return True

    @staticmethod
    def _missing(d: Delivery) -> KioskErrorCode | None:
        if not d.recipient or not forms.PHONE.match(d.phone):
            return KioskErrorCode.DELIVERY_CONTACT_MISSING
        if not regions.complete(d.region):
            return KioskErrorCode.DELIVERY_REGION_MISSING
        if len(d.address) < MIN_DETAIL:
            return KioskErrorCode.DELIVERY_DETAIL_MISSING
        return None
