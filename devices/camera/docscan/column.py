"""A till receipt on a pale surface nearly its own shade, seen by its print column and the rims along its sides
(part of devices.camera.docscan; issue 22 item 1, round 22).

A thermal till receipt lying on a plain pale grey surface (round 7 of photo collection, adck872/ReceiptScanningAI
``receipt/light2.jpg``) steps from the surface by 0-4 grey levels on its long sides: at the detection scale they
carry almost no edge pixels, so no line quad and no hull reaches it. What shows at full resolution is a thin rim
along each long side (2-4 px, brighter or darker than both flanks: the paper's cut edge catching the light, or its
thin shadow) and the ends' curl shading; a person outlines it by those and by the block of print inside.

So, only when nothing else found a page: the print (pixels _INK levels darker than the local paper) closed into
blocks; the largest block must be a narrow column (short side / long side <= _MAX_ASPECT) well inside the frame.
From each side of its rotated bounding box, _N profiles run outwards up to a reach of _REACH of the column's width;
on each, the strongest luma step of either sign (a rim or a step) is taken. A side is seen when _MIN_FIT of those
points lie within _FIT_PX of one line and its steps are at least _MIN_STEP levels a pixel (median); both long sides
and one end must be seen, the other end's line is fitted the same way. The corners are the lines' intersections.
Guards: the surface round the quad and the paper between print and side are both pale (_PALE) and within _SHADE
levels of each other (else the receipt steps clearly and other stages see it); the lines lie within _MAX_TILT
degrees of the column's sides. An empty desk has no print; a printed sheet on a pale desk's texture is wider than a
column, or its sides lie beyond the reach; a shadow's edge is a soft ramp and does not line up on four sides.
"""
from __future__ import annotations

import weakref
import zlib

import cv2
import numpy as np

from .geom import linspace, median, vnorm

_INK = 40.0        # levels below the local paper a print pixel is
_POOL = 4          # the print is pooled by this factor to find its blocks
_CLOSE = 0.032     # closing kernel joining print into a block, fraction of the frame's long side (41 px at 1280)
_PRINT = 20.0      # a step next to a pixel this much darker than the paper is print's, not the side's
_MIN_LONG = 0.35   # the column's long side, at least this fraction of the frame's matching size
_MAX_ASPECT = 0.5  # the column's short side / long side at most this (a till receipt: 0.25-0.45)
_N = 40            # profiles across each side
_REACH = 0.25      # profiles run outwards this fraction of the column's width, plus _REACH_PX
_REACH_PX = 10
_FIT_PX = 2.5      # a step point lies on its side's line within this many pixels
_MIN_FIT = 0.5     # fraction of a side's profiles on its line
_MIN_STEP = 1.5    # median step (levels per pixel, smoothed luma) along a seen side
_PALE = 140.0      # the surface and the paper margin are at least this light
_SHADE = 30.0      # ... and differ by at most this many levels
_MAX_TILT = 6.0    # degrees between a fitted side and the column's side
_BORDER = 4.0      # corners at least this far inside the frame


def receipt_column(img: np.ndarray) -> np.ndarray | None:
    """The full-image quad (corners in order round the receipt) of a narrow receipt on a pale surface nearly its
    shade, found by its print column and side rims, or None."""
    block = print_block(img)
    if block is None:
        return None
    ink, paper8, box, short, long_, size = block
    if long_ < 1 or short / long_ > _MAX_ASPECT:
        return None
    if long_ < _MIN_LONG * size:
        return None
    g, lum, sm, _, near = print_maps(img)
    h, w = g.shape
    dark = near.astype(np.float32)
    reach = int(_REACH * short + _REACH_PX)
    centre = box.mean(axis=0)
    lines, seen, long_side = [], [], []
    for s in range(4):
        line = _side(sm, dark, box[s], box[(s + 1) % 4], centre, reach)
        if line is None:
            return None
        lines.append(line[0])
        seen.append(line[1])
        long_side.append(np.linalg.norm(box[(s + 1) % 4] - box[s]) >= 0.5 * (short + long_))
    longs = [seen[s] for s in range(4) if long_side[s]]
    ends = [seen[s] for s in range(4) if not long_side[s]]
    if not all(longs) or not any(ends):
        return None
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
    if np.abs(quad - box).max() > reach + 3:
        return None
    return quad if _pale_alike(lum, ink, quad) else None


# the last frame asked (a weak reference, its bytes' CRC), its print block and the maps print_maps made of it
_last: list = [None, None, None, None]


def print_block(img: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float, int] | None:
    """The print (uint8 mask), the local paper's luma, and the rotated box of the largest block of print with its
    short and long sides and the frame's size along its long side; None with no print, or with no block long enough
    for _MIN_LONG (also docscan.slip's, which asks for the same frame after docscan.column: the last answer is kept
    for the same array with the same bytes, so a frame written into the same buffer is looked at afresh)."""
    crc = zlib.crc32(np.ascontiguousarray(img).data)
    if _last[0] is not None and _last[0]() is img and _last[1] == crc:
        return _last[2]
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    block = _print_block(g)
    _last[:] = [weakref.ref(img), crc, block, {"g": g}]
    return block


def print_maps(img: np.ndarray) -> tuple[np.ndarray, ...]:
    """For the frame print_block was just asked of and found print on (call it first): its grey frame, that as
    float32 luma, smoothed (1.5 px), print-dark (_PRINT below the paper, uint8 0/1) and print-dark within 3 px; made
    once a frame for docscan.column and docscan.slip, which both look along the print block's sides. Not to be
    written to."""
    maps = _last[3]
    if "sm" not in maps:
        paper8 = _last[2][1]
        lum = maps["g"].astype(np.float32)
        sm = cv2.GaussianBlur(lum, (0, 0), 1.5)
        dark = ((paper8.astype(np.float32) - sm) > _PRINT).astype(np.uint8)
        maps.update(lum=lum, sm=sm, dark=dark, near=cv2.dilate(dark, np.ones((7, 7), np.uint8)))
    return maps["g"], maps["lum"], maps["sm"], maps["dark"], maps["near"]


def _print_block(g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float, int] | None:
    h, w = g.shape
    small = cv2.resize(g, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    paper8 = cv2.resize(cv2.medianBlur(small, 5), (w, h), interpolation=cv2.INTER_LINEAR)
    ink = (cv2.subtract(paper8, g) > _INK).astype(np.uint8)   # paper - luma, in uint8 as the float sum would be
    # Blocks are found on the print pooled to a quarter (an empty desk then costs ~1 ms here, not ~10); the
    # column's box is fitted to the full-resolution print of the largest block (closing keeps a set's hull).
    sw, shh = max(1, w // _POOL), max(1, h // _POOL)
    pooled = (cv2.resize(ink * np.uint8(255), (sw, shh), interpolation=cv2.INTER_AREA) > 0).astype(np.uint8)
    k = int(round(_CLOSE * max(h, w) / _POOL)) | 1
    blocks = cv2.morphologyEx(pooled, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(blocks)
    if n < 2:
        return None
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    # the box's sides are at most the block's diameter: a block whose bounding box (pooled, so +1) has no diagonal of
    # _MIN_LONG of the frame's shorter side holds no long side to pass column's or slip's test (both _MIN_LONG)
    bw, bh = (stats[i, cv2.CC_STAT_WIDTH] + 1) * w / sw, (stats[i, cv2.CC_STAT_HEIGHT] + 1) * h / shh
    if np.hypot(bw, bh) + 2 < _MIN_LONG * min(h, w):
        return None
    # The block's print at full resolution, read only inside its bounding box: the block upscaled as cv2.resize's
    # INTER_NEAREST does it (full pixel x takes pooled floor(x / (w / sw))), which is 0 outside the box
    xsrc = np.minimum(np.floor(np.arange(w) * (1.0 / (w / sw))).astype(np.intp), sw - 1)
    ysrc = np.minimum(np.floor(np.arange(h) * (1.0 / (h / shh))).astype(np.intp), shh - 1)
    left, top = stats[i, cv2.CC_STAT_LEFT], stats[i, cv2.CC_STAT_TOP]
    cols = np.flatnonzero((xsrc >= left) & (xsrc < left + stats[i, cv2.CC_STAT_WIDTH]))   # a run (xsrc ascends)
    rows = np.flatnonzero((ysrc >= top) & (ysrc < top + stats[i, cv2.CC_STAT_HEIGHT]))
    c0, c1, r0, r1 = cols[0], cols[-1] + 1, rows[0], rows[-1] + 1
    region = (lab[ysrc[r0:r1]][:, xsrc[c0:c1]] == i).astype(np.uint8)
    ys, xs = np.nonzero(region & ink[r0:r1, c0:c1])
    ys, xs = ys + r0, xs + c0
    if len(xs) < 3:
        return None
    (cx, cy), (rw, rh), _ = cv2.minAreaRect(np.stack([xs, ys], axis=1).astype(np.float32))
    box = cv2.boxPoints(((cx, cy), (rw, rh), _))
    short, long_ = min(rw, rh), max(rw, rh)
    along = box[1] - box[0] if rw >= rh else box[2] - box[1]   # the column's long direction
    size = h if abs(along[1]) >= abs(along[0]) else w
    return ink, paper8, box, float(short), float(long_), size


def _side(sm: np.ndarray, dark: np.ndarray, a: np.ndarray, b: np.ndarray, centre: np.ndarray, reach: int
          ) -> tuple[np.ndarray, bool, float] | None:
    """The homogeneous line of the strongest steps outside the column's side a-b, and whether it is seen."""
    t = (b - a) / max(float(np.linalg.norm(b - a)), 1e-6)
    normal = np.array([-t[1], t[0]])
    if np.dot((a + b) / 2 - centre, normal) < 0:
        normal = -normal
    offs = np.arange(0, reach, dtype=np.float32)
    base = a[None] + linspace(0.1, 0.9, _N)[:, None] * (b - a)[None]            # (N, 2)
    pts = base[:, None] + offs[None, :, None] * normal[None, None]                 # (N, n, 2)
    prof = cv2.remap(sm, pts[..., 0].astype(np.float32), pts[..., 1].astype(np.float32), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)
    near = cv2.remap(dark, pts[..., 0].astype(np.float32), pts[..., 1].astype(np.float32), cv2.INTER_NEAREST,
                     borderMode=cv2.BORDER_REPLICATE)
    step = np.abs(np.diff(prof, axis=1)) * (np.maximum(near[:, 1:], near[:, :-1]) == 0)   # not print's edges
    j = np.argmax(step, axis=1)
    p = pts[np.arange(_N), j] + 0.5 * normal
    strength = step[np.arange(_N), j]
    i, k = np.triu_indices(_N, _N // 4)           # every pair of points a quarter of the side apart ...
    d = p[k] - p[i]
    d /= np.maximum(vnorm(d, axis=1, keepdims=True), 1e-6)
    res = np.abs((p[None, :, 0] - p[i, None, 0]) * d[:, None, 1] - (p[None, :, 1] - p[i, None, 1]) * d[:, None, 0])
    on = res[int(np.argmax((res <= _FIT_PX).sum(axis=1)))] <= _FIT_PX   # ... the line most points lie on
    if on.sum() < 4:
        return None
    vx, vy, x0, y0 = cv2.fitLine(p[on].astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
    tilt = np.degrees(np.arccos(min(1.0, abs(float(vx * t[0] + vy * t[1])))))
    if tilt > _MAX_TILT:
        return None
    ok = on.mean() >= _MIN_FIT and float(median(strength[on])) >= _MIN_STEP
    return np.cross([x0, y0, 1.0], [x0 + vx, y0 + vy, 1.0]), bool(ok), float(median(offs[j[on]]))


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
