"""Scoring and sub-pixel refinement of page quadrilaterals (used by docscan_detect).

Both work on colour *steps*: a page edge has paper on one side and desk on the other, so the colour a few
pixels inside differs from the colour a few pixels outside. A thin printed line (a table frame) has paper on
both sides and gives no step, which is what keeps the detector from stopping at a form's table.

Colours are compared in a linear opponent space (luma, red-green, yellow-blue): unlike Lab it commutes with
bilinear sampling, so profiles can be sampled straight from the uint8 frame without converting the frame.
"""
from __future__ import annotations

import math

import cv2
import numpy as np

from .docscan_geom import intersect_lines

# BGR -> (luma, red-green, yellow-blue); chroma weighted up so a white page on a coloured desk still steps.
OPPONENT = np.float32([[1 / 3, 1 / 3, 1 / 3], [0.0, -0.8, 0.8], [-0.8, 0.4, 0.4]])
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
    grid = np.zeros((rows * cols, 2), np.float32)
    grid[:n] = flat
    map_x = np.ascontiguousarray(grid[:, 0].reshape(rows, cols))
    map_y = np.ascontiguousarray(grid[:, 1].reshape(rows, cols))
    vals = cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    ch = 1 if img.ndim == 2 else img.shape[2]
    return vals.reshape(-1, ch)[:n].reshape(*pts.shape[:-1], ch).astype(np.float32)


def _sides(quads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start points, unit directions and outward unit normals of the sides of (N, 4, 2) clockwise quads."""
    a = quads
    b = np.roll(quads, -1, axis=1)
    d = (b - a) / np.maximum(np.linalg.norm(b - a, axis=2, keepdims=True), 1e-9)
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1)  # outward for TL TR BR BL on a y-down screen
    return a, d, normal


def side_support(opp: np.ndarray, quads: np.ndarray, n: int = 24, d: float = 2.0
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For (N, 4, 2) quads on an opponent image: per side the fraction of in-frame samples showing a step,
    the fraction of samples in frame, the mean luma just inside each quad, and per side how much lighter
    the inside is than the outside (paper is lighter than the desk it lies on)."""
    h, w = opp.shape[:2]
    a, _, normal = _sides(quads)
    b = np.roll(quads, -1, axis=1)
    t = np.linspace(0.1, 0.9, n)
    pts = a[:, :, None, :] + (b - a)[:, :, None, :] * t[None, None, :, None]    # (N, 4, n, 2)
    inner = pts - normal[:, :, None, :] * d
    outer = pts + normal[:, :, None, :] * d
    both = np.concatenate([inner, outer], axis=2)
    vals = sample_points(opp, both)
    vin, vout = vals[:, :, :n], vals[:, :, n:]

    def in_frame(p: np.ndarray) -> np.ndarray:
        return (p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)

    known = in_frame(inner) & in_frame(outer)
    diff = vin - vout
    mag = np.linalg.norm(diff, axis=3)
    step = (mag > STEP_MIN) & known
    # The step must keep its colour along the side (paper against desk): a block of a checkered tablecloth
    # steps everywhere too, but its colours alternate.
    unit = diff / np.maximum(mag, 1e-6)[..., None]
    ref = (unit * step[..., None]).sum(axis=2, keepdims=True)
    ref /= np.maximum(np.linalg.norm(ref, axis=3, keepdims=True), 1e-6)
    agree = (unit * ref).sum(axis=3) > 0.5
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
    b = np.roll(quad, -1, axis=0)
    t = np.linspace(0.04, 0.96, n)
    base = a[:, None, :] + (b - a)[:, None, :] * t[None, :, None]
    # Two parallel profiles a little apart along the side are averaged against sensor noise and JPEG blocks.
    spread = np.array([-across, across]) * 0.5
    p = (base[:, :, None, None, :] + normal[:, None, None, None, :] * offsets[None, None, :, None, None]
         + d[:, None, None, None, :] * spread[None, None, None, :, None])
    h, w = img.shape[:2]
    vals = to_opponent(sample_points(img, p).mean(axis=3))
    inside = ((p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)).all(axis=(2, 3))
    return vals, base, np.broadcast_to(normal[:, None, :], base.shape), inside


def _edge_offsets(prof: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Strongest step along each profile: sub-pixel offset, strength, step colour and a validity mask."""
    n_off = prof.shape[2]
    c = np.cumsum(np.concatenate([np.zeros(prof.shape[:2] + (1, 3), np.float32), prof], axis=2), axis=2)
    centre = np.arange(k, n_off - k)
    step = (c[:, :, centre + k + 1] - c[:, :, centre + 1]) / k - (c[:, :, centre] - c[:, :, centre - k]) / k
    strength = np.linalg.norm(step, axis=3)
    best = np.argmax(strength, axis=2)
    last = strength.shape[2] - 1

    def at(i: np.ndarray) -> np.ndarray:
        return np.take_along_axis(strength, np.clip(i, 0, last)[..., None], axis=2)[..., 0]

    peak, lo, hi = at(best), at(best - 1), at(best + 1)
    denom = lo - 2 * peak + hi
    safe = np.where(np.abs(denom) > 1e-6, denom, -1.0)
    frac = np.clip(np.where(np.abs(denom) > 1e-6, 0.5 * (lo - hi) / safe, 0.0), -0.5, 0.5)
    unit = offsets[1] - offsets[0]
    off = offsets[centre][best] + frac * unit
    vec = np.take_along_axis(step, best[..., None, None].repeat(3, axis=3), axis=2)[:, :, 0, :]
    valid = (best > 0) & (best < last) & (peak > STEP_MIN * 0.8)
    return off, peak, vec, valid


def _consistent(vec: np.ndarray, good: np.ndarray) -> np.ndarray:
    """Profile points whose step colour agrees with the side's typical step (page against desk)."""
    if good.sum() < 3:
        return good
    ref = vec[good].mean(axis=0)
    norm = np.linalg.norm(vec, axis=1) * max(float(np.linalg.norm(ref)), 1e-6)
    return good & ((vec @ ref) / np.maximum(norm, 1e-6) > 0.6)


def fit_line(pts: np.ndarray) -> np.ndarray | None:
    """Total-least-squares line (a, b, c) with iterative outlier rejection: points on a finger drop out."""
    keep = np.ones(len(pts), bool)
    line = None
    for _ in range(5):
        p = pts[keep]
        if len(p) < 4:
            break
        c = p.mean(axis=0)
        dx, dy = p[:, 0] - c[0], p[:, 1] - c[1]
        # Principal direction of the points in closed form (half the angle of the covariance).
        theta = 0.5 * math.atan2(2 * float(dx @ dy), float(dx @ dx - dy @ dy))
        nrm = np.array([-math.sin(theta), math.cos(theta)])
        line = np.array([nrm[0], nrm[1], -float(nrm @ c)])
        r = np.abs(pts @ nrm + line[2])
        tol = max(0.75, 2.5 * 1.4826 * float(np.median(r[keep])))
        new_keep = r < tol
        if (new_keep == keep).all():
            break
        keep = new_keep
    return line


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
    lines = []
    straight = np.full(4, np.nan)
    for s in range(4):
        good = _consistent(vec[s], valid[s] & inside[s])
        pts = base[s] + normal[s] * off[s][:, None]
        line = fit_line(pts[good]) if good.sum() >= 6 else None
        if line is None:
            line = np.cross(np.append(quad[s], 1.0), np.append(quad[(s + 1) % 4], 1.0))
            line /= max(float(np.hypot(line[0], line[1])), 1e-12)
        if inside[s].sum() >= 6:
            near = np.abs(pts @ line[:2] + line[2]) < max(1.5, unit)
            straight[s] = float((good & near).sum()) / float(inside[s].sum())
        lines.append(line)
    corners = [intersect_lines(lines[(i - 1) % 4], lines[i]) for i in range(4)]
    if any(p is None for p in corners):
        return quad, straight
    return np.array(corners), straight
