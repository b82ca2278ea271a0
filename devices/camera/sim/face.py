"""The simulated face camera (``sim://face?person=holder&spoof=photo``): a person in front of the kiosk.

It renders what a kiosk's face camera (640x480, at arm's length) sees: a room behind, and in front either
a live person (their portrait from ``faces/<person>/live.png`` or a drawn placeholder, swaying a little,
blinking now and then, with sensor noise), or a spoof held up by someone:

- ``photo``: a printed photo of the person (flat texture; turned in the hand, it moves as one plane),
- ``screen``: the person's photo on a phone (moire from the subpixel grid, a dark bezel, bright screen),
- ``replay``: a video of the person on a phone (it blinks and turns, but on its own schedule, and shows
  the screen's moire).

The kiosk's face step tells the camera which challenge its screen shows (``FaceCamera.prompt``, which
reaches ``prompt`` here; a real camera ignores it): a live person does it after a reaction time (a blink
keeps the eyes shut ~200 ms; a turn brings the head to ~35 degrees and back), someone holding a photo or a
phone turns it in the hand, a replay goes on with its recording. ``obey=0`` makes a person who does not
follow the instructions (a challenge then times out).

``render_at(t_s)`` returns the frame and the ground truth (landmarks, eye openness, yaw), which tests and
the benchmark compare with what the analyzer and the liveness check make of the frame.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from ... import sim
from ...errors import DeviceError, DeviceErrorCode
from ...urls import DeviceURL
from . import face_model as fm
from . import spoof as sp

SPOOFS = ("photo", "screen", "replay")
CHALLENGES = ("blink", "turn_left", "turn_right")
REACTION_S = 0.35  # from the instruction on screen to the movement
BLINK_S = (0.06, 0.2, 0.08)  # closing, shut, opening: ~0.3 s with the lids past half shut (5 frames at 15 fps)
TURN_S = (0.4, 0.5, 0.4)  # turning, holding, turning back
TURN_DEG = 35.0  # asked to turn, people turn 30-40 degrees
FACE_UNIT_FRACTION = 0.2  # half the face's width as a fraction of the frame's height (~40 cm away)
# A replay's recording, looped: (start second, action)
REPLAY_SCRIPT = ((0.8, "blink"), (1.5, "turn_left"), (3.2, "blink"), (3.9, "turn_right"))
REPLAY_LOOP_S = 6.0


@dataclass(frozen=True)
class FaceTruth:
    """What was really in front of the camera in one frame, in that frame's pixels."""

    box: tuple[float, float, float, float]
    landmarks: np.ndarray  # (N, 2) float32: devices.camera.sim.face_model's template points
    eye_openness: float  # eye aspect ratio shown (a photo's stays whatever the photo shows)
    yaw_deg: float  # the pose shown: the head's turn, or the turn of the photo or phone in the hand
    t_ms: int
    spoof: str | None
    person: str


class SimFaceSource:
    """The frame source the face camera device reads (``devices.camera.capture.open_frame_source``)."""

    def __init__(self, hw: "FaceSimulator") -> None:
        self.hw = hw
        self.width, self.height = hw.width, hw.height
        self.last_truth: FaceTruth | None = None

    def read(self) -> np.ndarray | None:
        if self.hw.unplugged or self.hw.frozen:
            return None
        frame, self.last_truth = self.hw.render_at(self.hw.clock())
        return frame

    def still(self) -> np.ndarray:
        frame = self.read()
        if frame is None:
            raise DeviceError(DeviceErrorCode.FACE_CAMERA_NO_FRAMES, "simulated: no frames")
        return frame

    def prompt(self, challenge: str | None) -> None:
        self.hw.prompt(challenge)

    def close(self) -> None:
        pass


class FaceSimulator(sim.SimHardware):
    kind = "face"

    def __init__(self, url: DeviceURL, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(url)
        self.clock = clock
        self.width = url.int_param("width", 640)
        self.height = url.int_param("height", 480)
        self.seed = url.int_param("seed", 7)
        self.person: str | None = url.params.get("person", "holder") or None
        self.spoof_kind: str | None = None
        self.obey = url.params.get("obey", "1") != "0"
        self.frozen = False  # connected but no frames (a camera whose stream stalled)
        self.frames = 0
        self._actions: list[tuple[float, str]] = []
        self._portraits: dict[str, fm.Portrait] = {}
        self._cache: dict[tuple, np.ndarray] = {}
        self._render_lock = threading.Lock()
        self.spoof(url.params.get("spoof") or None)

    def connect(self) -> SimFaceSource:
        if self.unplugged:
            raise DeviceError(DeviceErrorCode.FACE_CAMERA_NOT_FOUND, "simulated unplug")
        return SimFaceSource(self)

    # ----- knobs (the demo panel, the autopilot, tests) -----------------------------------------
    def stand(self, person: str | None) -> None:
        """Who stands in front of the camera (a name under faces/, e.g. the card holder or an impostor);
        None: nobody."""
        with self.lock:
            self.person = person
            self._actions.clear()
            self._cache.clear()

    def spoof(self, kind: str | None) -> None:
        """Hold up a spoof of the standing person: ``photo``, ``screen`` or ``replay``; None: the live person."""
        if kind is not None and kind not in SPOOFS:
            raise ValueError(f"unknown spoof {kind!r}; one of {SPOOFS}")
        with self.lock:
            self.spoof_kind = kind
            self._actions.clear()
            self._cache.clear()

    def prompt(self, challenge: str | None, at_s: float | None = None) -> None:
        """The kiosk shows ``challenge`` (blink, turn_left, turn_right); the person (or the one holding the
        spoof) reacts. A replay does not react; nor does a person with ``obey`` off."""
        if challenge is None:
            return
        if challenge not in CHALLENGES:
            raise ValueError(f"unknown challenge {challenge!r}; one of {CHALLENGES}")
        with self.lock:
            if not self.obey or self.spoof_kind == "replay":
                return
            if self.spoof_kind in ("photo", "screen") and challenge == "blink":
                return  # a photo cannot blink
            start = (self.clock() if at_s is None else at_s) + REACTION_S
            self._actions.append((start, challenge))

    perform = prompt

    def knobs(self) -> dict:
        return dict(super().knobs(), person=self.person, spoof=self.spoof_kind, obey=self.obey, frozen=self.frozen)

    # ----- motion -------------------------------------------------------------------------------
    def _pose(self, t: float, actions: list[tuple[float, str]], live: bool) -> tuple[float, float]:
        """(yaw_deg, eyes closed 0..1) at ``t``."""
        yaw = 1.5 * np.sin(2 * np.pi * t / 3.7 + self.seed) if live else 0.0
        closed = 0.0
        if live:  # a spontaneous blink every ~4.3 s
            phase = (t + self.seed * 0.37) % 4.3
            closed = max(closed, _blink_curve(phase - 3.0))
        for start, what in actions:
            dt = t - start
            if what == "blink":
                closed = max(closed, _blink_curve(dt))
            else:
                yaw += (TURN_DEG if what == "turn_left" else -TURN_DEG) * _turn_curve(dt)
        return float(yaw), float(closed)

    def _portrait(self, person: str) -> fm.Portrait:
        p = self._portraits.get(person)
        if p is None:
            p = self._portraits[person] = fm.load_portrait(person)
        return p

    # ----- rendering ----------------------------------------------------------------------------
    def render_at(self, t_s: float) -> tuple[np.ndarray, FaceTruth | None]:
        """The frame at time ``t_s`` (the clock's seconds) and what it truly shows."""
        with self.lock:
            person, kind, actions = self.person, self.spoof_kind, list(self._actions)
        with self._render_lock:
            self.frames += 1
            frame = self._background().copy()
            truth = None
            if person is not None:
                truth = self._render_person(frame, t_s, person, kind, actions)
        return self._add_noise(frame, t_s), truth

    def _add_noise(self, frame: np.ndarray, t_s: float) -> np.ndarray:
        """Sensor noise (sigma 2 levels), different in every frame: one of a bank of noise fields, shifted."""
        key = ("noise", frame.shape)
        bank = self._cache.get(key)
        if bank is None:
            rng = np.random.default_rng(self.seed)
            bank = self._cache[key] = np.clip(rng.normal(0, 2.0, (4, *frame.shape)), -8, 8).astype(np.int16)
        k = int(t_s * 1000)
        noise = np.roll(bank[k % 4], (k * 7) % frame.shape[0], axis=0)
        return np.clip(frame.astype(np.int16) + noise, 0, 255).astype(np.uint8)

    def _background(self) -> np.ndarray:
        key = ("bg", self.width, self.height)
        bg = self._cache.get(key)
        if bg is None:
            w, h = self.width, self.height
            ramp = np.linspace(205, 160, h, dtype=np.float32)[:, None, None]
            bg = np.broadcast_to(ramp * np.array([0.95, 1.0, 1.02], np.float32), (h, w, 3)).copy()
            cv2.rectangle(bg, (int(w * 0.05), int(h * 0.1)), (int(w * 0.22), h), (120, 135, 150), -1)  # a door
            cv2.rectangle(bg, (int(w * 0.75), int(h * 0.15)), (int(w * 0.93), int(h * 0.45)), (90, 140, 190), -1)
            bg = cv2.GaussianBlur(bg, (0, 0), 3.0).astype(np.uint8)  # out of focus behind the citizen
            self._cache[key] = bg
        return bg

    def _placement(self, p: fm.Portrait, t: float, live: bool) -> np.ndarray:
        """Affine from the portrait's canvas to the frame: the face's unit to FACE_UNIT_FRACTION of the
        frame's height, its middle near the frame's middle, swaying a little if the person is live."""
        s = FACE_UNIT_FRACTION * self.height / p.unit
        dx = 6 * np.sin(2 * np.pi * t / 3.1) if live else 1.5 * np.sin(2 * np.pi * t / 0.9)  # a hand shakes
        dy = 3 * np.sin(2 * np.pi * t / 4.3 + 1) if live else 1.0 * np.sin(2 * np.pi * t / 1.3)
        tx = self.width / 2 + dx - p.center[0] * s
        ty = self.height * 0.47 + dy - p.center[1] * s
        return np.array([[s, 0, tx], [0, s, ty]], np.float32)

    def _live_canvas(self, p: fm.Portrait, yaw: float, closed: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        image = fm.close_eyes(p, closed)
        geometry = fm.posed_points(p, yaw, 0.0, 0.0)
        canvas, alpha = fm.warp(p, image, geometry)
        return canvas, alpha, fm.posed_points(p, yaw, 0.0, closed)

    def _render_person(self, frame: np.ndarray, t: float, person: str, kind: str | None,
                       actions: list[tuple[float, str]]) -> FaceTruth:
        p = self._portrait(person)
        if kind is None:
            yaw, closed = self._pose(t, actions, live=True)
            canvas, alpha, pts = self._live_canvas(p, yaw, closed)
            m = self._placement(p, t, live=True)
            _composite(frame, canvas, alpha, m)
            landmarks = pts @ m[:, :2].T + m[:, 2]
            return _truth(landmarks, fm.eye_openness(pts), yaw, t, kind, person)
        hand_yaw, _ = self._pose(t, actions, live=False)
        if kind == "replay":
            tr = t % REPLAY_LOOP_S
            rec_yaw, closed = self._pose(tr, [(s, a) for s, a in REPLAY_SCRIPT], live=True)
            canvas, alpha, pts = self._live_canvas(p, rec_yaw, closed)
            content = _on_backdrop(canvas, alpha)
            shown_yaw, openness = rec_yaw + hand_yaw, fm.eye_openness(pts)
        else:
            key = ("still", person)
            content = self._cache.get(key)
            if content is None:
                content = self._cache[key] = _on_backdrop(p.image, p.alpha)
            pts = p.points
            shown_yaw, openness = hand_yaw, fm.eye_openness(p.points)
        h, w = content.shape[:2]
        m = self._placement(p, t, live=False)
        center = m @ np.array([w / 2, h / 2, 1.0], np.float32)
        s = float(m[0, 0])
        plane = sp.plane_homography(w * s, h * s, (float(center[0]), float(center[1])), hand_yaw)
        hom = plane @ np.diag([s, s, 1.0]).astype(np.float64)
        if kind == "photo":
            key = ("print", person)
            shown = self._cache.get(key)
            if shown is None:
                shown = self._cache[key] = sp.printed(content, np.random.default_rng(self.seed))
            _paste_plane(frame, shown, hom, border=None)
        else:
            _paste_screen(frame, content, hom, np.random.default_rng(self.seed))
        landmarks = cv2.perspectiveTransform(pts.reshape(-1, 1, 2).astype(np.float64), hom).reshape(-1, 2)
        return _truth(landmarks.astype(np.float32), openness, shown_yaw, t, kind, person)


def _blink_curve(dt: float) -> float:
    close, shut, reopen = BLINK_S
    if dt < 0 or dt > close + shut + reopen:
        return 0.0
    if dt < close:
        return dt / close
    if dt < close + shut:
        return 1.0
    return 1.0 - (dt - close - shut) / reopen


def _turn_curve(dt: float) -> float:
    turn, hold, back = TURN_S
    if dt < 0 or dt > turn + hold + back:
        return 0.0
    if dt < turn:
        return float(np.sin(np.pi / 2 * dt / turn))
    if dt < turn + hold:
        return 1.0
    return float(np.cos(np.pi / 2 * (dt - turn - hold) / back))


def _truth(landmarks: np.ndarray, openness: float, yaw: float, t: float, kind: str | None, person: str) -> FaceTruth:
    outline = landmarks[fm.GROUPS["outline"]]
    x0, y0 = outline.min(axis=0)
    x1, y1 = outline.max(axis=0)
    return FaceTruth((float(x0), float(y0), float(x1 - x0), float(y1 - y0)), landmarks.astype(np.float32),
                     float(openness), float(yaw), int(round(t * 1000)), kind, person)


def _on_backdrop(canvas: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The person as a photo shows them: on a plain studio backdrop."""
    backdrop = np.empty_like(canvas)
    backdrop[:] = (235, 225, 215)
    a = alpha[:, :, None]
    return (canvas * a + backdrop * (1 - a)).astype(np.uint8)


def _composite(frame: np.ndarray, canvas: np.ndarray, alpha: np.ndarray, m: np.ndarray) -> None:
    h, w = frame.shape[:2]
    img = cv2.warpAffine(canvas, m, (w, h), flags=cv2.INTER_LINEAR)
    a = cv2.warpAffine(alpha, m, (w, h), flags=cv2.INTER_LINEAR)[:, :, None]
    frame[:] = (img * a + frame * (1 - a)).astype(np.uint8)


def _paste_plane(frame: np.ndarray, image: np.ndarray, hom: np.ndarray, border: int | None) -> np.ndarray:
    h, w = frame.shape[:2]
    warped = cv2.warpPerspective(image, hom, (w, h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones(image.shape[:2], np.float32), hom, (w, h), flags=cv2.INTER_LINEAR)
    frame[:] = (warped * mask[:, :, None] + frame * (1 - mask[:, :, None])).astype(np.uint8)
    return mask


def _paste_screen(frame: np.ndarray, content: np.ndarray, hom: np.ndarray, rng: np.random.Generator) -> None:
    """A phone: a dark body a little larger than its screen, the content on the screen with its moire."""
    ch, cw = content.shape[:2]
    bezel = int(0.06 * cw)
    body = np.full((ch + 2 * bezel, cw + 2 * bezel, 3), 18, np.uint8)
    shift = np.array([[1, 0, -bezel], [0, 1, -bezel], [0, 0, 1]], np.float64)
    _paste_plane(frame, body, hom @ shift, border=None)
    h, w = frame.shape[:2]
    warped = cv2.warpPerspective(content, hom, (w, h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((ch, cw), np.float32), hom, (w, h), flags=cv2.INTER_NEAREST)
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    pitch, angle = float(rng.uniform(1.15, 1.6)), float(rng.uniform(-8, 8))  # this phone, this distance
    weights = sp.screen_weights((h, w), pitch, angle)[y0:y1, x0:x1]
    shown = sp.on_screen(warped[y0:y1, x0:x1], rng, pitch, angle, weights=weights)
    region = frame[y0:y1, x0:x1]
    sel = mask[y0:y1, x0:x1][:, :, None] > 0
    frame[y0:y1, x0:x1] = np.where(sel, shown, region)
