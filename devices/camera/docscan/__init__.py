"""Document scanning for the document camera (高拍仪): find the page, straighten it, clean it, make it small.

Pure image algorithms (numpy + OpenCV), no device I/O. The stable API:

- ``Quad``: the page's four corners, TL TR BR BL, in image pixels (OpenCV convention: pixel centres at
  integers, so an image's outer boundary runs from -0.5 to size - 0.5).
- ``detect_page(image) -> Quad | None``: grey/BGR uint8, any size; None when no page is visible.
- ``find_page(image) -> PageFinding``: the outline only when confident, and the confidence (0..1), so a
  caller can hand over to capture by hand instead of outlining a bag or the desk.
- ``track_page(image, previous) -> Quad | None``: the outline near the previous frame's (video, cheap);
  ``PageTracker().update(frame)`` tracks while it holds and detects otherwise.
- ``rectify(image, quad, paper="auto", dpi=300)``: perspective-correct to the real aspect.
- ``enhance(image, mode)``: "color", "gray" or "bw" scanner-like output.
- ``assess(image, quad) -> Quality``: problem codes no_page, cut_off, too_small, blur, glare, upside_down.
- ``encode_page(image, mode) -> bytes``: JPEG, or 1-bit PNG for "bw", within a size budget (300 KB).

A typical capture: ``q = detect_page(frame)``; ``assess(frame, q).ok``; then
``encode_page(enhance(rectify(frame, q), "gray"), "gray")``.

Module map: detect (candidates, selection), finding (confidence), outer (which nested candidate is the
paper), inner (a sheet lying on a pale table top), reject (well-supported quads that are not a page), stack (the top
sheet of a stack of pages), work (the maps the stages share), track (video), lines
(Hough-line quads), refine (edge evidence, sub-pixel fit), enhance (rectify, enhance, encode), quality (assess),
geom (Quad, paper sizes, IoU), pages (synthetic pages for the simulator).
"""
from __future__ import annotations

from .detect import detect_page
from .enhance import ENCODE_MAX_BYTES, choose_paper, encode_page, enhance, rectify
from .finding import CONFIDENT, PageFinding, find_page
from .geom import PAPER_MM, Quad, order_corners, polygon_iou, quad_iou
from .quality import (Quality, assess, estimate_blur, estimate_text_blur, glare_fraction, scan_is_blurred,
                      upside_down_score)
from .track import PageTracker, track_page

__all__ = [
    "CONFIDENT", "ENCODE_MAX_BYTES", "PAPER_MM", "PageFinding", "PageTracker", "Quad", "Quality", "assess",
    "choose_paper", "detect_page", "encode_page", "enhance", "estimate_blur", "estimate_text_blur", "find_page",
    "glare_fraction", "order_corners", "polygon_iou", "quad_iou", "rectify", "scan_is_blurred", "track_page",
    "upside_down_score",
]
