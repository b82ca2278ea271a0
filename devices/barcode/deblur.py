"""Deconvolution of a blurred code region (issue 22, round 3): the harder read for photographed codes whose own
blur adds to the camera's.

Why: unsharp masking (``decode._sharpened``) lifts the edges of bars but cannot give back the contrast of the
narrow ones that blur has greyed out. A Wiener filter for the estimated Gaussian blur does: it divides the
spectrum by the blur's transfer function, regularised so that noise is not amplified without bound.

How, on the region's cut only (a few hundred px a side; ~5 ms per filter on a 400x520 cut, 3 ms for the estimate):

1. **Estimate the blur** from the edge spread: a step of contrast C blurred by a Gaussian of sigma s has a
   steepest gradient C / (sqrt(2 pi) s). C is the spread of the cut's grey levels (2nd to 98th percentile),
   the steepest gradient a high percentile of the gradient magnitude (the bars' edges, not one noisy
   pixel). The 3x3 Sobel's own spread adds to the blur's (the estimate is about sqrt(s^2 + 0.55): 1.25 for
   s = 1, 2.13 for s = 2).
2. **Wiener-deconvolve** the cut with a Gaussian of that sigma (``_NSR``: noise-to-signal ratio), on a
   reflected border so that the cut's edges do not ring into the code.
3. **Read** with zxing-cpp (the caller's region reader); if nothing reads, again with 1.3x, 1.7x and 2.1x
   the estimate (``_SIGMA_STEPS``). Upward, because the edge spread understates a photographed code's blur:
   its narrow bars and dots never reach full contrast, so its steepest edges are those of the few wide
   features, blurred less than the code as a whole. On the two bench frames read so, the estimate was 1.25
   px where only 2.1-2.2 read (qrcode-2/#258, dots), and 1.9 where 1.6-3.0 read (ean13-1/37).

zbar is not run on deconvolved images: on ean13-1/37 it read the phantom EAN-13 1040183002834 from one of
them (zxing-cpp read the printed 5000213002834 from the same image), as it does from adaptive-threshold
variants. Only check-protected results come back (the caller's reader applies ``_strong``).

Probe (120 bench frames of ``bench/bench_barcode_camera.py``, the 14 that ``decode`` missed): at the label's
true place Wiener or Richardson-Lucy deconvolution (sigma 1-3 px, at 1x and 2x) read 7 of them (QR #258,
EAN-13 ean13-1/37, ean13-2/03, 09, 12, Code 128 code128-2/06, DataBar Expanded #384; cut otherwise,
code128-2/28 too); at the located regions only 2 (#258 and ean13-1/37): every region of the other six
frames, cut at its blob's angle and across its bars, read nothing with any of those filters (their labels
are not where the locator looks). See docs/devices-barcode.md section 5.

Which cuts (round 6b): the limit is on a cut's area (1200 x 1200 px, the cost of the filter), not on its
longer side. A 2-D code that fills a big cut has modules big enough not to need this; the length of a 1-D
code says nothing of its module. code128-2/28 on the bench (a photographed Code 128, ~3 px modules) is
located as a strip 1236 x 127 px that the old 1200 px side limit turned away; deconvolved at its estimated
sigma (1.6 px) it reads.
"""
from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import zxingcpp

from . import preprocess as pp
from .locate import _THIN_MAX_TURN, _THIN_MIN_RATIO, Region, bar_angle
from .region_read import _strong, _zxing_region
from .symbol import Barcode

__all__ = ["blur_sigma", "wiener", "deconvolved_read", "thin_strip", "strip_deblurred", "RegionReader", "HarderRead"]

RegionReader = Callable[[pp.Variant, "zxingcpp.BarcodeFormats | None"], list[Barcode]]
HarderRead = Callable[[pp.Variant, Region, "zxingcpp.BarcodeFormats | None", tuple[int, ...]], list[Barcode]]

_SIGMA_MIN, _SIGMA_MAX = 0.8, 3.0  # px: below, unsharp masking does as well; above, too little is left
_SIGMA_STEPS = (1.0, 1.3, 1.7, 2.1)  # multiples of the estimate tried in turn (see the module doc)
_NSR = 0.02                        # Wiener noise-to-signal ratio (grey levels are 0-255, noise sigma 2-6)
_EDGE_PERCENTILE = 99.0            # the steepest edges of the cut: its bars' (a code fills most of a cut)
_MIN_CONTRAST = 24.0               # grey levels; a flatter cut holds no code worth deconvolving
_MAX_AREA = 1200 * 1200            # px; a bigger cut has modules big enough not to need this (module doc, "Which cuts")


def blur_sigma(gray: np.ndarray) -> float | None:
    """The Gaussian blur (sigma, px) of a gray uint8 cut from the spread of its edges, clipped to 0.8-3 px;
    None if the cut is too flat to tell."""
    if min(gray.shape) < 8:
        return None
    cumulative = np.cumsum(np.bincount(gray.ravel(), minlength=256)) / gray.size  # grey-level percentiles
    low, high = np.searchsorted(cumulative, 0.02), np.searchsorted(cumulative, 0.98)
    contrast = float(high - low)
    if contrast < _MIN_CONTRAST:
        return None
    image = gray.astype(np.float32)
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3) / 8.0  # /8: the Sobel kernel's gain, grey levels per px
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    magnitude = cv2.magnitude(gx, gy).ravel()
    k = min(magnitude.size - 1, int(magnitude.size * _EDGE_PERCENTILE / 100.0))
    steepest = float(np.partition(magnitude, k)[k])
    if steepest <= 0.0:
        return None
    sigma = contrast / (np.sqrt(2.0 * np.pi) * steepest)
    return float(np.clip(sigma, _SIGMA_MIN, _SIGMA_MAX))


def wiener(gray: np.ndarray, sigma: float, nsr: float = _NSR) -> np.ndarray:
    """``gray`` (uint8) Wiener-deconvolved for a Gaussian blur of ``sigma`` px, same shape, uint8."""
    h, w = gray.shape
    pad = int(np.ceil(3.0 * sigma)) + 2
    ph, pw = cv2.getOptimalDFTSize(h + 2 * pad), cv2.getOptimalDFTSize(w + 2 * pad)
    image = gray.astype(np.float32)
    mean = float(image.mean())
    padded = cv2.copyMakeBorder(image - mean, pad, ph - h - pad, pad, pw - w - pad, cv2.BORDER_REFLECT)
    # A Gaussian's transfer function: real, and separable (the outer product of two 1-D ones).
    a = -2.0 * np.pi ** 2 * sigma ** 2
    otf = np.outer(np.exp(a * np.fft.fftfreq(ph) ** 2), np.exp(a * np.fft.fftfreq(pw) ** 2)).astype(np.float32)
    gain = (otf / (otf * otf + nsr)).astype(np.float32)
    spectrum = cv2.dft(padded, flags=cv2.DFT_COMPLEX_OUTPUT)
    spectrum *= gain[:, :, None]
    restored = cv2.idft(spectrum, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)[pad:pad + h, pad:pad + w]
    return np.clip(restored + mean, 0, 255).astype(np.uint8)


def deconvolved_read(read: RegionReader) -> HarderRead:
    """A harder read of a region (same signature as ``decode._sharpened``): its cut deconvolved for its
    estimated blur and read by ``read`` (zxing-cpp on a region cut, check-protected results only)."""

    def deconvolved(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
                    _zbar_types: tuple[int, ...]) -> list[Barcode]:
        cut = pp.cut_out(base, region.box(), region.angle)
        if cut.image.size > _MAX_AREA:  # by area, not by the longer side: a long 1-D strip (issue 22 round 6b)
            return []
        sigma = blur_sigma(cut.image)
        if sigma is None:
            return []
        for factor in _SIGMA_STEPS:
            s = min(sigma * factor, _SIGMA_MAX)
            found = read(pp.Variant(f"deblur{s:.1f}", wiener(cut.image, s), cut.to_input), formats)
            if found:
                return found
        return []

    return deconvolved


# --- a long thin strip of bars in the live decoder (issue 22 item 2, round 17) ---------------------------------
# ``decode`` reads tuning code128-2/28 only from its tenth region, a strip of 84 x 977 px whose bars lean ~20°
# in it, Wiener-deconvolved (``deconvolved_read``, 1x its estimate). ``decode_frame`` reads no region so, but it
# gives the longest band of bars among a frame's regions one such read, after its label reads: the strip is cut
# with its long side across the rows (the 2-D filter ~2.5 ms on a 1236 x 127 cut instead of ~5 ms the other way
# round) and read once, at its estimate and without try_rotate (~0.8 ms instead of ~2).

def thin_strip(gray: np.ndarray, located: list[Region]) -> Region | None:
    """The longest of ``located`` that is a band of parallel bars: at least ``locate._THIN_MIN_RATIO`` times
    as long as it is wide, its gradients running along it at full resolution (``bar_angle``, within
    ``_THIN_MAX_TURN``: the locator's strip test; lines of print have theirs across), its cut not over
    ``_MAX_AREA``; None if there is none."""
    bands = [r for r in located if max(r.size) >= _THIN_MIN_RATIO * max(min(r.size), 1.0)]
    for region in sorted(bands, key=lambda r: -max(r.size)):
        w, h = region.size
        along = region.angle if w >= h else region.angle + 90.0
        if (abs((bar_angle(gray, region) - along + 90.0) % 180.0 - 90.0) <= _THIN_MAX_TURN
                and _strip_cut_area(region) <= _MAX_AREA):
            return region
    return None


def strip_deblurred(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
    """``region`` (a ``thin_strip``) cut with its long side across the rows, Wiener-deconvolved at its
    estimated blur and read by zxing-cpp along the rows (check-protected results only); [] if it reads two
    texts (a strip holds one code: probe, tuning rssexpanded-1/10-corrected's strip, which a plain read gets
    first, read so gave its text and a wrong second one), as a live label's read."""
    w, h = region.size
    cut = pp.cut_out(base, region.box(), region.angle if w >= h else region.angle + 90.0, "strip")
    sigma = blur_sigma(cut.image)
    if sigma is None:
        return []
    restored = pp.Variant(f"strip-deblur{sigma:.1f}", wiener(cut.image, sigma), cut.to_input)
    found = _strong(_zxing_region(restored, formats, rotate=False))
    return found if len({b.text for b in found}) == 1 else []


def _strip_cut_area(region: Region) -> float:
    """The area of ``cut_out``'s cut of ``region`` (12 % margin and 12 px a side)."""
    w, h = region.size
    return (w * 1.24 + 24.0) * (h * 1.24 + 24.0)
