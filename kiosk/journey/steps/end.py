"""结束: goodbye; after ``idle.end_s`` seconds (a visible countdown) or 返回首页 the session is wiped and the
kiosk returns: nobody has to tap to leave (issue 17). The optional rating (``steps/rating.py``) shows here."""
from __future__ import annotations

from ..auto import AutoKind
from ..plan import Step
from ..ports import Context
from ..table import Trigger
from .base import StepHandler


class EndStep(StepHandler):
    step = Step.END

    def enter(self, ctx: Context) -> None:
        seconds = ctx.settings.idle.end_s
        ctx.session.end_at = ctx.clock() + seconds
        # Not withdrawn by a touch: rating or reading must not keep the citizen's data on screen longer.
        ctx.auto(self.step, AutoKind.HOME, seconds, lambda: ctx.fire(Trigger.TIMEOUT), cancellable=False)
