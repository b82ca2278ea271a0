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

N_LINES = 20          # distinct lines combined into quads (frame borders come on top)
_N_THETA = 180        # Hough angle bins (1 degree)
_PER_DIRECTION = 6    # at most this many lines ...
_PER_DIRECTION_DEG = math.radians(6)   # ... within this angle of each other
_MAX_PEAKS = 150      # Hough peaks examined, strongest first
_COS = np.cos(np.arange(_N_THETA) * np.pi / _N_THETA)
_SIN = np.sin(np.arange(_N_THETA) * np.pi / _N_THETA)
_PARALLEL = math.radians(16)   # opposite sides of a page in perspective are this close to parallel
_MIN_SIN = 0.85       # adjacent sides meet at 58..122 degrees
_BORDER_PAIR = math.radians(50)   # a page side and the frame border that cuts the page off


def hough_lines(shape: tuple[int, int], ys: np.ndarray, xs: np.ndarray, normal: np.ndarray, strong: np.ndarray
                ) -> np.ndarray:
    """Distinct lines as (rho, theta) rows, strongest first, then the four frame borders (a page running off
    the image closes on them).

    Each edge pixel votes only for lines nearly perpendicular to its own colour gradient (+-2 degrees), so
    the texture of a desk, text and the outline of round things add little to any line; pixels of a strong
    colour step count twice. Peaks are kept if they are local maxima; a few parallel lines at most per
    direction, so a striped tablecloth cannot take every slot.
    """
    h, w = shape
    picked: list[tuple[float, float]] = []
    if len(xs) > 0:
        weight = np.where(strong, 2.0, 1.0)
        t_bin = np.round(normal * (_N_THETA / np.pi)).astype(np.int64)
        t_all = (t_bin[:, None] + np.arange(-2, 3)[None, :]) % _N_THETA
        diag = int(math.hypot(h, w)) + 2
        rho = np.round(xs[:, None] * _COS[t_all] + ys[:, None] * _SIN[t_all]).astype(np.int64) + diag
        acc = np.bincount((rho * _N_THETA + t_all).ravel(), weights=np.repeat(weight, 5),
                          minlength=(2 * diag + 1) * _N_THETA).reshape(2 * diag + 1, _N_THETA).astype(np.float32)
        peak = cv2.dilate(acc, np.ones((5, 5), np.uint8))
        r_i, t_i = np.nonzero((acc >= peak) & (acc >= max(16, int(0.1 * min(h, w)))))
        order = np.argsort(-acc[r_i, t_i], kind="stable")[:_MAX_PEAKS]
        for k in order:
            rho_k, th_k = float(r_i[k] - diag), float(t_i[k] * np.pi / _N_THETA)
            if any(_same_line(rho_k, th_k, r, t) for r, t in picked):
                continue
            if sum(_angle_diff(th_k, t) < _PER_DIRECTION_DEG for _, t in picked) >= _PER_DIRECTION:
                continue
            picked.append((rho_k, th_k))
            if len(picked) >= N_LINES:
                break
    borders = [(-0.5, 0.0), (w - 0.5, 0.0), (-0.5, np.pi / 2), (h - 0.5, np.pi / 2)]
    return np.array(picked + borders, dtype=np.float64)


def _angle_diff(t1: float, t2: float) -> float:
    d = abs(t1 - t2) % np.pi
    return min(d, np.pi - d)


def _same_line(r1: float, t1: float, r2: float, t2: float) -> bool:
    dt = abs(t1 - t2)
    if dt > np.pi / 2:  # theta wraps at pi with rho changing sign
        dt, r2 = np.pi - dt, -r2
    return dt < math.radians(4) and abs(r1 - r2) < 4.0


class _LineProfiles:
    """Cumulative evidence along each line, sampled at steps of the line parameter t.

    For sample k of line i (point n*rho + d*t_k): whether both flank points are in the frame, whether the
    colour steps across the line with the line's dominant step colour (+) or against it (-), and the luma on
    either flank. Cumulative sums let any stretch [t0, t1] be summarised in constant time.
    """

    STEP = 2.0  # pixels between samples along a line: enough to measure support, half the cost
    # Columns of the cumulative table.
    KNOWN, POS, NEG, LUM_PLUS, LUM_MINUS, IN_PLUS, IN_MINUS, LIFT = range(8)

    def __init__(self, opp: np.ndarray, lines: np.ndarray, d: float = 2.0) -> None:
        h, w = opp.shape[:2]
        # With theta in [0, pi) the in-frame part of any line has t = -x sin(theta) + y cos(theta) in [-w, h].
        self.t0 = -float(w) - 2.0
        t = np.arange(self.t0, h + 2.0 + self.STEP, self.STEP)
        rho, theta = lines[:, 0:1], lines[:, 1:2]
        normal = np.stack([np.cos(theta), np.sin(theta)], axis=-1)          # (L, 1, 2)
        direction = np.stack([-np.sin(theta), np.cos(theta)], axis=-1)
        base = normal * rho[..., None] + direction * t[None, :, None]        # (L, T, 2)
        plus, minus = base + normal * d, base - normal * d
        vals = sample_points(opp, np.stack([plus, minus]))
        vp, vm = vals[0], vals[1]

        def inside(p: np.ndarray) -> np.ndarray:
            return (p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)

        in_p, in_m = inside(plus), inside(minus)
        known = in_p & in_m
        diff = vp - vm
        mag = np.sqrt((diff * diff).sum(axis=2))
        step = known & (mag > STEP_MIN)
        unit = diff / np.maximum(mag, 1e-6)[..., None]
        ref = (unit * step[..., None]).sum(axis=1, keepdims=True)
        ref /= np.maximum(np.linalg.norm(ref, axis=2, keepdims=True), 1e-6)
        proj = (unit * ref).sum(axis=2)
        feats = np.stack([known, step & (proj > 0.5), step & (proj < -0.5), np.where(in_p, vp[..., 0], 0.0),
                          np.where(in_m, vm[..., 0], 0.0), in_p, in_m,
                          np.where(known, vp[..., 0] - vm[..., 0], 0.0)], axis=-1).astype(np.float64)
        self.cum = np.concatenate([np.zeros((len(lines), 1, 8)), np.cumsum(feats, axis=1)], axis=1)
        self.normal = normal[:, 0]
        self.direction = direction[:, 0]
        self.rho = rho[:, 0]

    def stretch(self, line: np.ndarray, p: np.ndarray, q: np.ndarray, centre: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Support, in-frame fraction and (inner luma sum, count, inside-minus-outside luma) of the middle
        80 % of segments p->q on the given lines."""
        d = self.direction[line]
        tp, tq = (p * d).sum(axis=1), (q * d).sum(axis=1)
        a, b = np.minimum(tp, tq), np.maximum(tp, tq)
        a, b = a + 0.1 * (b - a), b - 0.1 * (b - a)
        last = self.cum.shape[1] - 1
        ia = np.clip(np.round((a - self.t0) / self.STEP).astype(np.int64), 0, last)
        ib = np.clip(np.round((b - self.t0) / self.STEP).astype(np.int64) + 1, 0, last)
        tot = self.cum[line, ib] - self.cum[line, ia]                         # (Q, 8)
        known = tot[:, self.KNOWN]
        support = np.maximum(tot[:, self.POS], tot[:, self.NEG]) / np.maximum(known, 1)
        in_plus = ((centre * self.normal[line]).sum(axis=1) - self.rho[line]) > 0  # the quad lies on the + side
        lum = np.where(in_plus, tot[:, self.LUM_PLUS], tot[:, self.LUM_MINUS])
        cnt = np.where(in_plus, tot[:, self.IN_PLUS], tot[:, self.IN_MINUS])
        lift = tot[:, self.LIFT] / np.maximum(known, 1) * np.where(in_plus, 1.0, -1.0)
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
    # A page cut by the frame closes on a frame border, whatever its own rotation: a line may pair with a
    # border (the last four lines) up to _BORDER_PAIR apart. The pair's direction is then the line's own.
    border = np.arange(len(lines)) >= len(lines) - 4
    ok = (dtheta < _PARALLEL) | (border[j] & ~border[i] & (dtheta < _BORDER_PAIR))
    pairs = np.stack([i, j], axis=1)[ok]
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
