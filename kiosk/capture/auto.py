"""Automatic capture: take the still when the page under the camera is steady and good, say what is wrong
when it is not.

``AutoCapture`` is pure logic fed with one observation per preview frame (the page outline or None, the
live quality problems, the time); it decides when to fire and what the screen should say. ``LivePreview``
runs it on its own thread while the materials screen shows: it follows the camera's preview frames with a
``PageTracker`` (tracking costs a fraction of a detection), checks each frame's quality and calls
``on_fire`` once per page. After a capture it waits until the page is taken away, replaced or moved, so a
page is never captured twice by accident; after a refused capture it tries again after a pause.

When something lies under the camera (the frame no longer looks like the empty bed, ``kiosk.capture.presence``,
or detection found something page-like below ``CONFIDENT``) but no outline is confident for
``unsure_after_s``, the screen says so ("unsure") and the citizen captures the whole picture by hand: no outline
is ever drawn or cropped to below ``CONFIDENT`` (a bag, the desk, a stack's union).
"""
from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable, Mapping

import numpy as np

from .bed import LearnedBed, SheetMemo
from .presence import bed_look, look_difference

log = logging.getLogger(__name__)

# Live problems in the order the citizen should fix them (the first one is shown).
LIVE_PROBLEMS = ("leftover", "no_page", "unsure", "cut_off", "too_small", "moving", "blur", "glare")


class AutoState(StrEnum):
    OFF = "off"                # auto-capture disabled (manual 拍摄 only), or the material is full
    NO_PAGE = "no_page"        # no page outline: nothing there, or (problem "unsure") no edges found with confidence
    PROBLEM = "problem"        # a page, but something is wrong (``problem`` says what)
    STEADYING = "steadying"    # a good page: hold still (``progress`` runs 0..1)
    CAPTURING = "capturing"    # fired; the still is being taken and processed
    DONE = "done"              # this page is captured: lay the next one (re-arms when the page changes)


@dataclass(frozen=True)
class AutoCaptureSettings:
    """Tunables, read from the camera's driver options (``[devices.camera.options]``) where given."""

    enabled: bool = True
    hold_s: float = 0.8                  # the page must stay steady and good this long
    steady_fraction: float = 0.006       # max corner motion between frames, fraction of the frame's long side
    min_frames: int = 3                  # ... over at least this many consecutive frames
    rearm_after_failure_s: float = 2.5   # a refused capture (blur, no page in the still) is retried after this
    moved_iou: float = 0.85              # a captured page counts as replaced when the outline changes this much
    changed_correlation: float = 0.8     # ... or when its picture correlates less than this with the captured one
    gone_frames: int = 2                 # ... or when no page is seen for this many frames
    unsure_after_s: float = 2.0          # something lies there but no outline is confident this long: say so
    bed_change: float = 0.006            # look difference from the empty bed (presence.look_difference, fraction
                                         # of full scale) from which something lies there; noise ~0.002
    presence_confidence: float = 0.25    # find_page confidence (0..1) from which something page-like lies there
    confidence_probe_s: float = 0.5      # LivePreview: a frame without a page is asked find_page at most this often
    bed_follow: float = 0.05             # the empty bed's look follows slow light changes by this weight per frame
    bed_settle_s: float = 0.6            # the bed is learnt (again) once it has looked the same this long, empty

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> "AutoCaptureSettings":
        o = dict(options or {})
        kw: dict[str, Any] = {}
        if "auto_capture" in o:
            kw["enabled"] = bool(o["auto_capture"])
        if "auto_hold_s" in o:
            kw["hold_s"] = float(o["auto_hold_s"])
        if "auto_steady_fraction" in o:
            kw["steady_fraction"] = float(o["auto_steady_fraction"])
        if "auto_unsure_after_s" in o:
            kw["unsure_after_s"] = float(o["auto_unsure_after_s"])
        if "auto_bed_change" in o:
            kw["bed_change"] = float(o["auto_bed_change"])
        return cls(**kw)


@dataclass(frozen=True)
class AutoStatus:
    state: AutoState
    progress: float = 0.0                   # 0..1: how far through the hold-still time
    problem: str | None = None              # one of LIVE_PROBLEMS while state is NO_PAGE or PROBLEM
    fire: bool = False                      # True on exactly one observation: take the still now


@dataclass
class _Captured:
    quad: np.ndarray | None                 # None: captured by hand before the preview saw the page
    signature: np.ndarray | None
    at: float
    ok: bool | None = None                  # None while the capture is running
    look: np.ndarray | None = None          # captured by hand while unsure: the whole frame's look at that moment


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    from devices.camera.docscan import polygon_iou  # noqa: PLC0415 - OpenCV only when the camera is used

    return polygon_iou(a, b)


def _correlation(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None or a.shape != b.shape:
        return 1.0
    x, y = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
    x, y = x - x.mean(), y - y.mean()
    denom = math.sqrt(float(x @ x) * float(y @ y))
    return float(x @ y) / denom if denom > 1e-9 else 1.0


class AutoCapture:
    """Decides, frame by frame, when to take the still. Not thread-safe: feed it from one thread."""

    def __init__(self, settings: AutoCaptureSettings | None = None) -> None:
        self.settings = settings or AutoCaptureSettings()
        self.enabled = self.settings.enabled
        self._last: np.ndarray | None = None         # previous frame's corners
        self._last_signature: np.ndarray | None = None
        self._steady_since: float | None = None
        self._steady_frames = 0
        self._captured: _Captured | None = None
        self._gone = 0
        self.leftover = False  # a page lay there before the citizen came: nothing fires until it is taken away
        self._empty_look: np.ndarray | None = None   # the empty bed (kept across materials and citizens)
        self._learn_bed = True                         # the bed is expected empty: learn its look once steady
        self._last_look: np.ndarray | None = None
        self._look_steady_since: float | None = None
        self._unsure_since: float | None = None
        self.unsure = False    # the last frame: something lies there, but no outline is confident

    def expect_empty_bed(self) -> None:
        """A new citizen: whatever lies under the camera now was left by someone else. It is not captured,
        automatically or by hand, until the bed has been seen empty (``gone_frames`` frames with no page)."""
        self.reset()
        self.leftover = True

    def reset(self) -> None:
        """Forget everything (a new material, the screen shown again)."""
        self._last = None
        self._last_signature = None
        self._steady_since = None
        self._steady_frames = 0
        self._captured = None
        self._gone = 0
        self._unsure_since = None

    def manual(self, now: float) -> None:
        """The citizen tapped 拍摄: the page lying there now is being captured, so it must not be captured
        again automatically. If no page has been seen yet (tapped at once after laying it), the first page
        seen next counts as that page."""
        look = self._last_look if self.unsure and self._last is None else None  # the thing that cannot be outlined
        self._captured = _Captured(quad=self._last, signature=self._last_signature, at=now, look=look)

    def captured(self, ok: bool, now: float) -> None:
        """The capture that was fired has finished: ``ok`` if a page was kept."""
        if self._captured is not None:
            self._captured.ok = ok
            self._captured.at = now

    def feed(self, quad: np.ndarray | None, problems: tuple[str, ...], now: float, frame_long_side: int,
             signature: np.ndarray | None = None, *, look: np.ndarray | None = None,
             confidence: float = 0.0) -> AutoStatus:
        """One preview frame: the page outline (4x2 corners, or None), its live problems, the time (s), the
        frame's long side (px) and optionally a small picture of the page (to notice a swapped page), the whole
        frame's look (``presence.bed_look``) and find_page's confidence when no outline was given."""
        s = self.settings
        quad = None if quad is None else np.asarray(quad, np.float64).reshape(4, 2)
        moving = self._track_motion(quad, now, s.steady_fraction * frame_long_side)
        self._last_signature = signature
        self._watch_bed(quad, look, confidence, now)
        if self.leftover:
            self._gone = self._gone + 1 if quad is None else 0
            if self._gone < s.gone_frames:
                return AutoStatus(AutoState.PROBLEM, problem="leftover")
            self.leftover, self._gone = False, 0
            self._bed_seen_empty()
        if self._captured is not None:
            status = self._after_capture(quad, now, signature, look)
            if status is not None:
                return status
        if not self.enabled:
            return AutoStatus(AutoState.OFF, problem=_first(problems))
        if quad is None or "no_page" in problems:
            unsure = self._unsure_since is not None and now - self._unsure_since >= s.unsure_after_s
            return AutoStatus(AutoState.NO_PAGE, problem="unsure" if unsure else "no_page")
        shown = tuple(p for p in problems if p in LIVE_PROBLEMS) + (("moving",) if moving else ())
        if shown:
            # The hold-still time counts from when the page is good, not from when it stopped moving.
            self._steady_since, self._steady_frames = now, 0
            return AutoStatus(AutoState.PROBLEM, problem=_first(shown))
        held = now - (self._steady_since if self._steady_since is not None else now)
        progress = min(1.0, held / s.hold_s) if s.hold_s > 0 else 1.0
        if progress >= 1.0 and self._steady_frames >= s.min_frames:
            self._captured = _Captured(quad=quad, signature=signature, at=now)
            return AutoStatus(AutoState.CAPTURING, progress=1.0, fire=True)
        return AutoStatus(AutoState.STEADYING, progress=progress)

    @property
    def bed_known(self) -> bool:
        """The empty bed's look has been learnt (and is not being learnt again)."""
        return self._empty_look is not None and not self._learn_bed

    def _watch_bed(self, quad: np.ndarray | None, look: np.ndarray | None, confidence: float, now: float) -> None:
        """Is something lying there that has no confident outline (``unsure``)? While the bed is expected empty
        (at first, after a page was lifted) its look is learnt once it has stayed the same for ``bed_settle_s``
        with nothing page-like on it (a hand still over it moves); it then follows slow light changes."""
        s = self.settings
        prev, self._last_look = self._last_look, look
        if quad is not None:
            self.unsure, self._unsure_since, self._look_steady_since = False, None, None
            return
        page_like = confidence >= s.presence_confidence
        if look is not None and prev is not None and look_difference(look, prev) < s.bed_change / 2:
            self._look_steady_since = now if self._look_steady_since is None else self._look_steady_since
        else:
            self._look_steady_since = None
        if self._learn_bed and look is not None and not page_like and self._look_steady_since is not None \
                and now - self._look_steady_since >= s.bed_settle_s:
            self._empty_look, self._learn_bed, self._unsure_since = look.copy(), False, None
        self.unsure = page_like or self.bed_changed(look)
        if not self.unsure:
            self._unsure_since = None
            if look is not None and self._empty_look is not None and look.shape == self._empty_look.shape:
                self._empty_look = (1 - s.bed_follow) * self._empty_look + s.bed_follow * look
        elif self._unsure_since is None:
            self._unsure_since = now

    def bed_changed(self, look: np.ndarray | None) -> bool:
        """The look differs from the empty bed's (False while the empty bed has not been seen)."""
        return look is not None and self._empty_look is not None \
            and look_difference(look, self._empty_look) >= self.settings.bed_change

    def _bed_seen_empty(self) -> None:
        """A page was taken away and nothing is found: the bed is expected empty, learn how it looks now."""
        self._learn_bed = True

    def _track_motion(self, quad: np.ndarray | None, now: float, limit_px: float) -> bool:
        """Update the steadiness run; True when the page moved since the previous frame."""
        last, self._last = self._last, quad
        if quad is None or last is None:
            self._steady_since, self._steady_frames = (now if quad is not None else None), 0
            return False
        if float(np.abs(quad - last).max()) > limit_px:
            self._steady_since, self._steady_frames = now, 0
            return True
        if self._steady_since is None:
            self._steady_since = now
        self._steady_frames += 1
        return False

    def _after_capture(self, quad: np.ndarray | None, now: float, signature: np.ndarray | None,
                       look: np.ndarray | None = None) -> AutoStatus | None:
        """While a captured page still lies there: CAPTURING/DONE. None once it is gone or replaced."""
        cap = self._captured
        assert cap is not None
        s = self.settings
        if cap.quad is None and quad is not None:    # the page the citizen captured by hand, seen now
            cap.quad, cap.signature = quad, signature
        if cap.ok is None:
            return AutoStatus(AutoState.CAPTURING, progress=1.0)
        self._gone = self._gone + 1 if quad is None else 0
        if quad is None and cap.look is not None and look_difference(look, cap.look) < s.bed_change:
            self._gone = 0  # the thing captured whole by hand still lies there, unchanged
        replaced = quad is not None and cap.quad is not None and (_iou(quad, cap.quad) < s.moved_iou
                                         or _correlation(signature, cap.signature) < s.changed_correlation)
        retry = not cap.ok and now - cap.at >= s.rearm_after_failure_s
        if self._gone >= s.gone_frames or replaced or retry:
            if self._gone >= s.gone_frames and cap.ok and cap.quad is not None:
                self._bed_seen_empty()   # the captured page was lifted: learn the bed as it looks now
            self._captured = None
            self._gone = 0
            self._steady_since = now if quad is not None else None
            self._steady_frames = 0
            return None
        return AutoStatus(AutoState.DONE if cap.ok else AutoState.PROBLEM, progress=0.0,
                          problem=None if cap.ok else "retry")


def _first(problems: tuple[str, ...]) -> str | None:
    ranked = [p for p in LIVE_PROBLEMS if p in problems]
    return ranked[0] if ranked else (problems[0] if problems else None)


# ------------------------------------------------------------------------------------------ live preview
@dataclass(frozen=True)
class LiveFrame:
    """One analysed preview frame: what the screen draws and says."""

    image: np.ndarray                    # the preview frame (BGR)
    seq: int                             # the camera's frame number
    quad: np.ndarray | None              # page corners in the frame (4x2), or None
    status: AutoStatus
    analysed_ms: float = 0.0             # time spent on this frame (tracking/detection and checks)


def live_problems(image: np.ndarray, quad: Any) -> tuple[str, ...]:
    """Quality problems that can be seen on a preview frame (no orientation check: too costly live)."""
    from devices.camera import docscan  # noqa: PLC0415

    return tuple(docscan.assess(image, quad, orientation=False).problems)


def page_signature(image: np.ndarray, quad: Any, size: tuple[int, int] = (24, 24)) -> np.ndarray | None:
    """A tiny grey picture of the page (to tell a swapped page from the one captured)."""
    import cv2  # noqa: PLC0415

    if quad is None:
        return None
    src = np.asarray(quad.as_array() if hasattr(quad, "as_array") else quad, np.float32).reshape(4, 2)
    dst = np.float32([[0, 0], [size[0] - 1, 0], [size[0] - 1, size[1] - 1], [0, size[1] - 1]])
    m = cv2.getPerspectiveTransform(src, dst)
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    small = cv2.warpPerspective(gray, m, size, flags=cv2.INTER_AREA)
    return cv2.GaussianBlur(small, (3, 3), 0)


@dataclass
class _Counters:
    frames: int = 0
    fired: int = 0
    bed_outlines: int = 0       # outlines refused because their inside shows the learned empty bed
    bed_sheets: int = 0         # table outlines replaced by the sheet lying inside them (bed.page_within)
    analysis_ms: list[float] = field(default_factory=list)


class LivePreview:
    """Follows the document camera's preview on a thread of its own and drives an ``AutoCapture``.

    ``camera()`` returns the camera device (asked at each frame: unplug and replug just work);
    ``on_frame(LiveFrame)`` is called for each analysed frame and ``on_fire()`` when the still should be
    taken, both on the preview thread. ``step()`` analyses one new frame synchronously (tests, tools).
    """

    def __init__(self, camera: Callable[[], Any], *, on_frame: Callable[[LiveFrame], None] | None = None,
                 on_fire: Callable[[], None] | None = None, settings: AutoCaptureSettings | None = None,
                 interval_s: float = 0.1, clock: Callable[[], float] = time.monotonic) -> None:
        from devices.camera.docscan import PageTracker  # noqa: PLC0415

        self._camera = camera
        self.on_frame = on_frame
        self.on_fire = on_fire
        self.auto = AutoCapture(settings)
        self.interval_s = interval_s
        self.clock = clock
        self.tracker = PageTracker()
        self.bed: LearnedBed | None = None   # the empty bed a technician showed (bed.py); set by the owner
        self._sheets = SheetMemo()
        self.counters = _Counters()
        self._latest: LiveFrame | None = None
        self._seq = -1
        self._probed_at: float | None = None   # when find_page's confidence was last asked (frames without a page)
        self._confidence = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ----- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self.reset()
        # A stop event per thread: a thread still finishing its last frame after stop() must not be revived.
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(self._stop,), name="live-preview", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        """Stop following the preview; waits up to ``timeout_s`` for the thread (0: do not wait, e.g. when the
        caller holds a lock the frame callbacks might need)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread() and timeout_s > 0:
            thread.join(timeout_s)
        with self._lock:
            self._latest = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def reset(self) -> None:
        """A new material or side: forget the page captured last."""
        with self._lock:
            self.auto.reset()
            self.tracker.reset()

    def expect_empty_bed(self) -> None:
        """A new citizen's first look at the bed (``AutoCapture.expect_empty_bed``)."""
        with self._lock:
            self.auto.expect_empty_bed()
            self.tracker.reset()

    @property
    def leftover(self) -> bool:
        return self.auto.leftover

    @property
    def unsure(self) -> bool:
        """The newest frame: something lies there, but no outline is confident (capture it whole by hand)."""
        return self.running and self.auto.unsure

    def set_enabled(self, on: bool) -> None:
        with self._lock:
            self.auto.enabled = on and self.auto.settings.enabled

    def manual(self) -> None:
        """A capture started by hand (see ``AutoCapture.manual``)."""
        with self._lock:
            self.auto.manual(self.clock())

    def captured(self, ok: bool) -> None:
        with self._lock:
            self.auto.captured(ok, self.clock())

    def latest(self) -> LiveFrame | None:
        with self._lock:
            return self._latest

    # ----- work ---------------------------------------------------------------------------------
    def _run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                self.step()
            except Exception:  # a bad frame must not end the preview
                log.exception("live preview: frame analysis failed")
            stop.wait(max(0.01, self.interval_s - (time.monotonic() - started)))

    def step(self) -> LiveFrame | None:
        """Analyse the camera's newest preview frame if it is new; returns it (None when nothing new)."""
        camera = self._camera()
        preview = camera.latest() if camera is not None and hasattr(camera, "latest") else None
        if preview is None or preview.seq == self._seq:
            return None
        self._seq = preview.seq
        t0 = time.perf_counter()
        with self._lock:
            detections = self.tracker.detected
            q = self.tracker.update(preview.image)
            look = bed_look(preview.image)
            if q is not None and self.bed is not None:
                q = self._against_bed(preview.image, q, look, fresh=self.tracker.detected != detections)
            problems = live_problems(preview.image, q)
            sig = page_signature(preview.image, q) if q is not None else None
            corners = q.as_array() if q is not None else None
            now = self.clock()
            confidence = self._probe(preview.image, q, look, now)
            status = self.auto.feed(corners, problems, now, max(preview.image.shape[:2]), sig, look=look,
                                    confidence=confidence)
            ms = (time.perf_counter() - t0) * 1e3
            frame = LiveFrame(preview.image, preview.seq, corners, status, ms)
            self._latest = frame
            self.counters.frames += 1
            self.counters.analysis_ms = (self.counters.analysis_ms + [ms])[-50:]
            if status.fire:
                self.counters.fired += 1
        if self.on_frame is not None:
            self.on_frame(frame)
        if status.fire and self.on_fire is not None:
            self.on_fire()
        return frame

    def _against_bed(self, image: np.ndarray, q: Any, look: np.ndarray, *, fresh: bool) -> Any:
        """The outline ``q`` checked against the learned empty bed (bed.py): None when it is the bed itself (a
        pale table's edges); the sheet when a fresh detection outlined the table with a sheet on it (asked only
        on frames with a full detection: a tracked outline was checked when it was detected)."""
        size = (image.shape[1], image.shape[0])
        if self.bed.only_bed(look, q.as_array(), size):
            self.tracker.reset()   # not followed: a sheet laid next is found afresh, not as the table
            self.counters.bed_outlines += 1
            return None
        if fresh:
            inner = self._sheets.page_within(self.bed, image, q.as_array(), look, self.auto.settings.bed_change / 2)
            if inner is not None:
                from devices.camera.docscan import Quad  # noqa: PLC0415

                q = self.tracker.quad = Quad.from_points(inner)   # followed from here on
                self.counters.bed_sheets += 1
        return q

    def _probe(self, image: np.ndarray, quad: Any, look: np.ndarray, now: float) -> float:
        """find_page's confidence on a frame without an outline, asked at most every ``confidence_probe_s`` (a
        second detection): not when the frame already differs from the empty bed, which says enough."""
        from devices.camera.docscan import find_page  # noqa: PLC0415

        s = self.auto.settings
        if quad is not None:
            self._confidence, self._probed_at = 0.0, None
            return 1.0
        if self.auto.bed_changed(look):
            self._probed_at = None   # not asked (the look says enough); asked at once when it no longer does
            return 0.0
        if self._probed_at is None or now - self._probed_at >= s.confidence_probe_s:
            if self.bed is not None and self.bed.only_bed(look, None, (image.shape[1], image.shape[0])):
                self._probed_at, self._confidence = now, 0.0   # the learned empty bed, whatever its edges say
            else:
                self._probed_at, self._confidence = now, find_page(image).confidence
        return self._confidence


__all__ = ["AutoCapture", "AutoCaptureSettings", "AutoState", "AutoStatus", "LiveFrame", "LivePreview",
           "live_problems", "page_signature"]
