"""A plain cover with only a small title (part of devices.camera.docscan; issue 22 item 1, round 12).

docscan.cover takes a coloured cover only if it carries print in blobs wider than a pen in the middle 60 % of it,
which a flat dark folder (with pens and cables across it) does not. A plain dark cover whose only print is a short
title near its top edge (rendered `cover_dark` seeds 8-11: a red, blue, green or grey cover on a grey desk, the title
five or six detection pixels high) fails that: the title lies in the margin left out, and its letters are thinner
than the blob a pen is told from. By print share it is the folder.

What tells them apart is the shape of the print: a title is a row of small marks, each well inside the cover, side by
side along one line; a pen or a cable is one long stroke that runs across the cover, usually past its sides, and a
tablet lying on a folder is one large flat block. So here a quad that docscan.cover (or docscan.lit) finds one
surface round but refuses for want of print is taken when ALL its print (pixels _FAR from the inside's main colour,
over the inside less a _MARGIN) is _MIN_MARKS or more marks that
- touch no side of the inside (a stroke running in from the edge is something lying across),
- are each lower than _MARK_HIGH of the inside across the row, and have their centres within _ROW of one line,
- together span _MIN_SPAN of the inside along the row (a title, not a speck or two).
Rows along either axis of the cover count (a cover lying sideways). Asked only when none of the quads asked
about passed the tests before (so every cover found before is found as before), and of the quads found one surface
round only for the first _ASK, best first (on a folder they are near copies of one outline; at load 5 the test
costs 0.5 ms a quad, about 1 ms a frame on 35 of 50 `empty_folder` frames, nothing where a page or cover is found).
"""
from __future__ import annotations

import cv2
import numpy as np

from . import cover as _cover
from . import lit as _lit
from .cut import cut_round
from .geom import median, vnorm

_MARGIN = 0.06       # of the inside left out along each side (the sides' own blur)
_FAR = 40.0          # opponent distance from the inside's main colour that counts as print (docscan.cover's)
_MIN_MARKS = 2       # marks in the title's row (letters, or words whose letters run together at this scale)
_MARK_HIGH = 0.12    # of the inside across the row: a mark is at most this high (rendered titles: 0.05-0.08)
_ROW = 0.05          # of the inside across the row: the marks' centres lie within this of their median
_MIN_SPAN = 0.25     # of the inside along the row the marks span together (rendered titles: 0.37-0.45)
_ASK = 2             # quads asked (near copies of one outline, best first): bounds the cost on a folder


def printed_cover(opp: np.ndarray, quads: np.ndarray, first: int | None = None) -> np.ndarray:
    """docscan.lit.printed_cover (the same decisions), with a cover plain but for a title row also taken when it
    finds none: among the first _ASK quads found one surface round, in the order given."""
    out = np.zeros(len(quads), bool)
    if len(quads) == 0:
        return out
    round_ = _cover._one_surface_round(opp, quads)
    if not round_.all():
        round_[~round_] = _lit._lit_round(opp, quads[~round_])
    if not round_.all():   # a cover cut by the frame: its in-frame samples only (docscan.cut)
        round_[~round_] = cut_round(opp, quads[~round_])
    for i in np.flatnonzero(round_):
        out[i] = _cover._has_print(opp, quads[i:i + 1])[0]
        if first is not None and out.sum() >= first:
            break
    if not out.any():
        for i in np.flatnonzero(round_)[:_ASK]:
            out[i] = titled(opp, quads[i])
            if first is not None and out.sum() >= first:
                break
    return out


def titled(opp: np.ndarray, quad: np.ndarray) -> bool:
    """Whether all the print inside the quad (TL TR BR BL, small image) is one row of small marks (a title)."""
    q = quad.astype(np.float32)
    pw = int(np.clip(0.5 * (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])), 16, _cover._PATCH))
    ph = int(np.clip(0.5 * (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])), 16, _cover._PATCH))
    m = cv2.getPerspectiveTransform(q, np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]))
    patch = cv2.warpPerspective(opp, m, (pw, ph), flags=cv2.INTER_LINEAR)
    patch = patch[int(_MARGIN * ph):ph - int(_MARGIN * ph), int(_MARGIN * pw):pw - int(_MARGIN * pw)]
    px = patch.reshape(-1, 3)
    far = (vnorm(px - median(px, axis=0), axis=1) > _FAR).reshape(patch.shape[:2]).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(far, connectivity=8)
    if n - 1 < _MIN_MARKS:
        return False
    return _one_row(stats[1:], far.shape) or _one_row(stats[1:, [1, 0, 3, 2, 4]], far.shape[::-1])


def _one_row(stats: np.ndarray, shape: tuple[int, int]) -> bool:
    """Marks (x, y, w, h, area per row of ``stats``) in an inside of ``shape`` (rows, cols): one row of small ones."""
    hh, ww = shape
    x, y, w, h = (stats[:, k].astype(np.float64) for k in range(4))
    if (x <= 0).any() or (y <= 0).any() or (x + w >= ww).any() or (y + h >= hh).any():
        return False
    if (h > _MARK_HIGH * hh).any():
        return False
    mid = y + h / 2
    if np.abs(mid - median(mid)).max() > _ROW * hh:
        return False
    return bool((x + w).max() - x.min() >= _MIN_SPAN * ww)
