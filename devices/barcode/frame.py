"""``decode_frame``: the codes in one live camera frame within a time budget (issue 22). Pure computation, no
Qt; ``decode`` (stills) re-exports it, so ``from devices.barcode.decode import decode_frame`` keeps working.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import zxingcpp

from . import preprocess as pp
from .budget import StepBudget
from .deblur import strip_deblurred, thin_strip
from .ean_blur import blurred_ean
from .engines import _from_zxing, _zbar_extras, _zbar_types, _zxing, _ZxPass
from .formats import _MATRIX, _ZBAR_TYPE, SYMBOLOGIES, _check_formats, _zx_formats
from .label_quad_live import _LIVE_QUADS, LiveLabel, live_labels, spare_label
from .locate import Region, regions
from .merge import clean, inside, ordered
from .region_read import (
    _REGION_UP2_MAX_SIDE,
    _across_bars,
    _bars,
    _enlarged,
    _sharpened,
    _strong,
    _zxing_region,
)
from .symbol import Barcode

__all__ = ["decode_frame"]

# --- camera frames ----------------------------------------------------------------------------------------------
# decode_frame runs these steps in order (1920x1080 frame, one core; bench/bench_barcode_camera.py prints the
# current numbers) until the budget is spent. The order is where reads were found on the camera bench (120
# frames; the region that reads is region 0 in 69 frames, 1-5 in 18; of the frames no plain region read gets,
# region 0's harder reads get 10, regions 1-3's 3, the regions after the sixth none):
#   half     (first, on a frame of at most 960 px only: one cheap pass over everything)
#   region   the first ``_FRAME_PLAIN_REGIONS`` located regions, code-shaped ones first (``code_shaped``: not
#            a line of print), cut out at full resolution (``_read_region``), ~0.3-10 ms each by size, so
#            that two codes in view are both read, but once one is read only the other code-shaped regions
#            and only within a third of the budget (the scanner wants one code quickly; before, every
#            region of print was read too, which alone took a read frame's median from ~6 to ~9 ms of CPU).
#            A read ends the frame. A region of at least ``_PDF417_SHARP_PX`` has PDF417 read apart, from its
#            cut sharpened (``_LiveFormats``): unsharpened, zxing-cpp's PDF417 decoder spent 130-330 ms on
#            two blurred bench PDF417s, and the first region read always runs.
#   pdf417-up2 (round 12) the first region whose plain read found a PDF417 that zxing-cpp could not decode
#            (its return_errors result; ``_read_noting``) read sharpened at 2x for PDF417 alone (~5-12 ms):
#            camera bench pdf417-1/06 and /07 were read only by region 0's 2x read, the last harder read,
#            35-56 ms into the frame; a PDF417 error result came from no region of the bench's other codes.
#   labels   (``_label`` in ``_FRAME_RESCUES``, ``label_quad_live``): the label outlines of the frame found once
#            (~5 ms; only those with bars across them or holding region 0-3's centre), the biggest read as
#            it is (~2 ms) and deblurred along its rows (~1-3 ms), then the second likewise (round 11: after
#            region 0's harder reads before, where held-apart ean13-2/09 and 2/12 were read by it in 0 of 4 runs,
#            now 4 of 4; the tuning set the same within noise).
#            Photographed labels in perspective that no region cut reads (camera bench: 6-8 frames, EAN-13
#            above all); placed before the harder reads, which read 2-5 frames late in the budget.
#            Round 13: then the third-biggest quad (``spare_label``), rectified at 640 px and read deblurred
#            only, if it has bars across it (~1 ms where it reads nothing; ran on 6 of 240 bench frames):
#            tuning ean13-2/09 reads so and no other way in the budget.
#   strip    (round 17, ``_strip`` in ``_FRAME_RESCUES``, after the labels) the longest located band of bars
#            (``deblur.thin_strip``: 5x as long as wide or more, bars across it) Wiener-deconvolved at its
#            estimated blur, ~1-7 ms, on frames with such a band only: tuning code128-2/28 reads so alone.
#   harder reads (``_FRAME_RESCUES``): region 0 across the bars, sharpened, for PDF417 unsharpened (a big
#            region only, ``_pdf417_plain``); region 1 across the bars and sharpened; region 0 by zbar (1-D
#            types, ``_by_zbar_linear``; after region 1 since round 16); regions 2-3 across the bars and
#            sharpened; regions 0-3 by the EAN template reader; region 0 sharpened at 2x (unless
#            too big to enlarge); ~1-10 ms each: a blurred photo's code lies
#            in the most bar-like region but reads only so. Regions 1-3 are the next code-shaped ones: no
#            frame of the camera bench was read by a harder read of a line of print, which cost up to 10 ms
#   region   the remaining located regions (usually print)
#   half     all formats at <= 960 px, no rotation/inversion search: ~10 ms (a code the locator missed)
#   full-qr  QR only at full size, ~10 ms: a QR of 10 % frame height is too small after halving
#   inverted matrix formats on the inverted half image, ~2.5 ms: light-on-dark phone screens
#   full-qr-inverted  QR only on the inverted full-size image, ~1-6 ms: a light-on-dark QR too small after
#            halving (camera bench qrcode-2/#709: read so, not at half size)
#   turned   1-D formats on the half image turned 90°, ~8 ms: vertical barcodes (cheaper than try_rotate,
#            which rescans the unturned image too)
# The first step always runs; a later one only if its learned cost fits in what is left of the budget. Region
# reads are priced by their area (``StepBudget.run``'s ``work``): a region too dear for what is left is passed
# over and a smaller one after it still read.
_FRAME_MAX_SIDE = 960
_FRAME_PLAIN_REGIONS = 6


def _templates(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
               zbar_types: tuple[int, ...]) -> list[Barcode]:
    """The region cut across its bars read by the EAN template reader (``ean_blur``) in its live mode: only
    scanlines whose extents agree, stopping at the first two that read alike. It reads blurred EAN-13 whose
    narrow bars have no edges left for zxing-cpp or zbar; ~1 ms median per code-shaped region of the camera
    bench (cut included), 5-12 ms where it reads."""
    return blurred_ean(base, region, formats, zbar_types, live=True)


def _by_zbar_linear(base: pp.Variant, region: Region, _formats: zxingcpp.BarcodeFormats | None,
                    zbar_types: tuple[int, ...]) -> list[Barcode]:
    """``region_read._by_zbar`` for the live camera with zbar asked for the 1-D types only: that read returns
    1-D codes only, so zbar's QR finder ran for nothing. Camera bench, region 0 of both frame sets (240): 11.2 ms
    mean CPU where ``_by_zbar`` took 12.7, the same 40 codes read. (Rows only as well, zbar's x density 0, took
    6.7 ms but lost ean13-1/4 #4011, whose cut across the bars has its bars lying.)"""
    linear = tuple(t for t in zbar_types if t != _ZBAR_TYPE["QRCode"])
    if not linear:
        return []
    return _strong([r for r in _zbar_extras(_bars(base, region), linear, []) if r.symbology not in _MATRIX])


def _pdf417_plain(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
                  _zbar_types: tuple[int, ...]) -> list[Barcode]:
    """PDF417 alone on a big region's unsharpened cut (``formats``: PDF417 only; see ``_LiveFormats``): the
    read the plain read of a big region leaves out (``_read_region``). Among region 0's harder reads, after its
    sharpened read, where zxing-cpp's pathological PDF417 reads (130-330 ms) can only cost a frame that the
    cheaper reads before it did not read (~0.3-1 ms on a region of another code or of print)."""
    return _strong(_zxing_region(pp.cut_out(base, region.box(), region.angle, "region-pdf417"), formats,
                                 rotate=True))


def _label(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
           zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Stands for a label quad's reads in ``_FRAME_RESCUES`` (its index is the quad's); never called."""
    raise AssertionError("label reads are run by decode_frame itself")


def _strip(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
           zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Stands for the longest band of bars' deblurred read in ``_FRAME_RESCUES``; never called."""
    raise AssertionError("the strip read is run by decode_frame itself")


# (region index, harder read), cheapest first where the reads pay alike: zbar (~4 ms) reads Code 128 and
# EAN-13 that no zxing-cpp variant does; 2x (~10 ms) reads only blurred PDF417 so far.
# The template reader comes after the reads that already paid on the bench, so that it takes budget from
# none of them (placed first on region 0's cut across the bars, it cost ean13-1/4 and 1/25 their zbar and
# sharpened reads in some runs). ``(i, _label)``: label quad i's reads (``_read_label``), both quads' before
# region 0's harder reads (they read 2-5 bench frames, 18-28 ms into the budget; the labels 6-10, ~2-3 ms each).
# Round 16: region 0's zbar read (~6-7 ms, the dearest of its harder reads; it read no frame of either bench set
# in round 16's traces, the labels now read the EAN-13 it used to) after region 1's two reads (~1.5 + ~5 ms):
# tuning code128-2/#444, read by region 1 sharpened, is read ~32 ms into the frame instead of ~38.
# Round 17: right after the labels the longest located band of bars (``_strip``), deblurred (~1-7 ms, on frames
# with such a band only): tuning code128-2/28, which only ``decode``'s 2-D deblur of that strip read; of the frames
# read after it, only qrcode-1/13 has such a band (~3 ms).
_FRAME_RESCUES = ((0, _label), (1, _label), (2, _label), (0, _strip),
                  (0, _across_bars), (0, _sharpened), (0, _pdf417_plain),
                  (1, _across_bars), (1, _sharpened), (0, _by_zbar_linear),
                  *((i, a) for i in (2, 3) for a in (_across_bars, _sharpened)),
                  *((i, _templates) for i in (0, 1, 2, 3)), (0, _enlarged))
_SECOND_CODE_SHARE = 3  # after a read, the other code-shaped regions get budget / this
_CODE_MAX_ASPECT = 3.5   # a region longer than this for its width is read after the others (``code_shaped``)
_LINEAR = frozenset(SYMBOLOGIES) - _MATRIX


_PDF417_SHARP_PX = 80_000  # a region of at least this area (px) has PDF417 read sharpened (``_LiveFormats``)


@dataclass(frozen=True)
class _LiveFormats:
    """The wanted formats as zxing-cpp sets, split for the live reads of a big region (issue 22 item 2).

    zxing-cpp's PDF417 decoder (3.1.1, no time limit) can spend 130-330 ms on the blurred full-resolution cut
    of a big PDF417 that it reads in 1-30 ms sharpened or not at all: camera bench pdf417-3/02 and /04, regions
    of 93-122 kpx, 2 of the 40 PDF417 frames of the tuning set and 1 of the held-apart set; no budget can stop
    it, as the first region read always runs. No read of a smaller region took over 40 ms (720 plain reads a
    set): the decoder's retries over ambiguous codewords grow with the symbol. So a region of at least
    ``_PDF417_SHARP_PX`` is read for every format but PDF417 first and then, if nothing was found, for PDF417
    on the cut sharpened as ``_sharpened`` does (no such read took over 30 ms on the bench); its cut across the
    bars (``_across_bars``) leaves PDF417 out (as pathological there; it read no PDF417 frame that no other read
    did); and the unsharpened PDF417 read of region 0 comes among the harder reads (``_pdf417_plain``: it still
    reads pdf417-1/03-cut-bot and /03-flipped, which the sharpened one does not). A smaller region is read once
    for every format, as before (sharpening and a second call cost ~1 ms a region). ``others``/``pdf417``
    None: none of them wanted."""

    all: zxingcpp.BarcodeFormats | None  # None: every format (zxing-cpp's sense)
    others: zxingcpp.BarcodeFormats | None
    pdf417: zxingcpp.BarcodeFormats | None

    @classmethod
    def of(cls, wanted: frozenset[str] | None) -> _LiveFormats:
        names = frozenset(SYMBOLOGIES) if wanted is None else wanted
        others = names - {"PDF417"}
        return cls(_zx_formats(wanted), _zx_formats(others) if others else None,
                   _zx_formats(frozenset({"PDF417"})) if "PDF417" in names else None)

    def split(self, region: Region) -> bool:
        """Whether PDF417 is read apart from the other formats in ``region`` (wanted, and a big region)."""
        return self.pdf417 is not None and _pixels(region) >= _PDF417_SHARP_PX

    def of_attempt(self, attempt: Callable[..., list[Barcode]],
                   region: Region) -> zxingcpp.BarcodeFormats | None | bool:
        """What a harder read of ``region`` is asked for; False: it is not run (nothing it may read is wanted,
        or the region is not read apart)."""
        if attempt is _pdf417_plain:
            return self.pdf417 if self.split(region) else False
        if attempt is _across_bars and self.split(region):
            return False if self.others is None else self.others
        return self.all


def _read_region(base: pp.Variant, region: Region, formats: _LiveFormats,
                 detected: list[Region] | None = None) -> list[Barcode]:
    """The live plain read of a region: the cut upright at its blob's angle read with try_rotate; a big region
    (``_LiveFormats.split``) for every format but PDF417, then, if that found nothing, for PDF417 sharpened
    (sigma 1.5 px, as ``_sharpened``). Camera bench, PDF417 frames of both sets: this read PDF417 in regions of
    80 kpx and more in 8 + 13 frames where reading every format unsharpened did in 7 + 13 (adds pdf417-3/04 of
    the tuning set and pdf417-3/01, /02 of the held-apart set; loses pdf417-1/03-cut-bot, /03-flipped and
    /03-aliased, which ``_pdf417_plain`` reads), never taking over 30 ms.

    ``detected``: the region is added to it when zxing-cpp found a PDF417 there that it could not decode
    (``_read_noting``; ``decode_frame`` then reads it at 2x first, ``_pdf417_up2``)."""
    cut = pp.cut_out(base, region.box(), region.angle)
    seen: set[str] = set()
    if not formats.split(region):
        found = _read_noting(cut, formats.all, seen)
    else:
        found = [] if formats.others is None else _strong(_zxing_region(cut, formats.others, rotate=True))
        if not found:
            found = _read_noting(pp.sharpened(cut, "region-pdf417-sharp", sigma=1.5, amount=1.5), formats.pdf417,
                                 seen)
    if detected is not None and not found and "PDF417" in seen:
        detected.append(region)
    return found


def _read_noting(cut: pp.Variant, formats: zxingcpp.BarcodeFormats | None, seen: set[str]) -> list[Barcode]:
    """``_zxing_region``'s read (try_rotate) of a region's cut, also asking zxing-cpp for the symbols it found
    and could not decode (its return_errors): their formats are added to ``seen``, what it decoded returned."""
    zx_pass = _ZxPass(formats, thorough=True, downscale=False, invert=False, errors=True)
    found = zx_pass.read(cut)
    seen.update(str(b.format).replace(" ", "") for b in found if not b.valid)
    return _strong([_from_zxing(b, cut, zx_pass) for b in found if b.valid])


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
    live = _LiveFormats.of(wanted)
    zx_formats = live.all
    half = pp.fit_within(base, _FRAME_MAX_SIDE, "half")
    if half is base:  # a small frame: one whole pass is cheap and reads every code at full resolution
        whole = run("half", lambda: _zxing(base, _ZxPass(zx_formats, thorough=False)))
        if whole:
            return ordered(clean(whole))
    located = regions(base.image)  # most bar-like first: the harder reads go to the first ones
    plain = code_shaped_first(located)  # the plain reads go to the likeliest codes first
    detected: list[Region] = []  # regions holding a PDF417 that the plain read could not decode
    found = _frame_regions(run, base, plain[:_FRAME_PLAIN_REGIONS], live, budget_ms, detected)
    if found is None or found:
        return ordered(clean(found or []))
    for region in detected[:1]:
        if live.pdf417 is not None and not _too_big_to_enlarge(region):
            more = run("region-pdf417-up2", lambda r=region: _enlarged(base, r, live.pdf417, ()), work=_pixels(region))
            if more:
                return ordered(clean(more))
    zbar_types = _zbar_types(wanted)
    # The harder reads go to the most bar-like region and the code-shaped ones after it, not to lines of print.
    hard = located[:1] + [r for r in located[1:] if code_shaped(r)]
    labels: list[LiveLabel] | None = None
    spare: list[LiveLabel] = []  # the third quad (``spare_label``)
    for index, attempt in _FRAME_RESCUES:
        if attempt is _label:
            if labels is None:  # the label outlines around the likeliest codes, found once per frame
                labels = run("label-quads", lambda: live_labels(base, hard[:4], spare, half.image)) or []
            if index >= _LIVE_QUADS:
                more = run("label-spare", lambda: spare_label(spare, zx_formats),
                           work=spare[0].work()) if spare else []
            else:
                more = _read_label(run, labels[index], zx_formats) if index < len(labels) else []
            if more:
                return ordered(clean(more))
        elif attempt is _strip:  # round 17: the longest band of bars, deblurred (``deblur.thin_strip``)
            strip = thin_strip(base.image, located)
            more = run("strip-deblurred", lambda r=strip: strip_deblurred(base, r, zx_formats),
                       work=_pixels(strip)) if strip is not None else []
            if more:
                return ordered(clean(more))
        elif index < len(hard):
            region = hard[index]
            if attempt is _enlarged and _too_big_to_enlarge(region):
                continue  # it would return at once: such a sample taught the budget that a 2x read is cheap
            asked = live.of_attempt(attempt, region)
            if asked is False:
                continue
            more = run(f"region{attempt.__name__}", lambda a=attempt, r=region, f=asked: a(base, r, f, zbar_types),
                       work=_pixels(region))
            if more:
                return ordered(clean(more))
    found = _frame_regions(run, base, plain[_FRAME_PLAIN_REGIONS:], live, budget_ms)
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
                   formats: _LiveFormats, budget_ms: float, detected: list[Region] | None = None
                   ) -> list[Barcode] | None:
    """Plain reads of ``located`` within the budget: what they found, or None if nothing was found and a region
    did not fit in what was left of the budget. A region too dear for what is left is passed over, not the
    end: a smaller one after it may still fit (regions are priced by their area). ``detected``: as
    ``_read_region``'s."""
    found: list[Barcode] = []
    passed_over = False
    for region in located:
        if found and not code_shaped(region):
            continue  # the second code in view is looked for only where one is likely
        if not any(inside(region, b) for b in found):
            # Once a code is read, a second one in view is looked for only within a third of the budget.
            more = run("region", lambda r=region: _read_region(base, r, formats, detected=detected),
                       budget_ms / _SECOND_CODE_SHARE if found else None, work=_pixels(region))
            passed_over = passed_over or more is None
            found += more or []
    return None if passed_over and not found else found


def _read_label(run: Callable[..., list[Barcode] | None], label: LiveLabel,
                zx_formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
    """A label quad read as it is, then deblurred (``label_quad_live``), each if it fits in the budget."""
    found = run("label", lambda: label.read(zx_formats), work=label.work())
    if found is None or found or not label.bars_across():
        return found or []  # the row filter restores bars standing across the label, nothing else
    return run("label-deblurred", lambda: label.read_deblurred(zx_formats), work=label.work()) or []


def code_shaped(region: Region) -> bool:
    """Not a line of print: a blob at most ``_CODE_MAX_ASPECT`` times as long as it is wide. On the camera bench
    (120 frames, 916 located regions) 106 of the 124 regions that read are, and 164 of the 792 that do not
    (text lines, stripes): most print is elongated, most codes are not (the rest: PDF417, DataBar Expanded,
    long Code 128 and flat EAN-13 labels, which are read after the squarer regions, not skipped)."""
    w, h = region.size
    return max(w, h) <= _CODE_MAX_ASPECT * max(min(w, h), 1.0)


def code_shaped_first(located: list[Region]) -> list[Region]:
    """``located`` with the code-shaped regions first, each part in the locator's order."""
    return [r for r in located if code_shaped(r)] + [r for r in located if not code_shaped(r)]


def _too_big_to_enlarge(region: Region) -> bool:
    """``_enlarged`` reads nothing from a cut longer than ``_REGION_UP2_MAX_SIDE``; the cut is the region plus
    ``cut_out``'s margin (12 % a side) and padding (12 px a side). Without this the budget learned the 2x read's
    price from its instant refusals of big regions (camera bench: priced 1.5 ms, took 13.5 ms)."""
    return max(region.size) * 1.24 + 24.0 > _REGION_UP2_MAX_SIDE


def _pixels(region: Region) -> float:
    """A region read's work for the budget: its area in pixels (a read's cost grows with it)."""
    return float(region.size[0] * region.size[1])


_FrameStep = tuple[str, Callable[[], pp.Variant], frozenset[str] | None]  # name, variant, formats (None: all)


def _frame_steps(base: pp.Variant, half: pp.Variant) -> list[_FrameStep]:
    steps: list[_FrameStep] = [("half", lambda: half, None)]
    if half is not base:
        steps.append(("full-qr", lambda: base, frozenset({"QRCode"})))
    steps.append(("inverted", lambda: pp.inverted(half), _MATRIX))
    if half is not base:  # a light-on-dark QR (a phone's dark mode) of 10 % frame height, as full-qr
        steps.append(("full-qr-inverted", lambda: pp.inverted(base), frozenset({"QRCode"})))
    steps.append(("turned", lambda: pp.rotated_90(half), _LINEAR))
    return steps
