"""Line-based page candidates: Hough lines, combined four at a time, scored from per-line edge profiles.

A finger over an edge or a corner only shortens the visible part of a page side; the side's line is still
found by Hough and two pairs of lines still enclose the page. Combining ~20 lines gives hundreds of quads,
so each line is sampled once (colour a little to either side, at every pixel along it) and a quad's side
support is read from cumulative sums over the stretch between its corners: scoring a quad costs O(1).
"""
from __future__ import annotations

import math

import cv2
import numpy as np

from .docscan_refine import STEP_MIN, sample_points

N_LINES = 12          # distinct lines combined into quads (frame borders come on top)
_PARALLEL = math.radians(16)   # opposite sides of a page in perspective are this close to parallel
_MIN_SIN = 0.85       # adjacent sides meet at 58..122 degrees


def hough_lines(strong: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Distinct lines as (rho, theta) rows: the strongest lines of the strong-step edges first, then those of
    all step edges (a low-contrast page on a plain desk), then the four frame borders (a page running off
    the image closes on them)."""
    h, w = edges.shape
    picked: list[tuple[float, float]] = []
    for mask, quota in ((strong, N_LINES // 2), (edges, N_LINES)):
        found = cv2.HoughLines(mask, 1, np.pi / 180, max(16, int(0.1 * min(h, w))))
        limit = min(len(picked) + quota, N_LINES)
        for rho, theta in (found.reshape(-1, 2) if found is not None else np.zeros((0, 2))):
            if len(picked) >= limit:
                break
            # OpenCV returns lines by decreasing votes; skip near-duplicates of a stronger line.
            if all(not _same_line(rho, theta, r, t) for r, t in picked):
                picked.append((float(rho), float(theta)))
    borders = [(-0.5, 0.0), (w - 0.5, 0.0), (-0.5, np.pi / 2), (h - 0.5, np.pi / 2)]
    return np.array(picked + borders, dtype=np.float64)


def _same_line(r1: float, t1: float, r2: float, t2: float) -> bool:
    dt = abs(t1 - t2)
    if dt > np.pi / 2:  # theta wraps at pi with rho changing sign
        dt, r2 = np.pi - dt, -r2
    return dt < math.radians(4) and abs(r1 - r2) < 4.0


class _LineProfiles:
    """Cumulative evidence along each line, sampled at unit steps of the line parameter t.

    For sample k of line i (point n*rho + d*t_k): whether both flank points are in the frame, whether the
    colour steps across the line with the line's dominant step colour (+) or against it (-), and the luma on
    either flank. Cumulative sums let any stretch [t0, t1] be summarised in constant time.
    """

    STEP = 2.0  # pixels between samples along a line: enough to measure support, half the cost

    def __init__(self, opp: np.ndarray, lines: np.ndarray, d: float = 2.0) -> None:
        h, w = opp.shape[:2]
        self.t0 = -float(math.hypot(h, w))
        t = np.arange(self.t0, -self.t0 + 1.0, self.STEP)
        rho, theta = lines[:, 0:1], lines[:, 1:2]
        normal = np.stack([np.cos(theta), np.sin(theta)], axis=-1)          # (L, 1, 2)
        direction = np.stack([-np.sin(theta), np.cos(theta)], axis=-1)
        base = normal * rho[..., None] + direction * t[None, :, None]        # (L, T, 2)
        plus, minus = base + normal * d, base - normal * d
        vals = sample_points(opp, np.stack([plus, minus]))
        vp, vm = vals[0], vals[1]

        def inside(p: np.ndarray) -> np.ndarray:
            return (p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)

        known = inside(plus) & inside(minus)
        diff = vp - vm
        mag = np.sqrt((diff * diff).sum(axis=2))
        step = known & (mag > STEP_MIN)
        ref = (diff / np.maximum(mag, 1e-6)[..., None] * step[..., None]).sum(axis=1, keepdims=True)
        ref /= np.maximum(np.linalg.norm(ref, axis=2, keepdims=True), 1e-6)
        proj = (diff * ref).sum(axis=2) / np.maximum(mag, 1e-6)
        self.normal = normal[:, 0]
        self.direction = direction[:, 0]
        self.rho = rho[:, 0]
        self.c_known = self._cum(known)
        self.c_pos = self._cum(step & (proj > 0.5))
        self.c_neg = self._cum(step & (proj < -0.5))
        self.c_lum_plus = self._cum(np.where(inside(plus), vp[..., 0], 0.0))
        self.c_lum_minus = self._cum(np.where(inside(minus), vm[..., 0], 0.0))
        self.c_in_plus = self._cum(inside(plus))
        self.c_in_minus = self._cum(inside(minus))
        self.c_lift = self._cum(np.where(known, vp[..., 0] - vm[..., 0], 0.0))

    @staticmethod
    def _cum(a: np.ndarray) -> np.ndarray:
        return np.concatenate([np.zeros((a.shape[0], 1)), np.cumsum(a, axis=1, dtype=np.float64)], axis=1)

    def stretch(self, line: np.ndarray, p: np.ndarray, q: np.ndarray, centre: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Support, in-frame fraction and (inner luma sum, count, inside-minus-outside luma) of the middle
        80 % of segments p->q on the given lines."""
        d = self.direction[line]
        tp, tq = (p * d).sum(axis=1), (q * d).sum(axis=1)
        a, b = np.minimum(tp, tq), np.maximum(tp, tq)
        a, b = a + 0.1 * (b - a), b - 0.1 * (b - a)
        last = self.c_known.shape[1] - 1
        ia = np.clip(np.round((a - self.t0) / self.STEP).astype(int), 0, last)
        ib = np.clip(np.round((b - self.t0) / self.STEP).astype(int) + 1, 0, last)

        def total(c: np.ndarray) -> np.ndarray:
            return c[line, ib] - c[line, ia]

        known = total(self.c_known)
        support = np.maximum(total(self.c_pos), total(self.c_neg)) / np.maximum(known, 1)
        in_plus = ((centre * self.normal[line]).sum(axis=1) - self.rho[line]) > 0  # the quad lies on the + side
        lum = np.where(in_plus, total(self.c_lum_plus), total(self.c_lum_minus))
        cnt = np.where(in_plus, total(self.c_in_plus), total(self.c_in_minus))
        lift = total(self.c_lift) / np.maximum(known, 1) * np.where(in_plus, 1.0, -1.0)
        return support, known / np.maximum(ib - ia, 1), np.stack([lum, cnt, lift], axis=1)


def line_quads(opp: np.ndarray, lines: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Quads from two near-parallel line pairs meeting roughly at right angles, with what side_support
    would say of them (per-side support and in-frame fraction, inner luma, per-side lift), from profiles."""
    empty = (np.zeros((0, 4, 2)), np.zeros((0, 4)), np.zeros((0, 4)), np.zeros(0), np.zeros((0, 4)))
    rho, theta = lines[:, 0], lines[:, 1]
    homog = np.stack([np.cos(theta), np.sin(theta), -rho], axis=1)
    i, j = np.triu_indices(len(lines), 1)
    dtheta = np.abs(theta[i] - theta[j])
    dtheta = np.minimum(dtheta, np.pi - dtheta)
    pairs = np.stack([i, j], axis=1)[dtheta < _PARALLEL]
    if len(pairs) < 2:
        return empty
    pa, pb = np.triu_indices(len(pairs), 1)
    keep = np.abs(np.sin(theta[pairs[pa, 0]] - theta[pairs[pb, 0]])) > _MIN_SIN
    l1, l2 = pairs[pa[keep], 0], pairs[pa[keep], 1]
    l3, l4 = pairs[pb[keep], 0], pairs[pb[keep], 1]
    if len(l1) == 0:
        return empty
    corners = []
    for x, y in ((l1, l3), (l3, l2), (l2, l4), (l4, l1)):
        p = np.cross(homog[x], homog[y])
        w = np.where(np.abs(p[:, 2]) < 1e-9, 1e-9, p[:, 2])
        corners.append(p[:, :2] / w[:, None])
    quads = np.stack(corners, axis=1)                       # side k runs from corner k to corner k+1
    profiles = _LineProfiles(opp, lines)
    centre = quads.mean(axis=1)
    support, known, lum = [], [], []
    for k, line in enumerate((l3, l2, l4, l1)):
        s, kn, lm = profiles.stretch(line, quads[:, k], quads[:, (k + 1) % 4], centre)
        support.append(s)
        known.append(kn)
        lum.append(lm)
    lum_arr = np.stack(lum, axis=1)
    lum_in = lum_arr[..., 0].sum(axis=1) / np.maximum(lum_arr[..., 1].sum(axis=1), 1)
    return quads, np.stack(support, axis=1), np.stack(known, axis=1), lum_in, lum_arr[..., 2]
