"""A still-scene gate for camera scanning: a frame that shows what the last decoded frame showed is not decoded.

On the idle attract screen the document camera looks at an empty, unchanging desk, and decoding every frame of
it spent most of the idle kiosk's CPU (issue 22: 1.4 of ~5 % of a core). A real sensor's noise makes no two
frames identical, so the test is a tolerance, on a small grey thumbnail where the noise averages out:

* the frame is shrunk to ``cells`` (area averaging: each cell is the mean of some 15x15 pixels at 960x720, so
  per-pixel noise of a few grey levels becomes a fraction of one);
* the differences from the reference thumbnail are taken less their median, so a global light or exposure
  change alone does not count as a new scene, but anything laid on part of the desk does;
* the frame is "changed" when any cell differs by more than ``tolerance_grey`` grey levels (a code laid on
  the desk changes many cells by tens of levels).

The reference is the last frame that was decoded (not the last one seen), so a slow drift adds up and is
decoded once it passes the tolerance. A still scene is still decoded every ``max_skips + 1``-th frame: a read
that failed on one frame (the decoder's time budget ran out) gets another chance, later rather than never.
"""
from __future__ import annotations

import cv2
import numpy as np

DEFAULT_CELLS = (64, 48)  # thumbnail width x height


class StillGate:
    """Decides, frame by frame, whether a frame is worth decoding (see the module's docstring)."""

    def __init__(self, tolerance_grey: float = 6.0, max_skips: int = 5,
                 cells: tuple[int, int] = DEFAULT_CELLS) -> None:
        if tolerance_grey <= 0 or max_skips < 0:
            raise ValueError("tolerance_grey must be > 0 and max_skips >= 0")
        self.tolerance_grey = tolerance_grey
        self.max_skips = max_skips
        self.cells = cells
        self._reference: np.ndarray | None = None
        self._skips = 0

    def forget(self) -> None:
        """The next frame is decoded whatever it shows (a new screen asks for a code; another camera)."""
        self._reference = None
        self._skips = 0

    def thumbnail(self, image: np.ndarray) -> np.ndarray:
        small = cv2.resize(image, self.cells, interpolation=cv2.INTER_AREA)  # shrink first: the cheap order
        if small.ndim == 3:
            small = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        return small.astype(np.float32)

    def difference(self, image: np.ndarray) -> float:
        """Largest cell difference from the reference, in grey levels, less the median (inf: no reference)."""
        if self._reference is None:
            return float("inf")
        diff = self.thumbnail(image) - self._reference
        return float(np.abs(diff - np.median(diff)).max())

    def should_decode(self, image: np.ndarray) -> bool:
        """True if ``image`` is to be decoded (it then becomes the reference); False: it shows nothing new."""
        thumb = self.thumbnail(image)
        if self._reference is not None and self._skips < self.max_skips:
            diff = thumb - self._reference
            if float(np.abs(diff - np.median(diff)).max()) <= self.tolerance_grey:
                self._skips += 1
                return False
        self._reference = thumb
        self._skips = 0
        return True
