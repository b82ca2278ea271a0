"""A stand-in face analyzer for tests: it reads the simulated face camera's ground truth instead of the
frame (with a landmark jitter like a real landmark model's), so the liveness check can be tested before,
and apart from, the real analyzer (kiosk/face/analyzer.py). Also a loop that plays a face step's liveness
check against the simulator at a fixed frame rate on a virtual clock (no sleeping)."""
from __future__ import annotations

import numpy as np

from devices.camera.sim.face import FaceSimulator, FaceTruth
from kiosk.face.api import FaceObservation
from kiosk.face.liveness import ChallengeLiveness, LivenessState


class FakeFaceAnalyzer:
    """FaceObservation from the simulator's truth; ``jitter_px``: landmark noise (pixels, per frame)."""

    def __init__(self, jitter_px: float = 0.8, seed: int = 1) -> None:
        self.jitter_px = jitter_px
        self.rng = np.random.default_rng(seed)

    def observe_truth(self, truth: FaceTruth | None) -> FaceObservation | None:
        if truth is None:
            return None
        pts = truth.landmarks + self.rng.normal(0, self.jitter_px, truth.landmarks.shape).astype(np.float32)
        return FaceObservation(box=truth.box, landmarks=pts, eye_openness=truth.eye_openness,
                               yaw_deg=truth.yaw_deg, quality=0.9, t_ms=truth.t_ms)


def play(hw: FaceSimulator, check: ChallengeLiveness, *, fps: float = 15.0, limit_s: float = 30.0,
         analyzer: FakeFaceAnalyzer | None = None, start_s: float = 0.0) -> list[tuple[float, str | None]]:
    """Feed ``check`` frames of ``hw`` until it decides (or ``limit_s``); each new challenge is shown to the
    simulated person as the kiosk's screen would. Returns the (time, challenge) prompts given."""
    analyzer = analyzer or FakeFaceAnalyzer()
    prompts: list[tuple[float, str | None]] = []
    shown = None
    t = start_s
    while t < start_s + limit_s and check.state not in (LivenessState.PASSED, LivenessState.FAILED):
        frame, truth = hw.render_at(t)
        asked = check.feed(frame, analyzer.observe_truth(truth))
        if asked is not None and asked != shown:
            hw.prompt(asked.value, at_s=t)
            prompts.append((t, asked.value))
        shown = asked
        t += 1.0 / fps
    return prompts
