"""A coloured printed sheet on a pale desk (part of devices.camera.docscan; issue 22 item 1, round 8).

An orange take-away menu on a pale grey desk (the tuning photo fmeow-743165244.jpg) is paper, but not pale paper:
its inside is strongly coloured (opponent chroma about 75) and darker than the desk round it on every side (luma
about 120 against 195). So the page score (paper inside is near-neutral or bright, and lighter than the desk on
all but one side) gives 0 to every quad of it; docscan.tinted does outline it exactly (its chroma differs from
the desk's all round) but that quad is judged by the same page score; and the cover pass (docscan.cover) wants print
in blobs wider than a pen, where the menu carries columns of thin text (at detection resolution a few pixels
high), which that test wipes out as it wipes out a pen lying across a folder.

What the menu shows, and a shadow, a lamp patch, a flat folder, a tablet or a table top does not: its inside is
one clear colour (a shadow or a lamp patch on a neutral desk keeps the desk's grey; the rendered folders are darker
than paper ever is, luma 70-75), light enough for paper, with thin dark print spread over most of it (a pen or a
cable crosses a few cells of a 4 x 4 grid, a column of text many), and the desk round it is pale and neutral, one
surface, with the colour stepping across every side. Looked for only when no paper page, no tinted page and no
cover was found, so every frame in which anything is found is decided exactly as before.
"""
from __future__ import annotations

import cv2
import numpy as np

from .cover import side_steps
from .geom import linspace, median, vnorm
from .refine import NEXT_CORNER, sample_points

_MIN_LUMA = 92.0       # the sheet's main colour at least this light (paper's own floor, evidence.MIN_LUMA)
_MIN_CHROMA = 30.0     # and clearly coloured (evidence.paper_inside calls paper "pale" below 30)
_SAME = 20.0           # opponent chroma distance of a pixel from the main colour that is still that colour
_MIN_SAME = 0.6        # share of the inside in the main colour (one colour apart from the print)
_INK = 25.0            # grey levels below the main colour's luma that count as print
_MIN_INK = 0.02        # share of the inside that is print ...
_CELL_INK = 0.02       # ... and a cell of the 4 x 4 grid holds print when this share of it is print
_MIN_CELLS = 8         # cells holding print (the menu: 11; a pen or cable across: a few)
_DESK_CHROMA = 20.0    # the desk round the sheet is near-neutral ...
_DESK_LIGHTER = 20.0   # ... and lighter than the sheet's main colour by this much (a pale desk)
_MIN_STEP = 18.0       # one surface round: the colour steps across every side (as docscan.cover) ...
_MAX_SPREAD = 30.0     # ... the desk outside each side is the same surface ...
_MIN_EVEN = 0.8        # ... along most of every side
_PATCH = 96            # largest side of the inside, flattened, in detection pixels
_MARGIN = 0.1          # of the patch left out along each side


def coloured_sheet(opp: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """For (N, 4, 2) quads (TL TR BR BL) on a small opponent image: whether each is a coloured printed sheet on a
    pale neutral desk (see the module docstring)."""
    out = np.zeros(len(quads), bool)
    if len(quads) == 0:
        return out
    step, spread, even = side_steps(opp, quads)
    for i in np.flatnonzero((step >= _MIN_STEP) & (spread <= _MAX_SPREAD) & (even >= _MIN_EVEN)):
        out[i] = _coloured_inside(opp, quads[i]) and _pale_desk_round(opp, quads[i])
    return out


def _patch(opp: np.ndarray, q: np.ndarray) -> np.ndarray:
    pw = int(np.clip(0.5 * (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])), 16, _PATCH))
    ph = int(np.clip(0.5 * (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])), 16, _PATCH))
    m = cv2.getPerspectiveTransform(q.astype(np.float32), np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]))
    patch = cv2.warpPerspective(opp, m, (pw, ph), flags=cv2.INTER_LINEAR)
    return patch[int(_MARGIN * ph):ph - int(_MARGIN * ph), int(_MARGIN * pw):pw - int(_MARGIN * pw)]


def _coloured_inside(opp: np.ndarray, q: np.ndarray) -> bool:
    patch = _patch(opp, q)
    px = patch.reshape(-1, 3)
    main = median(px, axis=0)
    if main[0] < _MIN_LUMA or np.linalg.norm(main[1:]) < _MIN_CHROMA:
        return False
    if (vnorm(px[:, 1:] - main[1:], axis=1) < _SAME).mean() < _MIN_SAME:
        return False
    ink = patch[..., 0] < main[0] - _INK
    if ink.mean() < _MIN_INK:
        return False
    gh, gw = ink.shape[0] // 4, ink.shape[1] // 4
    cells = sum(ink[r * gh:(r + 1) * gh, c * gw:(c + 1) * gw].mean() >= _CELL_INK for r in range(4) for c in range(4))
    return cells >= _MIN_CELLS


def _pale_desk_round(opp: np.ndarray, q: np.ndarray) -> bool:
    """The desk just outside the four sides (3 detection pixels out) is near-neutral and lighter than the sheet."""
    a, b = q, q[NEXT_CORNER]
    d = (b - a) / np.maximum(vnorm(b - a, axis=1, keepdims=True), 1e-9)
    normal = np.stack([d[:, 1], -d[:, 0]], axis=-1)
    normal *= np.sign((((a + b) / 2 - q.mean(axis=0)) * normal).sum(axis=1, keepdims=True))
    t = linspace(0.1, 0.9, 9)
    pts = a[:, None] + (b - a)[:, None] * t[None, :, None]
    desk = median(sample_points(opp, (pts + normal[:, None] * 3.0).reshape(-1, 2)), axis=0)
    sheet = median(sample_points(opp, (pts - normal[:, None] * 3.0).reshape(-1, 2)), axis=0)
    return bool(np.linalg.norm(desk[1:]) < _DESK_CHROMA and desk[0] > sheet[0] + _DESK_LIGHTER)
