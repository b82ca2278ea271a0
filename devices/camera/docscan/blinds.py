"""A page held up against window blinds (part of devices.camera.docscan; issue 22 item 1, round 16).

Held up against blinds, the page is lit from behind as against a bare window (docscan.backlit), but the window
round it is striped: slats as light as the page itself (luma 150-215 against the page's 150-200) between narrow,
overexposed gaps. Only the gaps are darker-than-window evidence for the page's sides, so no side of the page steps
on most of its length (support 0.25-0.58, lift -6 to -20 on rendered seed 8), and the slats' 20-30 edges are the
strongest straight lines in the frame, so the page's own top and bottom lines may not even be among the Hough lines.

What tells the page from the slats is that a slat is a narrow band between two overexposed gaps, while the page is
tall: so the slats are closed over, a grey closing (a dilation then an erosion) along the slats' normal with a
kernel of _KERNEL of the frame's long side (a slat and its gap span up to 0.031 of it on the rendered scenes), which
turns every run of pixels darker than the window and shorter than the kernel into window and leaves the page, the
hand and the window's frame (all longer along that line) where they were. On the closed frame the page is what
docscan.backlit looks for: a page darker than an overexposed surround. The slats are taken to run across the frame
(a vertical closing) or, when that closing gains too little, along it.

Only asked when a twentieth of the frame is overexposed (docscan.backlit.overexposed) and docscan.backlit found no
page, and only taken when the closing overexposes at least _MIN_GAIN more of the frame (a bare window's bars gain
0.05-0.13 on the rendered scenes, overexposed blinds 0.37-0.56) and docscan.backlit then finds its page on the closed
frame (with the usual outline judged on the closed frame too: if it is overexposed there, it was a slat).
"""
from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from .backlit import overexposed_share
from .work import Work as _Work

_KERNEL = 0.04      # the closing's length, a fraction of the frame's long side (51 px at 1280)
_MIN_GAIN = 0.2     # the share of the frame the closing must overexpose on top of what already is


def close_blinds(img: np.ndarray, work: _Work, prepare: Callable[[np.ndarray], _Work]
                 ) -> tuple[np.ndarray, _Work] | None:
    """The full-size frame with blinds' slats closed over, and its detection work (``prepare``: docscan.detect's
    _prepare), or None when closing along neither direction overexposes _MIN_GAIN more of the frame."""
    k = max(3, int(round(_KERNEL * max(img.shape[:2]))) | 1)
    before = overexposed_share(work)
    for size in ((1, k), (k, 1)):   # slats across the frame (a vertical closing), then along it
        closed = cv2.morphologyEx(img, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        cwork = prepare(closed)
        if overexposed_share(cwork) - before >= _MIN_GAIN:
            return closed, cwork
    return None
