"""Scoring and sub-pixel refinement of page quadrilaterals (used by docscan.detect).

Both work on colour *steps*: a page edge has paper on one side and desk on the other, so the colour a few
pixels inside differs from the colour a few pixels outside. A thin printed line (a table frame) has paper on
both sides and gives no step, which is what keeps the detector from stopping at a form's table.

Colours are compared in a linear opponent space (luma, red-green, yellow-blue): unlike Lab it commutes with
bilinear sampling, so profiles can be sampled straight from the uint8 frame without converting the frame.
"""
from __future__ import annotations


import cv2
import numpy as np

from .geom import NEXT_CORNER, PREV_CORNER, linspace, order_corners, vnorm


# BGR -> (luma, red-green, yellow-blue); chroma weighted up so a white page on a coloured desk still steps.
OPPONENT = np.float32([[1 / 3, 1 / 3, 1 / 3], [0.0, -0.8, 0.8], [-0.8, 0.4, 0.4]])
REFINE_N = (20, 28)   # profiles per side in the coarse and the fine refinement pass
STEP_MIN = 10.0       # minimal opponent-space step (grey levels) that counts as page-edge evidence


def to_opponent(bgr: np.ndarray) -> np.ndarray:
    """Float32 opponent image (or samples) from BGR uint8/float data, any leading shape."""
    arr = np.asarray(bgr, np.float32)
    return cv2.transform(arr.reshape(-1, 1, 3), OPPONENT).reshape(arr.shape)


def sample_points(img: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Bilinear samples of an image with C channels at points of shape (..., 2); returns (..., C) float32."""
    flat = pts.reshape(-1, 2).astype(np.float32)
    n = len(flat)
    cols = min(n, 4096)  # remap maps must stay below 32767 pixels a side
    rows = -(-n // cols)
    if rows * cols != n:
        flat = np.concatenate([flat, np.zeros((rows * cols - n, 2), np.float32)])
    # One two-channel (x, y) map: no splitting into separate x and y maps.
    vals = cv2.remap(img, flat.reshape(rows, cols, 2), None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    ch = 1 if img.ndim == 2 else img.shape[2]
    return vals.reshape(-1, ch)[:n].reshape(*pts.shape[:-1], ch).astype(np.float32, copy=False)   # remap made it


def dot3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dot product over a last axis of three (colour) components, written out: numpy's reduction over a
    length-3 axis costs several times the arithmetic on the small arrays used here."""
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1] + a[..., 2] * b[..., 2]


def _sides(quads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start points, unit directions and outward unit normals of the sides of (N, 4, 2) clockwise quads."""
    a = quads
    b = quads[:, NEXT_CORNER]
    d = (b - a) / np.maximum(vnorm(b - a, axis=2, keepdims=True), 1e-9)
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1)  # outward for TL TR BR BL on a y-down screen
    return a, d, normal


def side_support(opp: np.ndarray, quads: np.ndarray, n: int = 24, d: float = 2.0, *, bgr: bool = False
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For (N, 4, 2) quads on an opponent image (or, with ``bgr``, a BGR frame whose samples are converted):
    per side the fraction of in-frame samples showing a step, the fraction of samples in frame, the mean
    luma just inside each quad, and per side how much lighter the inside is than the outside (paper is
    lighter than the desk it lies on)."""
    h, w = opp.shape[:2]
    a, _, normal = _sides(quads)
    b = quads[:, NEXT_CORNER]
    t = linspace(0.1, 0.9, n)
    pts = a[:, :, None, :] + (b - a)[:, :, None, :] * t[None, None, :, None]    # (N, 4, n, 2)
    inner = pts - normal[:, :, None, :] * d
    outer = pts + normal[:, :, None, :] * d
    both = np.concatenate([inner, outer], axis=2)
    vals = sample_points(opp, both)
    if bgr:
        vals = to_opponent(vals)
    vin, vout = vals[:, :, :n], vals[:, :, n:]

    def in_frame(p: np.ndarray) -> np.ndarray:
        return (p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)

    known = in_frame(inner) & in_frame(outer)
    diff = vin - vout
    mag = np.sqrt(dot3(diff, diff))
    step = (mag > STEP_MIN) & known
    # The step must keep its colour along the side (paper against desk): a block of a checkered tablecloth
    # steps everywhere too, but its colours alternate.
    unit = diff / np.maximum(mag, 1e-6)[..., None]
    ref = (unit * step[..., None]).sum(axis=2, keepdims=True)
    ref /= np.maximum(vnorm(ref, axis=3, keepdims=True), 1e-6)
    agree = dot3(unit, ref) > 0.5
    support = (step & agree).sum(axis=2) / np.maximum(known.sum(axis=2), 1)
    valid = in_frame(inner).reshape(len(quads), -1)
    lum_in = (vin[..., 0].reshape(len(quads), -1) * valid).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)
    lift = ((vin[..., 0] - vout[..., 0]) * known).sum(axis=2) / np.maximum(known.sum(axis=2), 1)
    return support, known.mean(axis=2), lum_in, lift


# ------------------------------------------------------------------------------------------- refinement
def _profiles(img: np.ndarray, quad: np.ndarray, offsets: np.ndarray, n: int, across: float
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Opponent-space profiles across each side, (4, n, len(offsets), 3), with base points, normals and a
    mask of profiles lying wholly inside the frame."""
    a, d, normal = (x[0] for x in _sides(quad[None]))
    b = quad[NEXT_CORNER]
    t = linspace(0.04, 0.96, n)
    base = a[:, None, :] + (b - a)[:, None, :] * t[None, :, None]
    # Two parallel profiles a little apart along the side are averaged against sensor noise and JPEG blocks.
    spread = np.array([-across, across]) * 0.5
    p = (base[:, :, None, None, :] + normal[:, None, None, None, :] * offsets[None, None, :, None, None]
         + d[:, None, None, None, :] * spread[None, None, None, :, None])
    h, w = img.shape[:2]
    vals = to_opponent(sample_points(img, p).mean(axis=3))
    # p is affine in the offset and the spread, so a profile lies in the frame when its four extreme points do.
    ends = p[:, :, [0, -1]]
    inside = ((ends[..., 0] >= 0) & (ends[..., 0] <= w - 1) & (ends[..., 1] >= 0)
              & (ends[..., 1] <= h - 1)).all(axis=(2, 3))
    return vals, base, np.broadcast_to(normal[:, None, :], base.shape), inside


def _edge_offsets(prof: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Strongest step along each profile: sub-pixel offset, strength, step colour and a validity mask."""
    n_off = prof.shape[2]
    centre = np.arange(k, n_off - k)
    # Mean of the k samples after each centre minus the mean of the k before it (slices: no cumsum needed).
    after = sum(prof[:, :, k + j:n_off - k + j] for j in range(1, k + 1))
    before = sum(prof[:, :, k - j:n_off - k - j] for j in range(1, k + 1))
    step = (after - before) / k
    strength = np.sqrt((step * step).sum(axis=3))
    # A step, not the flank of a thin dark thing (the last text line or a printed rule just inside a faint paper
    # edge, issue 22 item 1): the same step must hold between wider windows either side (_PERSIST samples, the
    # profile's ends repeated), at least _PERSIST_SHARE of it the same way. A line a few pixels wide has paper
    # again beyond it, so its flanks lose most of their step there; a page edge's blur does not.
    wide = _wide_step(prof, k, _PERSIST)
    held = (wide * step).sum(axis=3) >= _PERSIST_SHARE * strength * strength
    best = np.argmax(np.where(held, strength, 0.0), axis=2)
    last = strength.shape[2] - 1
    rows = np.arange(strength.shape[0])[:, None]
    cols = np.arange(strength.shape[1])[None, :]

    def at(i: np.ndarray) -> np.ndarray:
        return strength[rows, cols, np.clip(i, 0, last)]

    peak, lo, hi = at(best), at(best - 1), at(best + 1)
    denom = lo - 2 * peak + hi
    safe = np.where(np.abs(denom) > 1e-6, denom, -1.0)
    frac = np.clip(np.where(np.abs(denom) > 1e-6, 0.5 * (lo - hi) / safe, 0.0), -0.5, 0.5)
    unit = offsets[1] - offsets[0]
    off = offsets[centre][best] + frac * unit
    vec = step[rows, cols, best]
    valid = (best > 0) & (best < last) & (peak > STEP_MIN * 0.8)
    return off, peak, vec, valid


def _wide_step(prof: np.ndarray, k: int, m: int) -> np.ndarray:
    """Mean of the ``m`` samples after each centre minus the mean of the ``m`` before it, for the centres
    k .. len - k - 1 of (S, n, len, C) profiles; beyond a profile's ends its end samples repeat."""
    n_off = prof.shape[2]
    pad = np.concatenate([np.repeat(prof[:, :, :1], m, axis=2), prof, np.repeat(prof[:, :, -1:], m, axis=2)], axis=2)
    csum = np.concatenate([np.zeros_like(pad[:, :, :1]), np.cumsum(pad, axis=2)], axis=2)
    c = np.arange(k, n_off - k) + m                      # centres in the padded profile
    after = csum[:, :, c + m + 1] - csum[:, :, c + 1]
    before = csum[:, :, c] - csum[:, :, c - m]
    return (after - before) / m


_PERSIST = 5          # samples either side over which a refined edge's step must hold (see _edge_offsets)
_PERSIST_SHARE = 0.5  # of the short-range step, in its direction


def _consistent(vec: np.ndarray, good: np.ndarray) -> np.ndarray:
    """Profile points whose step colour agrees with their side's typical step (page against desk).
    ``vec`` (S, n, 3) step colours, ``good`` (S, n) candidate mask; sides with fewer than 3 keep ``good``."""
    ref = (vec * good[..., None]).sum(axis=1) / np.maximum(good.sum(axis=1), 1)[:, None]      # (S, 3)
    norm = np.sqrt((vec * vec).sum(axis=2)) * np.maximum(np.sqrt((ref * ref).sum(axis=1)), 1e-6)[:, None]
    agree = (vec * ref[:, None, :]).sum(axis=2) / np.maximum(norm, 1e-6) > 0.6
    return np.where(good.sum(axis=1, keepdims=True) < 3, good, good & agree)


def fit_lines(pts: np.ndarray, use: np.ndarray, iterations: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Total-least-squares lines (a, b, c) through (S, n, 2) point sets, one per row, using the points where
    ``use`` is set, with iterative outlier rejection (points on a finger drop out). Returns (S, 3) lines
    with (a, b) a unit normal, and which rows had enough points (at least 4)."""
    keep = use.copy()
    lines = np.zeros((len(pts), 3))
    for _ in range(iterations):
        cnt = keep.sum(axis=1)
        wgt = keep / np.maximum(cnt, 1)[:, None]
        c = (pts * wgt[..., None]).sum(axis=1)                                    # (S, 2)
        dx, dy = pts[..., 0] - c[:, 0:1], pts[..., 1] - c[:, 1:2]
        sxx, sxy, syy = (dx * dx * keep).sum(axis=1), (dx * dy * keep).sum(axis=1), (dy * dy * keep).sum(axis=1)
        # Principal direction of the points in closed form (half the angle of the covariance).
        theta = 0.5 * np.arctan2(2 * sxy, sxx - syy)
        nx, ny = -np.sin(theta), np.cos(theta)
        lines = np.stack([nx, ny, -(nx * c[:, 0] + ny * c[:, 1])], axis=1)
        r = np.abs(pts[..., 0] * nx[:, None] + pts[..., 1] * ny[:, None] + lines[:, 2:3])
        # Median residual of the kept points per row (non-kept sorted last).
        srt = np.sort(np.where(keep, r, np.inf), axis=1)
        med = np.take_along_axis(srt, np.maximum(cnt - 1, 0)[:, None] // 2, axis=1)[:, 0]
        tol = np.maximum(0.75, 2.5 * 1.4826 * np.where(np.isfinite(med), med, 0.0))
        new_keep = use & (r < tol[:, None])
        enough = new_keep.sum(axis=1) >= 4
        new_keep = np.where(enough[:, None], new_keep, keep)
        if (new_keep == keep).all():
            break
        keep = new_keep
    return lines, use.sum(axis=1) >= 4


def fit_line(pts: np.ndarray) -> np.ndarray | None:
    """One robust line through (n, 2) points (see fit_lines), or None with fewer than 4 points."""
    lines, ok = fit_lines(np.asarray(pts, np.float64)[None], np.ones((1, len(pts)), bool))
    return lines[0] if ok[0] else None


def _intersections(lines: np.ndarray) -> np.ndarray | None:
    """Corners where consecutive side lines (4, 3) meet: corner i joins side i-1 and side i."""
    a, b = lines[PREV_CORNER], lines
    x = a[:, 1] * b[:, 2] - a[:, 2] * b[:, 1]
    y = a[:, 2] * b[:, 0] - a[:, 0] * b[:, 2]
    z = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    if (np.abs(z) < 1e-9).any():
        return None
    return np.stack([x / z, y / z], axis=1)


def refine_once(img: np.ndarray, quad: np.ndarray, radius: float, unit: float, n: int = 32
                ) -> tuple[np.ndarray, np.ndarray]:
    """Move each side of a full-resolution quad onto the strongest step within ``radius`` pixels.

    Returns the corners of the robustly fitted side lines, and per side the fraction of its in-frame
    profiles whose step lies on the fitted line (NaN for a side wholly off the frame). A paper edge is
    straight, so most profiles agree; a coin or a curved object's outline does not. Sides without evidence
    (off-frame, hidden) stay where they were.
    """
    k = 2
    offsets = np.arange(-radius - k * unit, radius + k * unit + 1e-6, unit)
    prof, base, normal, inside = _profiles(img, quad, offsets, n, unit)
    off, _, vec, valid = _edge_offsets(prof, offsets, k)
    good = _consistent(vec, valid & inside)
    pts = base + normal * off[..., None]                                          # (4, n, 2)
    fitted, ok = fit_lines(pts, good)
    ok &= good.sum(axis=1) >= 6
    # Sides without evidence keep the line through their current corners.
    a, b = quad, quad[NEXT_CORNER]
    d = b - a
    nrm = np.stack([-d[:, 1], d[:, 0]], axis=1) / np.maximum(vnorm(d, axis=1), 1e-12)[:, None]
    current = np.concatenate([nrm, -(nrm * a).sum(axis=1, keepdims=True)], axis=1)
    lines = np.where(ok[:, None], fitted, current)
    n_in = inside.sum(axis=1)
    near = np.abs(pts[..., 0] * lines[:, 0:1] + pts[..., 1] * lines[:, 1:2] + lines[:, 2:3]) < max(1.5, unit)
    straight = np.where(n_in >= 6, (good & near).sum(axis=1) / np.maximum(n_in, 1), np.nan)
    corners = _intersections(lines)
    if corners is None:
        return quad, straight
    return corners, straight


def refine_quad(img: np.ndarray, quad: np.ndarray, scale: float) -> tuple[np.ndarray, float]:
    """Refine a rough full-image quad found on a copy downscaled by ``scale``: coarse then fine pass.
    Returns the quad and its straightness (mean over visible sides of the fraction of on-line edge points)."""
    unit = max(1.0, 0.4 / scale)   # sampling step: a fraction of a detection pixel, at least one image pixel
    q, _ = refine_once(img, quad, radius=3.0 / scale, unit=unit, n=REFINE_N[0])
    q, straight = refine_once(img, q, radius=max(2.0, 0.8 / scale), unit=max(1.0, unit / 2), n=REFINE_N[1])
    visible = straight[np.isfinite(straight)]
    return order_corners(q), float(visible.mean()) if len(visible) else 0.0
