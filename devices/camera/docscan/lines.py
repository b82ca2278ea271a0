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

from .geom import plausible_quads, vnorm
from .refine import STEP_MIN, dot3, sample_points

N_LINES = 20          # distinct lines combined into quads (frame borders come on top)
_N_THETA = 180        # Hough angle bins (1 degree)
_PER_DIRECTION = 6    # at most this many lines ...
_PER_DIRECTION_DEG = math.radians(6)   # ... within this angle of each other
_SAME_DEG = math.radians(4)    # lines closer than this and 4 px are one line
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
        # Few bins pass the vote threshold: compare only those with their neighbourhood maximum (the same
        # peaks, in the same row-major order, as testing the whole accumulator).
        flat = acc.ravel()
        cand = np.flatnonzero(flat >= max(16, int(0.1 * min(h, w))))
        cand = cand[flat[cand] >= peak.ravel()[cand]]
        r_i, t_i = np.divmod(cand, _N_THETA)
        order = np.argsort(-acc[r_i, t_i], kind="stable")[:_MAX_PEAKS]
        picked = _distinct(r_i[order].astype(np.float64) - diag, t_i[order] * (np.pi / _N_THETA))
    borders = [(-0.5, 0.0), (w - 0.5, 0.0), (-0.5, np.pi / 2), (h - 0.5, np.pi / 2)]
    return np.array(picked + borders, dtype=np.float64)


def frame_lines(work) -> np.ndarray:
    """hough_lines of a detection frame's own edges (a docscan.work.Work), made once a frame (Work.memo): detect asks
    for them first, docscan.corner (and docscan.book in a dim room) again on frames that reach the last looks (the
    empty desks). A copy each time, so no caller can change another's."""
    made = work.memo.get("hough_lines")
    if made is None:
        made = work.memo["hough_lines"] = hough_lines(work.edges.shape, work.ys, work.xs, work.normal, work.strong_px)
    return made.copy()


def _distinct(rhos: np.ndarray, thetas: np.ndarray) -> list[tuple[float, float]]:
    """Greedily keep lines (strongest first) that are not near-duplicates of a kept one, with at most
    _PER_DIRECTION kept lines within _PER_DIRECTION_DEG of any direction, up to N_LINES.

    Plain Python: at most N_LINES kept lines are compared per peak, where numpy's per-call cost dominates."""
    kept: list[tuple[float, float]] = []
    half_pi = math.pi / 2
    for r, t in zip(rhos.tolist(), thetas.tolist()):
        near_dir = 0
        duplicate = False
        for kr, kt in kept:
            dt = abs(kt - t)
            if dt > half_pi:               # theta wraps at pi with rho changing sign
                dt, kr = math.pi - dt, -kr
            if dt < _SAME_DEG and abs(kr - r) < 4.0:
                duplicate = True
                break
            near_dir += dt < _PER_DIRECTION_DEG
        if duplicate or near_dir >= _PER_DIRECTION:
            continue
        kept.append((r, t))
        if len(kept) == N_LINES:
            break
    return kept


class _LineProfiles:
    """Cumulative evidence along each line, sampled at steps of the line parameter t.

    For sample k of line i (point n*rho + d*t_k): whether both flank points are in the frame, whether the
    colour steps across the line with the line's dominant step colour (+) or against it (-), and the luma on
    either flank. Cumulative sums let any stretch [t0, t1] be summarised in constant time.
    """

    STEP = 3.0  # pixels between samples along a line: enough to measure support, a third of the cost
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

        def inside(p: np.ndarray) -> np.ndarray:
            return (p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)

        in_p, in_m = inside(plus), inside(minus)
        # Only flank points in the frame are sampled (about half: t spans w + h, a line's part in view at most the
        # diagonal): every use below of a sample outside is masked by in_p, in_m or known (the step, its colour,
        # the luma sums), and its 0 there is finite like the sample it stands for (unit * False is 0 either way).
        both = np.stack([plus, minus])
        seen = np.stack([in_p, in_m])
        vals = np.zeros(seen.shape + (opp.shape[2],), np.float32)
        vals[seen] = sample_points(opp, both[seen])
        vp, vm = vals[0], vals[1]
        known = in_p & in_m
        diff = vp - vm
        mag = np.sqrt(dot3(diff, diff))
        step = known & (mag > STEP_MIN)
        unit = diff / np.maximum(mag, 1e-6)[..., None]
        ref = (unit * step[..., None]).sum(axis=1, keepdims=True)
        ref /= np.maximum(vnorm(ref, axis=2, keepdims=True), 1e-6)
        proj = dot3(unit, ref)
        feats = np.stack([known, step & (proj > 0.5), step & (proj < -0.5), np.where(in_p, vp[..., 0], 0.0),
                          np.where(in_m, vm[..., 0], 0.0), in_p, in_m,
                          np.where(known, vp[..., 0] - vm[..., 0], 0.0)], axis=-1, dtype=np.float64)
        self.cum = np.zeros((len(lines), feats.shape[1] + 1, 8))
        np.cumsum(feats, axis=1, out=self.cum[:, 1:])
        self.normal = normal[:, 0]
        self.direction = direction[:, 0]
        self.rho = rho[:, 0]

    def stretch(self, line: np.ndarray, p: np.ndarray, q: np.ndarray, centre: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Support, in-frame fraction and (inner luma sum, count, inside-minus-outside luma) of the middle
        80 % of segments p->q on the given lines."""
        d = self.direction[line]
        # Two-term dot products written out: numpy's reduction over a length-2 axis costs more than the maths.
        tp, tq = p[:, 0] * d[:, 0] + p[:, 1] * d[:, 1], q[:, 0] * d[:, 0] + q[:, 1] * d[:, 1]
        a, b = np.minimum(tp, tq), np.maximum(tp, tq)
        a, b = a + 0.1 * (b - a), b - 0.1 * (b - a)
        last = self.cum.shape[1] - 1
        ia = np.clip(np.round((a - self.t0) / self.STEP).astype(np.int64), 0, last)
        ib = np.clip(np.round((b - self.t0) / self.STEP).astype(np.int64) + 1, 0, last)
        tot = self.cum[line, ib] - self.cum[line, ia]                         # (Q, 8)
        known = tot[:, self.KNOWN]
        support = np.maximum(tot[:, self.POS], tot[:, self.NEG]) / np.maximum(known, 1)
        nrm = self.normal[line]
        in_plus = (centre[:, 0] * nrm[:, 0] + centre[:, 1] * nrm[:, 1] - self.rho[line]) > 0  # quad on the + side
        lum = np.where(in_plus, tot[:, self.LUM_PLUS], tot[:, self.LUM_MINUS])
        cnt = np.where(in_plus, tot[:, self.IN_PLUS], tot[:, self.IN_MINUS])
        lift = tot[:, self.LIFT] / np.maximum(known, 1) * np.where(in_plus, 1.0, -1.0)
        return support, known / np.maximum(ib - ia, 1), np.stack([lum, cnt, lift], axis=1)


def line_quads(opp: np.ndarray, lines: np.ndarray, parallel: float = _PARALLEL, keep=None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Page-shaped quads from two near-parallel line pairs meeting roughly at right angles, with what
    side_support would say of them (per-side support and in-frame fraction, inner luma, per-side lift), from profiles.
    ``parallel``: how far from parallel a pair's lines may be; with ``keep`` (quads (N, 4, 2) -> bool), only the
    quads with a pair further than _PARALLEL from parallel that ``keep`` keeps (docscan.steep)."""
    empty = (np.zeros((0, 4, 2)), np.zeros((0, 4)), np.zeros((0, 4)), np.zeros(0), np.zeros((0, 4)))
    rho, theta = lines[:, 0], lines[:, 1]
    homog = np.stack([np.cos(theta), np.sin(theta), -rho], axis=1)
    i, j = np.triu_indices(len(lines), 1)
    dtheta = np.abs(theta[i] - theta[j])
    dtheta = np.minimum(dtheta, np.pi - dtheta)
    # A page cut by the frame closes on a frame border, whatever its own rotation: a line may pair with a
    # border (the last four lines) up to _BORDER_PAIR apart. The pair's direction is then the line's own.
    border = np.arange(len(lines)) >= len(lines) - 4
    ok = (dtheta < parallel) | (border[j] & ~border[i] & (dtheta < _BORDER_PAIR))
    ok_pairs = ok
    pairs = np.stack([i, j], axis=1)[ok]
    if len(pairs) < 2:
        return empty
    pa, pb = np.triu_indices(len(pairs), 1)
    keep_pq = np.abs(np.sin(theta[pairs[pa, 0]] - theta[pairs[pb, 0]])) > _MIN_SIN
    if keep is not None:   # the wider of each quad's two pairs (a pair closed by a frame border counts as parallel)
        pair_dt = np.where(border[pairs[:, 1]] & ~border[pairs[:, 0]], 0.0, dtheta[ok_pairs])
        wide = np.maximum(pair_dt[pa], pair_dt[pb])
        keep_pq &= wide >= _PARALLEL
        wide = wide[keep_pq]
    l1, l2 = pairs[pa[keep_pq], 0], pairs[pa[keep_pq], 1]
    l3, l4 = pairs[pb[keep_pq], 0], pairs[pb[keep_pq], 1]
    if len(l1) == 0:
        return empty
    # Where each ordered pair of lines meets, worked out once for the ~L*L pairs and looked up for the thousands of
    # quads' corners (the same arithmetic element by element, so the same bits).
    a, b = homog[:, None], homog[None, :]
    z = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    z = np.where(np.abs(z) < 1e-9, 1e-9, z)
    meet = np.stack([(a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1]) / z,
                     (a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]) / z], axis=-1)          # (L, L, 2)
    quads = np.stack([meet[l1, l3], meet[l3, l2], meet[l2, l4], meet[l4, l1]], axis=1)   # side k: corner k to k+1
    # Only quads shaped like a page are scored (about half of them).
    ok = plausible_quads(quads, opp.shape[:2])
    if keep is not None:
        ok[ok] = keep(quads[ok])
    quads, l1, l2, l3, l4 = quads[ok], l1[ok], l2[ok], l3[ok], l4[ok]
    if len(quads) == 0:
        return empty
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
