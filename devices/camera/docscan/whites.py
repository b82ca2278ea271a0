"""A white page on white pages on a pale desk, among clutter (part of devices.camera.docscan; issue 22, d).

A page lying on a stack of other white sheets on a pale desk has only faint white-on-white steps for sides
(often just the thin shadow line on the lit side), while a cable, a pen, a mouse, a monitor's foot or a
magazine across the frame make the strongest lines: the page's sides never reach the twenty Hough lines
combined into quads (docscan.lines). When no paper page was found, ``white_on_white_quads`` votes once more
with only the edge pixels that are light on both flanks (paper against paper or against a pale desk, not the
flank of a dark thing): the lines of the page and of the stack under it then lead. Their quads are scored as
usual by docscan.detect; peel_stack (docscan.stack) then moves a stack's union in onto the top sheet.
"""
from __future__ import annotations

import numpy as np

from .lines import hough_lines, line_quads
from .refine import sample_points
from .work import Work as _Work

_LIGHT = 0.8      # both flanks of a kept edge pixel are at least this fraction of the frame's paper luma
_FLANK = 3.0      # detection pixels from an edge pixel to the flank samples
_PAPER_PCT = 90   # the frame's paper luma: this percentile of luma (the pale desk and the sheets)


def white_on_white_quads(work: _Work) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Line-quad evidence (as docscan.lines.line_quads) from the frame's edges that are light on both flanks."""
    if len(work.xs) == 0:
        return np.zeros((0, 4, 2)), np.zeros((0, 4)), np.zeros((0, 4)), np.zeros(0), np.zeros((0, 4))
    paper = float(np.percentile(work.opp[..., 0], _PAPER_PCT))
    pts = np.stack([work.xs, work.ys], axis=1).astype(np.float64)
    step = _FLANK * np.stack([np.cos(work.normal), np.sin(work.normal)], axis=1)
    lo = np.minimum(sample_points(work.opp, pts + step)[:, 0], sample_points(work.opp, pts - step)[:, 0])
    keep = lo > _LIGHT * paper
    lines = hough_lines(work.edges.shape, work.ys[keep], work.xs[keep], work.normal[keep], work.strong_px[keep])
    return line_quads(work.opp, lines)
