"""A picture printed on a coloured cover (part of devices.camera.docscan; issue 22 item 1, round 6).

A dark book or booklet cover that carries a printed picture block (a light photo rectangle with straight edges,
as the held-apart paperback whose cover pictures a tablet) shows the first pass a paper page: the block is light,
one colour apart from its print, and lighter than the dark cover all round. So the cover pass (docscan.cover),
which runs only when no paper page is found, never runs, and the outline is the picture.

What the picture has and a sheet lying on the desk has not: what lies just outside it is not the desk. So, when the
paper page chosen has, a little outside three or four of its sides, one colour far from the desk's (the median of
the frame's border ring; one side may be the cover's own edge, in a quad mixing the picture's sides and the
cover's), the printed covers (docscan.cover's test: every side stepping, one surface round it, print inside, not one
flat second object) are looked for, and one that holds the page (a picture, or a quad mixing its sides with the cover's), with its sides parallel to the
page's (a picture is printed square on its cover; a sheet laid on a folder is turned at random), is taken instead.
A sheet on a dark folder fails the cover test itself (the sheet is a flat second object, not print).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .geom import NEXT_CORNER, linspace, median, vnorm
from .refine import sample_points
from .work import Work as _Work

_RING = 3             # detection pixels of the frame's border ring taken as the desk
_OUT = 0.08           # of the page's size outward, where its surround is sampled (past its shadow)
_SURROUND = 25.0      # opponent distance of a side's surround from the desk that calls for the cover pass
_EVEN = 12.0          # opponent distance those sides' surrounds may lie from their median (one cover colour)
_MIN_SEEN = 0.5       # share of a side's surround samples that must lie in frame for it to count
_INSIDE = -2.0        # detection pixels the page's corners lie inside the cover (or just outside: a quad mixing the
                      # picture's sides and the cover's shares some of the cover's corners)
_MIN_GROW = 1.15      # the cover's area at least this many times the page's
_MAX_TURN = np.deg2rad(4.0)   # the page's sides parallel to the cover's within this


def _surround_differs(work: _Work, quad: np.ndarray) -> bool:
    """Whether, a little outside three or four of the quad's sides, the colour lies far from the desk's (the frame's
    border ring) and is one colour (a cover's) along them."""
    opp = work.opp
    h, w = opp.shape[:2]
    c = quad.mean(axis=0)
    out = c + (quad - c) * (1 + _OUT)
    t = linspace(0.1, 0.9, 12)
    pts = out[:, None, :] + (out[NEXT_CORNER] - out)[:, None, :] * t[None, :, None]        # (4, 12, 2)
    seen = (pts[..., 0] >= 0) & (pts[..., 0] <= w - 1) & (pts[..., 1] >= 0) & (pts[..., 1] <= h - 1)
    ring = np.concatenate([opp[:_RING].reshape(-1, 3), opp[-_RING:].reshape(-1, 3),
                           opp[:, :_RING].reshape(-1, 3), opp[:, -_RING:].reshape(-1, 3)])
    vals = sample_points(opp, pts)
    sides = np.array([median(vals[k][seen[k]], axis=0) if seen[k].mean() >= _MIN_SEEN else np.full(3, np.nan)
                      for k in range(4)])
    far = vnorm(sides - median(ring, axis=0), axis=1) >= _SURROUND                   # nan: False
    if far.sum() < 3:
        return False
    return bool(vnorm(sides[far] - median(sides[far], axis=0), axis=1).max() <= _EVEN)


def holding(covers: np.ndarray, page: np.ndarray) -> np.ndarray:
    """For (N, 4, 2) cover quads: whether each holds ``page`` (4, 2) with its corners inside (or within -_INSIDE
    of its sides), at least _MIN_GROW its area, and its sides parallel to the page's (all ordered TL TR BR BL)."""
    if len(covers) == 0:
        return np.zeros(0, bool)
    d = covers[:, NEXT_CORNER] - covers                                              # (N, 4, 2)
    x, y = covers[..., 0], covers[..., 1]
    area2 = (x * y[:, NEXT_CORNER] - y * x[:, NEXT_CORNER]).sum(axis=1)         # twice the signed area
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1) * np.sign(area2)[:, None, None]
    normal /= np.maximum(vnorm(normal, axis=2, keepdims=True), 1e-9)             # outward
    out = np.einsum("nsk,nsck->nsc", normal, page[None, None] - covers[:, :, None, :])    # (N, side, corner)
    px, py = page[:, 0], page[:, 1]
    page_area = 0.5 * abs(float((px * py[NEXT_CORNER] - py * px[NEXT_CORNER]).sum()))
    pd = page[NEXT_CORNER] - page
    turn = np.arctan2(d[..., 1], d[..., 0]) - np.arctan2(pd[:, 1], pd[:, 0])[None]
    turn = np.abs((turn + np.pi / 2) % np.pi - np.pi / 2)
    return (out.max(axis=(1, 2)) <= -_INSIDE) & (0.5 * np.abs(area2) >= _MIN_GROW * page_area) & \
        (turn.max(axis=1) <= _MAX_TURN)


def cover_round_page(work: _Work, page: np.ndarray, covers: Callable[[Callable[[np.ndarray], np.ndarray]],
                                                                    tuple[np.ndarray, np.ndarray]]
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The printed covers (small-image quads, TL TR BR BL, and their scores) that hold the paper page ``page`` as a
    picture printed on them; none (empty arrays) when the page's surround is the desk. ``covers`` gives the cover
    pass's candidates (docscan.detect._cover_candidates) among the line quads a filter keeps (here: those holding
    the page, so only they are scored), asked for only when the surround is not the desk."""
    if not _surround_differs(work, page):
        return np.zeros((0, 4, 2)), np.zeros(0)
    return covers(lambda quads: holding(quads, page))
