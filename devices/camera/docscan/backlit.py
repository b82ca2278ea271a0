"""A page held up against a bright window (part of devices.camera.docscan; issue 22 item 1, round 14).

A page held up in a hand in front of a window is lit from behind: the window round it is overexposed (luma 250 and
up over much of the frame) and the page, though white, is DARKER than its surround on every side. The page score
wants paper lighter than the desk round it, so the page's own quad scores 0, and a pane of the window, lighter than
the frame's bars round it and as uniform as paper, is taken for the page (rendered kind ``held``).

So, only when a twentieth of the frame or more is overexposed: the line quads (docscan.lines) whose every visible
side is darker inside than out by _DARKER grey levels, with the outside overexposed (at least _OUT_CLIPPED of the
outside samples of at least three visible sides at luma _CLIPPED and up; fingers and window bars may cover the
rest), are scored as pages with the sides' step direction turned round (the score's other tests as for any page:
paper inside, every side supported, size). When the best of them is a solid page, it is taken over the usual
candidates if none of those is a page, or if the one chosen is itself as light as the window round the backlit page
(a pane, or the window as a whole): a page lying on a desk is never darker than a desk that is overexposed. A page held up in a hand bends a little, so
its refined sides need only BENT_STRAIGHT of their edge points on a line (docscan.detect wants 0.5).
"""
from __future__ import annotations

import numpy as np

from .geom import linspace, plausible_quads, vnorm
from .refine import NEXT_CORNER, sample_points, side_support
from .work import Work as _Work

_CLIPPED = 248.0        # luma of an overexposed window at the detection scale (255 but for blur and JPEG)
_MIN_CLIPPED = 0.05     # fraction of the frame that must be overexposed before backlit pages are looked for
_DARKER = -15.0         # every visible side's inside is this much darker than its outside (lift)
_OUT_CLIPPED = 0.4      # fraction of a side's outside samples that are overexposed
_OUT_D = 4.0            # detection pixels outside a side where the window is sampled
_N_SIDE = 16            # outside samples per side
_IN_CLIPPED = 0.2       # fraction of a backlit page's inside (a 5x5 grid; along a side) that may be overexposed
_RIM_D = 2.5           # detection pixels inside a side where the page's rim is sampled
_EVEN = 35.0            # grey levels the page's rim may differ from its paper (the inside's 90th percentile)
BENT_STRAIGHT = 0.35    # a page held in a hand bends: this fraction of its refined sides' edge points on a line will do
_N_FULL = 120           # quads given the full score, best coarse score first (as docscan.detect)
_AS_LIGHT = 12.0        # a chosen outline whose inside is within this of the window's luma is part of the window


def overexposed(work: _Work) -> bool:
    """Whether enough of the frame is overexposed for a page to be held up against the light."""
    return overexposed_share(work) >= _MIN_CLIPPED


def overexposed_share(work: _Work) -> float:
    """The share of the frame that is overexposed (at the detection scale); asked up to four times a frame, counted
    once."""
    share = work.memo.get("overexposed")
    if share is None:
        share = work.memo["overexposed"] = float((work.opp[..., 0] >= _CLIPPED).mean())
    return share


def backlit_page(work: _Work, evidence: tuple[np.ndarray, ...], found: tuple[np.ndarray, ...], combine, paper_inside,
                 order, min_score: float):
    """The candidates (quads, scores, solid) to take instead of ``found`` (the usual ones) when a page darker
    than an overexposed surround beats them (see above), with the score to check refined outlines by; else None.
    ``combine``, ``paper_inside``, ``order``: docscan.detect's _combine, _paper_inside and _order_batch."""
    lq, ls, lk, ll, lift = evidence
    if len(lq) == 0:
        return None
    m = backlit_mask(work, lq, lk, lift)
    if not m.any():
        return None
    coarse = combine(lq[m], ls[m], lk[m], ll[m], -lift[m], work.opp.shape[:2])[0]
    keep = np.argsort(-coarse)[:_N_FULL]
    quads = order(lq[m][keep[coarse[keep] > min_score * 0.7]])

    def score(w: _Work, q: np.ndarray) -> np.ndarray:
        return backlit_scores(w, q, combine, paper_inside)[0]

    scores, solid = backlit_scores(work, quads, combine, paper_inside)
    ok = np.flatnonzero(scores >= min_score)
    if len(ok) == 0:
        return None
    quads0, scores0 = found[0], found[1]
    if len(scores0) and scores0.max() >= min_score:
        if _clipped_inside(work, quads0[int(np.argmax(scores0))][None])[0] < _IN_CLIPPED:
            return None   # the usual page is not overexposed: not a pane nor the window round the backlit page
    return quads, scores, solid, score


def backlit_scores(work: _Work, quads: np.ndarray, combine, paper_inside) -> tuple[np.ndarray, np.ndarray]:
    """Page scores and solidity of small-image quads (ordered TL TR BR BL) as pages darker than an overexposed
    surround: 0 unless they are such pages (the page score with the step direction turned round)."""
    scores, solid = np.zeros(len(quads)), np.zeros(len(quads), bool)
    ok = np.flatnonzero(plausible_quads(quads, work.opp.shape[:2])) if len(quads) else np.zeros(0, int)
    if len(ok) == 0:
        return scores, solid
    support, known, lum_in, lift = side_support(work.opp, quads[ok], n=24)
    m = backlit_mask(work, quads[ok], known, lift)
    ok, support, known, lum_in, lift = ok[m], support[m], known[m], lum_in[m], lift[m]
    if len(ok):
        s, so = combine(quads[ok], support, known, lum_in, -lift, work.opp.shape[:2])
        paper = paper_inside(work.opp, quads[ok])
        scores[ok], solid[ok] = s * paper, so & paper
    return scores, solid


def backlit_mask(work: _Work, quads: np.ndarray, known: np.ndarray, lift: np.ndarray) -> np.ndarray:
    """Which quads are darker inside on every visible side (at least three) than an overexposed outside."""
    off = known < 0.3
    m = (np.where(off, False, lift < _DARKER).sum(axis=1) >= 3) & ((~off).sum(axis=1) >= 3)
    idx = np.flatnonzero(m)
    if len(idx):
        m[idx] = _clipped_round(work, quads[idx], off[idx]) & _inside(work, quads[idx], off[idx])
    return m


def _inside(work: _Work, quads: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Whether the inside of each quad is one page held against the light: not overexposed (the window in a dark
    frame's bars is: under _IN_CLIPPED of its 5x5 grid, as _clipped_inside), and just inside each visible side the
    luma of its paper (a quad whose side runs on a window bar, or takes in a strip of window above the page, is not
    the page; the paper: the 90th percentile of the grid, as print darkens the rest)."""
    frac, grid = _clipped_inside(work, quads, grid=True)
    rim_lum = _along(work, quads, -_RIM_D)
    rim_lum[np.isnan(rim_lum).all(axis=2)] = 0.0    # a side wholly out of frame (off: not asked)
    rim = np.nanmedian(rim_lum, axis=2)                                                          # (N, 4)
    even = (np.abs(rim - np.percentile(grid, 90, axis=1, keepdims=True)) <= _EVEN) | off
    return (frac < _IN_CLIPPED) & even.all(axis=1)


def _clipped_inside(work: _Work, quads: np.ndarray, grid: bool = False):
    """The fraction of a 5x5 grid inside each quad (15 % to 85 % across) that is overexposed (and the grid's luma)."""
    u = linspace(0.15, 0.85, 5)
    uu, vv = [g.ravel() for g in np.meshgrid(u, u)]
    wts = np.stack([(1 - uu) * (1 - vv), uu * (1 - vv), uu * vv, (1 - uu) * vv], axis=1)     # (25, 4), any corner order
    lum = sample_points(work.opp, np.einsum("gk,nkc->ngc", wts, quads))[..., 0]
    frac = (lum >= _CLIPPED).mean(axis=1)
    return (frac, lum) if grid else frac


def _clipped_round(work: _Work, quads: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Whether at least three visible sides of each quad have an overexposed outside, and no visible side an
    overexposed inside (a quad with a side in the window inside it is not the page)."""
    frac_out = _clipped_along(work, quads, _OUT_D)
    frac_in = _clipped_along(work, quads, -_OUT_D)
    return (((frac_out >= _OUT_CLIPPED) & ~off).sum(axis=1) >= 3) & ~((frac_in >= _IN_CLIPPED) & ~off).any(axis=1)


def _clipped_along(work: _Work, quads: np.ndarray, d: float) -> np.ndarray:
    """Per side, the fraction of in-frame samples ``d`` detection pixels outside it (inside if negative) that are
    overexposed."""
    lum = _along(work, quads, d)
    return (lum >= _CLIPPED).sum(axis=2) / np.maximum(np.isfinite(lum).sum(axis=2), 1)


def _along(work: _Work, quads: np.ndarray, d: float) -> np.ndarray:
    """(N, 4, _N_SIDE) luma ``d`` detection pixels outside each side (inside if negative); NaN out of frame."""
    c = quads.mean(axis=1, keepdims=True)
    a, b = quads, quads[:, NEXT_CORNER]
    t = linspace(0.1, 0.9, _N_SIDE)
    pts = a[:, :, None] + (b - a)[:, :, None] * t[None, None, :, None]          # (N, 4, n, 2)
    out = (a + b) / 2 - c
    out /= np.maximum(vnorm(out, axis=2, keepdims=True), 1e-9)
    p = pts + out[:, :, None] * d
    lum = sample_points(work.opp, p)[..., 0]
    h, w = work.opp.shape[:2]
    seen = (p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)
    return np.where(seen, lum, np.nan)
