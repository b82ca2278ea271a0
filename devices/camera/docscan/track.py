"""Tracking a page through a video stream: refine the previous frame's outline instead of detecting anew.

A page under a document camera lies still or moves a little (a hand straightening it); its outline in the
next frame is within a few pixels of the last one. ``track_page`` moves each side of the previous quad onto
the strongest colour step nearby (the same sub-pixel refinement detection ends with) and checks that the
result still scores as a page; it costs a fraction of a full detection. ``PageTracker`` combines both for a
preview stream: track while the page holds, detect when it is lost, and detect afresh every few frames so a
tracked outline cannot settle on a printed frame or keep following a page that was swapped for a larger one.
"""
from __future__ import annotations

import numpy as np

from .detect import MIN_SCORE, as_bgr, page_score
from .finding import find_page
from .geom import Quad, order_corners
from .refine import refine_once
from .stack import peel_stack

MOTION_FRACTION = 0.02   # largest expected corner motion between frames, as a fraction of the long side
_MIN_STRAIGHT = 0.5      # as in detection: page sides are straight


def track_page(image: np.ndarray, previous: Quad, *, max_motion_px: float | None = None) -> Quad | None:
    """The page outline near ``previous`` in ``image`` (same resolution), or None when it is no longer there
    (the page was taken away, moved further than ``max_motion_px``, or is covered)."""
    img = as_bgr(np.asarray(image))
    h, w = img.shape[:2]
    radius = float(max_motion_px) if max_motion_px else MOTION_FRACTION * max(h, w)
    start = previous.as_array().astype(np.float64)
    q, _ = refine_once(img, start, radius=radius, unit=max(1.0, radius / 10), n=20)
    q, straight = refine_once(img, q, radius=max(2.0, radius / 6), unit=1.0, n=28)
    # Near a stack's top sheet the lower sheets' edges are the stronger steps and pull the sides out onto them.
    q = order_corners(peel_stack(img, order_corners(q)))
    visible = straight[np.isfinite(straight)]
    if len(visible) == 0 or float(visible.mean()) < _MIN_STRAIGHT:
        return None
    if np.abs(q - start).max() > 2.5 * radius or page_score(img, q) < MIN_SCORE:
        return None
    return Quad.from_points(q)


class PageTracker:
    """Page outlines for a stream of frames of one size: tracking while it holds, detection otherwise.

    Not thread-safe: one tracker per stream, fed from one thread.
    """

    def __init__(self, redetect_every: int = 15) -> None:
        self.redetect_every = redetect_every
        self.quad: Quad | None = None
        self.tracked = 0          # frames answered by tracking (statistics for the technician's view)
        self.detected = 0         # frames that needed a full detection
        self.confidence = 0.0     # find_page's confidence at the last full detection (0..1; tracked: 1.0)
        self._since_detect = 0
        self._shape: tuple[int, ...] | None = None

    def reset(self) -> None:
        self.quad = None
        self._since_detect = 0

    def update(self, frame: np.ndarray) -> Quad | None:
        """The page outline in this frame (or None)."""
        if self._shape != frame.shape[:2]:   # a new resolution: nothing carries over
            self._shape = frame.shape[:2]
            self.quad = None
        if self.quad is not None and self._since_detect < self.redetect_every:
            q = track_page(frame, self.quad)
            if q is not None:
                self.quad, self.confidence = q, 1.0
                self.tracked += 1
                self._since_detect += 1
                return q
        finding = find_page(frame)   # detect_page with its confidence: a caller need not detect again to ask it
        self.quad, self.confidence = finding.quad, finding.confidence
        self.detected += 1
        self._since_detect = 0
        return self.quad
