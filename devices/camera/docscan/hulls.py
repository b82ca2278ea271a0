"""Page candidates from convex hulls (part of devices.camera.docscan): of edge chains and of bright regions,
each reduced to four corners. They catch pages whose sides are not straight lines to Hough (curled, or cut by
clutter into short pieces); docscan.detect asks for them only when the line quads found no clear page.
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import MIN_AREA_FRAC, cross3, intersect_lines, vnorm
from .work import Work as _Work


def _quad_from_hull(hull: np.ndarray) -> np.ndarray | None:
    """Reduce a convex hull to four corners: the intersections of the lines through its four longest sides.

    approxPolyDP alone returns five corners when a finger or the frame clips one corner; intersecting the
    long sides puts the hidden corner back where the paper's edges meet.
    """
    pts = hull.reshape(-1, 1, 2).astype(np.float32)
    peri = cv2.arcLength(pts, True)
    for eps in (0.01, 0.02, 0.035):
        approx = cv2.approxPolyDP(pts, eps * peri, True).reshape(-1, 2).astype(np.float64)
        if len(approx) <= 8:
            break
    if len(approx) < 4:
        return None
    if len(approx) == 4:
        return approx
    seg = np.roll(approx, -1, axis=0) - approx
    longest = np.sort(np.argsort(-vnorm(seg, axis=1))[:4])
    lines = [cross3((approx[i, 0], approx[i, 1], 1.0), (approx[i, 0] + seg[i, 0], approx[i, 1] + seg[i, 1], 1.0))
             for i in longest]
    corners = [intersect_lines(lines[i], lines[(i + 1) % 4]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    return np.array(corners)


def _hull_candidates(mask: np.ndarray, min_area: float, out: list[np.ndarray]) -> None:
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    for c in contours:
        if len(c) < 4:
            continue
        _, _, bw, bh = cv2.boundingRect(c)
        if bw * bh < min_area:
            continue
        hull = cv2.convexHull(c)
        if cv2.contourArea(hull) >= min_area:
            q = _quad_from_hull(hull)
            if q is not None:
                out.append(q)


def hull_quads(work: _Work) -> list[np.ndarray]:
    """Quads from convex hulls of edge chains and of bright regions (pages whose sides are not straight
    lines to Hough: curled, or cut by clutter into short pieces). Made once a frame (Work.memo): docscan.detect's
    hull candidates and docscan.card's last look ask for the same; callers do not write to them."""
    made = work.memo.get("hull_quads")
    if made is None:
        made = work.memo["hull_quads"] = tuple(_hull_quads(work))
    return list(made)


def _hull_quads(work: _Work) -> list[np.ndarray]:
    h, w = work.edges.shape
    min_area = MIN_AREA_FRAC * h * w
    out: list[np.ndarray] = []
    _hull_candidates(cv2.dilate(work.edges, np.ones((3, 3), np.uint8)), min_area, out)
    lum = np.clip(work.opp[..., 0], 0, 255).astype(np.uint8)
    _, bright = cv2.threshold(lum, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    _hull_candidates(cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)), min_area, out)
    return out
