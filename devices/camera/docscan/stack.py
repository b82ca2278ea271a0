"""The top sheet of a stack of pages (part of devices.camera.docscan; issue 22, d).

A page lying on other, offset pages: the strongest steps in the frame are the lower sheets' edges against the
desk, so the best outline follows the union of the stack, mixing sides of several sheets. The top sheet is the
one whose four sides are continuous; a lower sheet shows only a strip beyond one or more of them, and its
visible edges end where they meet the top sheet's edge (a T-junction). Its edge over the sheet below is a weak
step: white on white, darker outside by the thin shadow the top sheet casts.

``peel_stack`` looks inward from each side of a chosen outline, at full resolution, for such a second edge: a
straight, continuous step up in luma (darker outside, lighter inside) or a faint hairline dip (the shadow along
the lit side), with paper of the page's own colour and no ink either side of it (a lower sheet, not a printed
frame, a text line or a finger), and the band between the outline and that edge also paper (a strip of the
lower sheet). Only sides with a corner that is no sheet's own are searched (where two sheets' edges cross, the
wedge inside the outline's corner is not paper); a strip with a sheet's corner at both ends is the page itself
(a binding flap). Sides where it finds one move onto it; the others stay.
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import intersect_lines, linspace, median, order_corners, vnorm
from .refine import NEXT_CORNER, PREV_CORNER, sample_points, to_opponent

_N_PROFILES = 24        # profiles across each side
_REACH = 0.16           # how far inward to look, as a fraction of the shorter side (stacks offset 10-50 px)
_MIN_IN = 11.0          # pixels: closer to the outline than this is the outline's own edge
_BAND = (2, 8)          # pixels either side of a candidate edge compared (outer band, inner band)
_INK_FREE = 14          # pixels outside a candidate edge with no ink (not the far flank of a printed rule)
_MARGIN = 16            # pixels inside the top sheet's edge free of ink (its margin; text lines are closer)
_MIN_STEP = 6.0         # luma levels the inner band must be lighter than the outer band
_MIN_DIP = 5.0          # luma levels a hairline shadow lies below the paper on both sides of it
_DIP_SHIFT = 1.0        # pixels from a hairline shadow's darkest point in to the sheet's edge
_DIP_FLOOR = 0.78       # darkest a hairline shadow gets vs the paper (ink of a rule or a text line is darker)
_OUT_MIN = 0.66         # darkest outer sample vs the paper: a shadowed lower sheet, not ink or a finger
_OUT_MEAN = 0.74        # mean of the outer band vs the paper
_IN_MIN = 0.85          # darkest inner sample vs the paper: the top sheet's margin is free of ink
_CHROMA = 12.0          # opponent chroma distance of the outer band from the paper: paper, not a finger or desk
_CORNER_PX = 6.0        # pixels into a corner's wedge (and out from the sides) where desk is looked for
_DESK_DIST = 20.0       # opponent-colour distance from the desk's colour that still counts as desk
_SHARP = 0.6            # fraction of a step that happens within 3 px of the edge (a sheet's edge, not shading)
_AGREE = 0.5            # fraction of a side's profiles that must lie on the new edge (a continuous side)
_FIT_TOL = 1.5          # pixels from the fitted edge that count as on it
_MIN_AREA = 0.55        # the top sheet keeps at least this fraction of the outline's area


def peel_stack(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The top sheet's corners (TL TR BR BL, image pixels) inside a page outline ``quad`` found on the BGR
    frame ``img``: the outline itself when no side hides a sheet edge inside it."""
    h, w = img.shape[:2]
    quad = np.asarray(quad, np.float64)
    a, b = quad, quad[NEXT_CORNER]
    length = vnorm(b - a, axis=1)
    d = (b - a) / np.maximum(length, 1e-9)[:, None]
    inward = -np.stack([d[:, 1], -d[:, 0]], axis=1)            # clockwise TL TR BR BL on a y-down screen
    reach = int(_REACH * length.min())
    t = linspace(0.1, 0.9, _N_PROFILES)
    base = a[:, None, :] + (b - a)[:, None, :] * t[None, :, None]                  # (4, n, 2)
    paper_at = quad.mean(axis=0) + (quad - quad.mean(axis=0)) * 0.6
    paper = median(to_opponent(sample_points(img, np.concatenate([paper_at, base.reshape(-1, 2) * 0.5
                                                                     + quad.mean(axis=0) * 0.5]))), axis=0)
    # A lower sheet of a stack is offset from the top one, so at one end at least of a side to be moved the
    # outline's corner is no sheet's corner (two different sheets' edges cross there). With a sheet's corner (or
    # a finger) at both ends, a second edge inside belongs to the page itself: a notepad's binding flap, a form's
    # faint table rule. On a single page every corner is its own, and nothing more is looked at.
    corner = _sheet_corners(img, quad, d, inward, paper)
    movable = np.flatnonzero(~(corner & corner[NEXT_CORNER]))
    if len(movable) == 0:
        return quad
    offsets = np.arange(-2, reach + _MARGIN + 3, dtype=np.float64)
    pts = base[movable, :, None, :] + inward[movable, None, None, :] * offsets[None, None, :, None]
    prof = to_opponent(sample_points(img, pts))                                       # (S, n, m, 3)
    seen = (pts[..., 0] >= 0) & (pts[..., 0] <= w - 1) & (pts[..., 1] >= 0) & (pts[..., 1] <= h - 1)
    lum = prof[..., 0]
    k, n = len(movable), len(t)
    every = _edge_positions(lum.reshape(k * n, -1), prof[..., 1:].reshape(k * n, -1, 2), seen.reshape(k * n, -1),
                            offsets, paper, reach).reshape(k, n)
    lines = [np.cross(np.append(a[s], 1.0), np.append(b[s], 1.0)) for s in range(4)]
    moved = False
    for i, s in enumerate(movable):
        line = _fit_side(t * length[s], every[i])
        if line is None or not _band_is_paper(lum[i], offsets, line, t * length[s], paper):
            continue
        moved = True
        p0 = a[s] + inward[s] * line[0]
        p1 = b[s] + inward[s] * (line[0] + line[1] * length[s])
        lines[s] = np.cross(np.append(p0, 1.0), np.append(p1, 1.0))
    if not moved:
        return quad
    corners = [intersect_lines(lines[(i + 3) % 4], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return quad
    new = order_corners(np.array(corners))
    if _area(new) < _MIN_AREA * _area(quad) or not _inside(new, quad):
        return quad
    return new


def _sheet_corners(img: np.ndarray, quad: np.ndarray, d: np.ndarray, inward: np.ndarray,
                   paper: np.ndarray) -> np.ndarray:
    """Per corner of the outline: is it a sheet's own corner (paper in the wedge just inside it) or hidden under
    something neither paper nor desk (a finger)? A corner where two different sheets' edges cross shows the desk
    there; one out of frame is not known to be a sheet's corner."""
    h, w = img.shape[:2]
    along, back = d, -d[PREV_CORNER]                       # unit vectors from each corner along its two sides
    uv = np.array([[1, 1], [2, 1], [1, 2], [2, 2]], np.float64) * _CORNER_PX
    pts = quad[:, None, :] + uv[None, :, :1] * along[:, None, :] + uv[None, :, 1:] * back[:, None, :]
    vals = to_opponent(sample_points(img, pts))
    seen = (pts[..., 0] >= 0) & (pts[..., 0] <= w - 1) & (pts[..., 1] >= 0) & (pts[..., 1] <= h - 1)
    paperish = (vals[..., 0] >= 0.8 * paper[0]) & (vnorm(vals[..., 1:] - paper[1:], axis=-1) < 15.0)
    t = linspace(0.3, 0.7, 5)
    outside = (quad[:, None, :] + (quad[NEXT_CORNER] - quad)[:, None, :] * t[None, :, None]
               - inward[:, None, :] * _CORNER_PX).reshape(-1, 2)
    ok = (outside[:, 0] >= 0) & (outside[:, 0] <= w - 1) & (outside[:, 1] >= 0) & (outside[:, 1] <= h - 1)
    deskish = np.zeros_like(paperish)
    if ok.sum() >= 3:
        desk = median(to_opponent(sample_points(img, outside[ok])), axis=0)
        deskish = vnorm(vals - desk, axis=-1) < _DESK_DIST
    own = (paperish & seen).sum(axis=1) >= 3
    hidden = (seen & ~paperish & ~deskish).sum(axis=1) >= 2
    return own | hidden


def _edge_positions(lum: np.ndarray, chroma: np.ndarray, seen: np.ndarray, offsets: np.ndarray,
                    paper: np.ndarray, reach: int) -> np.ndarray:
    """Per profile (rows of the (P, m) arrays), the offset of the strongest qualifying sheet edge, NaN if none: a
    step up (the shadow side of the top sheet: darker outside) or a faint dip (the hairline shadow along its lit
    side, with the same paper either side; a printed rule or a text line is far darker).

    Band statistics come from running filters over whole profiles (one pass each), read at each centre."""
    lo, hi = _BAND
    k = hi - lo + 1
    n, m = lum.shape
    centres = np.arange(2 + max(int(_MIN_IN), _INK_FREE), min(m - _MARGIN, 2 + reach + 1))
    if len(centres) == 0 or m < k:
        return np.full(n, np.nan)
    lum = np.ascontiguousarray(lum, np.float32)

    def run_min(width: int) -> np.ndarray:       # min over [j - width // 2, j + width // 2]
        return cv2.erode(lum, np.ones((1, width), np.uint8), borderType=cv2.BORDER_REPLICATE)

    med = np.full_like(lum, np.nan)
    med[:, k // 2:m - k // 2] = np.partition(np.lib.stride_tricks.sliding_window_view(lum, k, axis=1), k // 2,
                                             axis=2)[..., k // 2]
    med3 = np.maximum(np.minimum(lum[:, :-2], lum[:, 1:-1]), np.minimum(np.maximum(lum[:, :-2], lum[:, 1:-1]),
                                                                          lum[:, 2:]))   # med3[j] = median(j..j+2)
    mean_k = cv2.blur(lum, (k, 1), borderType=cv2.BORDER_REPLICATE)
    ch_k = cv2.blur(np.ascontiguousarray(chroma, np.float32), (k, 1), borderType=cv2.BORDER_REPLICATE)
    c_out, c_in = centres - (lo + hi) // 2, centres + (lo + hi) // 2       # centres of the outer / inner bands
    margin_w, beyond_w = 2 * ((_MARGIN - lo) // 2) + 1, 2 * ((_INK_FREE - lo) // 2) + 1
    margin_min = run_min(margin_w)[:, centres + lo + margin_w // 2]
    beyond_min = run_min(beyond_w)[:, centres - lo - beyond_w // 2]
    out_min = run_min(k)[:, c_out]
    seen_all = cv2.erode(seen.astype(np.uint8), np.ones((1, 2 * hi + 1), np.uint8))[:, centres] > 0
    out_med, in_med = med[:, c_out], med[:, c_in]
    common = ((margin_min >= _IN_MIN * paper[0]) & (beyond_min >= _OUT_MIN * paper[0]) & seen_all
              & (vnorm(ch_k[:, c_out] - paper[1:], axis=2) < _CHROMA))
    # Medians: the far flank of a thin printed rule has a few dark pixels in its outer band, not a darker band.
    step = in_med - out_med
    near = med3[:, centres + 1] - med3[:, centres - 3]                   # median of c+1..c+3 minus of c-3..c-1
    step_ok = ((step >= _MIN_STEP) & (near >= _SHARP * step) & (out_min >= _OUT_MIN * paper[0])
               & (mean_k[:, c_out] >= _OUT_MEAN * paper[0]))
    core = lum[:, centres]
    dip = np.minimum(out_med, in_med) - core
    dip_ok = (dip >= _MIN_DIP) & (core >= _DIP_FLOOR * paper[0]) & (out_med >= _IN_MIN * paper[0])
    step_score = np.where(common & step_ok, step, -np.inf)
    dip_score = np.where(common & dip_ok, dip, -np.inf)
    score = np.maximum(step_score, dip_score)
    best = np.argmax(score, axis=1)
    rows = np.arange(n)
    found = np.isfinite(score[rows, best])
    # A hairline shadow lies just outside the sheet's edge: the edge is a pixel further in than its darkest point.
    shift = np.where(dip_score[rows, best] > step_score[rows, best], _DIP_SHIFT, 0.0)
    return np.where(found, offsets[centres[best]] + shift, np.nan)


def _fit_side(s: np.ndarray, pos: np.ndarray) -> tuple[float, float] | None:
    """A straight edge offset = c0 + c1 * s through most profiles' positions (a continuous side), or None."""
    have = np.flatnonzero(np.isfinite(pos))
    need = int(np.ceil(_AGREE * len(pos)))
    if len(have) < need:
        return None
    sh, ph = s[have], pos[have]
    i, j = np.triu_indices(len(have), 1)
    c1 = (ph[j] - ph[i]) / (sh[j] - sh[i])                                  # every pair's line at once
    c0 = ph[i] - c1 * sh[i]
    inl = np.abs(ph[None, :] - (c0[:, None] + c1[:, None] * sh[None, :])) <= _FIT_TOL
    k = int(np.argmax(inl.sum(axis=1)))
    if inl[k].sum() < need:
        return None
    best = have[inl[k]]
    c1, c0 = np.polyfit(s[best], pos[best], 1)
    return float(c0), float(c1)


def _band_is_paper(lum: np.ndarray, offsets: np.ndarray, line: tuple[float, float], s: np.ndarray,
                   paper: np.ndarray) -> bool:
    """Is the band between the outline and the new edge a strip of a lower sheet (mostly paper-bright)?"""
    c0, c1 = line
    edge = c0 + c1 * s
    mid = np.clip(np.round(edge / 2).astype(int) + 2, 0, lum.shape[1] - 1)
    vals = lum[np.arange(len(s)), mid]
    return bool((vals >= _OUT_MEAN * paper[0]).mean() >= 0.6)


def _area(q: np.ndarray) -> float:
    x, y = q[:, 0], q[:, 1]
    return 0.5 * abs(float((x * y[NEXT_CORNER] - x[NEXT_CORNER] * y).sum()))


def _inside(inner: np.ndarray, outer: np.ndarray) -> bool:
    """Every corner of ``inner`` within ``outer`` (2 px slack)."""
    poly = outer.astype(np.float32).reshape(-1, 1, 2)
    return all(cv2.pointPolygonTest(poly, (float(x), float(y)), True) > -2.0 for x, y in inner)
