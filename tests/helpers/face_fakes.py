"""Fakes of the face contract (kiosk/face/api.py) for the face step's tests: no model, no real camera.

A fake frame is a tiny image whose first pixel says what the camera sees (``scene``): nobody, a face not
good enough, a good face, or a face doing a challenge; its second channel says whose face it is and its
third marks a spoof (a photo held up). The fake analyzer, matcher and liveness read those marks, so a test
plays a person in front of the camera with ``FakeFaceCamera.show(...)``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from kiosk.face.api import Challenge, FaceObservation, LivenessResult
from kiosk.face.attempt import FaceKit

NOBODY, POOR, GOOD = 0, 1, 2
DOING = {Challenge.BLINK: 10, Challenge.TURN_LEFT: 11, Challenge.TURN_RIGHT: 12}
HOLDER, IMPOSTOR = 1, 2


def frame(scene: int, person: int = HOLDER, spoof: bool = False) -> np.ndarray:
    img = np.full((8, 8, 3), 128, np.uint8)
    img[0, 0] = (scene, person, 1 if spoof else 0)
    return img


def card_photo_png(person: int = HOLDER) -> bytes:
    import cv2

    ok, data = cv2.imencode(".png", frame(GOOD, person))
    assert ok
    return data.tobytes()


class FakeFaceAnalyzer:
    def observe(self, frame_bgr: np.ndarray, t_ms: int = 0) -> FaceObservation | None:
        scene = int(frame_bgr[0, 0, 0])
        if scene == NOBODY:
            return None
        quality = 0.2 if scene == POOR else 0.9
        return FaceObservation(box=(2, 2, 4, 4), landmarks=np.zeros((5, 2), np.float32),
                               eye_openness=0.05 if scene == DOING[Challenge.BLINK] else 0.3,
                               yaw_deg={11: 25.0, 12: -25.0}.get(scene, 0.0), quality=quality, t_ms=t_ms)


class FakeFaceMatcher:
    name = "fake-matcher 1"
    threshold = 0.5

    def __init__(self) -> None:
        self.compared: list[np.ndarray] = []  # the live frames it was given (the test checks they are wiped)

    def score(self, card_photo_bgr: np.ndarray, live_bgr: np.ndarray) -> float:
        self.compared.append(live_bgr)
        return 0.93 if int(card_photo_bgr[0, 0, 1]) == int(live_bgr[0, 0, 1]) else 0.12


class FakeLiveness:
    """Asks ``challenges`` in order; a challenge is done when a frame shows it; a spoof mark fails it."""

    def __init__(self, challenges: tuple[Challenge, ...]) -> None:
        self.challenges = challenges
        self.done = [False] * len(challenges)
        self.spoof = False

    def feed(self, frame_bgr: np.ndarray, obs: FaceObservation | None) -> Challenge | None:
        self.spoof = self.spoof or bool(frame_bgr[0, 0, 2])
        i = sum(self.done)
        if i < len(self.challenges) and int(frame_bgr[0, 0, 0]) == DOING[self.challenges[i]]:
            self.done[i] = True
            i += 1
        return self.challenges[i] if i < len(self.challenges) else None

    def result(self) -> LivenessResult:
        passed = all(self.done) and not self.spoof
        return LivenessResult(passed=passed, challenges=tuple(self.challenges), done=tuple(self.done),
                              passive={"texture": 0.1 if self.spoof else 0.8},
                              reason="" if passed else ("photo" if self.spoof else "timeout"))


def fake_kit(challenges=(Challenge.BLINK, Challenge.TURN_LEFT), seed: int | None = None) -> FaceKit:
    """A kit; with ``seed`` the challenges come in a random order of two (as the real check asks them)."""
    rng = random.Random(seed)

    def new() -> FakeLiveness:
        if seed is None:
            return FakeLiveness(tuple(challenges))
        return FakeLiveness(tuple(rng.sample(list(Challenge), 2)))

    return FaceKit(FakeFaceAnalyzer(), FakeFaceMatcher(), new)


@dataclass
class _Preview:
    seq: int
    image: np.ndarray


class FakeFaceCamera:
    """The face camera's newest preview frame (``latest()``), which the test shows."""

    def __init__(self) -> None:
        self._preview: _Preview | None = None
        self._seq = 0
        self.active = False  # devices.camera.face.FaceCamera: frames only while the face step switches it on
        self.prompts: list[str | None] = []  # the challenges the step told the camera (the screen shows)

    def set_active(self, active: bool) -> None:
        self.active = active

    def prompt(self, challenge: str | None) -> None:
        self.prompts.append(challenge)

    def show(self, image: np.ndarray) -> None:
        self._seq += 1
        self._preview = _Preview(self._seq, image)

    def latest(self) -> _Preview | None:
        return self._preview


class FakeSimPerson(FakeFaceCamera):
    """The simulated person in front of the face camera (sim://face's shape): told the challenge the screen
    shows (``prompt``), the person does it; ``set_person(identity, role)`` chooses who stands there."""

    def __init__(self) -> None:
        super().__init__()
        self.person, self.spoofing = HOLDER, False
        self.performed: list[Challenge] = []

    def stand(self, name: str) -> None:
        from ui.autopilot_face import sim_face_names

        self.person = IMPOSTOR if name == sim_face_names("elder")[1] else HOLDER
        self.look()

    def spoof(self, kind: str | None) -> None:  # the simulator's knob: the frames carry the mark
        self.spoofing = kind is not None
        self.look()

    def look(self) -> None:
        self.show(frame(GOOD, self.person, self.spoofing))

    def prompt(self, challenge: str | None) -> None:
        super().prompt(challenge)
        if challenge is None:
            self.look()
            return
        self.performed.append(Challenge(challenge))
        self.show(frame(DOING[Challenge(challenge)], self.person, self.spoofing))
