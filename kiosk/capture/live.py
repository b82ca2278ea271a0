"""The live preview of the document camera (part of kiosk.capture): ``LivePreview`` runs an ``auto.AutoCapture``
on a thread of its own while the materials screen shows. It follows the camera's preview frames with a
``PageTracker`` (tracking costs a fraction of a detection), checks each outline against the empty bed a technician
taught (``bed``), checks each frame's quality and calls ``on_fire`` once per page.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .auto import AutoCapture, AutoCaptureSettings, AutoStatus
from .bed import LearnedBed, SheetMemo
from .bed_watch import BedWatch
from .presence import bed_look, look_difference

log = logging.getLogger(__name__)


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
    quiet: int = 0              # frames not detected again: they looked as the last one where nothing was found
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
        self.bed_watch: BedWatch | None = None   # is that bed still what the camera sees (bed_watch.py)
        self._sheets = SheetMemo()
        self.counters = _Counters()
        self._latest: LiveFrame | None = None
        self._seq = -1
        # the look of the last frame on which a full detection found no page, and when (see _quiet_frame)
        self._quiet: tuple[np.ndarray, float] | None = None
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
            self._quiet = None

    def expect_empty_bed(self) -> None:
        """A new citizen's first look at the bed (``AutoCapture.expect_empty_bed``); the visit before is judged
        against the learned bed (``bed_watch``)."""
        with self._lock:
            if self.bed_watch is not None:
                self.bed_watch.visit_over(self.bed)
            self.auto.expect_empty_bed()
            self.tracker.reset()
            self._quiet = None

    @property
    def leftover(self) -> bool:
        return self.auto.leftover

    @property
    def doubting(self) -> bool:
        """A "page left there" lay untouched until it stopped blocking, and still lies there (never captured)."""
        return self.running and self.auto.doubting

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
            look = bed_look(preview.image)
            now = self.clock()
            quiet = self._quiet_frame(look, now)
            if quiet:
                q, confidence = None, self.tracker.confidence   # as the last detection on a frame that looked so
                self.counters.quiet += 1
            else:
                detections = self.tracker.detected
                q = self.tracker.update(preview.image)
                fresh = self.tracker.detected != detections
                if q is not None and self.bed is not None:
                    q = self._against_bed(preview.image, q, look, fresh=fresh)
                if fresh:
                    self._quiet = (look, now) if q is None else None
                confidence = self._confidence(preview.image, q, look)
            if self.bed_watch is not None:
                self.bed_watch.frame(self.bed, look, (preview.image.shape[1], preview.image.shape[0]))
            problems = live_problems(preview.image, q)
            sig = page_signature(preview.image, q) if q is not None else None
            corners = q.as_array() if q is not None else None
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

    def _quiet_frame(self, look: np.ndarray, now: float) -> bool:
        """Is this frame one not to detect again? A frame without a page (nothing tracked) that looks as the last
        one on which a full detection found nothing (``quiet_change``), for at most ``quiet_redetect_s``: an empty
        desk costs one detection a second, not ten; a page laid down, a hand or a change of light changes the
        look and is detected on its first frame."""
        s = self.auto.settings
        if self._quiet is None or self.tracker.quad is not None:
            return False
        seen, at = self._quiet
        return 0.0 <= now - at < s.quiet_redetect_s and look_difference(look, seen) < s.quiet_change

    def _confidence(self, image: np.ndarray, quad: Any, look: np.ndarray) -> float:
        """How sure the frame holds a page (``AutoCapture.feed``): 1 with an outline; without one, the
        confidence of the tracker's own last detection (no second detection is made to ask it), 0 while the
        look already differs from the empty bed (which says enough) or when the learned bed is all there is."""
        if quad is not None:
            return 1.0
        if self.auto.bed_changed(look):
            return 0.0
        if self.bed is not None and self.bed.only_bed(look, None, (image.shape[1], image.shape[0])):
            return 0.0   # the learned empty bed, whatever its edges say
        return self.tracker.confidence


__all__ = ["LiveFrame", "LivePreview", "live_problems", "page_signature"]
