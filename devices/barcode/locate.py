"""Find where barcodes may lie in a camera frame, cheaply, so that the decoder can read each region at the
camera's full resolution instead of reading the whole frame at half size (issue 22).

Why: on a 1920x1080 document-camera frame a linear code has 2.5-4 px per module; halving the frame (what a
10 ms whole-frame pass has to do) leaves 1.3-2 px, below what zxing-cpp resolves, and a 1-D code turned by
15-20° is crossed by no single row of pixels, so row scanners miss it at any size. A region found here is
cut out at full resolution and turned upright before decoding.

How (about 2 ms per 1080p frame on one core): the frame is sampled every 4th pixel *without averaging*
(averaging would blur 2.5 px bars into grey; plain sampling aliases them but keeps their contrast), then
two texture maps are thresholded (Otsu), closed and opened so that thin print (text lines, ruled lines)
falls away and blocks of dense texture stay:

* gradient energy (blurred gradient magnitude): every symbology, 2-D codes above all;
* gradient anisotropy (the structure tensor's |l1 - l2|): parallel bars, i.e. 1-D codes and PDF417, which
  a line of bold text beside them would otherwise outrank;
* strips of parallel bars (``_strips``): the anisotropy map again with a smaller opening, keeping long thin
  bands whose gradients run along them: a flat 1-D label 10-15 px tall that the opening above removes
  (text lines and the edges of stripes are as thin, but their gradients run across them);
* sparse strips (``_sparse_strips``, last of all): bands the strip test turns down on the sampled grid but
  whose gradients run along them at full resolution: short bars in segments (a DataBar Expanded strip).

Each blob becomes a rotated rectangle; the biggest come first. The angle of a region is the blob's own
(``cv2.minAreaRect``); ``bar_angle`` gives the direction across the bars for 1-D codes.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = ["Region", "regions", "bar_angle"]

_STEP = 4            # sample every 4th pixel of the frame
_BLUR = 5            # texture window on the sampled grid (20 px of the frame)
_CLOSE = 3           # joins bars of one code
_OPEN = 7            # removes print thinner than 28 px of the frame (text lines, rules)
_MIN_SIDE_PX = 32    # smaller blobs are not a code the camera resolves
_ENERGY_REGIONS = 6  # how many blobs of each map to report at most
_BAR_REGIONS = 3
_THIN_OPEN = 3       # the strip pass keeps bands down to 12 px of the frame across
_THIN_REGIONS = 2
_THIN_MIN_RATIO = 5.0   # a strip: at least 5x as long as it is wide ...
_THIN_MAX_TURN = 45.0   # ... whose gradients run nearer along it (across its bars) than across it
_SPARSE_LONGER = 1.3  # a band that passes only at full resolution is reported this much longer
_SPARSE_CHECKS = 6    # the longest bands failing on the grid checked at full resolution (~30 us each)


@dataclass(frozen=True)
class Region:
    """A rotated rectangle in input pixels: centre (x, y), size (w, h), angle in degrees (OpenCV's)."""

    centre: tuple[float, float]
    size: tuple[float, float]
    angle: float

    def box(self) -> np.ndarray:
        return cv2.boxPoints((self.centre, self.size, self.angle))


def regions(gray: np.ndarray, limit: int = _ENERGY_REGIONS + _BAR_REGIONS + _THIN_REGIONS) -> list[Region]:
    """Candidate code regions of a gray uint8 image, most promising first (bar-like ones, then textured
    ones, each by area), duplicates removed; [] for an image too small to hold one."""
    if min(gray.shape) < 4 * _STEP * _OPEN:
        return []
    small = gray[::_STEP, ::_STEP]
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1)
    jxx = cv2.blur(gx * gx, (_BLUR, _BLUR))
    jyy = cv2.blur(gy * gy, (_BLUR, _BLUR))
    jxy = cv2.blur(gx * gy, (_BLUR, _BLUR))
    anisotropy = cv2.sqrt(cv2.sqrt((jxx - jyy) ** 2 + 4.0 * jxy * jxy))
    energy = cv2.blur(cv2.magnitude(gx, gy), (_BLUR, _BLUR))
    strips, failed = _bands(anisotropy, jxx, jyy, jxy)
    found = (_blobs(anisotropy, _BAR_REGIONS) + strips + _blobs(energy, _ENERGY_REGIONS)
             + _sparse_strips(gray, failed, _THIN_REGIONS - len(strips)))
    out: list[Region] = []
    for (cx, cy), (w, h), angle in found:
        region = Region((cx * _STEP, cy * _STEP), (w * _STEP, h * _STEP), float(angle))
        if not any(_same_place(region, kept) for kept in out):
            out.append(region)
    return out[:limit]


_Rect = tuple[tuple[float, float], tuple[float, float], float]


def _contours(texture: np.ndarray, opening: int) -> list[np.ndarray]:
    scaled = cv2.normalize(texture, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    _, mask = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (_CLOSE, _CLOSE)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (opening, opening)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return list(contours)


def _strips(anisotropy: np.ndarray, jxx: np.ndarray, jyy: np.ndarray, jxy: np.ndarray) -> list[_Rect]:
    """Flat 1-D labels (a short EAN-13, a DataBar Expanded strip: 6-10 px of the sampled grid across) that
    the blob pass's opening removes: bands of parallel bars kept with a smaller opening, and told apart
    from text lines and the edges of stripes, which are as thin and as long, by their gradients running
    *along* the band (across its bars; an edge's run across it)."""
    return _bands(anisotropy, jxx, jyy, jxy)[0]


def _bands(anisotropy: np.ndarray, jxx: np.ndarray, jyy: np.ndarray,
           jxy: np.ndarray) -> tuple[list[_Rect], list[tuple[float, _Rect]]]:
    """(the longest ``_THIN_REGIONS`` bands that pass ``_strips``' test, the bands that fail it with the
    direction along each, longest first)."""
    scored, failed = [], []
    for contour in _contours(anisotropy, _THIN_OPEN):
        (cx, cy), (w, h), angle = rect = cv2.minAreaRect(contour)
        if min(w, h) * _STEP < _MIN_SIDE_PX / 3 or max(w, h) < _THIN_MIN_RATIO * min(w, h):
            continue
        x, y, bw, bh = cv2.boundingRect(contour)
        inside = np.zeros((bh, bw), np.uint8)
        cv2.drawContours(inside, [contour - (x, y)], -1, 1, -1)
        sums = [float((j[y:y + bh, x:x + bw] * inside).sum()) for j in (jxx, jyy, jxy)]
        gradient = 0.5 * np.degrees(np.arctan2(2.0 * sums[2], sums[0] - sums[1]))
        along = angle if w >= h else angle + 90.0
        turn = abs((gradient - along + 90.0) % 180.0 - 90.0)
        (scored if turn <= _THIN_MAX_TURN else failed).append((max(w, h), along, rect))
    scored.sort(key=lambda item: -item[0])
    failed.sort(key=lambda item: -item[0])
    return [rect for _, _, rect in scored[:_THIN_REGIONS]], [(along, rect) for _, along, rect in failed]


def _sparse_strips(gray: np.ndarray, failed: list[tuple[float, _Rect]], room: int) -> list[_Rect]:
    """Bands of short, sparse bars among those ``_strips`` turned down, at most ``room`` of them (issue 22
    round 5). A DataBar Expanded strip 80 px tall whose bars are 14 px (rssexpanded-1/#384 on the camera
    bench) fails ``_strips``' test on the sampled grid, where the label's long edges outweigh its bars and
    the bars' ends look as strong as their sides; at full resolution (``bar_angle``) its gradients run
    along it (29° from it; lines of print 67-90°). The ``_SPARSE_CHECKS`` longest are so checked (~90 us
    each); one that passes is reported 1.3x longer, as the band breaks at the gaps between its segments
    and the blob holds only part of it. ``regions`` puts them last: they are more often print than code."""
    out: list[_Rect] = []
    for along, ((cx, cy), (w, h), angle) in failed[:_SPARSE_CHECKS] if room > 0 else ():
        full = Region((cx * _STEP, cy * _STEP), (w * _STEP, h * _STEP), float(angle))
        if abs((bar_angle(gray, full) - along + 90.0) % 180.0 - 90.0) <= _THIN_MAX_TURN:
            out.append(((cx, cy), (w * _SPARSE_LONGER, h) if w >= h else (w, h * _SPARSE_LONGER), angle))
            if len(out) == room:
                break
    return out


def _blobs(texture: np.ndarray, limit: int) -> list[_Rect]:
    contours = _contours(texture, _OPEN)
    scored = []
    for contour in contours:
        rect = cv2.minAreaRect(contour)
        if min(rect[1]) * _STEP >= _MIN_SIDE_PX:
            scored.append((cv2.contourArea(contour), rect))
    scored.sort(key=lambda item: -item[0])
    return [rect for _, rect in scored[:limit]]


def _same_place(a: Region, b: Region) -> bool:
    """Centres closer than a quarter of the smaller region's shorter side, sizes within 25 %."""
    near = np.hypot(a.centre[0] - b.centre[0], a.centre[1] - b.centre[1]) < 0.25 * min(*a.size, *b.size)
    return bool(near and abs(a.size[0] * a.size[1] / max(b.size[0] * b.size[1], 1.0) - 1.0) < 0.25)


def bar_angle(gray: np.ndarray, region: Region) -> float:
    """The dominant gradient direction inside ``region`` (degrees, OpenCV's sense): across the bars of a
    1-D code, so turning the region by it makes the bars vertical for a row-scanning reader."""
    box = region.box()
    x0, y0 = np.maximum(box.min(axis=0), 0).astype(int)
    x1, y1 = box.max(axis=0).astype(int)
    roi = gray[y0:y1, x0:x1].astype(np.float32)
    if min(roi.shape) < 3:
        return region.angle
    gx = cv2.Sobel(roi, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(roi, cv2.CV_32F, 0, 1)
    jxx, jyy, jxy = float((gx * gx).sum()), float((gy * gy).sum()), float((gx * gy).sum())
    return float(0.5 * np.degrees(np.arctan2(2.0 * jxy, jxx - jyy)))
