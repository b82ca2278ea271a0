"""A page held up against blinds whose gaps are too thin to stay overexposed at the detection scale (part of
devices.camera.docscan; issue 22 item 1, round 17).

docscan.blinds closes a frame's slats over only when a twentieth of the detection frame (320 px across at 1280) is
overexposed (luma 248 and up, docscan.backlit). Held up against blinds with thin gaps (rendered ``held`` seeds 32,
38, 50, 56) the window in the gaps IS clipped in the camera's frame (6-9 % of the frame at 248 and up, max-pooled to
half size), but downscaling blurs the gaps into the slats (the detection frame's 98th percentile 234-247, its share
at 248 and up 0.000-0.020), so neither rule was asked and the page, a block darker than the gaps interrupting the
slats, was missed (0.000, 0.008, 0.396, 0.000). So the overexposure is measured where the gaps are whole: on the
frame at half size, each pixel the brightest of its 2x2. When a twentieth of that is overexposed (_SHARE) and a
closing along the slats' normal (docscan.blinds's kernel, either axis) overexposes _PRE_GAIN more of it (slats), the
frame is brightened so that the detection frame's own 98th percentile (the window's brightness there) reaches
_TARGET, and docscan.blinds's closing and docscan.backlit's tests are asked on it as on a frame overexposed already.

Only asked when docscan.backlit.overexposed is false (a frame overexposed at the detection scale goes the old way).
No other rendered kind, tuning photo, empty desk or synthetic scene passes both tests (docs/docscan.md, round 17:
the most overexposed of those with a closing gain of 0.1 or more has 0.033 of its half-size frame at 248 and up;
the most gaining of those with a twentieth overexposed gains 0.084; the blinds seeds 0.063-0.089 and 0.145-0.264).
Two more guards for the usual outline (``dim_backlit``): a backlit page lying within it (a darker block on a page on
a desk) is not taken, nor is one when the usual outline is not overexposed on the closed frame and does not lie
within the backlit page (a ruled form's cell outlined on the held-up form does not count against it).
"""
from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from .backlit import _CLIPPED, _IN_CLIPPED, _clipped_inside, overexposed
from .blinds import _KERNEL, close_blinds
from .work import Work as _Work

_PCT = 98.0         # the percentile of the detection-scale luma taken as the window's brightness there
_FLOOR = 200.0      # a frame whose brightest part is duller than this at the detection scale is not looked at
_TARGET = 252.0     # the luma that percentile is brightened to (docscan.backlit's 248 and up counts as overexposed)
_SHARE = 0.05       # the share of the half-size frame that must be overexposed (docscan.backlit's twentieth)
_PRE_GAIN = 0.1     # the share of the half-size frame a closing along the slats' normal must overexpose on top
_TOL = 2.0          # detection pixels a quad may stick out of another and still lie within it


def dim_blinds(img: np.ndarray, work: _Work, prepare: Callable[[np.ndarray], _Work]
               ) -> tuple[np.ndarray, _Work] | None:
    """The full-size frame brightened (see above) with the slats closed over, and its detection work, or None."""
    if overexposed(work):
        return None
    # Cheaply first: a clipped pixel has a channel at _CLIPPED and up, and makes at most one of the half-size frame
    if 4 * _clipped_count(img.reshape(img.shape[0], -1)) < _SHARE * img.shape[0] * img.shape[1]:
        return None
    full = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    grey = _max_pool(full)
    if _clipped_count(grey) < _SHARE * grey.size or pre_gain(grey) < _PRE_GAIN:
        return None
    level = float(np.percentile(work.opp[..., 0], _PCT))   # the window's brightness where the gaps are blurred
    if level < _FLOOR or level >= _TARGET:
        return None
    bright = np.clip(img.astype(np.float32) * (_TARGET / level), 0, 255).astype(np.uint8)
    return close_blinds(bright, prepare(bright), prepare)


def _max_pool(grey: np.ndarray) -> np.ndarray:
    """The frame at half size, each pixel the brightest of its 2x2 (a gap between slats a pixel or two wide stays
    as bright as the window, where averaging would dim it)."""
    return cv2.dilate(grey, np.ones((2, 2), np.uint8), anchor=(0, 0))[::2, ::2]


def _clipped_count(grey: np.ndarray) -> int:
    """How many values of a uint8 frame are overexposed (_CLIPPED and up)."""
    return cv2.countNonZero(cv2.threshold(grey, int(np.ceil(_CLIPPED)) - 1, 255, cv2.THRESH_BINARY)[1])


def pre_gain(grey: np.ndarray) -> float:
    """The most a closing along either axis (docscan.blinds's kernel, on the half-size frame) adds to the share of
    the frame that is overexposed."""
    k = max(3, int(round(_KERNEL * max(grey.shape[:2]))) | 1)
    before = _clipped_count(grey)
    best = 0
    for size in ((1, k), (k, 1)):
        closed = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        best = max(best, _clipped_count(closed) - before)
    return best / grey.size


def within(inner: np.ndarray, outer: np.ndarray, tol: float) -> bool:
    """Whether every corner of quad ``inner`` lies inside quad ``outer`` (or within ``tol`` pixels of it)."""
    c = outer.reshape(-1, 1, 2).astype(np.float32)
    return all(cv2.pointPolygonTest(c, (float(x), float(y)), True) >= -tol for x, y in inner)


def dim_backlit(cwork: _Work, held, quads: np.ndarray, scores: np.ndarray, min_score: float):
    """``held`` (docscan.backlit's candidates on the brightened, closed frame, asked with no usual outline) unless
    the usual outline (``quads``, ``scores``, on the same detection scale) speaks against it: the backlit page lies
    within a usual page (a darker block on a page lying on a desk), or a usual page that is not overexposed on the
    closed frame lies elsewhere than within the backlit page (a usual page a ruled form's cell within the held-up
    form does not count against it)."""
    if not held or len(scores) == 0 or scores.max() < min_score:
        return held
    best, usual = held[0][int(np.argmax(held[1]))], quads[int(np.argmax(scores))]
    if within(best, usual, _TOL):
        return None
    if _clipped_inside(cwork, usual[None])[0] < _IN_CLIPPED and not within(usual, best, _TOL):
        return None
    return held
