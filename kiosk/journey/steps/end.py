"""结束: goodbye; after ``idle.end_s`` seconds (a visible countdown) or 返回首页 the session is wiped and the
kiosk returns: nobody has to tap to leave (issue 17). The optional rating (``steps/rating.py``) shows here.

A citizen may tap 完成 on the receipt screen while a page of theirs is still coming out of the A4 printer (the
result document, or the A4 receipt). The goodbye screen then says so, and its countdown does not end the
session before that page is out: when the printer is done (printed or failed, within its job timeout) the
countdown starts again, so the citizen has the whole goodbye to take the pages.

返回首页 while such a page is on its way (``a4_leave``): what has not started printing is taken back and the
session ends at once (the home screen says it was cancelled and where to get it); what is printing is waited
for, the screen saying 正在打印，请取走您的文书 without a countdown, and the session ends once it is out."""
from __future__ import annotations

import logging

from ..auto import AutoKind
from ..events import JourneyEventKind
from ..plan import Step
from ..ports import Context
from ..session import Session
from ..table import Trigger
from . import a4_leave
from .a4_receipt import a4_busy
from .base import StepHandler

log = logging.getLogger(__name__)


class EndStep(StepHandler):
    step = Step.END

    def enter(self, ctx: Context) -> None:
        self._arm(ctx, ctx.session)

    def a4_done(self, ctx: Context, session: Session) -> None:
        """This citizen's A4 work ended while the goodbye shows: count down again from the start (or, asked to
        leave, leave now that the page is out)."""
        if ctx.step == self.step and ctx.session is session:
            if session.leaving:
                self._decided(ctx, session)
            else:
                self._arm(ctx, session)

    def holds_home(self, ctx: Context) -> bool:
        """返回首页: False to leave now; True while this citizen's A4 work is taken back or comes out."""
        return a4_leave.ask_to_leave(ctx, ctx.session, a4_busy, self._decided)

    def tick(self, ctx: Context, now: float) -> bool:
        """Asked to leave, waiting for the page: the idle count waits too; past the bound, leave anyway."""
        session = ctx.session
        if not session.leaving:
            return False
        if now >= session.leave_by:
            log.warning("goodbye: the A4 printer did not finish within its job timeout: leaving anyway")
            ctx.audit("a4_leave_timeout")
            self._leave(ctx, session)
        return True

    def _decided(self, ctx: Context, session: Session) -> None:
        """The printer answered the withdrawals, or a job ended: leave once nothing is on its way."""
        if ctx.session is not session or ctx.step != self.step:
            return
        ctx.set_busy(False)
        if a4_busy(session) and session.a4_jobs:  # a job is still at the printer
            if session.leaving == a4_leave.PRINTING:
                ctx.emit(JourneyEventKind.UPDATE)  # 正在打印，请取走您的文书: it is waited for
            return  # (a job taken back: its end, and this again, come next)
        self._leave(ctx, session)  # out, or only work that will never be sent (a fetch, a build) is left

    def _leave(self, ctx: Context, session: Session) -> None:
        if ctx.session is not session or ctx.step != self.step:
            return
        notice = a4_leave.withdrawn_notice(session)
        ctx.fire(Trigger.FINISH)  # home: the session ends
        if notice is not None:
            ctx.set_notice(notice, "a4_leave")

    def _arm(self, ctx: Context, session: Session) -> None:
        seconds = ctx.settings.idle.end_s
        session.end_at = ctx.clock() + seconds
        # Not withdrawn by a touch: rating or reading must not keep the citizen's data on screen longer.
        ctx.auto(self.step, AutoKind.HOME, seconds, lambda: self._home(ctx, session), cancellable=False)

    @staticmethod
    def _home(ctx: Context, session: Session) -> None:
        if not a4_busy(session) and not session.leaving:  # else the printer's end arms the countdown again
            ctx.fire(Trigger.TIMEOUT)
