"""From a camera still to a page of a material: find the page, straighten, enhance, check, encode.

Runs off the GUI thread (the journey's executor). Problems the citizen can fix (blur, glare, page cut off
by the frame) come back with the page so the screen can say what is wrong and offer a retake.

A document scanner's still (``flat=True``) already is the flat page: no detection, no perspective
correction; the checks that still mean something on a scan (blank page, glare, upside down) and the
enhancement stay.

A camera still captured by hand while the live preview could not outline what lies there (``whole=True``,
kiosk.capture.auto's "unsure") is kept whole when no page is found in it with confidence either: never cropped
to a guess (a bag, the desk, a stack), checked like a scan.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ..platform.catalog_schema import CaptureKind
from .bed import LearnedBed
from .presence import bed_look

PAPER = {CaptureKind.A4: "a4", CaptureKind.A5: "a5", CaptureKind.ID_CARD: "id_card",
         CaptureKind.PHOTO: "auto", CaptureKind.ANY: "auto"}

# Problems that make a page unusable: the page is retaken, not kept.
BLOCKING = frozenset({"no_page", "blur", "cut_off", "too_small"})


@dataclass
class Page:
    """One captured page: the processed image as JPEG/PNG bytes."""

    data: bytearray
    mime: str
    width: int
    height: int
    problems: tuple[str, ...] = ()
    whole: bool = False    # the whole camera frame, uncropped: no page outline was found with confidence

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def wipe(self) -> None:
        self.data[:] = bytes(len(self.data))
        self.data.clear()



class CaptureProblem(Exception):
    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


# A scan whose grey levels spread less than this (0.5th to 99.5th percentile) holds no page content: an empty
# flatbed, a blank sheet, a scanner that returns black.
BLANK_SPREAD = 24.0
# On a scan the page fills the frame by construction: these checks would only say so.
FRAME_CHECKS = frozenset({"cut_off", "too_small"})


def process_still(image: np.ndarray, kind: CaptureKind, *, mode: str = "gray", flat: bool = False,
                  whole: bool = False, bed: LearnedBed | None = None) -> Page:
    """Detect, rectify, enhance and encode one page; raises CaptureProblem when it cannot be used.
    ``flat``: the still is a scanned page (the whole image is the page): skip detection and rectification.
    ``whole``: when no page is found with confidence, keep the whole frame uncropped (see the module doc).
    ``bed``: the learned empty bed (bed.py): a still that shows only it, or an outline of it, holds no page."""
    from devices.camera import docscan  # noqa: PLC0415 - loaded on the first capture, not at start-up

    kept_whole = False
    if flat:
        quad, problems = _as_flat(image)
    else:
        quad = docscan.detect_page(image)   # an outline only when confident (docscan.find_page)
        if bed is not None:
            look, size = bed_look(image), (image.shape[1], image.shape[0])
            if bed.only_bed(look, None, size) or (quad is not None and bed.only_bed(look, quad.as_array(), size)):
                raise CaptureProblem(("no_page",))   # 拍摄 tapped on the empty bed: not the table as a page
            inner = None if quad is None else bed.page_within(image, quad.as_array(), look)
            if inner is not None:
                quad = docscan.Quad.from_points(inner)   # the sheet on the table the outline was
        if quad is None and whole:
            quad, problems = _as_flat(image)
            flat = kept_whole = True
        else:
            problems = tuple(docscan.assess(image, quad).problems)
    if quad is None or BLOCKING.intersection(problems):
        raise CaptureProblem(problems or ("no_page",))
    flat_page = image if flat else docscan.rectify(image, quad, paper=PAPER[kind])
    page = _finish(flat_page, problems, kind, mode)
    page.whole = kept_whole
    return page


def _as_flat(image: np.ndarray) -> tuple[object, tuple[str, ...]]:
    """The whole image as the page, and the checks that mean something without an outline."""
    from devices.camera import docscan  # noqa: PLC0415

    h, w = image.shape[:2]
    quad = docscan.Quad.from_points([(-0.5, -0.5), (w - 0.5, -0.5), (w - 0.5, h - 0.5), (-0.5, h - 0.5)])
    problems = tuple(p for p in docscan.assess(image, quad).problems if p not in FRAME_CHECKS)
    if is_blank(image):
        problems = ("no_page", *problems)
    elif docscan.scan_is_blurred(image):   # no outline to measure across: measured on the text
        problems = (*problems, "blur")
    return quad, problems


def is_blank(image: np.ndarray) -> bool:
    """True when a scan shows nothing but one tone (measured on a copy about 500 px long)."""
    step = max(1, max(image.shape[:2]) // 500)
    small = image[::step, ::step]
    channels = small.reshape(-1, small.shape[2] if small.ndim == 3 else 1)   # red ink on white counts too
    lo, hi = np.percentile(channels, (0.5, 99.5), axis=0)
    return float((hi - lo).max()) < BLANK_SPREAD


def _finish(flat: np.ndarray, problems: tuple[str, ...], kind: CaptureKind, mode: str) -> Page:
    from devices.camera import docscan  # noqa: PLC0415

    if "upside_down" in problems:
        flat = np.ascontiguousarray(flat[::-1, ::-1])
    page_mode = "color" if kind in (CaptureKind.ID_CARD, CaptureKind.PHOTO) else mode
    enhanced = docscan.enhance(flat, page_mode)
    data = docscan.encode_page(enhanced, page_mode)
    h, w = enhanced.shape[:2]
    mime = "image/png" if data[:4] == b"\x89PNG" else "image/jpeg"
    return Page(bytearray(data), mime, w, h, tuple(p for p in problems if p != "upside_down"))
