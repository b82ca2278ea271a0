"""Steps whose screens have no actions of their own: the attract loop, home, the guide, the review and
the result (whose receipt prints by itself). Their buttons fire navigation triggers (``Trigger.WAKE``, ``NEXT`` ...) through the machine;
what they show is the session's."""
from __future__ import annotations

from ..auto import AutoKind
from ..plan import Step
from ..ports import Context
from ..table import Trigger
from .base import StepHandler


class AttractStep(StepHandler):
    step = Step.ATTRACT


class HomeStep(StepHandler):
    step = Step.HOME


class GuideStep(StepHandler):
    step = Step.GUIDE


class ReviewStep(StepHandler):
    step = Step.REVIEW


class ResultStep(StepHandler):
    """The outcome shows; the receipt prints by itself after ``idle.print_after_s`` (打印回执 at once)."""
    step = Step.RESULT

    def enter(self, ctx: Context) -> None:
        ctx.auto(self.step, AutoKind.PRINT, ctx.settings.idle.print_after_s, lambda: ctx.fire(Trigger.PRINT),
                 cancellable=False)
