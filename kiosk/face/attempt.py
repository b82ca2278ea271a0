"""One try of the face check, as pure logic fed one preview frame at a time (no threads, no devices).

A try waits for a good face (``FaceObservation.quality`` >= the minimum: automatic capture keeps the best
such frame to compare), follows the liveness check's challenges, and once they are done waits for one more
good frontal frame (at least ``FINAL_QUALITY_SHARE`` of the best one's quality): both that frame and the best one are compared with the card's photo and the lower score
decides, so the face that did the challenges is the face compared (a holder who shows the face and steps
aside for someone else to do the challenges does not pass). Past its deadline it ends as NO_FACE (no good face was ever seen) or NOT_LIVE
(the challenges were not done). The kept frame is overwritten as soon as it has been compared: nothing of
the face outlives the try but the ``FaceResult``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .api import Challenge, FaceAnalyzer, FaceDecision, FaceMatcher, FaceResult, LivenessCheck


# The final frame (compared after the challenges) must be about as good as the best one: at least this share of
# its quality. Just "good enough" took the first frame of the head turning back: the demo elder's portrait held
# 36 degrees to the right measured quality 0.50 (the minimum) and scored 0.947-0.950 against her own card photo,
# frontal 0.995, with the threshold at 0.945.
FINAL_QUALITY_SHARE = 0.8


@dataclass
class FaceKit:
    """What the face step needs: an analyzer and a matcher (one engine) and a fresh liveness check per try."""

    analyzer: FaceAnalyzer
    matcher: FaceMatcher
    new_liveness: Callable[[], LivenessCheck]


@dataclass(frozen=True)
class TryStatus:
    """What the screen shows after a frame: the challenge asked, a hint, or the try's result once done."""

    challenge: Challenge | None = None
    hint: str = ""  # "no_face" (nothing seen) | "adjust" (a face, not yet good enough) | ""
    checking: bool = False  # the challenges are done: look straight at the camera once more
    result: FaceResult | None = None


class FaceTry:
    def __init__(self, kit: FaceKit, card_photo_bgr: np.ndarray, *, min_quality: float, timeout_ms: int,
                 try_no: int = 1, steady_frames: int = 1) -> None:
        self.kit = kit
        self.card = card_photo_bgr
        self.min_quality = min_quality
        self.timeout_ms = timeout_ms
        self.try_no = try_no
        self.steady_frames = max(1, steady_frames)  # good frames in a row before the challenges start
        self._good_run = 0
        self.liveness: LivenessCheck | None = None
        self._start_ms: int | None = None
        self._best: np.ndarray | None = None
        self._best_quality = -1.0
        self._live_done = False  # the challenges are done: the final frontal frame is awaited
        self.result: FaceResult | None = None

    @property
    def seen(self) -> bool:
        """A good face has been seen (the challenges run)."""
        return self.liveness is not None

    def feed(self, frame_bgr: np.ndarray, t_ms: int) -> TryStatus:
        if self.result is not None:
            return TryStatus(result=self.result)
        if self._start_ms is None:
            self._start_ms = t_ms
        obs = self.kit.analyzer.observe(frame_bgr, t_ms)
        good = obs is not None and obs.quality >= self.min_quality
        if good and obs.quality > self._best_quality:  # automatic capture: the best frontal frame so far
            self._best, self._best_quality = frame_bgr.copy(), obs.quality
        self._good_run = self._good_run + 1 if good else 0
        if self.liveness is None:
            if self._good_run < self.steady_frames:  # a tracker's first frames measure the pose loosely
                if t_ms - self._start_ms > self.timeout_ms:
                    return self._finish(FaceDecision.NO_FACE)
                return TryStatus(hint="no_face" if obs is None else ("" if good else "adjust"))
            self.liveness = self.kit.new_liveness()
        if self._live_done:
            if good and obs.quality >= FINAL_QUALITY_SHARE * self._best_quality:
                return self._compare(frame_bgr)
            if t_ms - self._start_ms > self.timeout_ms:
                return self._finish(FaceDecision.NO_FACE)
            return TryStatus(checking=True, hint="no_face" if obs is None else "adjust")
        asked = self.liveness.feed(frame_bgr, obs)
        if asked is None:
            live = self.liveness.result()
            if not live.passed or self._best is None:
                return self._finish(FaceDecision.NOT_LIVE)
            self._live_done = True
            return TryStatus(checking=True)
        if t_ms - self._start_ms > self.timeout_ms:
            return self._finish(FaceDecision.NOT_LIVE)
        return TryStatus(challenge=asked, hint="" if obs is not None else "no_face")

    def _compare(self, final_bgr: np.ndarray) -> TryStatus:
        assert self._best is not None
        score = min(float(self.kit.matcher.score(self.card, self._best)),
                    float(self.kit.matcher.score(self.card, final_bgr)))
        decision = FaceDecision.PASS if score >= self.kit.matcher.threshold else FaceDecision.MISMATCH
        return self._finish(decision, score)

    def _finish(self, decision: FaceDecision, score: float | None = None) -> TryStatus:
        live = self.liveness.result() if self.liveness is not None else None
        self.result = FaceResult(decision=decision, score=score, threshold=float(self.kit.matcher.threshold),
                                 liveness=live, engine=getattr(self.kit.matcher, "name", ""), tries=self.try_no)
        self.forget()
        return TryStatus(result=self.result)

    def forget(self) -> None:
        """Overwrite the kept frame and drop the card photo: nothing of the face stays."""
        if self._best is not None:
            self._best.fill(0)
        self._best = None
        self.card = np.zeros((1, 1, 3), np.uint8)
