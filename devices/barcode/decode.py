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
"""
from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import zxingcpp

from . import preprocess as pp
from .budget import StepBudget
from .deblur import deconvolved_read
from .ean_blur import blurred_ean
from .formats import (_MATRIX, _NAME_BY_ZX, _STRONG, _ZBAR_DEFAULT, _ZBAR_NAME, _ZBAR_TYPE, SYMBOLOGIES,
                      _check_formats, _zx_formats)
from .locate import Region, bar_angle, regions
from .merge import clean, drop_ean_disputes, inside, min_area_quad, ordered, overlaps
from .preprocess_text import payload_text
from .symbol import Barcode

__all__ = ["Barcode", "SYMBOLOGIES", "decode", "decode_frame", "engines_available"]

# --- engines ---------------------------------------------------------------------------------------------------

def _load_zbar() -> tuple[Any | None, tuple[int, int, int] | None, str]:
    """(pyzbar.wrapper or None, (symbol, config, value) for raw QR bytes or None, problem message)."""
    try:
        from pyzbar import wrapper  # loads libzbar; raises ImportError if the library is missing
    except (ImportError, OSError) as exc:
        return None, None, (f"zbar disabled: {exc}. Install it with 'sudo apt-get install libzbar0' (Debian/"
                            "Ubuntu) and 'pip install pyzbar'; until then only zxing-cpp decodes, which "
                            "misses some hard EAN-13 and QR images.")
    sym, cfg, val = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    if wrapper.zbar_parse_config(b"qrcode.binary=1", ctypes.byref(sym), ctypes.byref(cfg), ctypes.byref(val)):
        return wrapper, None, ("zbar is older than 0.23 (no raw QR bytes): zbar is used for 1-D codes only, "
                               "because its QR text conversion garbles GBK. Upgrade libzbar0 to >= 0.23.")
    return wrapper, (sym.value, cfg.value, val.value), ""


_ZBAR, _ZBAR_QR_BINARY, _ZBAR_PROBLEM = _load_zbar()


def engines_available() -> dict[str, bool | str]:
    """Which engines work here: {"zxing": True, "zbar": bool, "zbar_qr": bool, "message": "" or advice}."""
    return {"zxing": True, "zbar": _ZBAR is not None, "zbar_qr": _ZBAR_QR_BINARY is not None,
            "message": _ZBAR_PROBLEM}


# --- zxing-cpp -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _ZxPass:
    """One zxing-cpp call: options plus the formats it may return."""

    formats: zxingcpp.BarcodeFormats | None
    # try_rotate + try_invert: zxing-cpp's "slow" settings. tryHarder, which the Python binding does not
    # expose, stays at its default (on) either way.
    thorough: bool = True
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
    # A region cut out at the code's size needs neither the downscaled pyramid nor (camera print being
    # dark on light) the inverted search: region passes set both False.
    downscale: bool = True
    invert: bool = True

    def read(self, variant: pp.Variant,
             text_mode: zxingcpp.TextMode = zxingcpp.TextMode.Plain) -> list[zxingcpp.Barcode]:
        extra = {} if self.formats is None else {"formats": self.formats}
        return zxingcpp.read_barcodes(variant.image, try_rotate=self.thorough,
                                      try_invert=self.thorough and self.invert, try_downscale=self.downscale,
                                      text_mode=text_mode, binarizer=self.binarizer, **extra)


def _zxing(variant: pp.Variant, zx_pass: _ZxPass) -> list[Barcode]:
    return [_from_zxing(found, variant, zx_pass) for found in zx_pass.read(variant)]


def _from_zxing(found: zxingcpp.Barcode, variant: pp.Variant, zx_pass: _ZxPass) -> Barcode:
    name = _NAME_BY_ZX.get(found.format) or _NAME_BY_ZX.get(found.symbology) or str(found.format).replace(" ", "")
    pos = found.position
    points = [(p.x, p.y) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)]
    text = _zxing_text(found, name, variant, zx_pass)
    return Barcode(text, bytes(found.bytes), name, pp.map_points(variant, points), "zxing")


def _zxing_text(found: zxingcpp.Barcode, name: str, variant: pp.Variant, zx_pass: _ZxPass) -> str:
    """zxing-cpp's text, unless it is a charset guess for undeclared 2-D bytes that ``payload_text`` beats."""
    if name not in _MATRIX:
        return found.text
    ours = payload_text(bytes(found.bytes), found.text)
    if ours == found.text or _declared_charset(found, variant, zx_pass):
        return found.text
    return ours


def _declared_charset(found: zxingcpp.Barcode, variant: pp.Variant, zx_pass: _ZxPass) -> bool:
    """True if the symbol carries a character-set ECI (not 899 = binary). Re-reads the variant because the
    Python API exposes ECI designators only as text (TextMode.HexECI); this runs only when our reading and
    zxing-cpp's differ, i.e. for non-UTF-8 2-D payloads."""
    for other in zx_pass.read(variant, zxingcpp.TextMode.HexECI):
        if bytes(other.bytes) == bytes(found.bytes):
            return bool(_eci_numbers(bytes.fromhex(other.text)[3:]) - {899})
    return False


def _eci_numbers(body: bytes) -> set[int]:
    """ECI designators (backslash + 6 digits) in ECI-protocol data; a literal backslash is doubled."""
    numbers, i = set(), 0
    while i < len(body):
        if body[i] == 0x5C and body[i + 1:i + 2] == b"\\":
            i += 2
        elif body[i] == 0x5C and body[i + 1:i + 7].isdigit() and len(body[i + 1:i + 7]) == 6:
            numbers.add(int(body[i + 1:i + 7]))
            i += 7
        else:
            i += 1
    return numbers


# --- zbar ------------------------------------------------------------------------------------------------------

_Y800 = 0x30303859  # fourcc 'Y800': 8-bit gray


def _zbar(variant: pp.Variant, types: tuple[int, ...]) -> list[Barcode]:
    """Scan with zbar through pyzbar's ctypes bindings (not ``pyzbar.decode``: it cannot ask for raw QR
    bytes, and it raises ValueError on structured-append QR symbols, whose orientation is -1)."""
    if _ZBAR is None or not types or min(variant.shape) < 1:
        return []
    scanner = _ZBAR.zbar_image_scanner_create()
    if not scanner:
        return []
    try:
        _zbar_configure(scanner, types)
        return _zbar_scan(scanner, variant)
    finally:
        _ZBAR.zbar_image_scanner_destroy(scanner)


def _zbar_configure(scanner: Any, types: tuple[int, ...]) -> None:
    enable = _ZBAR.ZBarConfig.CFG_ENABLE
    _ZBAR.zbar_image_scanner_set_config(scanner, 0, enable, 0)  # symbol 0 = all: start from nothing
    for symbol_type in types:
        _ZBAR.zbar_image_scanner_set_config(scanner, symbol_type, enable, 1)
    if _ZBAR_QR_BINARY is not None:
        _ZBAR.zbar_image_scanner_set_config(scanner, *_ZBAR_QR_BINARY)


def _zbar_scan(scanner: Any, variant: pp.Variant) -> list[Barcode]:
    z = _ZBAR
    image = z.zbar_image_create()
    if not image:
        return []
    try:
        height, width = variant.shape
        pixels = variant.image.tobytes()  # must stay referenced until the scan is done
        z.zbar_image_set_format(image, _Y800)
        z.zbar_image_set_size(image, width, height)
        z.zbar_image_set_data(image, ctypes.cast(pixels, ctypes.c_void_p), len(pixels), None)
        if z.zbar_scan_image(scanner, image) <= 0:
            return []
        results, symbol = [], z.zbar_image_first_symbol(image)
        while symbol:
            found = _from_zbar(symbol, variant)
            if found is not None:
                results.append(found)
            symbol = z.zbar_symbol_next(symbol)
        return results
    finally:
        z.zbar_image_destroy(image)


def _from_zbar(symbol: Any, variant: pp.Variant) -> Barcode | None:
    z = _ZBAR
    name = _ZBAR_NAME.get(symbol.contents.type)
    if name is None:
        return None
    raw = ctypes.string_at(z.zbar_symbol_get_data(symbol), z.zbar_symbol_get_data_length(symbol))
    points = [(float(z.zbar_symbol_get_loc_x(symbol, i)), float(z.zbar_symbol_get_loc_y(symbol, i)))
              for i in range(z.zbar_symbol_get_loc_size(symbol))]
    text = payload_text(raw) if name in _MATRIX else raw.decode("latin-1")
    return Barcode(text, raw, name, pp.map_points(variant, min_area_quad(points)), "zbar")


def _zbar_extras(work: pp.Variant, types: tuple[int, ...], zx_found: list[Barcode]) -> list[Barcode]:
    """zbar results that zxing-cpp did not find and that survive the 1-D re-read check."""
    fresh = [r for r in _zbar(work, types) if not any(overlaps(r, z) for z in zx_found)]
    if not any(r.symbology not in _MATRIX for r in fresh):
        return fresh
    again = _zbar(pp.rotated_180(work), types)
    return [r for r in fresh if r.symbology in _MATRIX
            or any(o.raw == r.raw and o.symbology == r.symbology and overlaps(o, r) for o in again)]


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


# --- regions (both entry points) -------------------------------------------------------------------------------
# Each region from ``locate.regions`` is cut out upright at full resolution and read with zxing-cpp's
# try_rotate (a region's blob angle is the code's up to a quarter turn) but without try_invert and
# try_downscale (the cut is already the code's size). ``thorough`` (decode) reads a region a second time
# turned across its bars (``bar_angle``) when the first reading finds nothing: a 1-D code whose blob is
# square-ish or merged with print beside it. Only check-protected symbologies are accepted from regions.


def _read_region(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
    """The region cut upright at its blob's angle, read with try_rotate (a blob's angle is the code's up to a
    quarter turn)."""
    cut = pp.cut_out(base, region.box(), region.angle)
    return _strong(_zxing_region(cut, formats, rotate=True))


def _rescue_region(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
                   zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Harder reads of a region (``_RESCUE_ATTEMPTS`` in order until one reads something)."""
    for attempt in _RESCUE_ATTEMPTS:
        found = attempt(base, region, formats, zbar_types)
        if found:
            return found
    return []


def _bars(base: pp.Variant, region: Region) -> pp.Variant:
    return pp.cut_out(base, region.box(), bar_angle(base.image, region), "region-bars")


def _across_bars(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
                _zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Cut across the bars: a 1-D code whose blob is square-ish or merged with print beside it."""
    return _strong(_zxing_region(_bars(base, region), formats, rotate=False))


def _sharpened(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
              _zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Sharpened (sigma 1.5 px): a blurred photo under a blurring lens."""
    cut = pp.cut_out(base, region.box(), region.angle)
    return _strong(_zxing_region(pp.sharpened(cut, "region-sharp", sigma=1.5, amount=1.5), formats, rotate=True))


def _enlarged(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
             _zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Sharpened at twice the size: bars of 2-2.5 px."""
    cut = pp.cut_out(base, region.box(), region.angle)
    if max(cut.shape) > _REGION_UP2_MAX_SIDE:
        return []
    up = pp.sharpened(pp.scaled(cut, 2.0, "region-up2"), "region-up2-sharp", sigma=3.0, amount=1.5)
    return _strong(_zxing_region(up, formats, rotate=True))


def _by_zbar(base: pp.Variant, region: Region, _formats: zxingcpp.BarcodeFormats | None,
            zbar_types: tuple[int, ...]) -> list[Barcode]:
    """zbar across the bars, 1-D only, confirmed upside down like every zbar-only 1-D read."""
    return _strong([r for r in _zbar_extras(_bars(base, region), zbar_types, []) if r.symbology not in _MATRIX])


def _strong(found: list[Barcode]) -> list[Barcode]:
    """What a region read may return: check-protected symbologies, and no EAN/UPC reading that another one
    of the same place contradicts (``merge.drop_ean_disputes``)."""
    return drop_ean_disputes([r for r in found if r.symbology in _STRONG])


_RESCUE_ATTEMPTS = (_across_bars, _sharpened, _enlarged, _by_zbar, blurred_ean,  # ean_blur: blurred EAN-13/UPC-A
                    deconvolved_read(lambda cut, formats: _strong(_zxing_region(cut, formats, rotate=True))))
_REGION_UP2_MAX_SIDE = 900  # px; a bigger region has modules big enough without enlarging


def _zxing_region(variant: pp.Variant, formats: zxingcpp.BarcodeFormats | None, rotate: bool) -> list[Barcode]:
    return _zxing(variant, _ZxPass(formats, thorough=rotate, downscale=False, invert=False))


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


def _zbar_types(wanted: frozenset[str] | None) -> tuple[int, ...]:
    names = _ZBAR_DEFAULT if wanted is None else tuple(n for n in _ZBAR_TYPE if n in wanted)
    if _ZBAR_QR_BINARY is None:
        names = tuple(n for n in names if n != "QRCode")
    return tuple(_ZBAR_TYPE[n] for n in names)


# --- camera frames ----------------------------------------------------------------------------------------------
# decode_frame runs these steps in order (1920x1080 frame, one core; bench/bench_barcode_camera.py prints the
# current numbers) until the budget is spent. The order is where reads were found on the camera bench (120
# frames; the region that reads is region 0 in 69 frames, 1-5 in 18; of the frames no plain region read gets,
# region 0's harder reads get 10, regions 1-3's 3, the regions after the sixth none):
#   half     (first, on a frame of at most 960 px only: one cheap pass over everything)
#   region   the first ``_FRAME_PLAIN_REGIONS`` located regions cut out at full resolution (``_read_region``),
#            ~1 ms each, so that two codes in view are both read, but once one is read the others only
#            within a third of the budget (the scanner wants one code quickly). A read ends the frame.
#   harder reads (``_FRAME_RESCUES``): region 0 across the bars, sharpened, by zbar; regions 1-3 across
#            the bars and sharpened; region 0 sharpened at 2x; ~1-10 ms each: a blurred photo's code lies
#            in the most bar-like region but reads only so
#   region   the remaining located regions (usually print)
#   half     all formats at <= 960 px, no rotation/inversion search: ~10 ms (a code the locator missed)
#   full-qr  QR only at full size, ~10 ms: a QR of 10 % frame height is too small after halving
#   inverted matrix formats on the inverted half image, ~2.5 ms: light-on-dark phone screens
#   turned   1-D formats on the half image turned 90°, ~8 ms: vertical barcodes (cheaper than try_rotate,
#            which rescans the unturned image too)
# The first step always runs; a later one only if its learned cost fits in what is left of the budget.
_FRAME_MAX_SIDE = 960
_FRAME_PLAIN_REGIONS = 6
# (region index, harder read), cheapest first where the reads pay alike: zbar (~4 ms) reads Code 128 and
# EAN-13 that no zxing-cpp variant does; 2x (~10 ms) reads only blurred PDF417 so far.
_FRAME_RESCUES = ((0, _across_bars), (0, _sharpened), (0, _by_zbar),
                  *((i, a) for i in (1, 2, 3) for a in (_across_bars, _sharpened)), (0, _enlarged))
_SECOND_CODE_SHARE = 3  # after a read, the other regions get budget / this
_LINEAR = frozenset(SYMBOLOGIES) - _MATRIX


def decode_frame(frame: np.ndarray, *, formats: Iterable[str] | None = None,
                 budget_ms: float = 30.0) -> list[Barcode]:
    """Codes in one camera frame within about ``budget_ms`` ([] if none found in time; zxing-cpp, and zbar as
    the first region's last try).

    The first step always runs; a later step starts only if its learned cost fits in the remaining budget.
    """
    start = time.perf_counter()
    wanted = _check_formats(formats)
    base = pp.identity(pp.to_gray(frame))
    if min(base.shape) < 1:
        return []
    run = StepBudget(budget_ms, base.shape, start).run
    zx_formats = _zx_formats(wanted)
    half = pp.fit_within(base, _FRAME_MAX_SIDE, "half")
    if half is base:  # a small frame: one whole pass is cheap and reads every code at full resolution
        whole = run("half", lambda: _zxing(base, _ZxPass(zx_formats, thorough=False)))
        if whole:
            return ordered(clean(whole))
    located = regions(base.image)
    found = _frame_regions(run, base, located[:_FRAME_PLAIN_REGIONS], zx_formats, budget_ms)
    if found is None or found:
        return ordered(clean(found or []))
    zbar_types = _zbar_types(wanted)
    for index, attempt in _FRAME_RESCUES:
        if index < len(located):
            more = run(f"region{attempt.__name__}",
                       lambda a=attempt, r=located[index]: a(base, r, zx_formats, zbar_types))
            if more:
                return ordered(clean(more))
    found = _frame_regions(run, base, located[_FRAME_PLAIN_REGIONS:], zx_formats, budget_ms)
    if found is None or found:
        return ordered(clean(found or []))
    for name, make, only in _frame_steps(base, half):
        if name == "half" and half is base:
            continue  # ran first
        names = wanted if only is None else (only if wanted is None else wanted & only)
        if names is not None and not names:
            continue
        more = run(name, lambda m=make, n=names: _zxing(m(), _ZxPass(_zx_formats(n), thorough=False)))
        if more is None:
            break
        if more:
            return ordered(clean(more))
    return []


def _frame_regions(run: Callable[..., list[Barcode] | None], base: pp.Variant, located: list[Region],
                   zx_formats: zxingcpp.BarcodeFormats | None, budget_ms: float) -> list[Barcode] | None:
    """Plain reads of ``located`` within the budget: what they found, or None if the budget ran out first."""
    found: list[Barcode] = []
    for region in located:
        if not any(inside(region, b) for b in found):
            # Once a code is read, a second one in view is looked for only within a third of the budget.
            more = run("region", lambda r=region: _read_region(base, r, zx_formats),
                       budget_ms / _SECOND_CODE_SHARE if found else None)
            if more is None:
                return found or None
            found += more
    return found


_FrameStep = tuple[str, Callable[[], pp.Variant], frozenset[str] | None]  # name, variant, formats (None: all)


def _frame_steps(base: pp.Variant, half: pp.Variant) -> list[_FrameStep]:
    steps: list[_FrameStep] = [("half", lambda: half, None)]
    if half is not base:
        steps.append(("full-qr", lambda: base, frozenset({"QRCode"})))
    steps.append(("inverted", lambda: pp.inverted(half), _MATRIX))
    steps.append(("turned", lambda: pp.rotated_90(half), _LINEAR))
    return steps
