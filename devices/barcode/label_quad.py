"""Labels seen in perspective: find a label's four edges, rectify it and read it (issue 22, round 6).

Why: every other read of ``decode`` cuts a *rotated rectangle* (``locate.Region``) out of the frame. A label
lying on the desk under a document camera is a quadrilateral: its far edge shorter than its near one. When
its code is also blurred (a photographed label), the bars of a rotated-rectangle cut lean by a few degrees
from one end of the code to the other and no scanline crosses them all at one width; the locator may not
even find the code (its bars are 8-16 px wide there, scattered specks on the locator's 4 px grid). Round 3
found three bench frames (ean13-2/03, ean13-2/09, code128-2/06) that read only from the perspective-
rectified label.

How (``label_quad_read``, the last of ``decode``'s harder reads of a region, so it runs only on a frame
nothing else read):

1. **Quadrilaterals** (``label_quads``, ~4-10 ms on a 1080p frame): the frame at half size, smoothed, its
   Canny edges thickened by one pixel; every outline's convex hull that ``cv2.approxPolyDP`` (3 % of the
   perimeter) reduces to four corners, is convex, covers at least ``_MIN_AREA_PX``, has no side shorter
   than ``_MIN_SIDE_PX`` (a bar, a line of print) and whose hull fills it (``_MIN_FILL``) is a candidate; the biggest ``_MAX_QUADS`` that are not the same
   quad again (corners within ``_SAME_PX``) come out. A label's pad of paper and the edge of its printed
   image both give one (the same perspective).
2. **Rectify** each quad to a rectangle in the proportions of its opposite sides' mean lengths, its longer
   side ``_WORK_SIDE_PX`` (enlarged at most ``_MAX_UP`` times). One working size, because the blur a
   photographed label brings grows with the label: ean13-2/01 at 1390 px has bars 8-16 px wide and a blur
   past the deconvolution's 3 px; shrunk to 640 px both are in reach. A small label (code128-2/06, 360 px
   with 2.5-3 px bars) is enlarged instead. The blur is estimated on the inner 70 % of the rectified label
   (``_INNER``): its outline, paper against desk or print, is sharper than its bars and made the estimate
   of the whole 0.8-1.2 px on ean13-2/12 where 2.5 px reads.
3. **Read** it with the existing readers, stopping at the first that reads: zxing-cpp (try_rotate) on the
   rectified label, then on it Wiener-deconvolved (``deblur.wiener``) for each (multiple of the estimated
   blur, noise ratio) of ``_WIENER``; last the EAN template reader (``ean_blur``) on the rectified label.
   Only check-protected symbologies, and only a read whose results all give the same text, are accepted
   (two texts from one label are a deconvolution artefact: at 1.5x the blur ean13-2/03's label gave the
   phantom EAN-13s 3146611111081 and 3710104816632 together).

The whole-frame search runs once per frame: the first call for a frame searches it, further calls for the
other regions of the same frame return at once (``_SEEN``, per thread: the frame's array and its first
region, so that decoding the same gray array again, which ``decode`` does not copy, searches again). ``_TIME_BUDGET_S`` bounds the
reads of one frame. The result's corners are mapped back through the inverse perspective.
"""
from __future__ import annotations

import threading
import time
import weakref

import cv2
import numpy as np
import zxingcpp

from . import preprocess as pp
from .deblur import blur_sigma, wiener
from .ean_blur import blurred_ean
from .locate import Region
from .region_read import _strong, _zxing_region
from .symbol import Barcode

__all__ = ["label_quads", "label_quad_read"]

_SCALE = 0.5               # the quad search works at half size (1080p -> 960x540)
_CANNY = (20, 50)          # Canny thresholds (grey levels per px, after a 5x5 Gaussian); labels 15-60 lighter
_APPROX = 0.03             # approxPolyDP tolerance, share of the hull's perimeter
_MIN_AREA_PX = 10_000      # px of the frame; a smaller quad holds no code the camera resolves
_MAX_AREA_SHARE = 0.8      # a quad covering more of the frame is the frame's own border
_MIN_FILL = 0.85           # hull area / quad area: four corners describe a label's outline
_SAME_PX = 12.0            # mean corner distance under which two quads are one
_MAX_QUADS = 3
_WORK_SIDE_PX = 640        # a label is rectified to this longer side ...
_MAX_UP = 2.0              # ... but enlarged at most this much
_INNER = 0.15              # the blur is estimated without this share of the rectified label on each side
# (multiple of deblur.blur_sigma's estimate, Wiener noise-to-signal ratio), tried in turn. Above 1.25x the
# filter rings: at 1.5x ean13-2/03's label gave the phantom EAN-13s 3146611111081 and 3710104816632.
_WIENER = ((1.0, 0.02), (1.25, 0.02), (1.0, 0.005), (1.25, 0.005))
_MIN_SIDE_PX = 60          # a quad narrower than this is a bar or a line of print, not a label
_TIME_BUDGET_S = 0.4       # CPU s (this thread's); the reads of one frame stop here

_SEEN = threading.local()  # .frame: (weak reference to the last frame searched on this thread, its first region)


def label_quads(gray: np.ndarray, half: np.ndarray | None = None) -> list[np.ndarray]:
    """Four-cornered outlines in a gray uint8 image: float32 (4, 2) corners in its pixels (clockwise from the
    top-left-most), biggest first, at most ``_MAX_QUADS``; [] if none. ``half``: ``gray`` already shrunk by
    INTER_AREA to the search's size (``decode_frame``'s half frame), used when it has that size (round 13:
    ~0.2 ms a 1080p frame); otherwise ``gray`` is shrunk here."""
    h, w = gray.shape
    if min(h, w) < 64:
        return []
    size = (max(1, round(w * _SCALE)), max(1, round(h * _SCALE)))
    if half is None or half.shape != (size[1], size[0]):
        half = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(half, (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(small, *_CANNY), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    min_area, max_area = _MIN_AREA_PX * _SCALE ** 2, _MAX_AREA_SHARE * small.size
    found: list[tuple[float, np.ndarray]] = []
    for contour in contours:
        _x, _y, bw, bh = cv2.boundingRect(contour)
        if bw * bh < min_area:  # its hull, inside its bounding box, is smaller still (round 13: ~0.4 ms a frame)
            continue
        hull = cv2.convexHull(contour)
        area = cv2.contourArea(hull)
        if not min_area <= area <= max_area:
            continue
        quad = cv2.approxPolyDP(hull, _APPROX * cv2.arcLength(hull, True), True)
        if len(quad) != 4 or not cv2.isContourConvex(quad):
            continue
        quad_area = cv2.contourArea(quad)
        if quad_area < min_area or area / quad_area < _MIN_FILL:
            continue
        corners = _clockwise(quad.reshape(4, 2).astype(np.float32) / _SCALE)
        if min(_sides(corners)) >= _MIN_SIDE_PX:
            found.append((quad_area, corners))
    found.sort(key=lambda t: -t[0])
    out: list[np.ndarray] = []
    for _, quad in found:
        if not any(float(np.linalg.norm(quad - kept, axis=1).mean()) < _SAME_PX for kept in out):
            out.append(quad)
    return out[:_MAX_QUADS]


def label_quad_read(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
                    _zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Harder read of a region (``decode._RESCUE_ATTEMPTS``): on the first call for a frame, every label
    quadrilateral of the whole frame rectified and read (not only near the region: a label in perspective
    is often not where the locator looks); [] on the calls for the frame's other regions."""
    seen = getattr(_SEEN, "frame", None)
    if seen is not None and seen[0]() is base.image and seen[1] != region:
        return []  # a later region of the frame searched already (regions of one frame are all different)
    _SEEN.frame = (weakref.ref(base.image), region)
    deadline = time.thread_time() + _TIME_BUDGET_S
    for quad in label_quads(base.image):
        found = _read_quad(base, quad, formats, deadline)
        if found:
            return found
        if time.thread_time() > deadline:
            break
    return []


def _read_quad(base: pp.Variant, quad: np.ndarray, formats: zxingcpp.BarcodeFormats | None,
               deadline: float) -> list[Barcode]:
    width, height = _sides(quad)
    factor = min(_MAX_UP, _WORK_SIDE_PX / max(width, height))
    w, h = int(round(width * factor)), int(round(height * factor))
    target = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    to_label = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    rect = cv2.warpPerspective(base.image, to_label, (w, h), flags=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    back = np.linalg.inv(to_label)
    for image in _variants(rect):
        found = _zxing_read(pp.identity(image, "label-quad"), formats)
        if found:
            return [_mapped(b, back) for b in found]
        if time.thread_time() > deadline:
            return []
    whole = Region((w / 2.0, h / 2.0), (float(w), float(h)), 0.0)
    found = blurred_ean(pp.identity(rect, "label-quad"), whole, formats, ())
    return [_mapped(b, back) for b in found]


def _variants(rect: np.ndarray):
    """The rectified label as it is, then deconvolved for each (blur factor, noise ratio) of ``_WIENER``."""
    yield rect
    h, w = rect.shape
    sigma = blur_sigma(rect[int(_INNER * h):int((1 - _INNER) * h), int(_INNER * w):int((1 - _INNER) * w)])
    if sigma is None:
        return
    for factor, nsr in _WIENER:
        yield wiener(rect, sigma * factor, nsr)


def _zxing_read(label: pp.Variant, formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
    found = _strong(_zxing_region(label, formats, rotate=True))
    return found if len({b.text for b in found}) == 1 else []


def _mapped(code: Barcode, back: np.ndarray) -> Barcode:
    """``code`` with its corners taken from the rectified label back to the frame (``back``: 3x3)."""
    points = cv2.perspectiveTransform(np.float32(code.corners).reshape(-1, 1, 2), back).reshape(-1, 2)
    return Barcode(code.text, code.raw, code.symbology, tuple((float(x), float(y)) for x, y in points), code.source)


def _sides(quad: np.ndarray) -> tuple[float, float]:
    """(width, height) of a clockwise quad: the mean lengths of its opposite sides."""
    width = 0.5 * (np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3]))
    height = 0.5 * (np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1]))
    return float(width), float(height)


def _clockwise(quad: np.ndarray) -> np.ndarray:
    """Corners ordered clockwise (image axes) starting from the one nearest the top-left."""
    centre = quad.mean(axis=0)
    angles = np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0])
    quad = quad[np.argsort(angles)]
    start = int(np.argmin(quad.sum(axis=1)))
    return np.roll(quad, -start, axis=0)
