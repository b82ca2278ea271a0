"""A card showing two sides meeting at a corner, its other two where its paper ends (part of devices.camera.docscan;
issue 22 item 1, round 34).

A card or a small sheet on a desk that darkens towards one side (the desk's own shade, the lamp's fall-off, an arm's
shadow) may step clearly against the desk on its two sides towards the dark part (and its drop shadow) while its two
sides towards the light part, where the desk is nearly the paper's shade, step by a few grey levels: no edge pixels,
no Hough line, so no quad of the card exists, and docscan.ended, which needs three supported sides, is not reached.
What a person sees: a light card-shaped thing whose two clear sides meet at a corner and end where the card ends, its
paper a little lighter than the desk up to its other two sides. Only where nothing was outlined (after
docscan.ended), ``corner_card`` takes each two Hough lines meeting at 58-122 degrees at a corner in frame (not the
frame's borders), with each of the four ways the corner may open: both must step from the corner outwards, lighter
towards the other (_NEAR detection px read). Along each, docscan.ended's walk finds where its
step ends, the other side's length standing for the base (so each side is 0.45-2.0 times the other and neither runs
on to the frame; the two walks are asked again with each other's end until they agree). The other two sides are then
looked for at full resolution by docscan.fourth's search, each from just short of a walk's end to a little past it
(_MARGIN, _BEYOND: where the desk grows as light as the paper a side's step fades before its corner), the card's paper
lighter inside (``sign``), print allowed on neither flank over docscan.fourth's share; the quad is kept only if it
is plausible, card or sheet shaped (_ASPECT), its two walked sides supported over their length and lighter inside
than out (_LIFT), and paper inside. The two walked sides are refined at full resolution, the two found kept where
they were found (docscan.fourth.top_page).
"""
from __future__ import annotations

import numpy as np

from .ended import _end
from .fourth import _luma, find_fourth
from .geom import order_corners, plausible_quads, vnorm
from .refine import STEP_MIN, dot3, sample_points, side_support
from .work import Work as _Work

_MIN_SIN = 0.85       # the two sides meet at 58-122 degrees
_NEAR = (2, 12)       # detection pixels from the corner along each side read for the first check
_NEAR_HELD = 0.8      # share of those samples stepping, lighter towards the other side
_FLANK = 2.0          # detection pixels either side of a side read
_N_CORNERS = 6        # corners walked, the clearest first
_STARTS = (30.0, 50.0, 80.0)   # detection pixels tried as the first base for the walks
_AGREE = 2.0          # detection pixels the walks may move when asked again with each other's end
_MIN_SIDE = 18.0      # detection pixels: a side shorter than this is not a card's (72 px of a 1280 px frame)
_ASPECT = 2.0         # the longer side at most this many times the shorter (ID-1 1.59, A4 1.41)
_MARGIN = (0.05, 2.0)  # of the walked length (+ px): how far a found side may lie short of the walk's end ...
_BEYOND = 0.35        # ... and beyond it (a side's step fades where the desk nears the paper's shade)
_SUPPORT = 0.75       # each walked side over the quad's length
_LIFT = 3.0           # grey levels the inside must be lighter than the outside along each walked side
_MAX_AREA = 0.35      # of the frame: a larger light region is the desk's lit part, not a card


def _corners(work: _Work, lines: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(corner, dA, dB): two Hough lines meeting at a corner, each stepping from it along dA and dB, lighter towards
    the other; the clearest first (a card's corner may carry its print: paper is asked for once the sides' ends are
    known)."""
    h, w = work.opp.shape[:2]
    ln = lines[:-4]   # the frame borders last (docscan.lines.hough_lines)
    if len(ln) < 2:
        return []
    i, j = np.triu_indices(len(ln), 1)
    ti, tj = ln[i, 1], ln[j, 1]
    ok = np.abs(np.sin(ti - tj)) > _MIN_SIN
    i, j = i[ok], j[ok]
    if len(i) == 0:
        return []
    ni = np.stack([np.cos(ln[i, 1]), np.sin(ln[i, 1])], axis=1)
    nj = np.stack([np.cos(ln[j, 1]), np.sin(ln[j, 1])], axis=1)
    det = ni[:, 0] * nj[:, 1] - ni[:, 1] * nj[:, 0]
    cx = (ln[i, 0] * nj[:, 1] - ln[j, 0] * ni[:, 1]) / det
    cy = (ni[:, 0] * ln[j, 0] - nj[:, 0] * ln[i, 0]) / det
    c = np.stack([cx, cy], axis=1)
    inside = (cx > 3) & (cx < w - 4) & (cy > 3) & (cy < h - 4)
    c, ni, nj = c[inside], ni[inside], nj[inside]
    if len(c) == 0:
        return []
    ui = np.stack([-ni[:, 1], ni[:, 0]], axis=1)   # the lines' directions
    uj = np.stack([-nj[:, 1], nj[:, 0]], axis=1)
    sa = np.array([1, 1, -1, -1], float)
    sb = np.array([1, -1, 1, -1], float)
    da = (ui[:, None] * sa[None, :, None]).reshape(-1, 2)   # each corner opening four ways
    db = (uj[:, None] * sb[None, :, None]).reshape(-1, 2)
    cc = np.repeat(c, 4, axis=0)
    k = np.arange(_NEAR[0], _NEAR[1] + 1, dtype=np.float64)
    # along each side, from the corner: the step across it (towards the other side minus away), held in colour
    held, lift = [], []
    for d, o in ((da, db), (db, da)):
        nrm = o - d * (o * d).sum(axis=1, keepdims=True)   # the normal towards the other side
        nrm /= np.maximum(vnorm(nrm, axis=1, keepdims=True), 1e-9)
        p = cc[:, None] + d[:, None] * k[None, :, None]
        vals = sample_points(work.opp, np.stack([p + nrm[:, None] * _FLANK, p - nrm[:, None] * _FLANK]))
        diff = vals[0] - vals[1]
        mag = np.sqrt(dot3(diff, diff))
        unit = diff / np.maximum(mag, 1e-6)[..., None]
        ref = unit.mean(axis=1, keepdims=True)
        ref /= np.maximum(vnorm(ref, axis=2, keepdims=True), 1e-6)
        held.append(((mag > STEP_MIN) & (dot3(unit, ref) > 0.5)).mean(axis=1))
        lift.append(diff[..., 0].mean(axis=1))
    held_a, held_b = held
    good = (held_a >= _NEAR_HELD) & (held_b >= _NEAR_HELD) & (lift[0] > _LIFT) & (lift[1] > _LIFT)
    idx = np.flatnonzero(good)
    if len(idx) == 0:
        return []
    idx = idx[np.argsort(-np.minimum(lift[0][idx], lift[1][idx]))][:_N_CORNERS]
    return [(cc[n], da[n], db[n]) for n in idx]


def _walks(opp: np.ndarray, c: np.ndarray, da: np.ndarray, db: np.ndarray) -> tuple[float, float] | None:
    """Where the two sides stop stepping (docscan.ended's walk, each with the other's length for the base), or
    None."""
    for start in _STARTS:
        ea, eb = _end(opp, c, da, db, start), _end(opp, c, db, da, start)
        for _ in range(3):
            if ea is None or eb is None:
                break
            na, nb = _end(opp, c, da, db, eb), _end(opp, c, db, da, ea)
            if na is not None and nb is not None and abs(na - ea) <= _AGREE and abs(nb - eb) <= _AGREE:
                return na, nb
            ea, eb = na, nb
    return None


def corner_card(img: np.ndarray, work: _Work, paper_inside, lines: np.ndarray
                ) -> tuple[np.ndarray, float, tuple[int, int]] | None:
    """A card's quad (small-image coordinates, TL TR BR BL), a score and which two sides (from corner i to i + 1)
    were found at full resolution, from two sides meeting at a corner (see the module's docstring), or None.
    ``lines``: the frame's Hough lines (docscan.lines.hough_lines)."""
    shape = work.opp.shape[:2]
    luma = None
    made = []
    for c, da, db in _corners(work, lines):
        walked = _walks(work.opp, c, da, db)
        if walked is None:
            continue
        ea, eb = walked
        if min(ea, eb) < _MIN_SIDE or max(ea, eb) > _ASPECT * min(ea, eb):
            continue
        if not paper_inside(np.array([[c, c + da * ea, c + da * ea + db * eb, c + db * eb]]))[0]:
            continue   # paper between the two sides, up to their ends
        luma = _luma(img) if luma is None else luma
        far = []
        # the side opposite B (its ends on the line of A and on A's parallel through B's end), then opposite A
        for (e_own, e_other, d_own, d_other) in ((ea, eb, da, db), (eb, ea, db, da)):
            m = _MARGIN[0] * e_own + _MARGIN[1]
            f = find_fourth(luma, work.scale, shape, c, c + d_other * e_other, d_own, d_own,
                            reach=(e_own - m, e_own + m + _BEYOND * e_own), sign=1)
            far.append(f)
        if far[0] is None or far[1] is None:
            continue
        pa, pb = far[0][0][0], far[1][0][0]   # the ends on A's line and on B's line
        la = np.cross(np.append(far[0][0][0], 1.0), np.append(far[0][0][1], 1.0))
        lb = np.cross(np.append(far[1][0][0], 1.0), np.append(far[1][0][1], 1.0))
        x = np.cross(la, lb)
        if abs(x[2]) < 1e-9:
            continue
        opposite = x[:2] / x[2]
        quad = order_corners(np.array([c, pa, opposite, pb]))
        if not plausible_quads(quad[None], shape)[0] or not paper_inside(quad[None])[0]:
            continue
        sides = np.sort(vnorm(np.roll(quad, -1, axis=0) - quad, axis=1))
        if sides[0] < _MIN_SIDE or sides[-1] > _ASPECT * sides[0] or _area(quad) > _MAX_AREA * shape[0] * shape[1]:
            continue
        support, known, _, lift = side_support(work.opp, quad[None], n=24)
        mids = 0.5 * (quad + np.roll(quad, -1, axis=0))
        walked_sides = [int(np.argmin(vnorm(mids - (c + 0.5 * d * e), axis=1))) for d, e in ((da, ea), (db, eb))]
        found_sides = tuple(s for s in range(4) if s not in walked_sides)
        if len(found_sides) != 2 or known[0].min() < 0.9:
            continue
        if support[0, walked_sides].min() < _SUPPORT or lift[0, walked_sides].min() <= _LIFT:
            continue
        step = min(far[0][1], far[1][1])
        made.append((quad, float(0.5 * support[0, walked_sides].mean() + 0.5 * min(1.0, 0.5 + step / 10.0)),
                     found_sides))
    if not made:
        return None
    return max(made, key=lambda m: m[1])


def _area(quad: np.ndarray) -> float:
    x, y = quad[:, 0], quad[:, 1]
    return float(0.5 * abs(x @ np.roll(y, -1) - y @ np.roll(x, -1)))
