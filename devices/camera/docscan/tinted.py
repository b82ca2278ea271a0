"""A tinted page a shade darker than its desk (part of devices.camera.docscan; issue 22 item 1, round 5).

A light cyan train ticket on a white-grey desk (the tuning photo hed-2016004_2017112013811_1.jpg) is a little
DARKER than the desk round it, with the desk's light falling off across the frame. Its sides step by a few grey
levels only, so Hough finds two or three of them, and the bright-region hulls outline the desk, not the ticket.
What the ticket shows all round is its colour: its chroma differs from the desk's everywhere along its outline,
while the luma gradient of the light does not change the chroma.

So, only when no paper page was found: the desk's colour is the median chroma of the frame's border ring, the
pixels whose chroma lies far from it (Otsu's threshold on the distance, and at least _MIN_DIST) form regions, and
each region's hull reduced to four corners is snapped twice onto the step of that distance across each side
(docscan.faint's snap, on the distance map). These quads are then judged by the page score as any other
candidate (paper inside, every side supported, lighter than the desk on all but one side), so a patch of desk of
another tint (a wood knot, a shadow) does not become a page unless it has a page's straight, stepping sides.
"""
from __future__ import annotations

import cv2
import numpy as np

from .faint import _snap
from .geom import MIN_AREA_FRAC, NEXT_CORNER, median, plausible_quads, vnorm
from .hulls import _hull_candidates
from .work import Work as _Work

_RING = 3             # detection pixels of the frame's border ring taken as the desk
_MIN_DIST = 3.0       # chroma distance from the desk a region's threshold must reach (the ticket: Otsu 8.3)
_SCALE = 4.0          # chroma distance to 8-bit levels for Otsu's threshold
_MAX_QUADS = 8        # hull quads kept, largest first


def tinted_quads(work: _Work) -> np.ndarray:
    """(N, 4, 2) small-image quads (unordered corners) round regions whose chroma differs from the desk's."""
    opp = work.opp
    h, w = opp.shape[:2]
    ring = np.concatenate([opp[:_RING].reshape(-1, 3), opp[-_RING:].reshape(-1, 3),
                           opp[:, :_RING].reshape(-1, 3), opp[:, -_RING:].reshape(-1, 3)])
    dist = vnorm(opp[..., 1:] - median(ring[:, 1:], axis=0), axis=2).astype(np.float32)
    level = np.clip(dist * _SCALE, 0, 255).astype(np.uint8)
    t, mask = cv2.threshold(level, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if t < _MIN_DIST * _SCALE:
        return np.zeros((0, 4, 2))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    hulls: list[np.ndarray] = []
    _hull_candidates(mask, MIN_AREA_FRAC * h * w, hulls)
    if not hulls:
        return np.zeros((0, 4, 2))
    quads = np.array(hulls).reshape(-1, 4, 2)
    quads = quads[plausible_quads(quads, (h, w))]
    if len(quads) == 0:
        return quads
    x, y = quads[..., 0], quads[..., 1]
    area = 0.5 * np.abs((x * y[:, NEXT_CORNER] - y * x[:, NEXT_CORNER]).sum(axis=1))
    quads = quads[np.argsort(-area)[:_MAX_QUADS]]
    dmap = np.repeat(dist[..., None], 3, axis=2)
    return _snap(dmap, _snap(dmap, quads))
