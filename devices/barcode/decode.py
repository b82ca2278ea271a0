"""Decode barcodes and QR codes in numpy images with zxing-cpp, backed up by zbar (pyzbar).

Public API: ``Barcode``, ``decode`` (stills, thorough), ``decode_frame`` (camera frames, time-boxed),
``engines_available`` and ``SYMBOLOGIES``. Pure computation: no device I/O, no Qt.

Why this pipeline (numbers from ``bench/bench_barcode.py`` on the zxing-cpp sample corpus, 0/90/180/270°
for QR and 0/180° for 1-D; run it for the current table):

* zxing-cpp first: it reads at least as many images as zbar in 14 of 15 folders (more in 9), in ~0.5 ms
  per image, and never returned a wrong text for the labelled code.
* zbar second, always (stills only): it reads images zxing-cpp cannot (ean13-2 12/16 vs 6/16; ean13-4
  and qrcode-4 each have images only zbar reads). But it also misreads: EAN-13 "1040183002834" for
  5000213002834 (ean13-1/37 at 180°), phantom EAN-13s beside the real one (ean13-4/19 at 0°, ean13-4/02
  at 180°), Code 128 with FNC4 text losing its high bit ("ssss" for "óóóó", code128-1/6), and GBK/
  Shift_JIS QR text garbled by its charset guess. Hence: only check-protected symbologies are enabled
  in zbar; QR comes back as raw bytes (charset decided in ``preprocess_text``); a zbar result that
  overlaps a zxing-cpp result is dropped (zxing-cpp wins); and a zbar-only 1-D result must be read again
  from the 180°-rotated image — on the corpus that re-read confirmed all 22 correct zbar-only reads and
  rejected the one wrong one (ean13-4/19). ``clean`` also drops EAN phantoms from either engine.
* Rescue variants with zxing-cpp only, and only when nothing was found (see ``_RESCUE_STEPS``); results of
  weak-checksum symbologies (Code 39, Codabar, ITF) are not accepted from them.
* Regions first (``locate``, issue 22) on an image bigger than ``_STILL_MAX_SIDE``: every blob of code-like
  texture is cut out at full resolution, turned upright and read by zxing-cpp alone; only if no region reads do the rescue
  attempts per region run, then the whole-image passes below. On the camera bench (1080p frames of other
  people's codes) this took ``decode`` from 75 to 105 of 120 frames and its median time from 1.6x to about
  0.2x that of zxing-cpp alone: linear codes keep their 2.5-4 px bars (halving the frame left 1.3-2 px)
  and a code turned 15-20° is read upright (no row of the frame crosses all its bars).
* Big images are shrunk to ``_STILL_MAX_SIDE`` for the first pass: on a 1920x1080 frame zxing-cpp takes
  ~190-210 ms at full size and ~22 ms at half size for the same result; full size is tried only on a miss.

Modules: ``engines`` (zxing-cpp, zbar), ``region_read`` (one located region), ``frame`` (``decode_frame``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import zxingcpp

from . import preprocess as pp
from .deblur import deconvolved_read
from .ean_blur import blurred_ean
from .engines import _zbar_extras, _zbar_types, _zxing, _ZxPass, engines_available
from .formats import _STRONG, SYMBOLOGIES, _check_formats, _zx_formats
from .frame import decode_frame
from .label_quad import label_quad_read
from .locate import Region, regions
from .merge import clean, inside, ordered
from .region_read import _across_bars, _by_zbar, _enlarged, _read_region, _sharpened, _strong, _zxing_region
from .symbol import Barcode

__all__ = ["Barcode", "SYMBOLOGIES", "decode", "decode_frame", "engines_available"]

# --- rescue variants (stills, only when nothing was found) ----------------------------------------------------
# (name, make variant, binarizer, only if the longer side is at most N px), tried in order until one reads
# something. Each step reads images that the engine passes and the other steps miss; bench_barcode.py
# prints, per step run alone, what it reads among decode()'s misses without rescue (65 at the time of
# writing, corpus images x rotations plus generated cases): clahe 11 (e.g. ean13-2/17, ean13-4/14,
# qrcode-4/09), up2 11 (the only one for ean13-1/34), sharpen 5 (the only one for ean13-1/36 and a
# generated EAN-13 blurred with sigma 2), down2 8 (the only one for qrcode-2/13 at 0/180°), inverted 2
# (generated light-on-dark EAN-13 and Code 128: zxing-cpp's try_invert covers only matrix codes) and
# turned45 3 (Code 128 lying at 30° and 45°: try_rotate covers only 90° steps). None returned a wrong
# text or anything on falsepositives-*. zbar is not run on these variants: with an adaptive threshold it
# read a phantom EAN-13 "5784821348880" on ean13-2/23.
_GH, _LA = zxingcpp.Binarizer.GlobalHistogram, zxingcpp.Binarizer.LocalAverage
_ANY_SIZE = 1 << 30
_RESCUE_STEPS: tuple[tuple[str, Callable[[pp.Variant], pp.Variant], zxingcpp.Binarizer, int], ...] = (
    ("clahe", pp.clahe, _GH, _ANY_SIZE),
    ("up2", lambda v: pp.scaled(v, 2.0, "up2"), _GH, 1024),
    ("sharpen", pp.sharpened, _LA, _ANY_SIZE),
    ("down2", lambda v: pp.scaled(v, 0.5, "down2"), _GH, _ANY_SIZE),
    ("inverted", pp.inverted, _LA, _ANY_SIZE),
    ("turned45", lambda v: pp.turned(v, 45.0), _LA, 1600),
)


def _rescue(work: pp.Variant, formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
    for _name, make, binarizer, max_side in _RESCUE_STEPS:
        if max(work.shape) > max_side or min(work.shape) < 4:
            continue
        found = [r for r in _zxing(make(work), _ZxPass(formats, True, binarizer)) if r.symbology in _STRONG]
        if found:
            return found
    return []


# --- public entry points --------------------------------------------------------------------------------------

_STILL_MAX_SIDE = 1280


def decode(image: np.ndarray, *, formats: Iterable[str] | None = None, try_harder: bool = True) -> list[Barcode]:
    """All codes in a still image (BGR/BGRA or gray uint8), best effort; [] if none.

    ``formats``: names from ``SYMBOLOGIES`` (None = all). ``try_harder=False`` is zxing-cpp alone without
    rotation/inversion search — about the cost of one zxing-cpp call.
    """
    wanted = _check_formats(formats)
    zx_pass = _ZxPass(_zx_formats(wanted), thorough=try_harder)
    base = pp.identity(pp.to_gray(image))
    if min(base.shape) < 1:
        return []
    work = pp.fit_within(base, _STILL_MAX_SIDE)
    if try_harder and work is not base:  # a camera-sized image: its codes are small, find them first
        found = _read_regions(base, zx_pass.formats, _zbar_types(wanted))
        if found:
            return ordered(clean(found))
    found = _zxing(work, zx_pass)
    if not found and work is not base:
        found = _zxing(base, zx_pass)
    if try_harder:
        found += _zbar_extras(work, _zbar_types(wanted), found)
    if try_harder and not found:
        found = _rescue(work, zx_pass.formats)
    return ordered(clean(found))

def _rescue_region(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
                   zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Harder reads of a region (``_RESCUE_ATTEMPTS`` in order until one reads something)."""
    for attempt in _RESCUE_ATTEMPTS:
        found = attempt(base, region, formats, zbar_types)
        if found:
            return found
    return []


_RESCUE_ATTEMPTS = (_across_bars, _sharpened, _enlarged, _by_zbar, blurred_ean,  # ean_blur: blurred EAN-13/UPC-A
                    deconvolved_read(lambda cut, formats: _strong(_zxing_region(cut, formats, rotate=True))),
                    label_quad_read)  # label_quad: labels in perspective, rectified (whole frame, once)


def _read_regions(base: pp.Variant, formats: zxingcpp.BarcodeFormats | None,
                  zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Codes in every region, skipping a region that lies on a code already read; if no region gives
    anything, every region again with ``_rescue_region`` until one reads."""
    found: list[Barcode] = []
    located = regions(base.image)
    for region in located:
        if not any(inside(region, b) for b in found):
            found += _read_region(base, region, formats)
    for region in located if not found else ():
        found = _rescue_region(base, region, formats, zbar_types)
        if found:
            break
    return found
