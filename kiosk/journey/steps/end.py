"""结束: goodbye; after ``idle.end_s`` seconds (a visible countdown) or 返回首页 the session is wiped and the
kiosk returns: nobody has to tap to leave (issue 17). The optional rating (``steps/rating.py``) shows here.

A citizen may tap 完成 on the receipt screen while a page of theirs is still coming out of the A4 printer (the
result document, or the A4 receipt). The goodbye screen then says so, and its countdown does not end the
session before that page is out: when the printer is done (printed or failed, within its job timeout) the
countdown starts again, so the citizen has the whole goodbye to take the pages. 返回首页 still leaves at once."""
from __future__ import annotations

from ..auto import AutoKind
from ..plan import Step
from ..ports import Context
from ..session import Session
from ..table import Trigger
from .a4_receipt import a4_busy
from .base import StepHandler


class EndStep(StepHandler):
    step = Step.END

    def enter(self, ctx: Context) -> None:
        self._arm(ctx, ctx.session)

    def a4_done(self, ctx: Context, session: Session) -> None:
        """This citizen's A4 work ended while the goodbye shows: count down again from the start."""
        if ctx.step == self.step and ctx.session is session:
            self._arm(ctx, session)

    def _arm(self, ctx: Context, session: Session) -> None:
        seconds = ctx.settings.idle.end_s
        session.end_at = ctx.clock() + seconds
        # Not withdrawn by a touch: rating or reading must not keep the citizen's data on screen longer.
        ctx.auto(self.step, AutoKind.HOME, seconds, lambda: self._home(ctx, session), cancellable=False)

    @staticmethod
    def _home(ctx: Context, session: Session) -> None:
        if not a4_busy(session):  # else the printer's end arms the countdown again (``a4_done``)
            ctx.fire(Trigger.TIMEOUT)
