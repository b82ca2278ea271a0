"""From a camera still to a page of a material: find the page, straighten, enhance, check, encode.

Runs off the GUI thread (the journey's executor). Problems the citizen can fix (blur, glare, page cut off
by the frame) come back with the page so the screen can say what is wrong and offer a retake.
"""
from __future__ import annotations

import numpy as np

from .platform.catalog_schema import CaptureKind
from .session import Page

PAPER = {CaptureKind.A4: "a4", CaptureKind.A5: "a5", CaptureKind.ID_CARD: "id_card",
         CaptureKind.PHOTO: "auto", CaptureKind.ANY: "auto"}

# Problems that make a page unusable: the page is retaken, not kept.
BLOCKING = frozenset({"no_page", "blur", "cut_off", "too_small"})


class CaptureProblem(Exception):
    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def process_still(image: np.ndarray, kind: CaptureKind, *, mode: str = "gray") -> Page:
    """Detect, rectify, enhance and encode one page; raises CaptureProblem when it cannot be used."""
    from devices.camera import docscan  # noqa: PLC0415 - loaded on the first capture, not at start-up

    quad = docscan.detect_page(image)
    quality = docscan.assess(image, quad)
    problems = tuple(quality.problems)
    if quad is None or BLOCKING.intersection(problems):
        raise CaptureProblem(problems or ("no_page",))
    flat = docscan.rectify(image, quad, paper=PAPER[kind])
    if "upside_down" in problems:
        flat = np.ascontiguousarray(flat[::-1, ::-1])
    page_mode = "color" if kind in (CaptureKind.ID_CARD, CaptureKind.PHOTO) else mode
    enhanced = docscan.enhance(flat, page_mode)
    data = docscan.encode_page(enhanced, page_mode)
    h, w = enhanced.shape[:2]
    mime = "image/png" if data[:4] == b"\x89PNG" else "image/jpeg"
    return Page(bytearray(data), mime, w, h, tuple(p for p in problems if p != "upside_down"))
