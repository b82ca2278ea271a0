"""A till receipt on a pale surface nearly its shade, outlined by straight lines running the length of each side of
its print: a rim (bright or dark) or a step, either sign (part of devices.camera.docscan; issue 22 item 1, round 26).

docscan.column asks for a narrow print column and, on each side, the strongest step of each profile lined up; it
misses a receipt whose print is wider than a column (crumpled and held short: adck872/ReceiptScanningAI
``images/receipt2.jpg``, its print 0.63 of its length), whose shadow lines outside it are dark enough to count as
print (the print's box then runs past the paper on two sides), or whose end steps are too weak for each profile's
strongest step to fall on one line (rendered ``receipt_pale`` seeds 6 and 11). A person outlines such a receipt by a
straight line along each side of the print, where the paper ends: its bright cut edge, its thin shadow, a step of a
few levels or the curled end's shading, and nothing on the other side of it but the surface.

So, only when nothing else (docscan.column included) found a page: the largest block of print, short/long at most
_MAX_ASPECT and long enough. For each side of its box, _N profiles across it, from _INNER px inside to a reach
outside; at each offset a step response against the local slope (luma _GAP px out minus _GAP px in, less half the
same _FAR px either way: a ramp reads 0; left out near print) and a rim response (the luma there minus the mean of
its two flanks _RIM px away; left out where a flank is print, so a shadow line as dark as print counts). Every
straight line within _MAX_TILT degrees of the box's side is scored by the median response of the profiles it
crosses (signed: one rim or one step along the side). A line is seen when that median is at least _MIN_STEP (step)
or _MIN_RIM (rim) levels, _AGREE of the profiles cross it with the same sign and at least _PART of that median, at
most _BEYOND of them have print beyond it (past _LINE px: a shadow line's own blur), and _MARGIN_SHARE of them have a
margin of paper with no print inside it (_MARGIN px, or _LINE to _MARGIN_DARK px where print-dark lies within _LINE
px of the line: the outermost row of print or a barcode's bar has more print close inside it). The side is the best
reading within _OUTER px of the outermost seen line; all four sides must be seen. Then the paper inside and the
surface round it must be pale and within _SHADE levels (else the receipt steps clearly and other stages see it). An
empty desk has no print; print on the desk with no paper edge has no line with a margin inside and nothing beyond;
a shadow patch carrying text is darker than the desk by more than _SHADE.
"""
from __future__ import annotations

import cv2
import numpy as np

from .column import _MIN_LONG, print_block, print_maps   # _MIN_LONG: print_block returns no shorter block
from .geom import linspace, median

_MAX_ASPECT = 0.7   # the print block's short/long at most this (a crumpled receipt held short: 0.63)
_N = 48             # profiles across each side
_INNER = 24         # profiles start this many px inside the print's box (a shadow line outside counts as print)
_REACH = 0.25       # ... and run outwards this fraction of the block's short side, plus _REACH_PX
_REACH_PX = 10
_GAP = 2            # step response: luma _GAP px outwards minus _GAP px inwards
_FAR = 6            # ... less half of the difference _FAR px either way (the local slope)
_RIM = 3            # rim response: luma minus the mean of the luma _RIM px either side
_PRINT = 20.0       # a response within 3 px of a pixel this much darker than the paper is print's
_MAX_TILT = 6.0     # degrees between a side's line and the box's side
_TILT_STEP = 0.5
_MIN_VALID = 0.6    # fraction of the profiles a line crosses away from print
_MIN_STEP = 2.0     # median step along a seen side, levels
_MIN_RIM = 2.5      # median rim along a seen side, levels
_AGREE = 0.6        # fraction of the profiles with the same sign and at least _PART of the median
_PART = 0.4
_PALE = 140.0       # the surface and the paper margin are at least this light
_SHADE = 20.0       # ... and differ by at most this many levels
_BEYOND = 0.2       # at most this fraction of the profiles with print beyond a side's line
_MARGIN = 6         # px of paper with no print inside a side's line ...
_MARGIN_DARK = 24   # ... where the line is as dark as print (a shadow line), from _LINE px in
_LINE = 12          # px either side of a line where print-dark is the line itself (a shadow line, blurred)
_MARGIN_SHARE = 0.8  # ... on at least this fraction of its profiles
_OUTER = 6          # px inside the outermost seen line where its best reading is looked for
_BORDER = 4.0       # corners at least this far inside the frame


def receipt_slip(img: np.ndarray) -> np.ndarray | None:
    """The full-image quad of a receipt on a pale surface outlined by a line along each side of its print, or None."""
    block = print_block(img)
    if block is None:
        return None
    ink, paper8, box, short, long_, size = block
    if long_ < 1 or short / long_ > _MAX_ASPECT or long_ < _MIN_LONG * size:
        return None
    g, lum, sm, dark, near = print_maps(img)   # made once with docscan.column's (its _PRINT is this one)
    h, w = g.shape
    dark = dark + near   # 2 on print, 1 within 3 px of it
    reach = int(_REACH * short + _REACH_PX)
    centre = box.mean(axis=0)
    lines = []
    for s in range(4):
        line = _side(sm, dark, box[s], box[(s + 1) % 4], centre, reach)
        if line is None:
            return None
        lines.append(line)
    quad = []
    for s in range(4):
        x = np.cross(lines[s - 1], lines[s])
        if abs(x[2]) < 1e-9:
            return None
        quad.append(x[:2] / x[2])
    quad = np.array(quad)
    if not ((quad[:, 0] > _BORDER) & (quad[:, 0] < w - 1 - _BORDER)
            & (quad[:, 1] > _BORDER) & (quad[:, 1] < h - 1 - _BORDER)).all():
        return None
    if np.abs(quad - box).max() > reach + _INNER + 3:
        return None
    return quad if _pale_alike(lum, ink, quad) else None


def _side(sm: np.ndarray, dark: np.ndarray, a: np.ndarray, b: np.ndarray, centre: np.ndarray, reach: int
          ) -> np.ndarray | None:
    """The homogeneous line of the one rim or step running along outside the box's side a-b, or None."""
    length = float(np.linalg.norm(b - a))
    t = (b - a) / max(length, 1e-6)
    normal = np.array([-t[1], t[0]])
    if np.dot((a + b) / 2 - centre, normal) < 0:
        normal = -normal
    pad = max(_FAR, _RIM)
    lo = max(pad, _MARGIN_DARK)
    pad = max(pad, _LINE + 1)
    offs = np.arange(-_INNER - lo, reach + pad, dtype=np.float32)
    u = linspace(0.1, 0.9, _N)
    base = a[None] + u[:, None] * (b - a)[None]
    pts = base[:, None] + offs[None, :, None] * normal[None, None]
    px, py = pts[..., 0].astype(np.float32), pts[..., 1].astype(np.float32)
    prof = cv2.remap(sm, px, py, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    mark = cv2.remap(dark, px, py, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
    near, on_print = mark > 0, mark > 1
    n = len(offs)
    c = np.arange(lo, n - pad)
    # a step against the local slope: a ramp (the desk's light falling off, a curl's shading) reads 0
    step = 1.5 * (prof[:, c + _GAP] - prof[:, c - _GAP]) - 0.5 * (prof[:, c + _FAR] - prof[:, c - _FAR])
    rim = prof[:, c] - 0.5 * (prof[:, c - _RIM] + prof[:, c + _RIM])
    blocked = np.zeros((_N, len(c)), bool)
    for k in range(-_FAR, _FAR + 1):
        blocked |= near[:, c + k]
    step[blocked] = np.nan
    # A rim is read where its flanks are not print; the line itself may be as dark as print (a shadow line)
    rim[on_print[:, c - _RIM] | on_print[:, c + _RIM]] = np.nan
    slopes = np.tan(np.radians(np.arange(-_MAX_TILT, _MAX_TILT + 1e-6, _TILT_STEP)))
    along = (u - 0.5) * length
    idx = np.round(np.arange(len(c))[None, :, None] + slopes[:, None, None] * along[None, None, :]).astype(int)
    inside = (idx >= 0) & (idx < len(c))
    idx = np.clip(idx, 0, len(c) - 1)
    rows = np.arange(_N)[None, None, :]
    # print beyond a line (past its rim's flank): the line is a text row or a rule inside the print, not its edge
    beyond = np.flip(np.maximum.accumulate(np.flip(on_print, axis=1), axis=1), axis=1)
    beyond = np.concatenate([beyond, np.zeros((_N, _LINE), bool)], axis=1)[:, c + _LINE]
    clear = np.where(inside, ~beyond[rows, idx], False).mean(axis=2) >= 1.0 - _BEYOND   # (slopes, offsets)
    # (a shadow line as dark as print within _LINE px of it is the side's own) and a margin of paper with no print
    # inside it: _MARGIN px, or from _LINE to _MARGIN_DARK px in where there is print-dark within _LINE px of the
    # line (a shadow line lies outside the paper's margin; the outermost row of print or a barcode's bar has more
    # print close inside it)
    cs = np.concatenate([np.zeros((_N, 1)), np.cumsum(on_print, axis=1)], axis=1)
    line = (cs[:, c + _LINE + 1] - cs[:, c - _LINE]) > 0                  # print within _LINE px of the line
    margin = np.where(line, (cs[:, c - _LINE + 1] - cs[:, c - _MARGIN_DARK]) == 0,
                      (cs[:, c - _RIM - 1] - cs[:, c - _MARGIN]) == 0)
    clear &= np.where(inside, margin[rows, idx], False).mean(axis=2) >= _MARGIN_SHARE
    scores = []
    for resp, floor in ((step, _MIN_STEP), (rim, _MIN_RIM)):
        r = np.where(inside, resp[rows, idx], np.nan)                       # (slopes, offsets, profiles)
        valid = np.isfinite(r)
        ok = valid.mean(axis=2) >= _MIN_VALID
        with np.errstate(all="ignore"):
            med = _nanmedian(r, valid)
            agree = ((np.sign(r) == np.sign(med)[..., None]) & (np.abs(r) >= _PART * np.abs(med)[..., None])).sum(
                axis=2) / np.maximum(valid.sum(axis=2), 1)
        scores.append(np.where(clear & ok & (agree >= _AGREE) & np.isfinite(med), np.abs(med) / floor, 0.0))
    score = np.max(scores, axis=0)                                          # (slopes, offsets)
    seen = np.nonzero(score.max(axis=0) >= 1.0)[0]
    if not len(seen):
        return None
    # The paper ends at the outermost line: its best reading within _OUTER px of it (a rim's flank reads as a step)
    score[:, : max(0, int(seen[-1]) - _OUTER)] = 0.0
    i, j = np.unravel_index(int(np.argmax(score)), score.shape)
    p0 = a + 0.5 * (b - a) + float(offs[c[j]]) * normal       # the line at the side's middle, tilted by slopes[i]
    direction = t + slopes[i] * normal
    return np.cross([p0[0], p0[1], 1.0], [p0[0] + direction[0], p0[1] + direction[1], 1.0])


def _nanmedian(r: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """np.nanmedian along the last axis (NaN where none is valid), by one sort: numpy's is slow on short rows."""
    srt = np.sort(r, axis=-1)                                  # NaN sort last
    cnt = valid.sum(axis=-1)
    lo = np.take_along_axis(srt, np.maximum((cnt - 1) // 2, 0)[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(srt, np.maximum(cnt // 2, 0)[..., None], axis=-1)[..., 0]
    return np.where(cnt > 0, 0.5 * (lo + hi), np.nan)


def _pale_alike(lum: np.ndarray, ink: np.ndarray, quad: np.ndarray) -> bool:
    """The paper inside ``quad`` (print left out) and a ring of surface round it are pale and nearly one shade."""
    h, w = lum.shape
    inside = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(inside, np.round(quad).astype(np.int32), 1)
    ring = cv2.dilate(inside, np.ones((31, 31), np.uint8)) - cv2.dilate(inside, np.ones((7, 7), np.uint8))
    inner = cv2.erode(inside, np.ones((7, 7), np.uint8)) & (cv2.dilate(ink, np.ones((9, 9), np.uint8)) == 0)
    if ring.sum() < 100 or inner.sum() < 100:
        return False
    desk, page = float(median(lum[ring > 0])), float(median(lum[inner > 0]))
    return desk >= _PALE and page >= _PALE and abs(desk - page) <= _SHADE
