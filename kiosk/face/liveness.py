"""The liveness check (活体检测): random active challenges plus passive checks over the whole sequence.

``ChallengeLiveness`` implements ``kiosk.face.api.LivenessCheck``. At construction it draws
``LivenessSettings.challenges`` distinct challenges in random order (blink, turn left, turn right), so a
recorded video cannot know what will be asked. The face step feeds it every frame with the analyzer's
observation; it answers the challenge to show now. Each challenge has its own time limit.

While the challenges run it samples the passive measures (kiosk.face.passive): texture (a print is flat),
moire (a screen, in frames turned no more than ``moire_max_yaw_deg``), and depth (during a turn the landmarks must not move as one plane). The verdict:

- moire above its limit: ``screen``, or ``replay`` when the sequence moved like a person (a blink or a
  non-planar turn was seen: a video of someone, played on a phone);
- texture below its limit, or a planar turn: ``photo``;
- a challenge not done in time (and no spoof evidence): ``timeout``.

Time comes from the observations' ``t_ms`` (the camera's frame time), or from ``clock_ms`` when given (the
face step passes its clock, so frames without a face still run the time limit down).
"""
from __future__ import annotations

import enum
import random
from typing import Callable, Sequence

import numpy as np

from ..errors import KioskErrorCode
from ..settings import LivenessSettings
from . import passive
from .api import Challenge, FaceObservation, LivenessResult

# The notice a failed liveness result gives (the citizen's words are the same for every spoof: an attacker
# learns nothing from them; the technician's remedy and the audit trail name the evidence).
REASON_CODES = {
    "timeout": KioskErrorCode.LIVENESS_TIMEOUT,
    "photo": KioskErrorCode.LIVENESS_PHOTO,
    "screen": KioskErrorCode.LIVENESS_SCREEN,
    "replay": KioskErrorCode.LIVENESS_REPLAY,
    "no_depth": KioskErrorCode.LIVENESS_NO_DEPTH,
    "incomplete": KioskErrorCode.LIVENESS_TIMEOUT,
}


def liveness_code(result: LivenessResult) -> KioskErrorCode | None:
    """The kiosk error code of a failed result (None when it passed)."""
    if result.passed:
        return None
    return REASON_CODES.get(result.reason, KioskErrorCode.LIVENESS_TIMEOUT)


class LivenessState(enum.Enum):
    WAITING = "waiting"  # no face seen yet: the first challenge's clock has not started
    CHALLENGE = "challenge"  # a challenge is being asked
    PASSED = "passed"
    FAILED = "failed"


class ChallengeLiveness:
    """One face step's liveness check (a new one for each try)."""

    def __init__(self, settings: LivenessSettings | None = None, rng: random.Random | None = None,
                 clock_ms: Callable[[], int] | None = None) -> None:
        self.settings = settings or LivenessSettings()
        rng = rng or random.SystemRandom()
        self.challenges: Sequence[Challenge] = tuple(rng.sample(list(Challenge), self.settings.challenges))
        self._clock_ms = clock_ms
        self.state = LivenessState.WAITING
        self._index = 0
        self._done = [False] * len(self.challenges)
        self._started_ms: int | None = None
        self._now_ms = 0
        self._frames = 0
        self._open: list[float] = []  # eye openness with the eyes open (the blink's baseline)
        self._closed_seen = False
        self._blinks = 0
        self._yaw0: float | None = None
        self._reference: FaceObservation | None = None  # the most frontal observation
        self._turned: list[FaceObservation] = []
        self._texture: list[float] = []
        self._moire: list[float] = []
        self._reason = ""

    # ----- the protocol -----------------------------------------------------------------------
    @property
    def current(self) -> Challenge | None:
        if self.state in (LivenessState.PASSED, LivenessState.FAILED) or self._index >= len(self.challenges):
            return None
        return self.challenges[self._index]

    def feed(self, frame_bgr: np.ndarray | None, obs: FaceObservation | None) -> Challenge | None:
        if self.state in (LivenessState.PASSED, LivenessState.FAILED):
            return None
        if self._clock_ms is not None:
            self._now_ms = int(self._clock_ms())
        elif obs is not None:
            self._now_ms = int(obs.t_ms)
        if obs is not None:
            if self.state == LivenessState.WAITING:
                self.state = LivenessState.CHALLENGE
                self._started_ms = self._now_ms
                self._yaw0 = obs.yaw_deg
            self._frames += 1
            self._sample(frame_bgr, obs)
            if self._advance(obs):
                return self.current
        if self._started_ms is not None and self._now_ms - self._started_ms > self.settings.challenge_timeout_s * 1000:
            self._finish(timed_out=True)
        return self.current

    def result(self) -> LivenessResult:
        measures = self.measures()
        passed = self.state == LivenessState.PASSED
        reason = self._reason if self.state == LivenessState.FAILED else ("" if passed else "incomplete")
        return LivenessResult(passed=passed, challenges=tuple(self.challenges), done=tuple(self._done),
                              passive=measures, reason=reason)

    # ----- active challenges ------------------------------------------------------------------
    def _advance(self, obs: FaceObservation) -> bool:
        """Track the current challenge; True when the check finished on this frame."""
        s = self.settings
        baseline = float(np.percentile(self._open, 75)) if self._open else obs.eye_openness
        if obs.eye_openness < baseline * s.blink_closed_ratio:
            self._closed_seen = True
        else:
            if self._closed_seen and obs.eye_openness >= baseline * s.blink_open_ratio:
                self._closed_seen = False
                self._blinks += 1
                if self.current == Challenge.BLINK:
                    self._complete()
            if obs.eye_openness >= baseline * s.blink_open_ratio:
                self._open = (self._open + [obs.eye_openness])[-30:]
        turn = obs.yaw_deg - (self._yaw0 or 0.0)
        if (self.current == Challenge.TURN_LEFT and turn >= s.turn_deg) or (
                self.current == Challenge.TURN_RIGHT and turn <= -s.turn_deg):
            self._complete()
        if self._index >= len(self.challenges):
            self._finish(timed_out=False)
            return True
        return False

    def _complete(self) -> None:
        self._done[self._index] = True
        self._index += 1
        self._started_ms = self._now_ms  # the next challenge gets its full time

    # ----- passive evidence -------------------------------------------------------------------
    def _sample(self, frame: np.ndarray | None, obs: FaceObservation) -> None:
        yaw = obs.yaw_deg - (self._yaw0 or 0.0)
        if self._reference is None or abs(yaw) < abs(self._reference.yaw_deg - (self._yaw0 or 0.0)):
            self._reference = obs
        if abs(yaw) >= self.settings.depth_min_yaw_deg and len(self._turned) < 40:
            self._turned.append(obs)
        if frame is not None and (self._frames - 1) % self.settings.passive_every_n == 0:
            self._texture.append(passive.texture(frame, obs.box))
            if abs(yaw) <= self.settings.moire_max_yaw_deg:
                # a screen is looked for in frontal frames only: a turned head brings hair, an ear and the
                # background's edge into the crop, whose spectrum peaks like a screen's (a simulated live face
                # turned 20-30 degrees scored up to 13.8 against 5.7 frontal, the limit 11)
                self._moire.append(passive.moire(frame, obs.box))

    def measures(self) -> dict[str, float]:
        out: dict[str, float] = {}
        tex = [v for v in self._texture if np.isfinite(v)]
        mo = [v for v in self._moire if np.isfinite(v)]
        if tex:
            out["texture"] = float(np.median(tex))
        if mo:
            out["moire"] = float(np.median(mo))
        ref = self._reference
        if ref is not None and self._turned:
            depths = [passive.depth(ref.landmarks, o.landmarks, max(ref.box[2], 1.0)) for o in self._turned
                      if o.landmarks.shape == ref.landmarks.shape]
            depths = [d for d in depths if np.isfinite(d)]
            if depths:
                out["depth"] = float(np.median(depths))
        return out

    def _spoof_reason(self, m: dict[str, float]) -> str:
        s = self.settings
        planar = "depth" in m and m["depth"] < s.depth_min
        if m.get("moire", 0.0) > s.moire_max:
            moved_like_a_person = self._blinks > 0 or ("depth" in m and not planar)
            return "replay" if moved_like_a_person else "screen"
        if m.get("texture", float("inf")) < s.texture_min or planar:
            return "photo"
        return ""

    def _finish(self, timed_out: bool) -> None:
        m = self.measures()
        reason = self._spoof_reason(m)
        if not reason and not timed_out and "depth" not in m:
            reason = "no_depth"  # never turned far enough to measure: not proven live
        if not reason and timed_out:
            reason = "timeout"
        self._reason = reason
        self.state = LivenessState.FAILED if reason else LivenessState.PASSED
