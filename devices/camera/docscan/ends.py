"""A page's side is where its paper ends, not another sheet's edge (part of devices.camera.docscan).

Two sheets a little apart on a dark, busy cloth (issue 22, render_scene seed 167: a form on red plaid, a printed
sheet running off the frame beside it): the form's top and bottom lines run on across the cloth to the other sheet,
and the other sheet's edge closes a quad taking in the form, a strip of cloth and nothing of the other sheet. Every
side of that quad steps all along, so it outscores the form on size. But along the side borrowed from the other
sheet the paper lies outside: the inside is much darker than the outside, and the inside flank is not the form's
paper. _combine lets one side be darker inside (a page beside a lighter object, a cast shadow's edge), so the test
here asks both: the side steps down into the quad by _LIFT grey levels and its inside flank is darker than the
quad's own paper (the lightest inside flank of its sides) by _FLANK, and that flank is the desk seen outside the
quad's other sides, carried on into the quad (within _DESK): a heavy dark band printed along a page's edge, with a
strip of its margin beyond (rendered rule_split seed 0), is no desk.
"""
from __future__ import annotations

import warnings

import numpy as np

from .geom import linspace, vnorm
from .refine import NEXT_CORNER, sample_points

_LIFT = 40.0    # grey levels the outside of a side must be lighter than its inside (the form against the cloth: 137)
_FLANK = 0.6    # the inside flank's median luma below this share of the quad's paper luma: not this page's paper
_DESK = 30.0    # opponent distance of that inside flank from the desk round the quad's other sides (the same cloth)
_N = 16         # samples per side
_D = 2.0        # detection pixels either side of the side


def borrowed_side(opp: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """For (N, 4, 2) ordered quads on the detection image: whether some side is another sheet's edge (lighter
    outside by _LIFT, with no paper of this quad along its inside)."""
    out = np.zeros(len(quads), bool)
    if len(quads) == 0:
        return out
    h, w = opp.shape[:2]
    a, b = quads, quads[:, NEXT_CORNER]
    d = (b - a) / np.maximum(vnorm(b - a, axis=2, keepdims=True), 1e-9)
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1)                    # outward for TL TR BR BL
    t = linspace(0.1, 0.9, _N)[None, None, :, None]
    pts = a[:, :, None] + (b - a)[:, :, None] * t                         # (N, 4, n, 2)
    inner, outer = pts - normal[:, :, None] * _D, pts + normal[:, :, None] * _D
    seen = ((np.minimum(inner, outer) >= 0).all(axis=3) & (np.maximum(inner[..., 0], outer[..., 0]) <= w - 1)
            & (np.maximum(inner[..., 1], outer[..., 1]) <= h - 1))
    vin, vout = sample_points(opp, inner), sample_points(opp, outer)                 # (N, 4, n, 3)
    lin, lout = vin[..., 0], vout[..., 0]
    n_seen = seen.sum(axis=2)
    lift = np.where(seen, lin - lout, 0.0).sum(axis=2) / np.maximum(n_seen, 1)
    enough = n_seen > _N // 2
    # Only a quad with a side stepping down into it by _LIFT can have a borrowed side (``down`` below asks that first):
    # the medians, row by row, are taken of those quads alone (on the hard scenes a few of the candidates).
    rows = np.flatnonzero((enough & (lift < -_LIFT)).any(axis=1))
    if len(rows) == 0:
        return out
    vin, vout, seen, lift, enough = vin[rows], vout[rows], seen[rows], lift[rows], enough[rows]
    side_in = _median(np.where(seen[..., None] & enough[..., None, None], vin, np.nan), axis=2)   # (N, 4, 3)
    with warnings.catch_warnings():   # a quad with no side enough in frame is left out (all NaN)
        warnings.simplefilter("ignore", RuntimeWarning)
        paper = np.nanmax(side_in[..., 0], axis=1)
    # the desk: outside the sides the quad's paper steps down to (lighter inside), all such samples together
    round_ = seen & enough[..., None] & (lift > 0)[..., None]
    desk = _median(np.where(round_[..., None], vout, np.nan).reshape(len(rows), -1, 3), axis=1)   # (N, 3)
    down = enough & (lift < -_LIFT) & (side_in[..., 0] < _FLANK * paper[:, None])
    # ... and the inside flank of that side is that desk carried on into the quad, not a dark print band of the page
    down &= vnorm(side_in - desk[:, None], axis=2) < _DESK
    out[rows] = down.any(axis=1)
    return out


def _median(x: np.ndarray, axis: int) -> np.ndarray:
    """Median along ``axis`` ignoring NaN (NaN where all are): np.nanmedian loops in Python over such arrays."""
    x = np.moveaxis(x, axis, -1)
    n = (~np.isnan(x)).sum(axis=-1, keepdims=True)
    srt = np.sort(x, axis=-1)                                           # NaN sort last
    lo = np.take_along_axis(srt, np.maximum(n - 1, 0) // 2, axis=-1)
    hi = np.take_along_axis(srt, np.maximum(n, 1) // 2, axis=-1)
    return np.where(n > 0, 0.5 * (lo + hi), np.nan)[..., 0]
