"""Geometry shared by the document scanner and the scene generator: the page quadrilateral, paper sizes, IoU.

Coordinates follow OpenCV: pixel centres sit at integer positions, so the outer boundary of a W-pixel-wide
image runs from x = -0.5 to x = W - 0.5. A page quad describes the page's outer boundary in those units.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import cv2
import numpy as np

# Physical paper sizes in millimetres, (short side, long side).
PAPER_MM: dict[str, tuple[float, float]] = {
    "a4": (210.0, 297.0),
    "a5": (148.0, 210.0),
    "id_card": (54.0, 85.6),  # ISO/IEC 7810 ID-1, the resident ID card format
}
MM_PER_INCH = 25.4
# Corner indices of the next / previous corner round a quad: indexing with these gives what np.roll(q, -1 / 1)
# gives on the 4-corner axis, at a fraction of np.roll's cost on these small arrays (thousands of calls a frame).
NEXT_CORNER = np.array([1, 2, 3, 0])
PREV_CORNER = np.array([3, 0, 1, 2])
_NEXT, _PREV = NEXT_CORNER, PREV_CORNER
_TURNS = [np.array([(start + k) % 4 for k in range(4)]) for start in range(4)]   # np.roll(q, -start, axis=0)
MIN_AREA_FRAC = 0.012          # smallest page candidate, as a fraction of the frame
# short/long side: ID card 0.63, ISO paper 0.71, letter 0.77, invoices ~0.58, till receipts 0.2-0.4 (an
# 80 mm roll cut at 28 cm: 0.29; issue 22's rendered receipts)
ASPECT_RANGE = (0.22, 0.97)   # short over long, as outlined: a page seen from its near end foreshortens to 0.93-0.97
STRIP_ASPECT = 0.33            # below this (down to ASPECT_RANGE[0]) only a strip with desk all round
NARROW_ASPECT = 0.45           # below this a quad must prove itself on every side (see docscan.evidence.combine)


@dataclass(frozen=True)
class Quad:
    """Four page corners in image pixels, in the order top-left, top-right, bottom-right, bottom-left."""

    tl: tuple[float, float]
    tr: tuple[float, float]
    br: tuple[float, float]
    bl: tuple[float, float]

    @classmethod
    def from_points(cls, pts: Iterable[Iterable[float]], *, reorder: bool = True) -> "Quad":
        """Build from four (x, y) points; ``reorder`` sorts them into TL, TR, BR, BL image order."""
        arr = np.asarray(list(pts), dtype=np.float64).reshape(4, 2)
        if reorder:
            arr = order_corners(arr)
        return cls(*(tuple(float(v) for v in p) for p in arr))  # type: ignore[arg-type]

    def as_array(self) -> np.ndarray:
        """The corners as a float32 (4, 2) array, TL TR BR BL."""
        return np.array([self.tl, self.tr, self.br, self.bl], dtype=np.float32)

    @property
    def area(self) -> float:
        """Polygon area in square pixels (shoelace formula)."""
        p = self.as_array().astype(np.float64)
        x, y = p[:, 0], p[:, 1]
        return float(abs(np.dot(x, y[NEXT_CORNER]) - np.dot(y, x[NEXT_CORNER])) / 2.0)

    @property
    def centroid(self) -> tuple[float, float]:
        c = self.as_array().mean(axis=0)
        return float(c[0]), float(c[1])

    def side_lengths(self) -> tuple[float, float, float, float]:
        """Lengths of the top, right, bottom and left sides."""
        p = self.as_array().astype(np.float64)
        d = np.linalg.norm(p - p[NEXT_CORNER], axis=1)
        return float(d[0]), float(d[1]), float(d[2]), float(d[3])

    def size(self) -> tuple[float, float]:
        """(width, height): the mean lengths of the opposite sides."""
        top, right, bottom, left = self.side_lengths()
        return (top + bottom) / 2.0, (left + right) / 2.0

    def is_convex(self) -> bool:
        return bool(cv2.isContourConvex(self.as_array().reshape(-1, 1, 2)))

    def scaled(self, sx: float, sy: float | None = None) -> "Quad":
        """The same quad in an image resized by (sx, sy), honouring the pixel-centre convention."""
        sy = sx if sy is None else sy
        p = self.as_array().astype(np.float64)
        p[:, 0] = (p[:, 0] + 0.5) * sx - 0.5
        p[:, 1] = (p[:, 1] + 0.5) * sy - 0.5
        return Quad.from_points(p, reorder=False)

    def translated(self, dx: float, dy: float) -> "Quad":
        return Quad.from_points(self.as_array().astype(np.float64) + (dx, dy), reorder=False)

    def rotated180(self, width: int, height: int) -> "Quad":
        """The quad in the image rotated by 180 degrees (same physical corners, re-ordered)."""
        p = self.as_array().astype(np.float64)
        p = np.column_stack([width - 1 - p[:, 0], height - 1 - p[:, 1]])
        return Quad.from_points(p)


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Order four points TL, TR, BR, BL (clockwise on screen, starting nearest the top-left direction).

    Sorting by angle round the centroid works for any rotation, unlike the x+y / y-x trick of the tutorials,
    which swaps corners once a page turns past 45 degrees.
    """
    pts = np.asarray(pts, dtype=np.float64).reshape(4, 2)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])  # y down: increasing angle runs clockwise on screen
    pts = pts[np.argsort(ang)]
    ang = np.sort(ang)
    # The top-left corner is the one whose direction from the centre is closest to -135 degrees.
    start = int(np.argmin(np.abs(_wrap(ang + 3 * math.pi / 4))))
    return pts[_TURNS[start]]


def _wrap(a: np.ndarray) -> np.ndarray:
    return (a + math.pi) % (2 * math.pi) - math.pi


def polygon_iou(a: np.ndarray, b: np.ndarray) -> float:
    """Exact IoU (Jaccard index) of two convex polygons given as (N, 2) arrays."""
    pa = np.asarray(a, dtype=np.float32).reshape(-1, 1, 2)
    pb = np.asarray(b, dtype=np.float32).reshape(-1, 1, 2)
    area_a = abs(cv2.contourArea(pa))
    area_b = abs(cv2.contourArea(pb))
    if area_a <= 0 or area_b <= 0:
        return 0.0
    inter, _ = cv2.intersectConvexConvex(pa, pb)
    inter = max(float(inter), 0.0)
    union = area_a + area_b - inter
    return inter / union if union > 0 else 0.0


def clip_to_frame(poly: np.ndarray, width: int, height: int) -> np.ndarray:
    """The part of a convex polygon inside the image frame (possibly empty)."""
    frame = np.array([[-0.5, -0.5], [width - 0.5, -0.5], [width - 0.5, height - 0.5], [-0.5, height - 0.5]],
                     dtype=np.float32)
    area, inter = cv2.intersectConvexConvex(np.asarray(poly, np.float32).reshape(-1, 1, 2), frame.reshape(-1, 1, 2))
    if inter is None or area <= 0:
        return np.zeros((0, 2), np.float32)
    return inter.reshape(-1, 2)


def quad_iou(a: Quad | None, b: Quad | None, frame: tuple[int, int] | None = None) -> float:
    """Jaccard index of two page quads; 0 when either is missing. With ``frame=(w, h)`` only the visible
    parts count, which is the fair measure for pages that run off the image."""
    if a is None or b is None:
        return 0.0
    pa, pb = a.as_array(), b.as_array()
    if not (a.is_convex() and b.is_convex()):
        pa = cv2.convexHull(pa).reshape(-1, 2)
        pb = cv2.convexHull(pb).reshape(-1, 2)
    if frame is not None:
        pa, pb = clip_to_frame(pa, *frame), clip_to_frame(pb, *frame)
        if len(pa) < 3 or len(pb) < 3:
            return 0.0
    return polygon_iou(pa, pb)


def cross3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.cross of two 3-vectors, the same products and differences in the same dtype, without its ~25 us of
    axis handling: the hull and line-crossing code calls it over a hundred times a frame."""
    return np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])


def intersect_lines(l1: np.ndarray, l2: np.ndarray) -> np.ndarray | None:
    """Intersection of two lines in homogeneous form (a, b, c) with a*x + b*y + c = 0."""
    p = cross3(l1, l2)
    if abs(p[2]) < 1e-9:
        return None
    return p[:2] / p[2]


def line_through(p: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Homogeneous line through point p with the given direction, normalised so (a, b) is a unit normal."""
    n = np.array([-direction[1], direction[0]], dtype=np.float64)
    n /= max(float(np.linalg.norm(n)), 1e-12)
    return np.array([n[0], n[1], -float(n @ p)])


def vnorm(a: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """np.linalg.norm(a, axis=axis, keepdims=keepdims) with the squares over a last axis of two or three (points,
    colours) written out: numpy sums so short an axis left to right, so the result is the same to the bit, without
    the reduction's overhead (several times the arithmetic on the small arrays of the rule modules). Any other axis
    or dtype: np.linalg.norm itself."""
    a = np.asarray(a)
    if a.dtype.kind != "f" or a.ndim == 0 or axis not in (-1, a.ndim - 1) or a.shape[-1] not in (2, 3):
        return np.linalg.norm(a, axis=axis, keepdims=keepdims)
    s = a[..., 0] * a[..., 0]
    for k in range(1, a.shape[-1]):
        s = s + a[..., k] * a[..., k]
    out = np.sqrt(s)
    return out[..., None] if keepdims else out


def median(a: np.ndarray, axis: int | None = None, keepdims: bool = False) -> np.ndarray:
    """np.median(a, axis=axis, keepdims=keepdims) for float32 and float64 arrays, the same to the bit: the same
    np.partition (the same kth list), the middle value or the sum of the middle two halved (summed and halved as
    np.mean does: from 0.0, and halving is exact), NaN where the slice holds one; without np.median's layers of
    axis handling, which cost it over 100 us a call on the small arrays of the rule modules (dozens a frame).
    Other dtypes, tuple axes, empty arrays: np.median itself."""
    a = np.asarray(a)
    if a.dtype not in _MEDIAN_TYPES or a.size == 0 or not (axis is None or isinstance(axis, int)):
        return np.median(a, axis=axis, keepdims=keepdims)
    shape = a.shape
    if axis is None:
        a, ax = a.ravel(), 0
    else:
        ax = axis % a.ndim if a.ndim else 0
        if a.ndim == 0:
            return np.median(a, axis=axis, keepdims=keepdims)
    n = a.shape[ax]
    half = n // 2
    part = np.partition(a, [half - 1, half, -1] if n % 2 == 0 else [half, -1], axis=ax)
    mid = part.take(half, axis=ax)
    # np.mean's sum starts from 0.0 (so a -0.0 comes out as 0.0): (0.0 + x) and ((0.0 + lo) + hi) / 2
    lo = None if n % 2 else part.take(half - 1, axis=ax)
    out = mid + 0.0 if lo is None else (lo + 0.0 + mid) / 2
    last = part.take(-1, axis=ax)
    nan = np.isnan(last)
    if nan.any():
        if isinstance(out, np.generic) or np.ndim(out) == 0:
            out = last
        else:
            np.copyto(out, last, where=nan)
    if keepdims:
        out = np.asarray(out).reshape(tuple(1 for _ in shape)) if axis is None else np.expand_dims(out, ax)
    return out


_MEDIAN_TYPES = (np.dtype(np.float32), np.dtype(np.float64))


def linspace(start: float, stop: float, num: int) -> np.ndarray:
    """np.linspace(start, stop, num), made once per arguments and handed out as a fresh copy: the rule modules ask
    for the same few sampling grids thousands of times a frame, at ~30 us a call."""
    key = (float(start), float(stop), int(num))
    grid = _GRIDS.get(key)
    if grid is None:
        grid = np.linspace(start, stop, num)
        if len(_GRIDS) < 512 and grid.dtype == np.float64:
            _GRIDS[key] = grid
    return grid.copy()


_GRIDS: dict[tuple[float, float, int], np.ndarray] = {}


def side_aspects(sides: np.ndarray) -> np.ndarray:
    """Short over long side (0..1) of (N, 4) side lengths in outline order (opposite sides averaged)."""
    ratio = (sides[:, 1] + sides[:, 3]) / np.maximum(sides[:, 0] + sides[:, 2], 1e-9)
    return np.minimum(ratio, 1 / np.maximum(ratio, 1e-9))


def plausible_quads(quads: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Vectorised shape test for (N, 4, 2) quads whose corners run round the outline (either way): convex,
    paper-like aspect, sane corners and size, on an image of ``shape`` (h, w)."""
    h, w = shape
    v_next = quads[:, _NEXT] - quads
    v_prev = -v_next[:, _PREV]
    cross = v_prev[..., 0] * v_next[..., 1] - v_prev[..., 1] * v_next[..., 0]
    convex = (cross < 0).all(axis=1) | (cross > 0).all(axis=1)
    # Two-component norms and dot products written out (cheaper than reductions over a length-2 axis);
    # |v_prev| of corner k is |v_next| of corner k-1.
    nx, ny, px, py = v_next[..., 0], v_next[..., 1], v_prev[..., 0], v_prev[..., 1]
    sides = np.sqrt(nx * nx + ny * ny)
    aspect = side_aspects(sides)
    cos = (px * nx + py * ny) / np.maximum(sides[:, _PREV] * sides, 1e-9)
    x, y = quads[..., 0], quads[..., 1]
    area = 0.5 * np.abs((x * y[:, _NEXT] - y * x[:, _NEXT]).sum(axis=1))
    x_lo, x_hi, y_lo, y_hi = x.min(axis=1), x.max(axis=1), y.min(axis=1), y.max(axis=1)
    inside = (x_lo > -0.6 * w) & (x_hi < 1.6 * w) & (y_lo > -0.6 * h) & (y_hi < 1.6 * h)
    # A page cut by the frame shows only part of itself: its aspect is not checked.
    border = (x_lo < 0.5) | (x_hi > w - 1.5) | (y_lo < 0.5) | (y_hi > h - 1.5)
    aspect_ok = border | ((aspect >= ASPECT_RANGE[0]) & (aspect <= ASPECT_RANGE[1]))
    return (convex & inside & (sides.min(axis=1) >= 8) & aspect_ok
            & (np.abs(cos).max(axis=1) < 0.6) & (area >= MIN_AREA_FRAC * h * w))


def area(quad: np.ndarray) -> float:
    return float(cv2.contourArea(quad.astype(np.float32).reshape(-1, 1, 2)))


def order_batch(quads: np.ndarray) -> np.ndarray:
    """order_corners for (N, 4, 2) quads at once (the candidate list can hold hundreds)."""
    c = quads.mean(axis=1, keepdims=True)
    ang = np.arctan2(quads[..., 1] - c[..., 1], quads[..., 0] - c[..., 0])
    idx = np.argsort(ang, axis=1)
    ang = np.take_along_axis(ang, idx, axis=1)
    start = np.argmin(np.abs((ang + 3 * np.pi / 4 + np.pi) % (2 * np.pi) - np.pi), axis=1)
    idx = np.take_along_axis(idx, (start[:, None] + np.arange(4)[None]) % 4, axis=1)
    return np.take_along_axis(quads, idx[..., None].repeat(2, axis=2), axis=1)


def order_rows(quads: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The quads with the corners of ``rows`` (a mask) ordered as order_batch orders them, the others left as they are.
    docscan.detect's line candidates: only those scoring at least 0.7 MIN_SCORE can pass a shortlist (which keeps
    only those above it), so the others (about nine in ten) need no ordering. order_batch works row by row (a mean
    over four corners, angles, sorts within the row), so each ordered row is the same to the bit as in the batch."""
    out = quads.copy()
    if rows.any():
        out[rows] = order_batch(quads[rows])
    return out


def to_full(q: np.ndarray, scale: float) -> np.ndarray:
    return (q + 0.5) / scale - 0.5


def to_small(q: np.ndarray, scale: float) -> np.ndarray:
    return (q + 0.5) * scale - 0.5
