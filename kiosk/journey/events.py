"""What the journey announces to its screens. Steps and the machine import this module, never each other."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable

from .plan import Step


class JourneyEventKind(StrEnum):
    STEP = "step"  # the step changed; data = Step
    UPDATE = "update"  # session data changed (pages, outcome, card ...)
    FIELD = "field"  # one form field or delivery detail changed; data = its name (the screen keeps its layout)
    COUNTDOWN = "countdown"  # data = seconds left, or None when the warning is withdrawn
    NOTICE = "notice"  # data = Notice (a message for the citizen) or None to clear it
    BUSY = "busy"  # data = bool: a background task runs (capture, submit, print)
    LINK = "link"  # data = kiosk.platform.reachability.Reachability: the platform's reachability changed
    LIVE = "live"  # data = kiosk.capture.auto.AutoStatus of the materials preview, or None when it stops
    RESULT_PRINT = "result_print"  # data = session.ResultPrint: the A4 result document is printing, printed or failed
    FACE = "face"  # data = the face step's instruction key (kiosk.face.words): said by the voice, shown on screen
    AUTO = "auto"  # data = AutoMove: the screen moves on by itself in N seconds, or None when withdrawn


@dataclass(frozen=True)
class JourneyEvent:
    kind: JourneyEventKind
    step: Step
    data: Any = None


Listener = Callable[[JourneyEvent], None]
