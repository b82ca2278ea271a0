"""A coloured cover: a household register, a marriage certificate, a passport, a magazine (part of
devices.camera.docscan; issue 22, item 1).

A page's inside must look like paper (light, one colour apart from the ink), which a dark red household register
with a gold emblem, or a magazine's photo cover, does not. A flat dark folder or a grey tablet must not be taken
for a page either, and by outline alone they are the same scene. What tells them apart is print: a cover carries
an emblem, a title or a photo, so its inside is not one flat colour, and a folder's is. A cover is looked for only
when no paper page was found, so every frame in which a page is found is decided exactly as before.

The test here, for a quad already well supported on all four sides and wholly in frame:
- print: part of the inside differs clearly from the inside's main colour (an emblem, a title, a photo) in blobs
  wider than a pen (a pen or a cable lying across a folder is print of a kind, but thin), and is not one flat
  colour over much of it (a tablet lying on a folder, outlined together with it);
- one object on one surface: the colour steps across every side, and what lies outside the four sides is one
  surface (the desk), which a patch of wood grain or tablecloth closed into a quad by chance does not give.
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import linspace, median, vnorm
from .refine import NEXT_CORNER, sample_points

_PATCH = 96             # largest side of the inside, flattened, in detection pixels
_MARGIN = 0.2           # of the patch left out along each side: print lies inside, a phone's bezel or a frame along the edge
_PRINT_DIFF = 40.0      # opponent distance from the inside's main colour that counts as print
_BLOB = 7               # detection pixels: print is wider than this somewhere; a pen or cable across is not
_MIN_BLOB = 0.045       # share of the inside that must be print wider than _BLOB (rendered covers: 0.069 and up;
                        # a flat folder with pens and cables across it: 0.031 at most)
_SECOND_SHARE = 0.2     # print over this share of the inside ...
_SECOND_FLAT = 0.8      # ... this much of it within _FLAT of one colour: a second object, not print
_FLAT = 25.0
_PROBE = 3.0            # detection pixels from a side to the inside and outside samples
_MIN_STEP = 18.0        # opponent distance between a side's inside and outside means, on every side
_MAX_SPREAD = 30.0      # opponent distance a side's outside may lie from the surround's median colour
_SAMPLE_STEP = 12.0     # opponent distance between one sample's inside and outside that counts as a step
_EVEN_ABS = 30.0        # a sample's outside is the side's surround within this opponent distance
_MIN_EVEN = 0.8         # share of a side's samples that step and have the surround outside, on every side


def printed_cover(opp: np.ndarray, quads: np.ndarray, first: int | None = None) -> np.ndarray:
    """For (N, 4, 2) quads (TL TR BR BL) on a small opponent image: whether each looks like a printed cover.
    With ``first``, only until that many have passed, in the order given (the rest are reported False)."""
    out = np.zeros(len(quads), bool)
    for i in np.flatnonzero(_one_surface_round(opp, quads)) if len(quads) else ():
        out[i] = _has_print(opp, quads[i:i + 1])[0]
        if first is not None and out.sum() >= first:
            break
    return out


def print_share(opp: np.ndarray, quads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per quad, over its inside flattened to a patch: the share of pixels far from the inside's main colour;
    the share left after an opening that wipes out thin strokes (a pen or a cable lying across is narrower
    than _BLOB); and how much of the far pixels are one flat colour (a second object, not print)."""
    out = np.zeros((3, len(quads)))
    kernel = np.ones((_BLOB, _BLOB), np.uint8)
    for i, q in enumerate(quads):
        pw = int(np.clip(0.5 * (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])), 16, _PATCH))
        ph = int(np.clip(0.5 * (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])), 16, _PATCH))
        m = cv2.getPerspectiveTransform(q.astype(np.float32), np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]))
        patch = cv2.warpPerspective(opp, m, (pw, ph), flags=cv2.INTER_LINEAR)
        patch = patch[int(_MARGIN * ph):ph - int(_MARGIN * ph), int(_MARGIN * pw):pw - int(_MARGIN * pw)]
        px = patch.reshape(-1, 3)
        dist = vnorm(px - median(px, axis=0), axis=1)
        far = dist > _PRINT_DIFF
        if not far.any():
            continue
        blobs = cv2.morphologyEx(far.reshape(patch.shape[:2]).astype(np.uint8), cv2.MORPH_OPEN, kernel)
        ref = median(px[far], axis=0)
        out[:, i] = far.mean(), blobs.mean(), (vnorm(px[far] - ref, axis=1) < _FLAT).mean()
    return out[0], out[1], out[2]


def _has_print(opp: np.ndarray, quads: np.ndarray) -> np.ndarray:
    far, blob, flat = print_share(opp, quads)
    second = (far >= _SECOND_SHARE) & (flat >= _SECOND_FLAT)
    return (blob >= _MIN_BLOB) & ~second


def side_steps(opp: np.ndarray, quads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per quad: the smallest step (opponent distance) between a side's inside and outside medians; the
    largest distance of a side's outside median from the median of the four (how far the surround varies);
    and, on its least even side, the share of samples that step with the surround's colour outside (a side
    running partly over bare desk, round two objects side by side, does not step there)."""
    a, b = quads, quads[:, NEXT_CORNER]
    d = (b - a) / np.maximum(vnorm(b - a, axis=2, keepdims=True), 1e-9)
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1)                                   # outward
    t = linspace(0.04, 0.96, 16)
    pts = a[:, :, None, :] + (b - a)[:, :, None, :] * t[None, None, :, None]              # (N, 4, 12, 2)
    sin = sample_points(opp, pts - normal[:, :, None, :] * _PROBE)                         # (N, 4, 12, 3)
    sout = sample_points(opp, pts + normal[:, :, None, :] * _PROBE)
    vin, vout = median(sin, axis=2), median(sout, axis=2)                           # (N, 4, 3)
    own = vin - vout
    mag = vnorm(own, axis=2)
    step = mag.min(axis=1)
    spread = vnorm(vout - median(vout, axis=1, keepdims=True), axis=2).max(axis=1)
    # Each sample steps, with the surround's colour outside (a photo cover's own colours may vary inside).
    stepping = vnorm(sin - sout, axis=3) >= _SAMPLE_STEP                          # (N, 4, 16)
    outside = vnorm(sout - vout[:, :, None, :], axis=3) < _EVEN_ABS
    even = (stepping & outside).mean(axis=2).min(axis=1)
    return step, spread, even


def _one_surface_round(opp: np.ndarray, quads: np.ndarray) -> np.ndarray:
    step, spread, even = side_steps(opp, quads)
    return (step >= _MIN_STEP) & (spread <= _MAX_SPREAD) & (even >= _MIN_EVEN)
