"""A page found as what differs from the known empty bed (part of devices.camera.docscan).

Where a sheet lies on a pale table whose own edges are in view, and the sheet's edges step by less than the
detector counts as an edge, ``detect_page`` outlines the table (issue 22, e: rendered on_table seeds 1, 7, 12 at
Jaccard 0.09-0.19). With a picture of the same bed empty (``background_detail``, what the console's 学习空台面
keeps), the sheet is what changed: the log ratio of the frame to the empty bed, less a quadratic surface fitted
robustly (a lamp moved or the daylight changed: smooth over the bed), beyond ``CHANGE``; closed over the text's
gaps; the largest part; its hull's four corners, then each side moved onto the strongest step near it by the
detector's own refinement (``refine.refine_once``). On those three scenes: 0.938-0.955 before the refinement,
0.987-0.994 after.

It is not a general detector: a page covering most of the bed leaves too little bed for the light fit, and a
pen, cable or finger laid with the page joins it. The caller uses it only inside an outline that shows mostly
the bed (kiosk.capture.bed).
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import median, order_corners
from .refine import refine_once

DETAIL_WIDTH = 640     # px: the empty bed's picture kept for this (a sheet's corner within a pixel or two)
CHANGE = 0.04          # |log ratio| beyond the light's fit that counts as changed (paper on a table: 0.05-0.14)
MIN_AREA = 0.01        # the changed part must cover this fraction of the frame
_FIT_STEP = 8          # the light's fit on every 8th pixel each way (45x80 samples at 640x360)


def background_detail(image: np.ndarray, width: int = DETAIL_WIDTH) -> np.ndarray:
    """The grey picture, ``width`` px wide (uint8), that ``page_on_background`` compares frames with."""
    h = max(1, round(image.shape[0] * width / image.shape[1]))
    small = cv2.resize(image, (width, h), interpolation=cv2.INTER_AREA)
    return small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)


def changed_mask(image: np.ndarray, detail: np.ndarray) -> np.ndarray:
    """uint8 mask (``detail``'s size): 1 where the frame differs from the empty bed beyond the light's change."""
    small = background_detail(image, detail.shape[1]).astype(np.float32)
    if small.shape != detail.shape:
        raise ValueError(f"frame {image.shape[:2]} does not match the bed's aspect {detail.shape}")
    ratio = np.log(small + 1.0) - np.log(detail.astype(np.float32) + 1.0)
    h, w = ratio.shape
    ys, xs = np.mgrid[0:h:_FIT_STEP, 0:w:_FIT_STEP]
    x, y = (xs / w - 0.5).ravel(), (ys / h - 0.5).ravel()
    design = np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)
    sample = ratio[::_FIT_STEP, ::_FIT_STEP].ravel()
    use = np.ones(len(sample), bool)
    coef = np.zeros(6)
    for _ in range(3):   # robust: what lies on the bed is left out of the light's fit
        if use.sum() < 12:
            break
        a = design[use]
        coef = np.linalg.solve(a.T @ a + 1e-9 * np.eye(6), a.T @ sample[use])   # normal equations: 6 unknowns
        res = np.abs(sample - design @ coef)
        use = res < max(4.0 * float(median(res[use])), 0.01)
    xx = (np.arange(w, dtype=np.float32) / w - 0.5)[None, :]
    yy = (np.arange(h, dtype=np.float32) / h - 0.5)[:, None]
    light = (coef[0] + coef[1] * xx + coef[3] * xx * xx) + (coef[2] * yy + coef[5] * yy * yy) + coef[4] * (yy @ xx)
    return (np.abs(ratio - light) > CHANGE).astype(np.uint8)


def page_on_background(image: np.ndarray, detail: np.ndarray) -> np.ndarray | None:
    """The corners (4x2, TL TR BR BL, pixels of ``image``) of the largest thing lying on the empty bed
    ``detail`` (``background_detail`` of the empty bed, same aspect), or None when nothing large enough differs."""
    mask = changed_mask(image, detail)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))     # sensor noise
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))  # the gaps between text lines
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    if n < 2:
        return None
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[best, cv2.CC_STAT_AREA] < MIN_AREA * mask.size:
        return None
    contours, _ = cv2.findContours((labels == best).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    quad = None
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float64)
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float64)
    quad = order_corners(quad * (image.shape[1] / detail.shape[1]))
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    quad, _ = refine_once(bgr, quad, radius=8.0, unit=1.0, n=32)
    quad, _ = refine_once(bgr, quad, radius=2.0, unit=1.0, n=32)
    return np.asarray(quad, np.float64)


__all__ = ["CHANGE", "DETAIL_WIDTH", "background_detail", "changed_mask", "page_on_background"]
