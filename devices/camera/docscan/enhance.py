"""Perspective rectification, document enhancement and compact encoding of a captured page."""
from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image

from .edges import downscale
from .geom import MM_PER_INCH, PAPER_MM, Quad

# long/short side ratios of the papers rectify knows; A4 and A5 share the ISO 1:sqrt(2) ratio.
_ASPECTS = {"a4": PAPER_MM["a4"][1] / PAPER_MM["a4"][0], "id_card": PAPER_MM["id_card"][1] / PAPER_MM["id_card"][0]}
_AUTO_TOLERANCE = 0.07       # relative aspect difference within which "auto" snaps to a known paper
ENCODE_MAX_BYTES = 300_000   # default size budget of one encoded page
_COLOUR_MAX_DPI = 200        # colour and grey pages are stored at <= 200 dpi: text stays legible, files small


def choose_paper(quad: Quad, paper: str = "auto") -> str | None:
    """The paper a quad most likely shows ("a4", "id_card") or None to keep the measured aspect.

    By aspect alone A4 and A5 are the same (both 1:sqrt(2)); "auto" reports "a4", which only matters for
    the dpi cap. Pass "a5" explicitly when the kiosk knows the document is A5.
    """
    if paper != "auto":
        return None if paper == "none" else paper
    w, h = quad.size()
    ratio = max(w, h) / max(min(w, h), 1e-9)
    best = min(_ASPECTS, key=lambda k: abs(ratio / _ASPECTS[k] - 1))
    return best if abs(ratio / _ASPECTS[best] - 1) <= _AUTO_TOLERANCE else None


def rectify(image: np.ndarray, quad: Quad, *, paper: str = "auto", dpi: int = 300) -> np.ndarray:
    """Warp the page inside ``quad`` to a flat rectangle of its real aspect.

    The output has the resolution the source really holds along the page (never upscaled), capped at
    ``dpi`` for the paper's physical size. paper: "auto" (snap to A4/A5 or ID card when the measured
    aspect is close, else keep it), "a4", "a5", "id_card" or "none" (keep the measured aspect).
    """
    if paper not in ("auto", "a4", "a5", "id_card", "none"):
        raise ValueError(f"unknown paper {paper!r}")
    kind = choose_paper(quad, paper)
    top, right, bottom, left = quad.side_lengths()
    src_w, src_h = max(top, bottom), max(left, right)     # what the camera really resolved
    landscape = src_w >= src_h
    long_src, short_src = (src_w, src_h) if landscape else (src_h, src_w)
    if kind is None:
        aspect = ((top + bottom) / 2) / max((left + right) / 2, 1e-9)
        aspect = max(aspect, 1 / aspect)
        long_px = long_src
    else:
        short_mm, long_mm = PAPER_MM[kind]
        aspect = long_mm / short_mm
        # Neither dimension is upscaled: the page gets the smaller of the two measured resolutions.
        long_px = min(long_src, short_src * aspect, dpi * long_mm / MM_PER_INCH)
    long_px = max(8, int(round(long_px)))
    short_px = max(8, int(round(long_px / aspect)))
    out_w, out_h = (long_px, short_px) if landscape else (short_px, long_px)
    dst = np.float32([[-0.5, -0.5], [out_w - 0.5, -0.5], [out_w - 0.5, out_h - 0.5], [-0.5, out_h - 0.5]])
    m = cv2.getPerspectiveTransform(quad.as_array(), dst)
    return cv2.warpPerspective(image, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


# ------------------------------------------------------------------------------------------- enhancement
def _background(img: np.ndarray) -> np.ndarray:
    """Paper brightness (per channel) without the ink, following shadows and uneven light.

    Closing on a small copy removes text strokes and a median smooths what is left. Large dark areas that
    are printed (an ID photo, a filled box) survive the closing too, but unlike shadows they have sharp
    borders; they are painted over from the surrounding paper so division does not bleach them.
    """
    h, w = img.shape[:2]
    small = downscale(img, 160)
    small = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    small = cv2.medianBlur(small, 5)
    lum = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    paper = float(np.percentile(lum, 90))
    dark = (lum < 0.85 * paper).astype(np.uint8)
    grad = cv2.morphologyEx(lum, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    sharp = (grad > 0.25 * paper) & (dark > 0)
    if sharp.any():
        _, labels = cv2.connectedComponents(dark)
        printed = np.isin(labels, np.unique(labels[sharp])) & (labels > 0)
        mask = cv2.dilate(printed.astype(np.uint8), np.ones((3, 3), np.uint8))
        small = cv2.inpaint(small, mask, 5, cv2.INPAINT_TELEA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def flatten(img: np.ndarray) -> np.ndarray:
    """Divide by the paper's own brightness: shadows and colour casts vanish, paper becomes white."""
    bg = _background(img)
    return cv2.divide(img, np.maximum(bg, 1), scale=245)


def _levels(img: np.ndarray, black: int = 40, white: int = 225) -> np.ndarray:
    """Stretch so paper is pure white (cheap to compress) and ink solid, with a gentle gamma for strokes."""
    lut = np.clip((np.arange(256, dtype=np.float32) - black) / (white - black), 0, 1) ** 1.15 * 255
    return cv2.LUT(img, lut.astype(np.uint8))


def _sharpen(img: np.ndarray, amount: float = 0.6) -> np.ndarray:
    blur = cv2.GaussianBlur(img, (0, 0), 1.0)
    return cv2.addWeighted(img, 1 + amount, blur, -amount, 0)


def sauvola(gray: np.ndarray, window: int | None = None, k: float = 0.2, r: float = 128.0) -> np.ndarray:
    """Sauvola binarisation (ink 0, paper 255): a local threshold that follows the local contrast.

    On a flattened page (paper ~245) anything lighter than 185 is paper whatever its neighbourhood, so the
    grey halo between blurred strokes of dense Chinese characters does not merge them into blots.
    """
    if window is None:
        window = max(15, (max(gray.shape) // 60) | 1)
    g = gray.astype(np.float32)
    mean = cv2.boxFilter(g, -1, (window, window))
    sq = cv2.boxFilter(g * g, -1, (window, window))
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    thr = np.minimum(mean * (1 + k * (std / r - 1)), 185.0)
    return np.where(g > thr, 255, 0).astype(np.uint8)


def enhance(image: np.ndarray, mode: str = "gray") -> np.ndarray:
    """Scanner-like page: uneven light flattened, crisp text.

    "color": BGR with paper white and ink colours (red seals, blue pen) kept; "gray": one channel;
    "bw": clean black-and-white (Sauvola on the flattened page), uint8 0/255.
    """
    if mode not in ("color", "gray", "bw"):
        raise ValueError(f"unknown mode {mode!r}")
    if image.ndim == 3 and mode == "color":
        return _sharpen(_levels(flatten(image)))
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    flat = flatten(gray)
    if mode == "gray":
        return _sharpen(_levels(flat))
    return sauvola(flat)


# ------------------------------------------------------------------------------------------- encoding
def _jpeg(img: np.ndarray, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def _png_1bit(img: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(img).convert("1", dither=Image.Dither.NONE).save(out, format="PNG")
    return out.getvalue()


def _cap_resolution(img: np.ndarray, max_long: int) -> np.ndarray:
    h, w = img.shape[:2]
    if max(h, w) <= max_long:
        return img
    f = max_long / max(h, w)
    return cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)


def encode_page(image: np.ndarray, mode: str = "gray", *, max_bytes: int = ENCODE_MAX_BYTES,
                paper_long_mm: float = PAPER_MM["a4"][1]) -> bytes:
    """Compress an enhanced page: PNG (1 bit) for "bw" when smaller than JPEG, else JPEG.

    Colour and grey pages are first limited to 200 dpi for a page whose long side is ``paper_long_mm``
    (A4 by default): 2339 px keep 10.5 pt text at ~30 px per character, plenty to read. JPEG quality starts
    at 75 and steps down, then the page shrinks by 15 % steps, until it fits ``max_bytes``.
    """
    if mode not in ("color", "gray", "bw"):
        raise ValueError(f"unknown mode {mode!r}")
    if mode == "bw":
        png = _png_1bit(image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
        if len(png) <= max_bytes:
            return png
        image = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    max_long = int(math.ceil(_COLOUR_MAX_DPI * paper_long_mm / MM_PER_INCH))
    img = _cap_resolution(image, max_long)
    if mode != "color" and img.ndim == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    while True:
        for quality in (75, 65, 55, 45):
            data = _jpeg(img, quality)
            if len(data) <= max_bytes:
                return data
        if max(img.shape[:2]) < 64:  # nothing sensible fits: return the smallest attempt
            return data
        img = cv2.resize(img, None, fx=0.85, fy=0.85, interpolation=cv2.INTER_AREA)
