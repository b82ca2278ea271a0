"""A page on a pale desk nearly its shade is not cut by the frame (part of devices.camera.docscan).

A printed A4 page on a white desk (issue 22 item 1, round 24, tuning photo tonyxlh-a4-white.jpg): its side along
the frame's right border steps only 4-8 grey levels onto the desk, so the page's own outline (a line quad wholly in
frame) is near-best but not solid (that side is supported on about half its length), and what wins is a quad cut by
the frame: its side on the frame border, where the pale desk passes docscan.outer's "paper at the border" test, and
its top on a line of text. A person sees the page end at its faint side, with desk beyond it up to the border.

Here, only when the chosen quad has a corner on the frame border (not all four): a near-best quad (within 0.12 of the
best score) wholly in frame, lighter inside than just outside along all four sides (paper on a desk, not a printed
box on paper, whose margin outside is the same paper) and each side stepping on half its length or more, at least as
large as the chosen quad and covering 0.9 of it, wins. The strip between its faint side and the border is then a
shade darker than its paper (the lift along that side), i.e. desk, not the same paper run on to the border.
"""
from __future__ import annotations

import cv2
import numpy as np

from .refine import side_support
from .work import Work as _Work

_BORDER = 1.0      # detection pixels: a corner this near the frame's edge (or past it) lies on the border
_IN_FRAME = 1.5    # detection pixels every corner of the page's own outline keeps off the frame's edge
_SUPPORT = 0.5     # each side of the page's own outline: share of its length that steps
_LIFT = 3.0        # grey levels every side's inside is lighter than its outside (paper on a desk)
_COVER = 0.9       # the page's outline covers at least this share of the chosen quad (its strip on the border not)


def off_the_border(work: _Work, quads: np.ndarray, scores: np.ndarray, order: np.ndarray, chosen: int,
                   margin: float = 0.12) -> int:
    """The chosen outline, or a near-best quad wholly in frame round its part off the border (see the module)."""
    h, w = work.edges.shape
    best = quads[chosen]
    on = (best[:, 0] <= _BORDER - 0.5) | (best[:, 0] >= w - 0.5 - _BORDER) \
        | (best[:, 1] <= _BORDER - 0.5) | (best[:, 1] >= h - 0.5 - _BORDER)
    if not on.any() or on.all():
        return int(chosen)
    near = np.array([int(i) for i in order if scores[i] >= scores[order[0]] - margin and i != chosen], int)
    if len(near) == 0:
        return int(chosen)
    q = quads[near]
    inside = ((q[..., 0] >= _IN_FRAME) & (q[..., 0] <= w - 1 - _IN_FRAME)
              & (q[..., 1] >= _IN_FRAME) & (q[..., 1] <= h - 1 - _IN_FRAME)).all(axis=1)
    near = near[inside]
    if len(near) == 0:
        return int(chosen)
    support, known, _, lift = side_support(work.opp, quads[near], n=24)
    ok = (support.min(axis=1) >= _SUPPORT) & (known.min(axis=1) >= 0.9) & (lift.min(axis=1) > _LIFT)
    area = cv2.contourArea(best.astype(np.float32).reshape(-1, 1, 2))
    for idx in near[ok]:
        poly = quads[idx].astype(np.float32).reshape(-1, 1, 2)
        if cv2.contourArea(poly) < area:
            continue
        common = cv2.intersectConvexConvex(poly.reshape(-1, 2), best.astype(np.float32).reshape(-1, 2))[0]
        if common >= _COVER * area:
            return int(idx)
    return int(chosen)
