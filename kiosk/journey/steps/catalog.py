"""选择事项: the citizen picks an item; a new session begins for it (the previous one, if any, is wiped)."""
from __future__ import annotations

from ...errors import KioskErrorCode, notice_for_kiosk
from ..plan import Step
from ..ports import Context
from ..table import Trigger
from .base import StepHandler


class CatalogStep(StepHandler):
    step = Step.CATALOG

    def choose(self, ctx: Context, code: str) -> bool:
        item = ctx.catalog.get(code)
        if item is None:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.UNKNOWN_ITEM, code), self.owner)
            return False
        ctx.begin(item)
        ctx.audit("item", code=code)
        ctx.fire(Trigger.CHOOSE)
        return True
