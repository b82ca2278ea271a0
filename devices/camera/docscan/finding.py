"""How sure page detection is (part of devices.camera.docscan): ``find_page(image) -> PageFinding``.

``detect_page`` answers with an outline or None. A caller that must decide between waiting for a better frame
and handing over to capture by hand (the citizen frames the page themself) also needs to know how sure that
answer is: ``find_page`` gives the outline only when it is believed to be the page, and a confidence in
[0, 1] either way. Below ``CONFIDENT`` no outline is given, so nothing can draw the bag, the desk or a stack's
union as if it were the page.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .detect import MIN_SCORE, detect_scored
from .geom import Quad

CONFIDENT = 0.5        # confidence from which an outline is given: exactly where detect_page gives one
_SURE_SCORE = 0.95     # page score of an outline with every side clearly seen (confidence 1.0)


@dataclass(frozen=True)
class PageFinding:
    """The page's outline when detection is confident, and how confident it is."""

    quad: Quad | None    # TL TR BR BL in image pixels; None when no page was found with confidence
    confidence: float    # 0 = nothing page-like; CONFIDENT and up = the outline is the page; 1 = every side seen

    @property
    def found(self) -> bool:
        return self.quad is not None


def confidence_of(score: float) -> float:
    """Map a page score (docscan.detect: 0 none, MIN_SCORE a page, ~1 every side clear) to [0, 1], with
    MIN_SCORE at CONFIDENT."""
    if score < MIN_SCORE:
        return float(np.clip(CONFIDENT * score / MIN_SCORE, 0.0, CONFIDENT - 1e-6))
    return float(CONFIDENT + (1 - CONFIDENT) * np.clip((score - MIN_SCORE) / (_SURE_SCORE - MIN_SCORE), 0.0, 1.0))


def find_page(image: np.ndarray) -> PageFinding:
    """Detect the page and say how sure that is (see the module doc)."""
    quad, score = detect_scored(image)
    conf = confidence_of(score) if quad is not None else min(confidence_of(score), CONFIDENT - 1e-6)
    return PageFinding(quad if conf >= CONFIDENT else None, conf)
