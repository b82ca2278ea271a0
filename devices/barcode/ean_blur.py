"""A blur-tolerant EAN-13 / UPC-A reader: deformable templates over scanlines (issue 22).

After O. Gallo and R. Manduchi, "Reading 1D Barcodes with Mobile Phones Using Deformable Templates"
(IEEE TPAMI 2011). Edge-based readers (zxing-cpp, zbar) need each bar's two edges; a blurred photo under a
blurring lens greys the 1-module bars and spaces until no edge is left between them. This reader instead
compares the *intensity profile* of a scanline with what each digit would look like blurred:

1. Scanlines across the bars of a region cut (``decode._bars``: bars vertical), each the mean of a band of
   rows.
2. The code's extent: candidate first and last bars from a threshold (a quiet zone of >= 5 modules on each
   side), refined by fitting the three known guard patterns (with the light quiet zones and the known first
   and last module of their neighbour digits) over the start, the module width and the blur (Gaussian PSF,
   0.3-1.1 modules); the guard fits also give the ink and paper levels along the code and the noise.
3. Each digit's 7 modules against every digit template (10 L, 10 G, 10 R codes, blurred with the fitted
   PSF, the neighbouring modules that EAN fixes included), under a per-digit shift of up to 0.4 module;
   dynamic programming over the 6 digits of each half keeps the shifts of neighbours within 0.1 module of
   each other (a smooth deformation, not a free one).
4. The L/G parity pattern gives the first digit; accepted only if the check digit holds AND every digit
   beats its best rival by a log-likelihood margin (``_MIN_MARGIN``: a blurred random print, whose best
   sequence passes the check digit one time in ten, must not pass), and the same text comes from at least
   two scanlines.

numpy and cv2; 0.4 ms per region median, 2.5 ms p90 on the camera bench's regions, 0.4x the first version's
time with the same readings (``bench/bench_ean_blur.py``). A harder read of a region after the engines
failed: every region in ``decode``, the first code-shaped ones in ``decode_frame`` (``live=True``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from . import preprocess as pp
from .locate import Region, bar_angle
from .symbol import Barcode

__all__ = ["blurred_ean", "ean_check_ok", "ean_in_cut", "read_ean", "read_profile_rows"]

_L_CODES = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011",
            "0110111", "0001011")
_G_CODES = tuple(c.translate(str.maketrans("01", "10"))[::-1] for c in _L_CODES)
_R_CODES = tuple(c.translate(str.maketrans("01", "10")) for c in _L_CODES)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")
_FIRST_BY_PARITY = {p: d for d, p in enumerate(_PARITY)}

_SUB = 3                      # samples per module in a digit
_RENDER = 16                  # render resolution: points per module
_SIGMAS = (0.3, 0.45, 0.6, 0.75, 0.9, 1.1)   # PSF sigma in modules
_SHIFTS = np.linspace(-0.4, 0.4, 9)          # per-digit shift, modules
_MAX_STEP = 1                 # neighbouring digits' shifts differ by at most this many steps (0.1 module)
_QUIET = 5.0                  # modules of light wanted before the first and after the last bar
_SCANLINES = 9                # bands across the cut's height (the middle 80 %)
_MIN_AGREE = 2                # scanlines that must give the same text
# Log-likelihood margin (in units of the noise variance): every digit's best template must beat its best
# rival by this much (Gaussian noise: cost difference / (2 sigma^2)). Over the zxing-cpp EAN-13 and
# false-positive corpora (each image at 0/90/180/270°), scanlines whose best sequence passed the check digit
# had margins of 9 and more in 90 % of correct readings (median 44) and at most 6.5 in wrong ones (all six on
# ean13-4/03, 1.7 px modules, read "8788141014989" for 9780441014989 at 6 and below: every other wrong one
# <= 1.5).
_MIN_MARGIN = 10.0
_MAX_FIT = 4.0                # mean squared residual of the accepted sequence, in noise variances
_MIN_CONTRAST = 0.12          # ink-paper difference over the cut's dynamic range
_MIN_NOISE = 0.05 ** 2        # the smallest noise variance assumed (normalised units)


def ean_check_ok(digits: str) -> bool:
    """The EAN-13 check digit (weights 1,3,1,3... from the left) holds."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


# --- templates ---------------------------------------------------------------------------------------------------

def _modules(bits: str) -> np.ndarray:
    """Intensity per module: paper 1.0, ink 0.0, unknown 0.5 ('?')."""
    return np.array([{"0": 1.0, "1": 0.0, "?": 0.5}[b] for b in bits])


def _blurred(levels: np.ndarray, sigma: float) -> np.ndarray:
    """Module levels rendered at ``_RENDER`` points per module and blurred by a Gaussian (sigma in modules)."""
    fine = np.repeat(levels, _RENDER)
    radius = int(np.ceil(3 * sigma * _RENDER))
    x = np.arange(-radius, radius + 1) / _RENDER
    kernel = np.exp(-0.5 * (x / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.concatenate([np.full(radius, fine[0]), fine, np.full(radius, fine[-1])])
    return np.convolve(padded, kernel, mode="valid")


def _sample(fine: np.ndarray, first: float, count: int) -> np.ndarray:
    """``_SUB`` samples per module of ``count`` modules starting at module ``first`` of a rendered row."""
    pos = (first + (np.arange(count * _SUB) + 0.5) / _SUB) * _RENDER - 0.5
    return np.interp(pos, np.arange(len(fine)), fine)


# Guards with their known neighbourhood, and the module where each segment starts (module 0 = first bar).
_GUARDS = (("00000" + "101" + "0", -5.0), ("1" + "01010" + "1", 44.0), ("0" + "101" + "00000", 91.0))


@dataclass(frozen=True)
class _Templates:
    digits_left: np.ndarray    # (20, 7 * _SUB): L codes then G codes, context [?1] ... [0?]
    digits_right: np.ndarray   # (10, 7 * _SUB): R codes, context [?0] ... [1?]
    guards: tuple[np.ndarray, ...]


def _templates(sigma: float) -> _Templates:
    def digit(code: str, before: str, after: str) -> np.ndarray:
        return _sample(_blurred(_modules(before + code + after), sigma), len(before), 7)

    left = np.array([digit(c, "?1", "0?") for c in _L_CODES + _G_CODES])
    right = np.array([digit(c, "?0", "1?") for c in _R_CODES])
    guards = tuple(_sample(_blurred(_modules("?" + bits + "?"), sigma), 1, len(bits)) for bits, _ in _GUARDS)
    return _Templates(left, right, guards)


@dataclass(frozen=True)
class _Centred:
    """Templates (rows) prepared for least-squares fits of ``gain * t + offset``: the templates less their
    means, their sums of squares and their means (computed once, not per scanline)."""

    centred: np.ndarray   # (templates, samples)
    squares: np.ndarray   # (templates,)
    means: np.ndarray     # (templates,)

    @classmethod
    def of(cls, templates: np.ndarray) -> _Centred:
        t = np.atleast_2d(templates)
        means = t.mean(axis=-1)
        centred = t - means[:, None]
        return cls(centred, (centred * centred).sum(axis=-1), means)


_TEMPLATES = {s: _templates(s) for s in _SIGMAS}
# Per guard: its templates for every sigma stacked, (sigmas, samples).
_GUARD_TEMPLATES = tuple(np.array([_TEMPLATES[s].guards[g] for s in _SIGMAS]) for g in range(len(_GUARDS)))
_GUARD_FITS = tuple(_Centred.of(t) for t in _GUARD_TEMPLATES)
_CENTRE_FITS = {s: _Centred.of(_TEMPLATES[s].guards[1]) for s in _SIGMAS}
# Each digit template's sum of squares, for the digit costs |y - t|^2 = |y|^2 - 2 y.t + |t|^2.
_DIGIT_SQUARES = {id(t): (t * t).sum(axis=-1) for s in _SIGMAS
                  for t in (_TEMPLATES[s].digits_left, _TEMPLATES[s].digits_right)}


# --- one scanline --------------------------------------------------------------------------------------------------

_MAX_EXTENTS = 4              # candidate extents tried per scanline, most plausible first


def _extents(profile: np.ndarray) -> list[tuple[float, float]]:
    """Candidate (first bar's left edge, last bar's right edge) pairs in pixels, most plausible first, from
    two thresholds: a local one (halfway between the light and dark envelopes over about 8 modules of a code
    filling the cut, flat stretches counted as light: a code printed on grey paper inside a white label)
    and a global one (halfway between the profile's 5th and 95th percentiles)."""
    ranked = np.sort(profile)
    lo, hi = ranked[len(ranked) // 20], ranked[-1 - len(ranked) // 20]    # 5th and 95th percentiles
    if hi - lo < 1e-6:
        return []
    half = max(2, len(profile) // 24)
    window = np.ones((1, 2 * half + 1), np.uint8)   # running max and min over 2 * half + 1, edges repeated
    row = np.ascontiguousarray(profile, dtype=np.float64)[None, :]
    top = cv2.dilate(row, window, borderType=cv2.BORDER_REPLICATE)[0]
    bottom = cv2.erode(row, window, borderType=cv2.BORDER_REPLICATE)[0]
    local = (profile < (top + bottom) / 2) & (top - bottom > 0.25 * (hi - lo))
    out: list[tuple[float, float]] = []
    for dark in (local, profile < (lo + hi) / 2):
        out += [e for e in _pairs(dark) if e not in out]
    return out[:_MAX_EXTENTS]


def _pairs(dark: np.ndarray) -> list[tuple[float, float]]:
    """(start of first dark run, end of last) with 18-30 dark runs between (blur merges some of the 30
    bars) and >= ``_QUIET`` modules of light outside; the bar count nearest 30 first, then the widest."""
    change = np.flatnonzero(np.diff(np.concatenate([[False], dark, [False]]).astype(np.int8)))
    starts, ends = change[0::2], change[1::2]          # dark runs [start, end) in profile pixels
    if len(starts) < 18:
        return []
    gap_before = starts - np.concatenate([[-10 ** 6], ends[:-1]])
    gap_after = np.concatenate([starts[1:], [10 ** 6]]) - ends
    first, last = np.meshgrid(np.arange(len(starts)), np.arange(len(ends)), indexing="ij")
    module = (ends[last] - starts[first]) / 95.0
    runs = last - first + 1
    ok = ((runs >= 18) & (runs <= 30) & (module >= 1.0) & (gap_before[first] >= _QUIET * module)
          & (gap_after[last] >= _QUIET * module))
    pairs = sorted(zip(first[ok], last[ok], strict=True),
                   key=lambda fl: (30 - (fl[1] - fl[0] + 1), starts[fl[0]] - ends[fl[1]]))
    return [(float(starts[a]), float(ends[b])) for a, b in pairs[:_MAX_EXTENTS]]


def _fit_guards(profile: np.ndarray, first: float, last: float) -> tuple[float, float, float, np.ndarray] | None:
    """Best (x0, module px, sigma, per-guard (gain, offset) as 3x2) near the threshold extent, or None."""
    xs = np.arange(len(profile), dtype=np.float64)
    width0 = (last - first) / 95.0
    steps = np.linspace(-1.0, 1.0, 9) * width0
    a_grid, b_grid = np.meshgrid(first + steps, last + steps, indexing="ij")
    x0s, ws = a_grid.ravel(), (b_grid - a_grid).ravel() / 95.0
    total = np.zeros((len(_SIGMAS), len(x0s)))
    fits = []
    for g, (bits, start) in enumerate(_GUARDS):
        pos = x0s[:, None] + ws[:, None] * (start + (np.arange(len(bits) * _SUB) + 0.5) / _SUB)
        y = np.interp(pos, xs, profile)                                   # (combos, samples)
        gain, offset, resid = _affine(y, _GUARD_FITS[g])                  # (sigmas, combos)
        total += np.where(gain > 0, resid, np.inf)
        fits.append((gain, offset))
    s, i = np.unravel_index(int(np.argmin(total)), total.shape)
    if not np.isfinite(total[s, i]):
        return None
    levels = np.array([[gain[s, i], offset[s, i]] for gain, offset in fits])
    return float(x0s[i]), float(ws[i]), _SIGMAS[s], levels


def _affine(y: np.ndarray, fits: _Centred) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least-squares y ~ gain * t + offset of every row of ``y`` (n, samples) on every template t: (gain,
    offset, residual sum of squares), each (templates, n). With yc, tc the rows less their means:
    gain = yc.tc / tc.tc and the residual |yc|^2 - gain * yc.tc (one matrix product, not a broadcast)."""
    y_mean = y.mean(axis=-1)
    yc = y - y_mean[:, None]
    cross = fits.centred @ yc.T                                         # (templates, n)
    gain = cross / fits.squares[:, None]
    offset = y_mean[None, :] - gain * fits.means[:, None]
    resid = np.maximum((yc * yc).sum(axis=-1)[None, :] - gain * cross, 0.0)
    return gain, offset, resid


@dataclass(frozen=True)
class _Reading:
    text: str
    x0: float
    x1: float


@dataclass(frozen=True)
class _Grid:
    """Module -> pixel along the scanline: linear on each half, the centre guard fitted on its own (the
    module width drifts along a label seen in perspective or curved round a tin)."""

    x0: float   # left edge of the first bar (module 0)
    xc: float   # module 47.5 (the middle of the centre guard)
    x1: float   # right edge of the last bar (module 95)

    def at(self, modules: np.ndarray) -> np.ndarray:
        m = np.asarray(modules, dtype=np.float64)
        return np.where(m < 47.5, self.x0 + m * (self.xc - self.x0) / 47.5,
                        self.xc + (m - 47.5) * (self.x1 - self.xc) / 47.5)


def _centred(profile: np.ndarray, x0: float, w: float, sigma: float,
             levels: np.ndarray) -> tuple[_Grid, np.ndarray]:
    """The grid with the centre guard moved (up to 1.5 modules) to where it fits best, and its levels."""
    xs = np.arange(len(profile), dtype=np.float64)
    bits, start = _GUARDS[1]
    local = start - 47.5 + (np.arange(len(bits) * _SUB) + 0.5) / _SUB      # modules from the centre
    moves = np.linspace(-1.5, 1.5, 13) * w
    y = np.interp(x0 + 47.5 * w + moves[:, None] + w * local[None, :], xs, profile)
    gain, offset, resid = (a[0] for a in _affine(y, _CENTRE_FITS[sigma]))
    i = int(np.argmin(np.where(gain > 0, resid, np.inf)))
    levels = levels.copy()
    if gain[i] > 0:
        levels[1] = (gain[i], offset[i])
    else:
        i = len(moves) // 2
    return _Grid(x0, x0 + 47.5 * w + float(moves[i]), x0 + 95 * w), levels


def _read_line(profile: np.ndarray, extents: list[tuple[float, float]] | None = None) -> _Reading | None:
    """The code on one scanline, read left to right or (upside down) right to left, or None. The guards
    with their quiet zones read the same both ways, so one fit serves both directions. ``extents``: the
    line's ``_extents`` if already known."""
    n = len(profile)
    span = float(np.ptp(profile))
    for first, last in _extents(profile) if extents is None else extents:
        fit = _fit_guards(profile, first, last)
        if fit is None:
            continue
        x0, w, sigma, levels = fit
        grid, levels = _centred(profile, x0, w, sigma, levels)
        if span <= 0 or levels[:, 0].min() < _MIN_CONTRAST * span:
            continue
        found = _decode(profile, grid, sigma, levels)
        if found is not None:
            return _Reading(found, grid.x0, grid.x1)
        mirrored = _Grid(n - 1 - grid.x1, n - 1 - grid.xc, n - 1 - grid.x0)
        found = _decode(profile[::-1], mirrored, sigma, levels[::-1])
        if found is not None:
            return _Reading(found, grid.x0, grid.x1)
    return None


def _decode(profile: np.ndarray, grid: _Grid, sigma: float, levels: np.ndarray) -> str | None:
    """The 13 digits if the parity pattern is valid, the check digit holds, the templates fit within
    ``_MAX_FIT`` noise variances and every digit beats its best rival by ``_MIN_MARGIN``; else None."""
    gains, offsets = levels[:, 0], levels[:, 1]
    # Ink/paper levels along the code: linear between the three guards' fits.
    anchors = grid.at(np.array([-1.0, 47.5, 94.0]))
    xs = np.arange(len(profile), dtype=np.float64)
    norm = (profile - np.interp(xs, anchors, offsets)) / np.interp(xs, anchors, gains)
    tpl = _TEMPLATES[sigma]
    # Cheapest refusals first (the same ones, in another order): the left half's parity and margin (the
    # noise is at least _MIN_NOISE, so a margin under 2 * _MIN_NOISE * _MIN_MARGIN fails whatever it is),
    # then the right half, the check digit, and only then the noise from the guards.
    (l_codes, l_fit, l_margin) = _half(norm, grid, 3.0, tpl.digits_left)
    parity = "".join("L" if c < 10 else "G" for c in l_codes)
    if parity not in _FIRST_BY_PARITY or l_margin < 2 * _MIN_NOISE * _MIN_MARGIN:
        return None
    (r_codes, r_fit, r_margin) = _half(norm, grid, 50.0, tpl.digits_right)
    if r_margin < 2 * _MIN_NOISE * _MIN_MARGIN:
        return None
    text = str(_FIRST_BY_PARITY[parity]) + "".join(str(c % 10) for c in l_codes) + "".join(map(str, r_codes))
    if not ean_check_ok(text):
        return None
    noise = _noise(profile, grid, sigma, levels)
    samples = 12 * 7 * _SUB
    if (l_fit + r_fit) / samples > _MAX_FIT * noise or min(l_margin, r_margin) / (2 * noise) < _MIN_MARGIN:
        return None
    return text


def _noise(profile: np.ndarray, grid: _Grid, sigma: float, levels: np.ndarray) -> float:
    """Noise variance in normalised units: the guard fits' mean squared residual (at least 0.05^2)."""
    xs = np.arange(len(profile), dtype=np.float64)
    resid, count = 0.0, 0
    for (bits, start), t, (gain, offset) in zip(_GUARDS, _TEMPLATES[sigma].guards, levels, strict=True):
        pos = grid.at(start + (np.arange(len(bits) * _SUB) + 0.5) / _SUB)
        y = (np.interp(pos, xs, profile) - offset) / gain
        resid += float(((y - t) ** 2).sum())
        count += len(t)
    return max(resid / count, _MIN_NOISE)


def _half(norm: np.ndarray, grid: _Grid, start: float, templates: np.ndarray) -> tuple[list[int], float, float]:
    """The 6 digits of one half: (template index per digit, total cost, smallest margin to a rival digit)."""
    xs = np.arange(len(norm), dtype=np.float64)
    offsets = start + 7 * np.arange(6)[:, None, None] + _SHIFTS[None, :, None] \
        + ((np.arange(7 * _SUB) + 0.5) / _SUB)[None, None, :]
    y = np.interp(grid.at(offsets), xs, norm)                           # (6, shifts, samples)
    cost = ((y * y).sum(axis=-1)[:, :, None] - 2.0 * (y @ templates.T)
            + _DIGIT_SQUARES[id(templates)][None, None, :])                 # (6, shifts, codes): |y - t|^2
    best_code = cost.argmin(axis=-1)
    best = cost.min(axis=-1)                                            # (6, shifts)
    path = _smooth_path(best)
    codes = [int(best_code[i, s]) for i, s in enumerate(path)]
    total = float(sum(best[i, s] for i, s in enumerate(path)))
    margin = np.inf
    for i, s in enumerate(path):
        near = slice(max(0, s - _MAX_STEP), s + _MAX_STEP + 1)
        others = cost[i, near, :].copy()
        others[:, codes[i]] = np.inf
        rivals = others.min()
        margin = min(margin, float(rivals - best[i, s]))
    return codes, total, margin


def _smooth_path(cost: np.ndarray) -> list[int]:
    """Shift index per digit minimising the summed cost with neighbouring shifts <= ``_MAX_STEP`` apart."""
    n, k = cost.shape
    acc, back = cost[0].copy(), np.zeros((n, k), dtype=int)
    edge = np.full(_MAX_STEP, np.inf)
    for i in range(1, n):
        # options[x, j]: acc at shift x - d for d = j - _MAX_STEP (inf past either end)
        padded = np.concatenate([edge, acc, edge])
        options = np.stack([padded[2 * _MAX_STEP - j:2 * _MAX_STEP - j + k] for j in range(2 * _MAX_STEP + 1)],
                           axis=1)
        pick = options.argmin(axis=1)
        back[i] = np.arange(k) - (pick - _MAX_STEP)
        acc = options[np.arange(k), pick] + cost[i]
    path = [int(acc.argmin())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


# --- a cut --------------------------------------------------------------------------------------------------------

def _scanlines(gray: np.ndarray) -> list[tuple[float, np.ndarray]]:
    """(row, profile) of the ``_SCANLINES`` bands across an image whose bars are vertical, top to bottom;
    [] if the image is too small to hold an EAN."""
    image = gray.astype(np.float64)
    h, w = image.shape
    if h < 3 or w < 95:
        return []
    band = max(1, h // (2 * _SCANLINES))
    rows = np.linspace(0.1 * h, 0.9 * h, _SCANLINES)
    return [(float(row), image[int(max(0, row - band // 2)):int(max(0, row - band // 2)) + band].mean(axis=0))
            for row in rows]


def read_profile_rows(gray: np.ndarray) -> list[tuple[str, float, float, float]]:
    """Readings of an image whose bars are vertical: (text, x first bar, x end, row) per scanline that reads,
    trying each scanline left to right and right to left (a code upside down)."""
    out = []
    for row, profile in _scanlines(gray):
        found = _read_line(profile)
        if found is not None:
            out.append((found.text, found.x0, found.x1, row))
    return out


# Live order of the scanlines (``read_ean(..., live=True)``): the middle first, then outwards.
_MIDDLE_OUT = tuple(sorted(range(_SCANLINES), key=lambda i: (abs(i - _SCANLINES // 2), i)))


def read_ean(gray: np.ndarray, *, live: bool = False) -> tuple[str, tuple[float, float, float, float]] | None:
    """The text that at least ``_MIN_AGREE`` scanlines read, and its box (x0, y0, x1, y1), or None; None also
    when scanlines disagree (two texts each read by enough lines).

    Only scanlines with a candidate extent (``_extents``: 18-30 dark runs between quiet zones, ~0.05 ms) are
    fitted, and none if fewer than ``_MIN_AGREE`` have one: most regions that are not an EAN end there.
    ``live`` (a camera frame, ``decode_frame``): the scanlines middle first, and the reading stops as soon
    as ``_MIN_AGREE`` of them agree while none read another text (the same acceptance per scanline and the
    same agreement; later scanlines are not read for a dissent), or as soon as no text can reach
    ``_MIN_AGREE`` any more."""
    scans = _scanlines(gray)
    order = _MIDDLE_OUT if live and scans else range(len(scans))
    lines = [(scans[i][0], scans[i][1], ext) for i in order if (ext := _extents(scans[i][1]))]
    if live:
        lines = _consistent(lines)
    read: list[tuple[str, float, float, float]] = []
    for done, (row, profile, ext) in enumerate(lines):
        best = max(Counter(t for t, *_ in read).values(), default=0)
        if best + len(lines) - done < _MIN_AGREE:
            return None   # no text can reach the agreement any more
        found = _read_line(profile, ext)
        if found is not None:
            read.append((found.text, found.x0, found.x1, row))
            if live and len(read) >= _MIN_AGREE and len({t for t, *_ in read}) == 1:
                break
    return _agreed(read)


_LIVE_EXTENT_TOLERANCE = 2.0   # modules: ``_consistent``


def _consistent(lines: list[tuple[float, np.ndarray, list[tuple[float, float]]]]
                ) -> list[tuple[float, np.ndarray, list[tuple[float, float]]]]:
    """Each line with only its candidate extents that another line's confirm (both ends within
    ``_LIVE_EXTENT_TOLERANCE`` modules; a code's bars are straight across the cut, print's rarely line up);
    [] if fewer than two lines keep one. What a scanline must pass is unchanged. Camera bench: 89 of 928
    located regions keep two lines, the 7 that read among them."""
    kept = []
    for i, (row, profile, extents) in enumerate(lines):
        mine = [(a0, a1) for a0, a1 in extents
                if any(abs(a0 - b0) <= _LIVE_EXTENT_TOLERANCE * max(a1 - a0, b1 - b0) / 95.0
                       and abs(a1 - b1) <= _LIVE_EXTENT_TOLERANCE * max(a1 - a0, b1 - b0) / 95.0
                       for j, (_, _, others) in enumerate(lines) if j != i for b0, b1 in others)]
        if mine:
            kept.append((row, profile, mine))
    return kept if len(kept) >= _MIN_AGREE else []


def _agreed(lines: list[tuple[str, float, float, float]]) -> tuple[str, tuple[float, float, float, float]] | None:
    """The one text read by at least ``_MIN_AGREE`` of ``lines`` and its box, or None."""
    votes = Counter(t for t, *_ in lines)
    agreed = [t for t, n in votes.items() if n >= _MIN_AGREE]
    if len(agreed) != 1:
        return None
    mine = [ln for ln in lines if ln[0] == agreed[0]]
    return agreed[0], (min(m[1] for m in mine), min(m[3] for m in mine), max(m[2] for m in mine),
                       max(m[3] for m in mine))


def blurred_ean(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None, _zbar_types: tuple[int, ...],
                *, live: bool = False) -> list[Barcode]:
    """Harder read of a region (``decode._RESCUE_ATTEMPTS``): the region cut across its bars, read with the
    deformable templates; only if EAN-13 or UPC-A is wanted (``formats`` None = all). ``live``: see
    ``read_ean``."""
    if not any(_wanted(formats)):
        return []
    return ean_in_cut(pp.cut_out(base, region.box(), bar_angle(base.image, region), "region-bars"), formats,
                      live=live)


def ean_in_cut(cut: pp.Variant, formats: zxingcpp.BarcodeFormats | None, *, live: bool = False) -> list[Barcode]:
    """The EAN-13 (or UPC-A) that ``read_ean`` reads in ``cut`` (bars vertical), corners in input pixels; []
    if none or neither is wanted (``formats`` None = all)."""
    want_ean, want_upc = _wanted(formats)
    if not (want_ean or want_upc):
        return []
    found = read_ean(cut.image, live=live)
    if found is None:
        return []
    text, (x0, y0, x1, y1) = found
    name = "EAN-13"
    if text.startswith("0") and want_upc:
        name, text = "UPC-A", text[1:]
    elif not want_ean:
        return []
    corners = pp.map_points(cut, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    return [Barcode(text, text.encode("ascii"), name, corners, "templates")]


def _wanted(formats: zxingcpp.BarcodeFormats | None) -> tuple[bool, bool]:
    """(EAN-13 wanted, UPC-A wanted) in a zxing-cpp format set (None = all)."""
    if formats is None:
        return True, True
    return zxingcpp.BarcodeFormat.EAN13 in formats, zxingcpp.BarcodeFormat.UPCA in formats
