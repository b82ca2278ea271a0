"""A page or cover seen in strong perspective: line pairs further from parallel (part of devices.camera.docscan;
issue 22 item 1, round 10).

docscan.lines pairs two lines as opposite page sides when they are within 16 degrees of parallel, which a document
camera looking down nearly square never exceeds. A hand-held photo of a book from its near end does: Justinyu's cyan
paperback on a black desk (tuning test1.jpg) has its cover's top and bottom sides 19 degrees apart, so no line quad
was the cover and the outline ran on over its page block to the frame.

Pairs up to _WIDE degrees apart are taken here, but only in quads that can be the image of a rectangle: the two
vanishing points of a rectangle's side pairs are the images of two perpendicular directions, so for some focal
length f of a plausible camera (principal point at the frame's centre) the rays (x1, y1, f) and (x2, y2, f) through
them are perpendicular (within _ORTHO). Two lines that merely happen to converge (a table edge and a page side, a
wedge of shadow) seldom meet that. Asked only when the 16-degree set found no confident page (docscan.detect's
cascade), so a frame from the kiosk's camera costs nothing more.
"""
from __future__ import annotations

import math

import numpy as np

from .geom import NEXT_CORNER, vnorm
from .lines import line_quads
from .work import Work as _Work

_WIDE = math.radians(22)       # opposite sides of a page seen steeply may be this far from parallel
_ORTHO = 0.1                   # |cos| of the angle between the two vanishing directions: within about 6 degrees of 90
_FOCAL = np.array([0.5, 0.7, 1.0, 1.4, 2.0, 2.8])   # focal lengths tried, in long sides of the frame


def rectangle_in_perspective(quads: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Whether each quad (N, 4, 2; side k from corner k to k+1) is the image of a rectangle for some focal length
    in _FOCAL with the principal point at the frame's centre."""
    h, w = shape
    q = quads - np.array([w / 2.0, h / 2.0])
    hom = np.concatenate([q, np.ones(q.shape[:2] + (1,))], axis=2)
    sides = np.cross(hom, hom[:, NEXT_CORNER])                  # (N, 4, 3) line k through corners k, k+1
    v1, v2 = np.cross(sides[:, 0], sides[:, 2]), np.cross(sides[:, 1], sides[:, 3])
    best = np.full(len(quads), np.inf)
    for f in _FOCAL * max(h, w):
        a = v1 * np.array([1.0, 1.0, f])
        b = v2 * np.array([1.0, 1.0, f])
        c = np.abs((a * b).sum(axis=1)) / np.maximum(vnorm(a, axis=1) * vnorm(b, axis=1), 1e-12)
        best = np.minimum(best, c)
    return best < _ORTHO


def steep_evidence(work: _Work, lines: np.ndarray) -> tuple[np.ndarray, ...]:
    """Line quads of ``lines`` (docscan.lines.hough_lines) with a pair between _PARALLEL and _WIDE from parallel that
    are rectangles in perspective, with their evidence (as docscan.lines.line_quads)."""
    return line_quads(work.opp, lines, _WIDE, lambda quads: rectangle_in_perspective(quads, work.edges.shape))
