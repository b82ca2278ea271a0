"""THE SEAM between the face step and the engines built beside it: ``open_face_kit(settings)``.

The engine (``kiosk.face.engine.open_face_engine(settings) -> (FaceAnalyzer, FaceMatcher)``: the open one or
a vendor's, as ``[face_engine]`` says) and the liveness check (``kiosk.face.liveness.ChallengeLiveness(
settings.liveness, rng)``, a new one per try) plug in here and nowhere else; a vendor's certified engine replaces them by replacing this function's body. Opened lazily, on
the first face step (loading a model takes time the kiosk's start should not spend).
"""
from __future__ import annotations

import random
from typing import Any

from .attempt import FaceKit


class FaceEngineMissing(RuntimeError):
    """The face engine could not be opened: the face step sends the citizen to a counter (2197)."""


def open_face_kit(settings: Any) -> FaceKit:
    try:
        from .engine import open_face_engine  # type: ignore[import-not-found]  # noqa: PLC0415
        from .liveness import ChallengeLiveness  # type: ignore[import-not-found]  # noqa: PLC0415
    except ImportError as exc:
        raise FaceEngineMissing(
            f"face engine not installed ({exc}): kiosk.face.engine.open_face_engine and "
            "kiosk.face.liveness.ChallengeLiveness are needed for items with face_check") from exc
    try:
        analyzer, matcher = open_face_engine(settings)
    except Exception as exc:  # a model file or a native library missing: a state, never a crash
        raise FaceEngineMissing(f"face engine failed to open: {exc}") from exc
    rng = random.SystemRandom()  # the challenges' order must not be predictable
    return FaceKit(analyzer, matcher, lambda: ChallengeLiveness(settings.liveness, rng))
