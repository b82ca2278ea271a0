"""结束: goodbye; after ``END_S`` seconds (or 完成) the session is wiped and the kiosk returns."""
from __future__ import annotations

from ..plan import Step
from ..ports import Context
from ..table import Trigger
from .base import StepHandler

END_S = 8.0  # long enough to read 请取走您的身份证和回执, short enough that nobody else sees it


class EndStep(StepHandler):
    step = Step.END

    def enter(self, ctx: Context) -> None:
        ctx.session.end_at = ctx.clock() + END_S

    def tick(self, ctx: Context, now: float) -> bool:
        end_at = ctx.session.end_at
        if end_at is not None and now >= end_at:
            ctx.fire(Trigger.TIMEOUT)
            return True
        return False
