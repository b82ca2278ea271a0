"""A side closed by the frame border that should stop at the paper's edge (part of devices.camera.docscan;
issue 22 item 1, "an outline run on past the paper to the frame border").

A page near a frame border on a pale grey desk that brightens towards that border (a lamp or a window beyond
it, reversed vignetting) shows, on that side, only a faint step of 10-25 grey levels, while the frame border is
the strongest "edge" round it: the quad closed by the border scores as well as the page (a cut side earns half
credit, a faint side not much more) and wins, taking in a strip of desk.

``stop_at_paper_edge`` looks, at full resolution, inward from each side of an outline that lies on a frame
border for a straight step running the side's length: lighter inside by at least ``_MIN_STEP`` grey levels,
sharp (a sheet's edge, not shading), with an ink-free paper margin inside it (not the far flank of a printed
rule or a text line). The side moves onto that step only when the strip it cuts off is the desk: darker than
the paper, and of the colour the desk shows just outside the neighbouring sides at the same distance from the
border (the light falls off away from the border, so the same distance means the same brightness). A page
truly cut by the frame shows paper there, lighter than the desk beside it, and stays closed by the border.
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import intersect_lines, linspace, median, order_corners
from .refine import NEXT_CORNER, PREV_CORNER, sample_points, to_opponent

_ON_BORDER = 3.0        # pixels: a corner this close to a frame border lies on it
_N_PROFILES = 32        # profiles inward from a border side
_T = (0.1, 0.9)         # stretch of the side they cover (the ends are near the neighbouring sides)
_REACH = 0.15           # how far in from the border to look, as a fraction of the frame's shorter side
_MIN_IN = 3             # pixels: a step closer to the border than this is the border itself
_BAND = (2, 8)          # pixels either side of a candidate step compared (outer band, inner band), medians
_MARGIN = 16            # pixels inside the step free of ink (the sheet's margin; text lines are further in)
_MIN_STEP = 6.0         # luma levels the inner band must be lighter than the outer band
_SHARP = 0.6            # fraction of the step within 3 px of it (a sheet's edge, not the light's fall-off)
_INK = 10.0             # luma levels below the inner band that count as ink in the margin
_AGREE = 0.6            # fraction of the profiles that must lie on the step's line (it runs the side's length)
_FIT_TOL = 2.0          # pixels from the fitted line that count as on it
_DESK_PX = 6.0          # pixels out from a neighbouring side where the desk beside the strip is sampled
_DESK_TOL = 0.5         # the strip's luma within this fraction of the step (at least 6 levels) of that desk
_DARKER = 0.5           # the strip at least this fraction of the step darker than the paper inside it
_MIN_AREA = 0.7         # the outline keeps at least this fraction of its area


def stop_at_paper_edge(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The outline ``quad`` (TL TR BR BL, full-image pixels on the BGR frame ``img``) with each side that lies
    on a frame border moved onto the paper's own edge when one runs inside it along the whole side over a strip
    of desk; the outline itself otherwise (a page truly cut by the frame, or no side on a border)."""
    h, w = img.shape[:2]
    quad = np.asarray(quad, np.float64)
    lines = [np.cross(np.append(quad[s], 1.0), np.append(quad[NEXT_CORNER[s]], 1.0)) for s in range(4)]
    moved = False
    for s in range(4):
        border = _border_of(quad[s], quad[NEXT_CORNER[s]], w, h)
        if border is None:
            continue
        line = _paper_edge(img, quad, s, border)
        if line is not None:
            lines[s], moved = line, True
    if not moved:
        return quad
    corners = [intersect_lines(lines[PREV_CORNER[i]], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return quad
    new = order_corners(np.array(corners))
    if _area(new) < _MIN_AREA * _area(quad) or not _inside(new, quad):
        return quad
    return new


def _border_of(a: np.ndarray, b: np.ndarray, w: int, h: int) -> tuple[int, float, int] | None:
    """(axis, coordinate, inward sign) of the frame border both points lie on, or None."""
    for axis, size in ((0, w), (1, h)):
        for coord, sign in ((-0.5, 1), (size - 0.5, -1)):
            if abs(a[axis] - coord) <= _ON_BORDER and abs(b[axis] - coord) <= _ON_BORDER:
                return axis, coord, sign
    return None


def _paper_edge(img: np.ndarray, quad: np.ndarray, s: int, border: tuple[int, float, int]) -> np.ndarray | None:
    """The homogeneous line of the paper's edge inside border side ``s`` of ``quad``, or None."""
    h, w = img.shape[:2]
    axis, coord, sign = border
    inward = np.zeros(2)
    inward[axis] = sign
    a, b = quad[s].copy(), quad[NEXT_CORNER[s]].copy()
    a[axis] = b[axis] = coord + 0.5 * sign          # the first pixel row or column inside the frame
    length = float(np.linalg.norm(b - a))
    if length < 4 * _N_PROFILES ** 0.5:
        return None
    reach = int(_REACH * min(h, w))
    offsets = np.arange(0, reach + _MARGIN + _BAND[1] + 2, dtype=np.float64)
    t = linspace(*_T, _N_PROFILES)
    base = a[None, :] + (b - a)[None, :] * t[:, None]
    pts = base[:, None, :] + inward[None, None, :] * offsets[None, :, None]
    lum = np.ascontiguousarray(to_opponent(sample_points(img, pts))[..., 0], np.float32)    # (n, m)
    pos, step = _steps(lum, reach)
    line = _fit(t * length, pos)
    if line is None:
        return None
    c0, c1 = line
    edge = c0 + c1 * t * length                     # the step's offset from the border along the side
    inside = np.clip(np.round(edge + _BAND[1]).astype(int), 0, lum.shape[1] - 1)
    rows = np.arange(len(t))
    paper = float(median(lum[rows, inside]))
    strip = float(median(lum[rows, np.clip(np.round(edge / 2).astype(int), 0, lum.shape[1] - 1)]))
    typical = float(np.nanmedian(step))
    ends = (c0 / 2, (c0 + c1 * length) / 2)          # half the strip's width at each end of the side
    if paper - strip < _DARKER * typical or not _desk_beside(img, quad, s, a, b, inward, ends, typical):
        return None
    p0 = a + inward * c0
    p1 = a + (b - a) + inward * (c0 + c1 * length)
    return np.cross(np.append(p0, 1.0), np.append(p1, 1.0))


def _steps(lum: np.ndarray, reach: int) -> tuple[np.ndarray, np.ndarray]:
    """Per profile (rows, from the border inward), the offset and size of the strongest qualifying step up in
    luma, NaN where none: the inner band lighter than the outer by _MIN_STEP, most of it within 3 px, and the
    margin inside it free of ink. Medians of the bands, so a thin printed line in one band does not count."""
    lo, hi = _BAND
    k = hi - lo + 1
    n, m = lum.shape
    centres = np.arange(_MIN_IN + hi, min(reach + 1, m - _MARGIN - 1))
    if len(centres) == 0:
        return np.full(n, np.nan), np.full(n, np.nan)
    med = np.full_like(lum, np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(lum, k, axis=1)           # k is odd: the middle is the median
    med[:, k // 2:m - k // 2] = np.partition(windows, k // 2, axis=2)[..., k // 2]
    out_med, in_med = med[:, centres - (lo + hi) // 2], med[:, centres + (lo + hi) // 2]
    step = in_med - out_med
    near_in = (lum[:, centres + 1] + lum[:, centres + 2] + lum[:, centres + 3]) / 3
    near_out = (lum[:, centres - 1] + lum[:, centres - 2] + lum[:, centres - 3]) / 3
    margin_w = 2 * ((_MARGIN - lo) // 2) + 1
    margin_min = cv2.erode(lum, np.ones((1, margin_w), np.uint8),
                           borderType=cv2.BORDER_REPLICATE)[:, centres + lo + margin_w // 2]
    ok = (step >= _MIN_STEP) & (near_in - near_out >= _SHARP * step) & (margin_min >= in_med - _INK)
    # The first step met coming in from the border is the paper's edge (text lines are further in); a step
    # qualifies at a few neighbouring centres, so the strongest of the first few is taken.
    rows = np.arange(n)
    first = np.argmax(ok, axis=1)
    found = ok[rows, first]
    window = first[:, None] + np.arange(4)[None, :]
    window = np.minimum(window, len(centres) - 1)
    score = np.where(ok[rows[:, None], window], step[rows[:, None], window], -np.inf)
    best = window[rows, np.argmax(score, axis=1)]
    # Sub-pixel: the vertex of a parabola through the step sizes either side of the best centre.
    lo_s = step[rows, np.maximum(best - 1, 0)]
    hi_s = step[rows, np.minimum(best + 1, len(centres) - 1)]
    peak = step[rows, best]
    denom = lo_s - 2 * peak + hi_s
    frac = np.where(np.abs(denom) > 1e-6, 0.5 * (lo_s - hi_s) / np.where(np.abs(denom) > 1e-6, denom, 1.0), 0.0)
    frac = np.clip(np.nan_to_num(frac), -0.5, 0.5)
    return (np.where(found, centres[best] + frac, np.nan), np.where(found, peak, np.nan))


def _fit(s: np.ndarray, pos: np.ndarray) -> tuple[float, float] | None:
    """A straight edge offset = c0 + c1 * s through _AGREE of the profiles' steps (the whole side), or None."""
    have = np.flatnonzero(np.isfinite(pos))
    need = int(np.ceil(_AGREE * len(pos)))
    if len(have) < need:
        return None
    sh, ph = s[have], pos[have]
    i, j = np.triu_indices(len(have), 1)
    c1 = (ph[j] - ph[i]) / (sh[j] - sh[i])
    c0 = ph[i] - c1 * sh[i]
    inl = np.abs(ph[None, :] - (c0[:, None] + c1[:, None] * sh[None, :])) <= _FIT_TOL
    best = int(np.argmax(inl.sum(axis=1)))
    if inl[best].sum() < need:
        return None
    keep = have[inl[best]]
    c1, c0 = np.polyfit(s[keep], pos[keep], 1)
    return float(c0), float(c1)


def _desk_beside(img: np.ndarray, quad: np.ndarray, s: int, a: np.ndarray, b: np.ndarray, inward: np.ndarray,
                 depths: tuple[float, float], step: float) -> bool:
    """Is the strip (``depths``: half its width at each end of the side, px) from the border the desk that lies just outside the neighbouring sides?
    At each end of the side, the strip just inside the neighbouring side and the desk just outside it, at that
    depth, are compared: the light changes smoothly over the desk, so the two agree when both are desk, and
    differ by that side's own step when the strip is paper (a page truly cut by the frame). Every end in view
    must agree; with neither in view, nothing is known."""
    h, w = img.shape[:2]
    tol = max(6.0, _DESK_TOL * step)
    seen = 0
    for corner, other, end, depth in ((a, quad[PREV_CORNER[s]], b, depths[0]),
                                      (b, quad[NEXT_CORNER[NEXT_CORNER[s]]], a, depths[1])):
        along = other - corner                      # the neighbouring side, from the border into the frame
        into = float(along @ inward)
        if into <= 1e-6:
            return False
        if depth < _MIN_IN:                         # the paper reaches the border here: nothing to compare
            continue
        on_side = corner + along * (depth / into)
        away = corner - end
        away /= max(float(np.linalg.norm(away)), 1e-9)
        spots = (_DESK_PX + np.array([0.0, 2.0, 4.0]))[:, None] * away[None, :] \
            + np.array([-2.0, 0.0, 2.0])[:, None] * inward[None, :]
        out, inn = on_side[None, :] + spots, on_side[None, :] - spots + 2 * (spots @ inward)[:, None] * inward
        both = np.concatenate([out, inn])
        if not ((both[:, 0] >= 0) & (both[:, 0] <= w - 1) & (both[:, 1] >= 0) & (both[:, 1] <= h - 1)).all():
            continue
        seen += 1
        lum = to_opponent(sample_points(img, both))[..., 0]
        if abs(float(median(lum[:3])) - float(median(lum[3:]))) > tol:
            return False
    return seen > 0


def _area(q: np.ndarray) -> float:
    x, y = q[:, 0], q[:, 1]
    return 0.5 * abs(float((x * y[NEXT_CORNER] - x[NEXT_CORNER] * y).sum()))


def _inside(inner: np.ndarray, outer: np.ndarray) -> bool:
    """Every corner of ``inner`` within ``outer`` (2 px slack)."""
    poly = outer.astype(np.float32).reshape(-1, 1, 2)
    return all(cv2.pointPolygonTest(poly, (float(x), float(y)), True) > -2.0 for x, y in inner)
