"""A page running off the frame, outlined up to a line of print (part of devices.camera.docscan; issue 22 item 1,
round 37).

A page pushed over the frame's edge has no fourth side in view; its outline should close on the frame border, and
the kiosk then says the page is cut off (docscan.quality, "cut_off"). A line of print, a heavy rule or a title bar
running across the page parallel to that border steps as strongly as a side, and the quad closed by it lies wholly
in frame and often scores best (the quad closed by the border has one side with no step at all): the outline is
then the part of the page up to the print, and half a page is taken as the whole, with no warning. A person sees
the paper carry on past the line, the same white with more print, right up to the frame's edge, and the page's
two sides run on straight to the border.

So, for a side of the chosen outline with the page's paper beyond it: docscan.fold's walk along the two
neighbouring sides (desk just outside, paper just inside, stepping) must run on to the frame's edge without the
step ending (``to_frame``); the side then moves onto the frame border where the neighbours' lines meet it, both
on the same border, when the region gained is the page's paper with no step down (docscan.runoff's test), paper
at the border (docscan.outer's) and the chosen outline is not a sheet lying on a surface the larger one outlines
(docscan.inner's). docscan.runoff does the like only when the chosen quad has a corner past the frame.
"""
from __future__ import annotations

import numpy as np

from .fold import _area, _extend_side
from .geom import NEXT_CORNER, linspace, median, plausible_quads, vnorm
from .inner import sheet_on_surface
from .outer import _is_paper, _paper_at_border
from .refine import sample_points
from .runoff import _same_paper
from .work import Work as _Work

_OUT = (2.5, 4.5, 6.5)  # detection pixels beyond a side where the paper beyond it is read
_IN = 3.0               # and inside it, where the page's paper is read
_BEYOND = 0.5           # share of the side's samples beyond it that are that paper (text lines darken some)
_GAP = 6.0              # the side must be at least this many detection pixels off the border it moves to
ENABLED = True          # the rule switched off gives main's detector (tests, timing)


def to_frame_border(work: _Work, quad: np.ndarray) -> np.ndarray | None:
    """``quad`` (a refined outline in detection pixels, corners in order round it) with a side across the page
    moved onto the frame border where the page runs off the frame (see the module docstring); None when none is."""
    if not ENABLED:
        return None
    h, w = work.edges.shape
    nxt = quad[NEXT_CORNER]
    d = nxt - quad
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(vnorm(d, axis=1, keepdims=True), 1e-6)
    normal *= np.sign((((quad + nxt) / 2 - quad.mean(axis=0)) * normal).sum(axis=1, keepdims=True))   # outward
    base = quad[:, None] + d[:, None] * linspace(0.15, 0.85, 9)[None, :, None]                        # (4, 9, 2)
    inside = median(sample_points(work.opp, base - normal[:, None] * _IN), axis=1)                    # (4, 3)
    best, best_area = None, _area(quad)
    for k in range(4):
        out = base[k][:, None] + normal[k] * np.array(_OUT)[None, :, None]                            # (9, 3, 2)
        ok = (out[..., 0] >= 1) & (out[..., 0] <= w - 2) & (out[..., 1] >= 1) & (out[..., 1] <= h - 2)
        if ok.mean() < 0.8:
            continue                                           # a side on the border (or nearly)
        vals = sample_points(work.opp, out.reshape(-1, 2))
        if _is_paper(vals, inside[k])[ok.ravel()].mean() < _BEYOND:
            continue                                           # desk (or anything else) beyond: a true side
        new = _on_border(quad, k, (h, w))
        if new is None:
            continue
        ends = _extend_side(work, quad, k, (h, w), to_frame=True)
        if ends is None:
            continue
        if _area(new) <= best_area or not plausible_quads(new[None], (h, w)).all():
            continue
        if _same_paper(work, new, quad) and _paper_at_border(work, new) and not sheet_on_surface(work, new, quad):
            best, best_area = new, _area(new)
    return best


def _on_border(quad: np.ndarray, k: int, shape: tuple[int, int]) -> np.ndarray | None:
    """``quad`` with side ``k`` on the frame border where its two neighbouring sides' lines leave the frame (both on
    the same border, the side at least _GAP off it), or None."""
    h, w = shape
    lo, hi = np.array([-0.5, -0.5]), np.array([w - 0.5, h - 0.5])
    new, edges = quad.copy(), []
    for c, other in ((k, (k - 1) % 4), ((k + 1) % 4, (k + 2) % 4)):
        u = quad[c] - quad[other]
        u = u / max(float(np.linalg.norm(u)), 1e-6)
        # The first frame border the neighbour's line crosses going on past the corner.
        best_t, edge = np.inf, None
        for axis in (0, 1):
            if abs(u[axis]) < 1e-9:
                continue
            bound = hi[axis] if u[axis] > 0 else lo[axis]
            t = (bound - quad[c, axis]) / u[axis]
            if 0 <= t < best_t:
                best_t, edge = t, (axis, u[axis] > 0)
        if edge is None or best_t < _GAP:
            return None
        new[c] = quad[c] + best_t * u
        edges.append(edge)
    return new if edges[0] == edges[1] else None
