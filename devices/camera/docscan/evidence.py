"""Whether a quad looks like a page, from evidence already read: the sides' colour steps (docscan.refine.side_support
or docscan.lines.line_quads) combined into one score (``combine``), and the inside sampled on a grid (``paper_inside``).

Both were part of docscan.detect; many rule modules take them as arguments, so they are kept apart and small.
"""
from __future__ import annotations

import numpy as np

from .geom import NARROW_ASPECT, STRIP_ASPECT, linspace, median, side_aspects, vnorm
from .refine import NEXT_CORNER, sample_points, to_opponent

MIN_LUMA = 92.0              # paper is light even in shadow; a phone, a dark mat, a grey folder or tablet is not
STRIP_LIFT = 25.0            # grey levels the desk must be darker round a strip narrower than STRIP_ASPECT


def _inside_weights() -> tuple[np.ndarray, ...]:
    """Bilinear weights of the four corners for a 5x5 grid of points inside a quad (15 % to 85 % across)."""
    u = linspace(0.15, 0.85, 5)
    uu, vv = [g.ravel() for g in np.meshgrid(u, u)]
    return tuple(wt[None, :, None] for wt in ((1 - uu) * (1 - vv), uu * (1 - vv), uu * vv, (1 - uu) * vv))


_INSIDE_WEIGHTS = _inside_weights()


def paper_inside(opp: np.ndarray, quads: np.ndarray, *, bgr: bool = False, spread: float = 0.0) -> np.ndarray:
    """Whether the inside of each quad looks like paper: mostly light, and one colour apart from the ink.

    The sides alone cannot tell a page from a phone with a white bezel (dark screen inside) or from a block
    of a checkered tablecloth (two alternating colours inside).
    """
    h, w = opp.shape[:2]
    w_tl, w_tr, w_br, w_bl = _INSIDE_WEIGHTS
    tl, tr, br, bl = (quads[:, k][:, None, :] for k in range(4))
    pts = tl * w_tl + tr * w_tr + br * w_br + bl * w_bl                                  # (N, 25, 2)
    if spread > 0:  # on a full-size frame: average four samples a detection pixel apart (text is fine)
        jitter = np.array([[-spread, -spread], [spread, -spread], [-spread, spread], [spread, spread]]) * 0.5
        vals = sample_points(opp, pts[:, :, None, :] + jitter[None, None]).mean(axis=2)
    else:
        vals = sample_points(opp, pts)
    if bgr:  # a BGR frame: only the samples are converted to opponent colours
        vals = to_opponent(vals)
    seen = (pts[..., 0] >= 0) & (pts[..., 0] <= w - 1) & (pts[..., 1] >= 0) & (pts[..., 1] <= h - 1)
    n_seen = np.maximum(seen.sum(axis=1), 1)
    light = ((vals[..., 0] > MIN_LUMA) & seen).sum(axis=1) / n_seen
    chroma = vals[..., 1:]
    ref = median(chroma, axis=1, keepdims=True)
    same = (vnorm(chroma - ref, axis=2) < 20.0) & seen
    uniform = same.sum(axis=1) / n_seen
    # Paper is near-neutral or, if tinted (an ID card, a coloured form), light.
    bright = ((vals[..., 0] > 150) & seen).sum(axis=1) / n_seen > 0.5
    pale = (vnorm(ref[:, 0], axis=1) < 30.0) | bright
    return (light >= 0.7) & (uniform >= 0.6) & (seen.sum(axis=1) >= 6) & pale


def combine(quads: np.ndarray, support: np.ndarray, known: np.ndarray, lum_in: np.ndarray, lift: np.ndarray,
             shape: tuple[int, int], cover: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Page score from per-side evidence: mean side support plus a small bonus for size; 0 when the
    evidence rules a page out. Also tells which quads are "solid" (see docscan.outer.prefer_outer).
    With ``cover``, for a coloured cover (docscan.cover): the inside need not be light nor lighter than the
    desk, but the quad must lie wholly in frame."""
    h, w = shape
    # A side running off the frame cannot be checked: count it as half supported, so complete pages win.
    off = known < 0.3
    cut = off.any(axis=1)
    eff = np.where(off, 0.5, support)
    x, y = quads[..., 0], quads[..., 1]
    area = 0.5 * np.abs((x * y[:, NEXT_CORNER] - y * x[:, NEXT_CORNER]).sum(axis=1))
    s = eff.mean(axis=1) + 0.15 * np.sqrt(area / (h * w))
    visible_min = np.where(off, 1.0, support).min(axis=1)
    # Paper is lighter than the desk round it. Wood grain or a tablecloth's stripes also make straight
    # steps, but with the lighter side falling inside or outside at random.
    darker = np.where(off, False, lift < -15.0).sum(axis=1)
    lighter_all = np.where(off, np.inf, lift).min(axis=1) > -3.0
    bad = (eff.min(axis=1) < 0.3) | (off.sum(axis=1) > 2)
    if cover:
        bad |= cut
    else:
        bad |= (lum_in < MIN_LUMA) | (darker > 1)
        # Only half of a cut page can be checked, so what is visible must be convincing.
        bad |= cut & ((visible_min < 0.7) | ~lighter_all)
    # A narrow strip wholly in frame (a till receipt, a bank note) is also what a line of text cuts off a
    # larger page: it counts only with every side well supported and the desk darker all round. (A page cut
    # by the frame may show any shape; the checks above are for it.)
    aspect = side_aspects(vnorm(quads[:, NEXT_CORNER] - quads, axis=2))   # once: narrow and strip ask the same
    narrow = ~cut & (aspect < NARROW_ASPECT)
    bad |= narrow & ((support.min(axis=1) < 0.7) | (lift.min(axis=1) < 10.0))
    # Narrower still (a long till receipt, issue 22; a strip of page between a text line and its edge has
    # the same shape): only with the desk clearly darker on every side.
    strip = ~cut & (aspect < STRIP_ASPECT)
    bad |= strip & ((support.min(axis=1) < 0.8) | (lift.min(axis=1) < STRIP_LIFT))
    solid = ~bad & np.where(cut, visible_min >= 0.85, visible_min >= 0.6)
    return np.where(bad, 0.0, s), solid
