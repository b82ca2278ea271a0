"""Steps whose screens have no actions of their own: the attract loop, home, the guide, the review and
the result (whose receipt prints by itself). Their buttons fire navigation triggers (``Trigger.WAKE``, ``NEXT`` ...) through the machine;
what they show is the session's."""
from __future__ import annotations

from typing import Any

from ...errors import KioskErrorCode, notice_for_kiosk
from ...platform.needs import blocked, needs_text
from ..auto import AutoKind
from ..plan import Step
from ..ports import Context
from ..table import Trigger
from .base import StepHandler
from .result_print import ResultPrinter, approved_now


class AttractStep(StepHandler):
    step = Step.ATTRACT


class HomeStep(StepHandler):
    step = Step.HOME


class GuideStep(StepHandler):
    """办事指南. 开始办理 is refused while the platform is unreachable for an item that needs it now (a fee,
    a bill, shared records, 秒批): the citizen learns it here, before any work, not at the payment."""

    step = Step.GUIDE

    def start(self, ctx: Context) -> bool:
        item = ctx.session.item
        needs = blocked(item, ctx.link.state if ctx.link is not None else None) if item is not None else ()
        if needs:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.ITEM_NEEDS_PLATFORM, needs_text(needs, "zh"),
                                            needs_text(needs, "en")), self.owner)
            ctx.audit("start_refused", item=item.code, why="platform_offline",  # type: ignore[union-attr]
                      needs=[n.value for n in needs])
            return False
        ctx.fire(Trigger.NEXT)
        return True

    def link_changed(self, ctx: Context) -> None:
        """The platform's reachability changed: a refusal that no longer holds goes."""
        item = ctx.session.item
        if item is None or not blocked(item, ctx.link.state if ctx.link is not None else None):
            ctx.clear_notice(self.owner)


class ReviewStep(StepHandler):
    step = Step.REVIEW


class ResultStep(StepHandler):
    """The outcome shows; the receipt prints by itself after ``idle.print_after_s`` (打印回执 at once). A 秒批
    approval's result document starts for the A4 printer at once (``result_print``): it is fetched and printed
    while the citizen reads and the receipt prints; the receipt screen waits for it (``on_result_done``)."""
    step = Step.RESULT

    def __init__(self, on_result_done: Any = None) -> None:
        self.results = ResultPrinter()
        self.on_result_done = on_result_done  # the receipt step's, handed over by the machine

    def enter(self, ctx: Context) -> None:
        if approved_now(ctx):
            self.results.start(ctx, ctx.session, ctx.session.outcome.reference, on_done=self.on_result_done)
        ctx.auto(self.step, AutoKind.PRINT, ctx.settings.idle.print_after_s, lambda: ctx.fire(Trigger.PRINT),
                 cancellable=False)
