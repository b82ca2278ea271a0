"""The fourth side of the top page of a white stack, read at full resolution (part of devices.camera.docscan;
issue 22, d).

A page lying on a small stack of white sheets on a pale desk may show three sides against the desk while its fourth
side, over the sheets below, steps on part of its length only (a marker, a highlighter and a cable across the rest):
too few edge pixels for any Hough line at the detection scale, so no quad of the page exists and nothing is outlined
(docscan.whites finds none either). Only then, ``fourth_side`` takes the line quads of the light-flanked edges
(docscan.whites) and, for each side of each as a base, its two neighbours; the three are read only over the stretch
a page would show (the base between its corners, the neighbours up to 0.45 of the base's length out: not over
their whole lines, which run on over the desk past the page) and must be supported there, with paper between.
Along the two neighbours the fourth side is then looked for at FULL resolution: the frame's luma is rectified onto
the strip it may lie in (0.45-2.0 base lengths out, within the frame), and for every position and tilt the step
across it (band 2-8 px inside minus 2-8 px outside, per column every 6 px) is read along the whole side: its
clipped mean and the share of columns stepping one way (68 %, or 56 % for a step of 4 levels or more: a pen or a
cable over part of it), then its median (1.5-20 levels). A position with ink (30 levels under the paper) within
22 px on either flank in over 40 % of the columns is not a side (print inside the page, a text block's edge, a
cable's soft shadow). Of a base's positions the clearest step is taken; of the bases whose side steps by 8 levels
or more, and nearly (0.8) as clearly as the clearest, the smallest quad (the top page lies inside the stack's
union); its three other sides must still be supported and its inside look like paper. ``top_page`` refines the
three base sides at full resolution and keeps the fourth where it was found.
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import NEXT_CORNER, median, order_corners, plausible_quads, Quad, vnorm
from .lines import hough_lines, line_quads
from .refine import refine_once, sample_points, side_support
from .stack import peel_stack
from .whites import _FLANK, _LIGHT, _PAPER_PCT
from .work import Work as _Work

_BASE_SUPPORT = 0.5      # each of the three base sides, between their meeting points
_N_BASES = 12            # base triples tried, best supported (least supported of the three) first
_REACH = (0.45, 2.0)     # the fourth side's distance from the base side, in base side lengths
_BAND = (2, 8)           # full-resolution pixels either side of a position averaged into a column's step
_INK_BAND = 22           # pixels either side looked at for ink
_INK = 30.0              # a flank pixel this much darker than the paper is ink (or a pen, a cable)
_INK_COLS = 0.4          # at most this fraction of the columns may show ink on either flank
_STEP = 1.5              # grey levels: the mean (clipped) and median step along the side ...
_SIGN = 0.68             # ... with this fraction of the columns stepping the same way,
_PART_STEP = 4.0         # or a clearer step along part of the side (a pen or a cable over the rest)
_PART_SIGN = 0.56
_NEAR_CLEAR = 0.8        # fraction of the clearest step that counts as nearly as clear
_CLEAR = 8.0             # grey levels: of all bases, a fourth side stepping at least this much, the clearest
_COL_STEP = 6            # columns sampled every this many rectified pixels
_CLIP = 15.0          # grey levels a column's step counts for at most (a pen across the side)
_FAINT = 20.0         # a clearer step than this would have been seen at the detection scale
_TILT_STEP = 3         # rectified rows between the tilts tried
_TILT = 0.1           # the fourth side's far end may lie this fraction of the strip's length off its near end's row
_MOVED = 3.0          # detection pixels a refined corner may move off the quad found
_END_MARGIN = 0.06       # the side's ends (the neighbouring sides' own edges) are left out


def _white_lines(work: _Work) -> np.ndarray:
    paper = float(np.percentile(work.opp[..., 0], _PAPER_PCT))
    pts = np.stack([work.xs, work.ys], axis=1).astype(np.float64)
    step = _FLANK * np.stack([np.cos(work.normal), np.sin(work.normal)], axis=1)
    lo = np.minimum(sample_points(work.opp, pts + step)[:, 0], sample_points(work.opp, pts - step)[:, 0])
    keep = lo > _LIGHT * paper
    return hough_lines(work.edges.shape, work.ys[keep], work.xs[keep], work.normal[keep], work.strong_px[keep])


def base_triples(work: _Work, paper_inside, evidence: tuple | None = None
                 ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Base triples (c1, c2, dA, dB), small-image coordinates: the base side from c1 to c2, the neighbouring sides
    leaving c1 and c2 along the unit directions dA and dB towards the (unseen) fourth side. ``evidence``: the line
    quads of the light-flanked edges with their per-side support and in-frame fraction (docscan.whites), if made."""
    if evidence is None:
        evidence = line_quads(work.opp, _white_lines(work)) if len(work.xs) else (np.zeros((0, 4, 2)),) * 3
    lq, ls, lk = evidence[:3]
    if len(lq) == 0:
        return []
    # every quad side as the base, its two neighbours leaving it towards the side opposite; each of the three is
    # read only over the stretch any page would show: the base between its corners (as the line quad reads it),
    # the neighbours up to the nearest the fourth side may be (not over their whole line, which runs on over the
    # desk past the page)
    k = np.arange(4)
    base_ok = ((ls[:, (k + 2) % 4] >= _BASE_SUPPORT) & (lk[:, (k + 2) % 4] >= 0.9)).reshape(-1)
    c1 = lq[:, (k + 3) % 4].reshape(-1, 2)[base_ok]
    c2 = lq[:, (k + 2) % 4].reshape(-1, 2)[base_ok]
    da = lq[:, k].reshape(-1, 2)[base_ok] - c1
    db = lq[:, (k + 1) % 4].reshape(-1, 2)[base_ok] - c2
    da /= np.maximum(vnorm(da, axis=1, keepdims=True), 1e-9)
    db /= np.maximum(vnorm(db, axis=1, keepdims=True), 1e-9)
    near = _REACH[0] * vnorm(c2 - c1, axis=1, keepdims=True)
    short = np.stack([c1, c2, c2 + db * near, c1 + da * near], axis=1)
    ok = np.flatnonzero(plausible_quads(short, work.opp.shape[:2])) if len(short) else np.zeros(0, int)
    if len(ok) == 0:
        return []
    # line quads sharing three lines give the same short quad (a quarter of them on empty desks): each read once
    uniq, back = np.unique(short[ok].reshape(len(ok), -1), axis=0, return_inverse=True)
    uniq, back = uniq.reshape(-1, 4, 2), back.reshape(-1)
    support, known, _, _ = side_support(work.opp, uniq, n=16)
    three = support[:, [3, 0, 1]]   # sides A (pa->c1), base (c1->c2), B (c2->pb): clockwise or not, one each
    keep = (known[:, [3, 0, 1]] >= 0.9).all(axis=1) & (three >= _BASE_SUPPORT).all(axis=1)
    inside = np.zeros(len(uniq), bool)
    if keep.any():
        inside[keep] = paper_inside(uniq[keep])   # the page's near part lies between them
    ok, three = ok[inside[back]], three[back][inside[back]]
    found = [(float(t.min()), float(t.sum()), c1[i], c2[i], da[i], db[i]) for i, t in zip(ok, three)]
    found.sort(key=lambda f: (-f[0], -f[1]))
    kept: list[tuple[np.ndarray, ...]] = []
    for f in found:
        c1, c2, da, db = f[2:]
        if any(np.abs(c1 - g[0]).max() < 3 and np.abs(c2 - g[1]).max() < 3 and da @ g[2] > 0.998 and db @ g[3] > 0.998
               for g in kept):
            continue
        kept.append((c1, c2, da, db))
        if len(kept) == _N_BASES:
            break
    return kept


def _luma(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32) if img.ndim == 3 else img.astype(np.float32)


def _to_border(p: np.ndarray, d: np.ndarray, shape: tuple[int, int]) -> float:
    """How far from ``p`` along the unit direction ``d`` the small frame of ``shape`` ends (1 pixel in)."""
    h, w = shape
    reach = np.inf
    for i, hi in ((0, w - 2.0), (1, h - 2.0)):
        if d[i] > 1e-9:
            reach = min(reach, (hi - p[i]) / d[i])
        elif d[i] < -1e-9:
            reach = min(reach, (1.0 - p[i]) / d[i])
    return float(reach)


def find_fourth(luma: np.ndarray, scale: float, shape: tuple[int, int], c1: np.ndarray,
                c2: np.ndarray, da: np.ndarray, db: np.ndarray, reach: tuple[float, float] | None = None,
                ink_cols: tuple[float, float] = (_INK_COLS, _INK_COLS), sign: int = 0
                ) -> tuple[np.ndarray, float] | None:
    """The fourth side's two ends (small-image coordinates, on the lines from c1 along da and from c2 along db)
    and its median step, or None when no position along the strip steps cleanly. ``reach``: the nearest and
    furthest the side may lie from the base, small-image pixels along the neighbours (default _REACH of the base's
    length); the strip is read a band's width past the furthest. ``ink_cols``: the share of columns that may
    show ink on the flank towards the base and on the flank away from it (a card over a printed form has the form's
    print against its side, outside). ``sign``: 1 or -1, only steps lighter (darker) towards the base; 0 either."""
    base = float(np.linalg.norm(c2 - c1))
    lo_reach, hi_reach = (_REACH[0] * base, _REACH[1] * base) if reach is None else reach
    pad = 0.0 if reach is None else (_INK_BAND + 2) * scale
    far = min(hi_reach + pad, _to_border(c1, da, shape), _to_border(c2, db, shape))   # the strip stays in frame
    if far < lo_reach + 4:
        return None
    src = np.array([c1, c2, c2 + db * far, c1 + da * far], np.float64)
    src_full = (src + 0.5) / scale - 0.5
    width = int(round(base / scale))
    height = int(round(far / scale))
    if width < 40 or height < 40:
        return None
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float64)
    m = cv2.getPerspectiveTransform(src_full.astype(np.float32), dst.astype(np.float32))
    rect = cv2.warpPerspective(luma, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=-1000.0)
    cols = np.arange(int(_END_MARGIN * width), int((1 - _END_MARGIN) * width), _COL_STEP)
    sub = rect[:, cols]                                                       # (height, C)
    valid_col = (sub > -500).all(axis=0)
    if valid_col.mean() < 0.7:
        return None
    sub, cols = sub[:, valid_col], cols[valid_col]
    near = int(lo_reach / far * height)
    y_end = height if reach is None else int(round(hi_reach / far * height)) + _INK_BAND + 2
    paper = float(median(sub[int(0.2 * near):near]))
    lo, hi = _BAND
    n_c = len(cols)
    cs = np.vstack([np.zeros((1, n_c)), np.cumsum(sub, axis=0)])
    ink = np.vstack([np.zeros((1, n_c)), np.cumsum(sub < paper - _INK, axis=0)])
    y = np.arange(height)
    yc = np.clip(y, hi, height - hi - 1)
    # per column and row: the step across a side through that row, and ink within _INK_BAND on either flank
    step = (cs[yc - lo + 1] - cs[yc - hi + 1] - cs[yc + hi] + cs[yc + lo]) / (hi - lo)
    yi = np.clip(y, _INK_BAND, height - _INK_BAND - 1)
    ink_in = (ink[yi] - ink[yi - _INK_BAND]) > 0
    ink_out = (ink[yi + _INK_BAND + 1] - ink[yi + 2]) > 0
    clipped = np.clip(step, -_CLIP, _CLIP)
    y_min = max(near, _INK_BAND + 1)
    shift_max = int(_TILT * height)
    found: list[tuple[float, ...]] = []
    col_idx = np.arange(n_c)[None, :]
    for shift in range(-shift_max, shift_max + 1, _TILT_STEP):
        off = np.round(shift * cols / float(width)).astype(int)
        # both ends at or past the nearest row when the reach is bounded (one end only otherwise, as it was)
        ys = np.arange(max(y_min, -off.min(), 0 if reach is None else near - min(0, off.min())),
                       min(y_end, height) - _INK_BAND - 1 - max(0, off.max()))
        if len(ys) == 0:
            continue
        rows = ys[:, None] + off[None, :]
        st = clipped[rows, col_idx]
        mean = st.mean(axis=1)
        pos = (st > 0).mean(axis=1)
        pos_sign = np.where(mean >= 0, pos, 1 - pos)
        cand = (np.abs(mean) >= _STEP) & ((pos_sign >= _SIGN)
                                          | ((np.abs(mean) >= _PART_STEP) & (pos_sign >= _PART_SIGN)))
        if sign:
            cand &= mean * sign > 0
        if not cand.any():
            continue
        am = np.abs(mean)
        peak = cand & (am >= np.roll(am, 2)) & (am >= np.roll(am, -2))
        j = np.flatnonzero(peak)
        r = rows[j]
        fin, fout = ink_in[r, col_idx].mean(axis=1), ink_out[r, col_idx].mean(axis=1)
        clean = (fin <= ink_cols[0]) & (fout <= ink_cols[1])
        j, r, fin, fout = j[clean], r[clean], fin[clean], fout[clean]
        if len(j) == 0:
            continue
        med = median(step[r, col_idx], axis=1)
        for g in np.flatnonzero((np.abs(med) >= _STEP) & (np.abs(med) <= _FAINT) & (med * sign >= 0)):
            found.append((ys[j[g]] + 0.5 * shift, int(ys[j[g]]), shift, float(am[j[g]]), float(med[g]),
                          float(pos_sign[j[g]]), float(max(fin[g], fout[g]))))
    if not found:
        return None
    best = max(found, key=lambda f: abs(f[4]))   # the clearest clean step along the strip
    y, shift = best[1], best[2]
    ends = np.array([[0.0, y], [width - 1.0, y + shift * (width - 1.0) / width]], np.float64)
    back = cv2.perspectiveTransform(ends.reshape(-1, 1, 2), np.linalg.inv(m)).reshape(-1, 2)
    return (back + 0.5) * scale - 0.5, best[4]


def close_quad(work: _Work, paper_inside, c1: np.ndarray, c2: np.ndarray, da: np.ndarray, db: np.ndarray,
               ends: np.ndarray, floor: float = _BASE_SUPPORT) -> tuple[np.ndarray, np.ndarray, int] | None:
    """The quad (ordered TL TR BR BL) a fourth side found at ``ends`` (find_fourth) closes on the base triple, the
    support of its three other sides and which side (from corner i to i + 1) is the fourth; None unless it is
    plausible, its three other sides are supported (``floor``) and in frame, and it looks like paper inside."""
    # the ends on the neighbouring lines (the shear's far end is on line B up to rounding)
    pa = c1 + da * float((ends[0] - c1) @ da)
    pb = c2 + db * float((ends[1] - c2) @ db)
    quad = order_corners(np.array([c1, c2, pb, pa]))
    if not plausible_quads(quad[None], work.opp.shape[:2])[0]:
        return None
    support, known, _, _ = side_support(work.opp, quad[None], n=24)
    mid = 0.5 * (pa + pb)   # the fourth side is the one whose midpoint is nearest pa-pb's
    side_mid = 0.5 * (quad + quad[NEXT_CORNER])
    three = np.arange(4) != int(np.argmin(vnorm(side_mid - mid, axis=1)))
    if support[0, three].min() < floor or known[0, three].min() < 0.9 or not paper_inside(quad[None])[0]:
        return None
    return quad, support[0, three], int(np.flatnonzero(~three)[0])


def fourth_side(img: np.ndarray, work: _Work, paper_inside, evidence: tuple | None = None
                ) -> tuple[np.ndarray, float, int] | None:
    """The top page's quad (small-image coordinates, TL TR BR BL), a score and which side (from corner i to i + 1)
    is the fourth, or None. ``paper_inside``: quads (N, 4, 2)
    -> whether each looks like paper inside (docscan.detect); ``evidence``: as base_triples."""
    bases = base_triples(work, paper_inside, evidence)
    if not bases:
        return None
    luma = _luma(img)
    shape = work.opp.shape[:2]
    made = []
    for c1, c2, da, db in bases:
        found = find_fourth(luma, work.scale, shape, c1, c2, da, db)
        if found is None or abs(found[1]) < _CLEAR:
            continue
        closed = close_quad(work, paper_inside, c1, c2, da, db, found[0])
        if closed is None:
            continue
        quad, three_support, fourth = closed
        score = float(0.5 * three_support.mean() + 0.5 * min(1.0, 0.5 + abs(found[1]) / 10.0))
        area = cv2.contourArea(quad.astype(np.float32))
        made.append((quad, score, fourth, abs(found[1]), area))
    if not made:
        return None
    # of the bases whose fourth side steps nearly as clearly as the clearest, the smallest quad: the top page lies
    # inside the stack's union
    clear = max(m[3] for m in made)
    return min((m for m in made if m[3] >= _NEAR_CLEAR * clear), key=lambda m: m[4])[:3]


def top_page(img: np.ndarray, work: _Work, quad: np.ndarray, fourth: int | tuple[int, ...]) -> Quad:
    """The outline returned for a quad ``fourth_side`` found: its three sides refined at full resolution as any
    outline's, the fourth (found at full resolution already, and too faint for refine_once) kept where it was found
    (``fourth`` may name several sides: docscan.corner finds two). A refined corner more than _MOVED detection
    pixels off keeps the quad as found."""
    full = (quad + 0.5) / work.scale - 0.5
    unit = max(1.0, 0.4 / work.scale)
    q, _ = refine_once(img, full, radius=3.0 / work.scale, unit=unit, n=20)
    q, _ = refine_once(img, q, radius=max(2.0, 0.8 / work.scale), unit=max(1.0, unit / 2), n=28)
    # refine_once keeps the corner order: side i runs from corner i to i + 1
    lines = [np.cross(np.append(a, 1.0), np.append(b, 1.0)) for a, b in zip(q, q[NEXT_CORNER])]
    for f in (fourth,) if isinstance(fourth, int) else fourth:
        lines[f] = np.cross(np.append(full[f], 1.0), np.append(full[(f + 1) % 4], 1.0))
    corners = [np.cross(lines[i - 1], lines[i]) for i in range(4)]
    q = np.array([c[:2] / c[2] if abs(c[2]) > 1e-9 else np.full(2, np.nan) for c in corners])
    if not np.isfinite(q).all() or np.abs(q - full).max() * work.scale > _MOVED:
        q = full
    return Quad.from_points(peel_stack(img, order_corners(q)))
