"""Is something lying under the camera? The empty bed's look, to tell "no page" from "a page we cannot outline".

Page detection answers "here is the page" or "no page found with confidence". The second answer covers two
different scenes: the empty bed (say where to lay the page), and something lying there whose edges cannot be
found (a page on a stack of paper, in a plastic sleeve, pale on a pale desk, larger than the view): there the
citizen is told so and captures the whole picture by hand. The difference is the bed itself: a document
camera looks at one fixed bed, so a frame that no longer looks like the empty bed holds something.

A look is a tiny grey thumbnail of the whole frame (``LOOK_WIDTH`` px wide). ``look_difference`` matches the
two looks' overall brightness first (a change of room light or exposure is not a change of scene), then takes
the mean absolute difference as a fraction of full scale: 0 = the same picture; sensor noise and JPEG about
0.002; a pale page on a pale desk 0.01-0.05; a white page on a grey bed 0.1-0.4.
"""
from __future__ import annotations

import numpy as np

LOOK_WIDTH = 64   # thumbnail width (px): coarse enough to ignore sensor noise and JPEG, fine enough for a card
MAX_GAIN = 1.5    # brightness changes up to this factor are taken for light, not for something laid down


def bed_look(image: np.ndarray) -> np.ndarray:
    """The frame's look: a ``LOOK_WIDTH`` px wide grey thumbnail (float32, grey levels 0..255)."""
    import cv2  # noqa: PLC0415 - OpenCV only when the camera is used

    h, w = image.shape[:2]
    size = (LOOK_WIDTH, max(1, round(LOOK_WIDTH * h / w)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)   # shrunk first: grey on 3k pixels, not 700k
    return (small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)).astype(np.float32)


def look_difference(a: np.ndarray | None, b: np.ndarray | None) -> float:
    """How different two looks are (0 = same; see the module doc). Looks of different sizes, or a missing
    one, count as entirely different (1.0)."""
    if a is None or b is None or a.shape != b.shape:
        return 1.0
    gain = float(np.clip(max(float(b.mean()), 1.0) / max(float(a.mean()), 1.0), 1 / MAX_GAIN, MAX_GAIN))
    return float(np.abs(a * gain - b).mean()) / 255.0


__all__ = ["LOOK_WIDTH", "MAX_GAIN", "bed_look", "look_difference"]
