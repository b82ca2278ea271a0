"""The face check's contract (人证核验): what the journey, the liveness check and a recogniser agree on.

Three parts meet here, each replaceable on its own:

- ``FaceAnalyzer`` finds one face in a camera frame and measures it (box, landmarks, eye openness, head
  yaw). The open implementation lives in kiosk/face/; a vendor's certified engine can replace it.
- ``FaceMatcher`` compares the card's photo with a live image and returns a similarity score. The score's
  scale is the matcher's own; ``threshold`` is where it decides "same person", chosen from measurements.
- ``LivenessCheck`` follows a sequence of observations through random active challenges (blink, turn
  left, turn right) and passive checks (texture, moire, depth change of the landmarks) and says whether
  a live person was in front of the camera.

Nothing here keeps a face: images pass through and only the score, the decision and the liveness result
(numbers and words) leave the step, for the audit trail and the signed application package.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np


class Challenge(enum.Enum):
    """One active liveness challenge the citizen is asked to do."""

    BLINK = "blink"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"


class FaceDecision(enum.Enum):
    """The face step's outcome, as the audit trail and the platform see it."""

    PASS = "pass"  # live, and the same person as the card's photo
    MISMATCH = "mismatch"  # live, but not the card's holder (score below threshold)
    NOT_LIVE = "not_live"  # liveness failed (photo, screen, replay, or a challenge not done in time)
    NO_FACE = "no_face"  # no usable face was seen within the time allowed
    DECLINED = "declined"  # the citizen declined biometric processing (goes to a staffed counter)


@dataclass(frozen=True)
class FaceObservation:
    """One face measured in one frame. Coordinates are pixels of that frame."""

    box: tuple[float, float, float, float]  # x, y, width, height
    landmarks: np.ndarray  # (N, 2) float32 pixel positions, N fixed per analyzer
    eye_openness: float  # eye aspect ratio averaged over both eyes; falls sharply in a blink
    yaw_deg: float  # head turn; positive = the citizen turns to THEIR left (the nose moves to +x in the raw, unmirrored frame)
    quality: float  # 0..1: size, sharpness, frontal pose; capture waits for >= the analyzer's minimum
    t_ms: int = 0  # frame time, monotonic milliseconds


class FaceAnalyzer(Protocol):
    """Finds the largest face in a BGR uint8 frame, or None."""

    def observe(self, frame_bgr: np.ndarray, t_ms: int = 0) -> FaceObservation | None: ...


class FaceMatcher(Protocol):
    """Compares two face images (BGR uint8): the card's photo and a live frame."""

    name: str  # engine name and version, recorded in the audit trail
    threshold: float  # score >= threshold means "same person"

    def score(self, card_photo_bgr: np.ndarray, live_bgr: np.ndarray) -> float: ...


@dataclass(frozen=True)
class LivenessResult:
    """What the liveness check concluded, with its evidence as numbers (no images)."""

    passed: bool
    challenges: tuple[Challenge, ...]  # the challenges asked, in order
    done: tuple[bool, ...]  # which of them were seen done
    passive: dict[str, float] = field(default_factory=dict)  # e.g. {"texture": .., "moire": .., "depth": ..}
    reason: str = ""  # short English words when it failed: "photo", "screen", "replay", "timeout" ...

    def as_record(self) -> dict:
        return {
            "passed": self.passed,
            "challenges": [c.value for c in self.challenges],
            "done": list(self.done),
            "passive": {k: round(float(v), 4) for k, v in self.passive.items()},
            "reason": self.reason,
        }


class LivenessCheck(Protocol):
    """Fed one frame at a time during the face step; random challenges chosen at construction."""

    challenges: Sequence[Challenge]

    def feed(self, frame_bgr: np.ndarray, obs: FaceObservation | None) -> Challenge | None:
        """Take a frame; return the challenge now asked of the citizen (None once all are done)."""
        ...

    def result(self) -> LivenessResult: ...


@dataclass(frozen=True)
class FaceResult:
    """The face step's result: the only thing of the face that outlives the step."""

    decision: FaceDecision
    score: float | None  # the matcher's score against the card photo (None if never compared)
    threshold: float | None
    liveness: LivenessResult | None
    engine: str = ""
    tries: int = 1

    def as_record(self) -> dict:
        """For the audit trail, the application package and the autopilot's JSON line."""
        return {
            "decision": self.decision.value,
            "score": None if self.score is None else round(float(self.score), 4),
            "threshold": self.threshold,
            "liveness": None if self.liveness is None else self.liveness.as_record(),
            "engine": self.engine,
            "tries": self.tries,
        }
