"""Labels seen in perspective, read within the live camera's budget (``decode_frame``; issue 22 item 2).

Why: ``label_quad`` reads a photographed label lying on the desk that no rotated-rectangle cut reads (its far
edge shorter than its near one, its code blurred), but ``decode`` gives it up to 0.4 s: every quad of the
frame, each read plainly and then after four Wiener deconvolutions (5-12 ms each on a 640 px label) and the
EAN template reader. On the camera bench (120 frames, ``bench/bench_barcode_frame_cpu.py``) it was what
``decode`` had and ``decode_frame`` lacked for 10 of the 20 frames the live decoder missed (EAN-13 above all).
Probe of those frames: the biggest quad read plainly, or deblurred once at the estimated blur, reads most of
them; the second-biggest most of the rest.

How, each a step of its own in ``frame.py``'s budget:

1. ``live_labels``: ``label_quad.label_quads`` (~4-6 ms per 1080p frame), the biggest ``_LIVE_QUADS``, each
   rectified to ``_WORK_SIDE_PX`` (~1 ms) and kept only if it looks like a code's label (bars across it, or lying
   on a likely code's region): an empty desk's outlines are not read.
2. ``LiveLabel.read``: the rectified label read by zxing-cpp (~1-2 ms).
3. ``LiveLabel.read_deblurred``: the rectified label deconvolved at ``deblur.blur_sigma``'s estimate by the
   1-D Wiener filter of the Gaussian along its rows, smoothed down the columns (``row_wiener``: short kernels,
   ~0.3 ms, where ``deblur.wiener``'s 2-D FFT filter costs 2.5-12 ms) and read again. Only at 1x the
   estimate: ``label_quad`` found phantom EAN-13s at 1.5x.

Both reads are zxing-cpp without try_rotate (half the cost): the label is rectified with its longer side
across (``LiveLabel``), as a 1-D code lies along its label; a 2-D code reads at any quarter turn.

What a label read may return is ``label_quad``'s rule: check-protected symbologies, and one text only.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import zxingcpp

from . import preprocess as pp
from .deblur import blur_sigma
from .label_quad import _INNER, _MAX_UP, _mapped, _sides, label_quads
from .locate import Region
from .region_read import _strong, _zxing_region
from .symbol import Barcode

__all__ = ["LiveLabel", "live_labels", "row_wiener", "spare_label"]

_LIVE_QUADS = 2       # the biggest quads read: on the bench the first reads most frames, the second the rest
_NSR = 0.015          # Wiener noise-to-signal ratio (with the column smoothing; see ``row_wiener``)
_COLUMN_SMOOTH = 0.5  # ``row_wiener`` smooths down the columns by a Gaussian of this x the blur
_ROTATE = False        # zxing-cpp without try_rotate on a label (see "Both reads" above)
_WORK_SIDE_PX = 512  # the rectified label's longer side (label_quad: 640; 512 read 14 bench labels, 640 12)
_SPARE_SIDE_PX = 640  # the third quad's (``spare_label``): at 512 it read no bench frame, at 640 ean13-2/09
_BARS_ACROSS = 0.45  # (gx^2 - gy^2) / (gx^2 + gy^2): labels read 0.5-0.9, desks and pages of print <= 0.38
_BAND_SHARE = 0.1    # ``bars_in_a_band``: a band of this share of the inner label's rows
_KERNEL_SIGMAS = 4.0  # the deblurring kernel reaches this many sigmas either side


def live_labels(base: pp.Variant, likely: list[Region], spare: list[LiveLabel] | None = None,
                half: np.ndarray | None = None) -> list[LiveLabel]:
    """The biggest ``_LIVE_QUADS`` four-cornered outlines of the frame (``label_quad.label_quads``) that look
    like a code's label: bars standing across the rectified label (``LiveLabel.bars_across``), or the label
    and one of ``likely`` (the located regions likeliest to be a code) on each other, the region's centre
    inside the label (``holds``) or the label's centre inside the region (``lies_in``). An outline on an
    empty desk (papers, stripes, print) is mostly none of these, and is not read: on 12 bench desks none was,
    of the 18 camera bench labels that read 17 were (rssexpanded-1/#384's not: a DataBar strip of sparse bars
    on a square pad). Round 15: bars across a band of a tenth of the label's rows admit it too
    (``bars_in_a_band``; #384 0.95 there, 0.09 over the whole label); 4 of 40 bench desks and 5 outlines of
    the 46 false-positive images (as they are and at 1920x1080) get one plain read more (~0.5 ms, nothing read).

    ``lies_in`` (round 12): a 2-D code's own outline is a quad smaller than its located region when the region
    spills onto the print beside it, and then holds no region's centre: held-apart qrcode-2/#1086's QR label
    (region 0's centre 0.3 px outside it, its own centre 80 px inside region 0) read plainly, and was refused.
    Probe, both bench sets (240 frames, the biggest two quads): 31 labels more admitted, 14 reading their
    frame's code (QR, Data Matrix), none another text; 3 of 40 bench desks and 12 outlines of the 44
    false-positive images at 1920x1080 one label more each (a ~1 ms read of nothing)."""
    quads = label_quads(base.image, half)  # half: the frame at half size, if the caller has it
    if spare is not None:
        spare.extend(LiveLabel(base, quad, side=_SPARE_SIDE_PX) for quad in quads[_LIVE_QUADS:_LIVE_QUADS + 1])
    labels = [LiveLabel(base, quad) for quad in quads[:_LIVE_QUADS]]
    centres = [r.centre for r in likely]
    return [label for label in labels
            if label.bars_across() or label.bars_in_a_band() or label.holds(centres) or label.lies_in(likely)]


def spare_label(spare: list[LiveLabel], formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
    """The third-biggest quad (``live_labels``' ``spare``, rectified at ``_SPARE_SIDE_PX``), read deblurred
    only, and only with bars across it: a 1-D label that the first two labels' reads did not get (round 13:
    tuning ean13-2/09 reads so and no other way in the budget; its plain read at 640 px read nothing there)."""
    label = spare[0] if spare else None
    if label is None or not label.bars_across():
        return []
    return label.read_deblurred(formats)


@dataclass
class LiveLabel:
    """One quad of a frame, rectified on first use and read by the steps below."""

    base: pp.Variant
    quad: np.ndarray
    side: int = _WORK_SIDE_PX  # the rectified label's longer side
    _rect: np.ndarray | None = None
    _back: np.ndarray | None = None
    _bars: bool | None = None
    _band: bool | None = None
    _rows: tuple[np.ndarray, np.ndarray] | None = None

    def __post_init__(self) -> None:
        width, height = _sides(self.quad)
        if height > width:  # its longer side across: a 1-D code's bars then stand upright (rows cross them)
            self.quad = np.roll(self.quad, 1, axis=0)

    def work(self) -> float:
        """The rectified label's area in pixels (the budget's measure of a read's work)."""
        w, h = self._size()
        return float(w * h)

    def bars_across(self) -> bool:
        """The gradients of the rectified label's inner part run mostly along its rows (bars standing across
        it, ``_BARS_ACROSS``): what the row filter of ``read_deblurred`` can restore."""
        if self._bars is None:
            xx, yy = self._row_gradients()
            self._bars = bool(xx.sum() - yy.sum() >= _BARS_ACROSS * (xx.sum() + yy.sum()) > 0.0)
        return self._bars

    def bars_in_a_band(self) -> bool:
        """Bars across the rectified label's inner part (``bars_across``' test) in some band of ``_BAND_SHARE``
        of its rows: a code whose bars are short for its label (round 15: tuning rssexpanded-1/#384, a DataBar
        Expanded whose bars fill a tenth of its strip; over the whole label the bars' ends and the blank paper
        above and below them leave the ratio at 0.09, in its best band 0.95). Admits the label only (a plain
        read); the deblurred read still asks ``bars_across``."""
        if self._band is None:
            xx, yy = self._row_gradients()
            window = np.ones(max(2, int(round(_BAND_SHARE * len(xx)))))
            if len(xx) < len(window):
                self._band = False
            else:
                bx, by = np.convolve(xx, window, "valid"), np.convolve(yy, window, "valid")
                self._band = bool(np.any((bx - by >= _BARS_ACROSS * (bx + by)) & (bx + by > 0.0)))
        return self._band

    def _row_gradients(self) -> tuple[np.ndarray, np.ndarray]:
        """Per row of the inner part, the sums of the squared gradients across (x) and down (y) its rows."""
        if self._rows is None:
            inner = self._inner().astype(np.float32)
            gx = cv2.Sobel(inner, cv2.CV_32F, 1, 0)
            gy = cv2.Sobel(inner, cv2.CV_32F, 0, 1)
            self._rows = (gx * gx).sum(axis=1, dtype=np.float64), (gy * gy).sum(axis=1, dtype=np.float64)
        return self._rows

    def holds(self, points: list[tuple[float, float]]) -> bool:
        outline = self.quad.reshape(-1, 1, 2).astype(np.float32)
        return any(cv2.pointPolygonTest(outline, (float(x), float(y)), False) >= 0 for x, y in points)

    def lies_in(self, regions: list[Region]) -> bool:
        """The label's centre (its corners' mean) lies inside one of ``regions``' rotated rectangles."""
        x, y = self.quad.reshape(-1, 2).mean(axis=0)
        return any(cv2.pointPolygonTest(r.box().reshape(-1, 1, 2).astype(np.float32), (float(x), float(y)),
                                        False) >= 0 for r in regions)

    def read(self, formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
        """The rectified label read as it is."""
        return self._read(self._rectified(), formats)

    def read_deblurred(self, formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
        """The rectified label deconvolved at its estimated blur (``separable_wiener``) and read; [] if it is
        too flat to estimate."""
        sigma = blur_sigma(self._inner())
        return [] if sigma is None else self._read(row_wiener(self._rectified(), sigma), formats)

    def _inner(self) -> np.ndarray:
        """The rectified label without ``label_quad._INNER`` of it on each side (its outline is sharper than
        its code and no part of it)."""
        rect = self._rectified()
        h, w = rect.shape
        return rect[int(_INNER * h):int((1 - _INNER) * h), int(_INNER * w):int((1 - _INNER) * w)]

    def _size(self) -> tuple[int, int]:
        width, height = _sides(self.quad)
        factor = min(_MAX_UP, self.side / max(width, height))
        return max(int(round(width * factor)), 1), max(int(round(height * factor)), 1)

    def _rectified(self) -> np.ndarray:
        if self._rect is None:
            w, h = self._size()
            target = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
            to_label = cv2.getPerspectiveTransform(self.quad.astype(np.float32), target)
            enlarged = w > _sides(self.quad)[0]
            self._rect = cv2.warpPerspective(self.base.image, to_label, (w, h),
                                             flags=cv2.INTER_CUBIC if enlarged else cv2.INTER_AREA,
                                             borderMode=cv2.BORDER_REPLICATE)
            self._back = np.linalg.inv(to_label)
        return self._rect

    def _read(self, image: np.ndarray, formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
        found = _strong(_zxing_region(pp.identity(image, "label-quad"), formats, rotate=_ROTATE))
        found = found if len({b.text for b in found}) == 1 else []
        return [_mapped(b, self._back) for b in found]


def row_wiener(gray: np.ndarray, sigma: float, nsr: float = _NSR) -> np.ndarray:
    """``gray`` (uint8) deconvolved along its rows for a Gaussian blur of ``sigma`` px: the 1-D Wiener filter
    as a short kernel (``_kernel``), with a Gaussian of ``_COLUMN_SMOOTH`` x ``sigma`` down the columns, uint8.
    Deconvolved along the rows only: a label is rectified with its longer side across, so a 1-D code's bars
    stand upright and rows cross them; the blur along the bars costs them nothing. Smoothed down the columns:
    the 2-D Wiener filter (``deblur.wiener``) restores a bar's edge across the rows and damps the noise along
    them (its gain falls where the blur's does, in both directions); the row filter alone amplified the noise
    of every row apart, and zxing-cpp's scanlines then disagreed. Round 11 probe (the biggest two quads of
    all 240 frames of both bench sets, 463 labels, every one deblurred): rows only at noise ratio 0.01 (round
    9's filter) read 177, the 2-D filter 238; rows smoothed down the columns by sigma/2 read 239 at 0.015 and
    241 at 0.02, but 0.02 lost ean13-2/12 #4019 that round 9's filter read; smoothed by 0.75 or 1x sigma at 0.02
    239-242 with a phantom EAN-13 on ean13-2/03 #4515 (none at 0.015 by sigma/2, none on the 44 false-positive
    images, as they are and at 1920x1080, and 40 desks). ~0.3 ms where the 2-D FFT filter costs ~2.5-6 ms."""
    k = _kernel(round(sigma, 2), nsr)
    down = _gaussian(round(_COLUMN_SMOOTH * sigma, 2))
    out = cv2.sepFilter2D(gray.astype(np.float32), -1, k, down, borderType=cv2.BORDER_REFLECT)
    return np.clip(out, 0, 255).astype(np.uint8)


@lru_cache(maxsize=64)
def _gaussian(sigma: float) -> np.ndarray:
    """A Gaussian kernel of ``sigma`` px (+-3 sigma), summing to 1."""
    half = max(int(np.ceil(3.0 * sigma)), 1)
    x = np.arange(-half, half + 1, dtype=np.float64)
    kernel = np.exp(-x * x / (2.0 * sigma * sigma))
    return (kernel / kernel.sum()).astype(np.float32)


@lru_cache(maxsize=64)
def _kernel(sigma: float, nsr: float) -> np.ndarray:
    """The 1-D Wiener filter of a Gaussian of ``sigma`` px as a kernel of +-``_KERNEL_SIGMAS`` sigma, summing
    to 1 (grey levels keep their mean)."""
    n = 256
    freq = np.fft.fftfreq(n)
    otf = np.exp(-2.0 * np.pi ** 2 * sigma ** 2 * freq ** 2)
    taps = np.fft.fftshift(np.real(np.fft.ifft(otf / (otf * otf + nsr))))
    half = int(np.ceil(_KERNEL_SIGMAS * sigma))
    kernel = taps[n // 2 - half:n // 2 + half + 1]
    return (kernel / kernel.sum()).astype(np.float32)
