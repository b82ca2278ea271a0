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

``HeldStill`` uses the same test the other way round: a scene the live reader missed and that is held still
(a frame matches the one before it) gets one full ``decode``, which the live frame budget does not allow.
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
        return thumbnail_difference(self.thumbnail(image), self._reference)

    def same_scene(self, thumb: np.ndarray, other: np.ndarray | None) -> bool:
        """Two thumbnails show the same scene, within the sensor's noise (False if ``other`` is None)."""
        return other is not None and thumbnail_difference(thumb, other) <= self.tolerance_grey

    def should_decode(self, image: np.ndarray) -> bool:
        """True if ``image`` is to be decoded (it then becomes the reference); False: it shows nothing new."""
        thumb = self.thumbnail(image)
        if self._reference is not None and self._skips < self.max_skips:
            if self.same_scene(thumb, self._reference):
                self._skips += 1
                return False
        self._reference = thumb
        self._skips = 0
        return True


def thumbnail_difference(thumb: np.ndarray, reference: np.ndarray) -> float:
    """Largest cell difference between two thumbnails, in grey levels, less the median difference."""
    diff = thumb - reference
    return float(np.abs(diff - np.median(diff)).max())


class HeldStill:
    """Whether a scene the live reader missed is being held still, once per scene (``CameraScanner``'s full read).

    ``held(image)`` is True when ``image`` shows what the previous frame it was given showed (``StillGate``'s
    test: the same thumbnail and tolerance) and the scene has not had its turn yet; the scene then has had it,
    until a frame differs from it by more than the tolerance. ``interrupted()`` (a frame that was read, or one
    not looked at) breaks the run of frames: the next frame has no previous one to match.
    """

    def __init__(self, gate: StillGate) -> None:
        self.gate = gate
        self._previous: np.ndarray | None = None  # the thumbnail of the frame given before
        self._had_turn: np.ndarray | None = None  # the scene that had its full read

    def forget(self) -> None:
        """Nothing seen yet (another camera, a new screen asking for a code): every scene gets a turn again."""
        self._previous = self._had_turn = None

    def interrupted(self) -> None:
        self._previous = None

    def held(self, image: np.ndarray) -> bool:
        thumb = self.gate.thumbnail(image)
        previous, self._previous = self._previous, thumb
        if self._had_turn is not None and not self.gate.same_scene(thumb, self._had_turn):
            self._had_turn = None  # the scene changed: the next still one gets its turn
        if self._had_turn is not None or not self.gate.same_scene(thumb, previous):
            return False
        self._had_turn = thumb
        return True
