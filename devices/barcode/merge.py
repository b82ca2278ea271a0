"""Merging what the engines and passes found: one result per printed symbol, in reading order.

Pure geometry on ``Barcode`` corners (input pixels); no engine calls. Used by ``decode``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

from .symbol import Barcode, Corners

if TYPE_CHECKING:
    from .locate import Region

__all__ = ["bbox", "clean", "drop_ean_disputes", "inside", "min_area_quad", "ordered", "overlaps"]


def bbox(corners: Corners) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def overlaps(a: Barcode, b: Barcode) -> bool:
    """Bounding boxes intersect after padding by 8 px + 10 % of the larger side (1-D positions from
    zxing-cpp are thin lines across the bars, zbar's cover all scan lines that read the code)."""
    ax0, ay0, ax1, ay1 = bbox(a.corners)
    bx0, by0, bx1, by1 = bbox(b.corners)
    pad = 8.0 + 0.1 * max(ax1 - ax0, ay1 - ay0, bx1 - bx0, by1 - by0)
    return ax0 - pad <= bx1 and bx0 - pad <= ax1 and ay0 - pad <= by1 and by0 - pad <= ay1


def clean(found: list[Barcode]) -> list[Barcode]:
    """Drop repeats of one symbol (same raw bytes at an overlapping place; the first, zxing-cpp's, stays)
    and EAN/UPC phantoms: a second reading of one printed code that agrees on the right half but not on
    the left, seen from both engines — zxing-cpp "7034759003930" beside 5030159003930 (ean13-1/35),
    zbar "8882412014989" beside 9780441014989 (ean13-4/19). Of such a pair the reading supported by
    more scan lines (the thicker quad) stays."""
    kept: list[Barcode] = []
    for item in sorted(found, key=lambda b: -_thickness(b) if b.symbology in _EAN_HALF else 0.0):
        if not any(_same_symbol(k, item) for k in kept):
            kept.append(item)
    kept_ids = {id(k) for k in kept}
    return [item for item in found if id(item) in kept_ids]


_EAN_HALF = {"EAN-13": 6, "UPC-A": 6, "EAN-8": 4}  # digits in the right half (incl. check digit)


def drop_ean_disputes(found: list[Barcode]) -> list[Barcode]:
    """Without EAN/UPC readings that another reading of the same place contradicts (same right half, other
    left half). ``clean`` keeps the thicker of such a pair, which holds for whole images; in a region cut
    out at full size both readings cross a few scan lines and the phantom can be the thicker (corpus
    ean13-4/11: "5780407014989" beside 9780441014989, ean13-3/45 turned 180°: "0708745619937" beside
    9780735619937), so neither is kept: a miss is better than a misread."""
    disputed = {id(a) for a in found for b in found
                if a is not b and _EAN_HALF.get(a.symbology) and a.symbology == b.symbology
                and a.raw != b.raw and _same_symbol(a, b)}
    return [item for item in found if id(item) not in disputed]


def _same_symbol(a: Barcode, b: Barcode) -> bool:
    if not overlaps(a, b):
        return False
    if a.raw == b.raw:
        return True
    half = _EAN_HALF.get(a.symbology)
    return half is not None and a.symbology == b.symbology and a.raw[-half:] == b.raw[-half:]


def _thickness(b: Barcode) -> float:
    """Extent across the bars of a 1-D quad: how many scan lines agreed on the reading."""
    (x0, y0), (x1, y1), (x2, y2) = b.corners[:3]
    return min(float(np.hypot(x1 - x0, y1 - y0)), float(np.hypot(x2 - x1, y2 - y1)))


def inside(region: Region, code: Barcode) -> bool:
    x0, y0, x1, y1 = bbox(code.corners)
    cx, cy = region.centre
    return x0 <= cx <= x1 and y0 <= cy <= y1


def ordered(found: list[Barcode]) -> list[Barcode]:
    return sorted(found, key=lambda b: (round(bbox(b.corners)[1]), bbox(b.corners)[0]))


def min_area_quad(points: list[tuple[float, float]]) -> Corners:
    """Four corners (clockwise from the top-left-most) of the minimum-area rectangle around ``points``."""
    if not points:
        return ((0.0, 0.0),) * 4
    box = cv2.boxPoints(cv2.minAreaRect(np.array(points, dtype=np.float32)))
    centre = box.mean(axis=0)
    box = box[np.argsort(np.arctan2(box[:, 1] - centre[1], box[:, 0] - centre[0]))]
    box = np.roll(box, -int(np.argmin(box.sum(axis=1))), axis=0)
    return tuple((float(x), float(y)) for x, y in box)
