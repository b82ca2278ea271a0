"""Steps whose screens have no actions of their own: the attract loop, home, the guide, the review and
the result. Their buttons fire navigation triggers (``Trigger.WAKE``, ``NEXT`` ...) through the machine;
what they show is the session's."""
from __future__ import annotations

from ..plan import Step
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
    step = Step.RESULT
