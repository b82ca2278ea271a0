"""Automatic capture: take the still when the page under the camera is steady and good, say what is wrong
when it is not.

``AutoCapture`` is pure logic fed with one observation per preview frame (the page outline or None, the
live quality problems, the time); it decides when to fire and what the screen should say. ``live.LivePreview``
runs it on its own thread while the materials screen shows. After a capture it waits until the page is taken away, replaced or moved, so a
page is never captured twice by accident; after a refused capture it tries again after a pause.

A page said to be left there that has lain there untouched for ``leftover_doubt_s`` may be no page at all (a
pale table's own edges, a stain, a sticker on a bed never learned): the kiosk stops waiting for it to be taken
away ("leftover_doubt"). It is then handled like a page already captured: nothing fires on it until it is taken
away or another page is laid, and while it lies there unchanged (``doubting``) 拍摄 is refused too (an empty bed
is no page, and a real one is someone else's). ``doubted`` counts these for the technician. The next citizen who
finds the very same scene (the whole frame's look) is not made to wait again: nobody took it away through a
whole visit.

When something lies under the camera (the frame no longer looks like the empty bed, ``kiosk.capture.presence``,
or detection found something page-like below ``CONFIDENT``) but no outline is confident for
``unsure_after_s``, the screen says so ("unsure") and the citizen captures the whole picture by hand: no outline
is ever drawn or cropped to below ``CONFIDENT`` (a bag, the desk, a stack's union).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Mapping

import numpy as np

from .presence import look_difference

# Live problems in the order the citizen should fix them (the first one is shown).
LIVE_PROBLEMS = ("leftover", "leftover_doubt", "no_page", "unsure", "cut_off", "too_small", "moving", "blur", "glare")


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
    quiet_change: float = 0.003          # LivePreview: a frame whose look differs less than this (fraction of full
                                         # scale; frame to frame noise <= 0.0019, a pale page 0.011) from the last
                                         # one where detection found nothing is not detected again ...
    quiet_redetect_s: float = 1.0        # ... for at most this long (an empty desk: one detection a second)
    bed_follow: float = 0.05             # the empty bed's look follows slow light changes by this weight per frame
    bed_settle_s: float = 0.6            # the bed is learnt (again) once it has looked the same this long, empty
    leftover_doubt_s: float = 15.0       # a page "left there" lying untouched this long stops blocking (see above)

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
        if "auto_leftover_doubt_s" in o:
            kw["leftover_doubt_s"] = float(o["auto_leftover_doubt_s"])
        if "auto_quiet_redetect_s" in o:
            kw["quiet_redetect_s"] = float(o["auto_quiet_redetect_s"])
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
    doubted: bool = False                   # not captured: a "page left there" that lay untouched (leftover_doubt)


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
        self._leftover_since: float | None = None   # the "page left there" has lain untouched since
        self._doubted_look: np.ndarray | None = None  # the whole frame's look when one last stopped blocking
        self.doubted = 0       # "pages left there" that lay untouched until they stopped blocking (all citizens)

    def expect_empty_bed(self) -> None:
        """A new citizen: whatever lies under the camera now was left by someone else. It is not captured,
        automatically or by hand, until the bed has been seen empty (``gone_frames`` frames with no page)."""
        self.reset()
        self.leftover = True
        self._leftover_since = None

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
                if self._doubt_leftover(quad, moving, signature, now):
                    return AutoStatus(AutoState.PROBLEM, problem="leftover_doubt")
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
    def doubting(self) -> bool:
        """The "page left there" that stopped blocking still lies there unchanged (see the module's words)."""
        return self._captured is not None and self._captured.doubted

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

    def _doubt_leftover(self, quad: np.ndarray | None, moving: bool, signature: np.ndarray | None,
                        now: float) -> bool:
        """The same outline has lain there untouched for ``leftover_doubt_s``: stop waiting for it to go. True
        once, when it stops blocking: it is then handled as a page already captured (see the module's words)."""
        if quad is None or moving:
            self._leftover_since = None
            return False
        if self._leftover_since is None:
            self._leftover_since = now
        look, known = self._last_look, self._doubted_look
        seen_before = look is not None and known is not None and look.shape == known.shape \
            and look_difference(look, known) < self.settings.bed_change   # the same scene doubted at the last visit
        if now - self._leftover_since < self.settings.leftover_doubt_s and not seen_before:
            return False
        self.leftover, self._gone, self._leftover_since = False, 0, None
        self._doubted_look = None if look is None else look.copy()
        self.doubted += 1
        self._captured = _Captured(quad=quad, signature=signature, at=now, ok=True, doubted=True)
        return True

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
        if cap.doubted:
            return AutoStatus(AutoState.PROBLEM, problem="leftover_doubt")
        return AutoStatus(AutoState.DONE if cap.ok else AutoState.PROBLEM, progress=0.0,
                          problem=None if cap.ok else "retry")


def _first(problems: tuple[str, ...]) -> str | None:
    ranked = [p for p in LIVE_PROBLEMS if p in problems]
    return ranked[0] if ranked else (problems[0] if problems else None)


__all__ = ["LIVE_PROBLEMS", "AutoCapture", "AutoCaptureSettings", "AutoState", "AutoStatus"]
