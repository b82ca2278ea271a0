"""The citizen's journey: a state machine (``machine``) over one module per step (``steps/``), moved only
by the transition table (``table``); the steps use the narrow ports (``ports``) and announce themselves
with ``events``. ``session`` holds everything personal; ``plan`` decides an item's steps."""
from __future__ import annotations

from .events import JourneyEvent, JourneyEventKind, Listener
from .machine import Journey
from .plan import PERSONAL, Step, plan_steps, scannable

__all__ = ["Journey", "JourneyEvent", "JourneyEventKind", "Listener", "Step", "PERSONAL", "plan_steps",
           "scannable"]
