"""Well-supported quads that are still not a page (part of devices.camera.docscan): a band of a larger page
cut off by a line of its text, and a patch of desk closed by the frame border and the flank of a pen or cable."""
from __future__ import annotations

import numpy as np

from .geom import NEXT_CORNER, STRIP_ASPECT, linspace, median, side_aspects, vnorm
from .refine import sample_points
from .work import Work as _Work


def strip_of_paper(work: _Work, quad: np.ndarray) -> bool:
    """For a quad narrower than STRIP_ASPECT wholly in frame: is there paper of its own colour beyond one of its
    sides, a little way out? Then it is a band of a larger page, not a till receipt lying on the desk."""
    sides = vnorm(quad[NEXT_CORNER] - quad, axis=1)
    if side_aspects(sides[None])[0] >= STRIP_ASPECT:
        return False
    h, w = work.edges.shape
    centre = quad.mean(axis=0)
    inside = sample_points(work.opp, centre + (quad - centre) * 0.5)
    ref = median(inside, axis=0)
    t = linspace(0.2, 0.8, 7)[None, :, None]
    mids = quad[:, None] + (quad[NEXT_CORNER] - quad)[:, None] * t            # (4, 7, 2)
    normal = (mids.mean(axis=1) - centre)
    normal /= np.maximum(vnorm(normal, axis=1, keepdims=True), 1e-6)
    pts = mids + normal[:, None] * (0.3 * sides.min())
    vals = sample_points(work.opp, pts.reshape(-1, 2)).reshape(4, 7, -1)
    seen = ((pts[..., 0] >= 0) & (pts[..., 0] <= w - 1) & (pts[..., 1] >= 0) & (pts[..., 1] <= h - 1))
    paper = (vnorm(vals[..., 1:] - ref[1:], axis=2) < 15.0) & (vals[..., 0] > 0.8 * ref[0]) & seen
    return bool((paper.sum(axis=1) >= 5).any())


def closed_by_a_thin_thing(work: _Work, quad: np.ndarray) -> bool:
    """For a quad cut by the frame: is one of its visible sides the flank of a thin dark thing (a pen, a
    cable) with the same surface on both sides of it? Then it outlines a patch of desk, not a page.

    A page's side is a step: what lies beyond it (desk) stays unlike the inside. Beyond a pen's flank the luma
    drops for a few pixels and comes back to the inside's level (issue 22, empty desks with pens and cables).
    """
    h, w = work.edges.shape
    on_frame = (quad[:, 0] < 0.5) | (quad[:, 0] > w - 1.5) | (quad[:, 1] < 0.5) | (quad[:, 1] > h - 1.5)
    nxt = quad[NEXT_CORNER]
    mid = (quad + nxt) / 2
    border_side = (mid[:, 0] < 1.5) | (mid[:, 0] > w - 2.5) | (mid[:, 1] < 1.5) | (mid[:, 1] > h - 2.5)
    if not (on_frame.any() or border_side.any()):
        return False
    centre = quad.mean(axis=0)
    t = linspace(0.2, 0.8, 9)[None, :, None]
    pts = quad[:, None] + (nxt - quad)[:, None] * t                                  # (4, 9, 2)
    d = nxt - quad
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(vnorm(d, axis=1, keepdims=True), 1e-6)
    normal *= np.sign(((mid - centre) * normal).sum(axis=1, keepdims=True))         # pointing outward
    luma = []
    for off in (-3.0, 2.0, 7.0):
        q = pts + normal[:, None] * off
        q = np.stack([np.clip(q[..., 0], 0, w - 1), np.clip(q[..., 1], 0, h - 1)], axis=-1)
        luma.append(sample_points(work.opp, q.reshape(-1, 2))[:, 0].reshape(4, 9))
    inside, near, far = luma
    # The thing is dark against BOTH its flanks: a page's drop shadow on a lighter desk dips only against the page
    flank = (near < 0.8 * np.minimum(inside, far)) & (far > 0.92 * inside)
    return bool(((flank.mean(axis=1) >= 0.6) & ~border_side).any())
