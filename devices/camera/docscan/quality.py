"""Capture quality checks: is the page there, whole, big enough, sharp, free of glare, the right way up?

All checks run on the frame and the detected quad; the page-level ones (blur, glare, orientation) on the
page rectified to a canonical size (long side 1000 px or the source's own resolution if smaller), so the
numbers mean the same on a 1280x720 preview and on a 12 MP still.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .enhance import choose_paper, flatten, rectify, sauvola
from .geom import Quad, clip_to_frame
from .refine import sample_points

CANONICAL_LONG = 1000           # page-level checks work at this long side (or less, never upscaled)
LIVE_LONG = 400                 # ... and on the live preview (glare only)
BLUR_LIMIT = 2.5                # blur sigma (px at a 1000-px page) beyond which small text smears
BLUR_LIMIT_NATIVE = 1.2         # ... and in the frame's own pixels (defocus or motion, not low resolution)
GLARE_LIMIT = 0.002             # fraction of the page covered by specular highlights
_PAPER_SATURATED = 244         # page brightness (60th percentile of the brightest channel) with no room for glare
MIN_AREA = {"id_card": 0.03, "page": 0.08}   # page area as a fraction of the frame
_SHARP_STEP_PX = 0.8            # estimate_text_blur's reading of a sharp edge
_BORDER_MARGIN = 0.004          # corners this close to the frame edge (fraction of the long side) are cut


@dataclass(frozen=True)
class Quality:
    """Result of assess(): flags, scores and the problem codes in a fixed order of urgency."""

    problems: tuple[str, ...]           # subset of: no_page, cut_off, too_small, blur, glare, upside_down
    area_fraction: float = 0.0          # visible page area / frame area
    blur_sigma: float = 0.0             # estimated Gaussian blur, pixels at a 1000-px page
    blur_native: float = 0.0            # the same in the frame's own pixels
    sharpness: float = 0.0              # variance of the Laplacian / variance of the page (contrast-free)
    glare_fraction: float = 0.0         # saturated highlight area / page area
    upside_down_score: float = 0.0      # > 0 means upside down; |score| in 0..1 is the confidence

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def no_page(self) -> bool:
        return "no_page" in self.problems

    @property
    def cut_off(self) -> bool:
        return "cut_off" in self.problems

    @property
    def too_small(self) -> bool:
        return "too_small" in self.problems

    @property
    def blurry(self) -> bool:
        return "blur" in self.problems

    @property
    def glare(self) -> bool:
        return "glare" in self.problems

    @property
    def upside_down(self) -> bool:
        return "upside_down" in self.problems


def assess(image: np.ndarray, quad: Quad | None, *, orientation: bool = True) -> Quality:
    """Check a frame and its detected page; ``quad=None`` reports "no_page".

    ``orientation=False`` skips the upside-down check and checks glare on a smaller copy of the page (the
    live preview: a few milliseconds per frame instead of tens).
    """
    if quad is None:
        return Quality(problems=("no_page",))
    h, w = image.shape[:2]
    problems: list[str] = []
    margin = _BORDER_MARGIN * max(h, w)
    pts = quad.as_array()
    if (pts[:, 0] < margin - 0.5).any() or (pts[:, 0] > w - 0.5 - margin).any() or \
            (pts[:, 1] < margin - 0.5).any() or (pts[:, 1] > h - 0.5 - margin).any():
        problems.append("cut_off")
    visible = clip_to_frame(pts, w, h)
    area = abs(cv2.contourArea(visible)) / (w * h) if len(visible) >= 3 else 0.0
    kind = choose_paper(quad)
    if area < MIN_AREA["id_card" if kind == "id_card" else "page"]:
        problems.append("too_small")
    page = _canonical_page(image, quad) if orientation else _live_page(image, quad)
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY) if page.ndim == 3 else page
    # Blur relative to the page (text size) decides legibility: express it at a 1000-px page. A preview
    # frame holds a page in ~500 px, so it also has to be visibly blurred in its own pixels to count.
    native = estimate_blur(image, quad)
    sigma = native * CANONICAL_LONG / max(max(quad.side_lengths()), 1.0)
    if sigma > BLUR_LIMIT and native > BLUR_LIMIT_NATIVE:
        problems.append("blur")
    glare = glare_fraction(page)
    if glare > GLARE_LIMIT:
        problems.append("glare")
    flip = upside_down_score(gray, id_card=kind == "id_card") if orientation else 0.0
    if flip > 0:
        problems.append("upside_down")
    sharp = 0.0
    if orientation:
        lap = cv2.Laplacian(gray, cv2.CV_32F)
        sharp = float(lap.var() / max(float(gray.astype(np.float32).var()), 1e-6))
    return Quality(problems=tuple(problems), area_fraction=float(area), blur_sigma=float(sigma),
                   blur_native=float(native),
                   sharpness=sharp, glare_fraction=float(glare), upside_down_score=float(flip))


def _live_page(image: np.ndarray, quad: Quad) -> np.ndarray:
    """The page warped straight to a small size (long side LIVE_LONG at most): enough to see glare."""
    w, h = quad.size()
    f = min(1.0, LIVE_LONG / max(w, h, 1.0))
    out_w, out_h = max(8, round(w * f)), max(8, round(h * f))
    dst = np.float32([[-0.5, -0.5], [out_w - 0.5, -0.5], [out_w - 0.5, out_h - 0.5], [-0.5, out_h - 0.5]])
    m = cv2.getPerspectiveTransform(quad.as_array(), dst)
    return cv2.warpPerspective(image, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _canonical_page(image: np.ndarray, quad: Quad) -> np.ndarray:
    """The page rectified with its long side at CANONICAL_LONG px, or less if the source has less."""
    page = rectify(image, quad, paper="none")
    f = CANONICAL_LONG / max(page.shape[:2])
    if f < 1:
        page = cv2.resize(page, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return page


def estimate_blur(image: np.ndarray, quad: Quad) -> float:
    """Gaussian blur sigma in pixels of ``image``, measured across the page's own outline.

    The page border is the one step edge known to be sharp on paper, and it lies in the same focal plane
    as the text. Along each side, profiles across the edge give the rise from the 50 % to the 90 % level
    towards the paper, 1.28 sigma for a Gaussian-blurred step (the desk side is avoided: the page's drop
    shadow lies there). The median over the outline ignores spots hidden by fingers.
    """
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    pts = quad.as_array().astype(np.float64)
    size = max(quad.side_lengths())
    reach = max(8.0, 0.02 * size)
    offsets = np.arange(-reach, reach + 1e-6, 0.5)
    t = np.linspace(0.15, 0.85, 24)
    a, b = pts, np.roll(pts, -1, axis=0)
    d = (b - a) / np.linalg.norm(b - a, axis=1, keepdims=True)
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1)          # outward
    base = a[:, None] + (b - a)[:, None] * t[None, :, None]
    p = base[:, :, None, :] - normal[:, None, None, :] * offsets[None, None, :, None]   # desk -> paper
    h, w = gray.shape
    ok = ((p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)).all(axis=2)
    prof = sample_points(gray, p.reshape(-1, 2))[:, 0]
    prof = prof.reshape(-1, len(offsets))[ok.reshape(-1)]
    if len(prof) < 8:
        return 0.0
    desk, paper = prof[:, :4].mean(axis=1), prof[:, -4:].mean(axis=1)
    good = np.abs(paper - desk) > 25
    prof, desk, paper = prof[good], desk[good], paper[good]
    if len(prof) < 8:
        return 0.0
    level = (prof - desk[:, None]) / (paper - desk)[:, None]
    level = np.maximum.accumulate(level, axis=1)          # monotone rise: noise cannot cross back
    x50, x90 = _crossing(level, offsets, 0.5), _crossing(level, offsets, 0.9)
    sigma = float(np.median(x90 - x50)) / 1.2816
    return max(0.0, math.sqrt(max(sigma * sigma - 0.25, 0.0)))   # minus the bilinear sampling's own spread


def estimate_text_blur(image: np.ndarray) -> float | None:
    """Gaussian blur sigma in pixels of a page that has no outline to measure across (a scan), read off its
    text: at the centre of a blurred step of contrast C the gradient is C / (sqrt(2 pi) sigma). Contrast is
    the local range round each gradient peak, where ink meets paper clearly (C > 80). None when the page
    shows too few such edges (blank, a photograph, or so blurred the ink has faded into the paper).

    Calibrated on anti-aliased text: a sharp page reads 0.8 px (the step's own width on the pixel grid),
    removed in quadrature; blurred by 1, 2, 3 px it reads 1.0, 2.0, 2.8 (to within 0.2)."""
    gray = (image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)).astype(np.float32)
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3) / 8.0     # per-pixel slope
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = cv2.magnitude(gx, gy)
    box = np.ones((15, 15), np.uint8)
    contrast = cv2.dilate(gray, box) - cv2.erode(gray, box)
    peak = (mag >= cv2.dilate(mag, np.ones((3, 3), np.uint8))) & (contrast > 80) & (mag > 4)
    if int(peak.sum()) < 200:
        return None
    raw = float(np.median(contrast[peak] / (math.sqrt(2 * math.pi) * mag[peak])))
    return math.sqrt(max(raw * raw - _SHARP_STEP_PX ** 2, 0.0))


def scan_is_blurred(image: np.ndarray) -> bool:
    """The camera's rule (see assess) applied to a scanned page measured on its text: blurred beyond
    BLUR_LIMIT at a 1000-px page and beyond BLUR_LIMIT_NATIVE in its own pixels."""
    native = estimate_text_blur(image)
    if native is None:
        return False
    return native * CANONICAL_LONG / max(image.shape[:2]) > BLUR_LIMIT and native > BLUR_LIMIT_NATIVE


def _crossing(level: np.ndarray, offsets: np.ndarray, value: float) -> np.ndarray:
    """Where each monotone row of ``level`` first reaches ``value``, linearly interpolated between samples
    (np.interp row by row, clamped to the ends)."""
    above = level >= value
    i = np.clip(np.argmax(above, axis=1), 1, level.shape[1] - 1)
    rows = np.arange(len(level))
    lo, hi = level[rows, i - 1], level[rows, i]
    frac = np.clip((value - lo) / np.where(hi - lo > 1e-9, hi - lo, 1.0), 0.0, 1.0)
    x = offsets[i - 1] + frac * (offsets[i] - offsets[i - 1])
    x = np.where(level[:, 0] >= value, offsets[0], x)
    return np.where(~above.any(axis=1), offsets[-1], x)


def glare_fraction(page: np.ndarray) -> float:
    """Share of the page covered by specular highlights: saturated blobs whose surrounding paper is
    clearly darker. An evenly over-exposed page saturates too, but its paper round each blob does as well;
    and where the paper itself is at the top of the range (a white form under bright light), the saturated
    paper between its lines of text is not glare either: a highlight cannot be told from it there."""
    v = page.max(axis=2) if page.ndim == 3 else page
    h, w = v.shape
    hot = (v >= 250).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(hot)
    if n <= 1 or np.percentile(v, 60) >= _PAPER_SATURATED:
        return 0.0
    min_blob = 0.0005 * h * w                 # ignore specks between letters
    big = np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:12] + 1
    ring_px = max(3, int(0.015 * max(h, w)))
    total = 0
    for i in big:
        area = int(stats[i, cv2.CC_STAT_AREA])
        if area < min_blob:
            break
        x, y, bw, bh = (int(stats[i, k]) for k in (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH,
                                                  cv2.CC_STAT_HEIGHT))
        x0, y0 = max(0, x - ring_px), max(0, y - ring_px)
        x1, y1 = min(w, x + bw + ring_px), min(h, y + bh + ring_px)
        blob = (labels[y0:y1, x0:x1] == i).astype(np.uint8)
        ring = cv2.dilate(blob, np.ones((2 * ring_px + 1,) * 2, np.uint8)) & ~blob & 1
        around = v[y0:y1, x0:x1][ring > 0]
        if len(around) and np.percentile(around, 75) < 246:
            total += area
    return total / (h * w)


# ------------------------------------------------------------------------------------------- orientation
def _ink(gray: np.ndarray) -> np.ndarray:
    """Ink mask without long rules (table lines, printed frames), which say nothing about orientation."""
    ink = (sauvola(flatten(gray)) == 0).astype(np.uint8)
    h, w = ink.shape
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(3, w // 12)), np.uint8))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(3, h // 12), 1), np.uint8))
    return ink & ~(horiz | vert) & 1


def _text_bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of text lines from the horizontal ink projection."""
    h = ink.shape[0]
    on = ink.mean(axis=1) > 0.004
    bands, y = [], 0
    while y < h:
        if on[y]:
            y0 = y
            while y < h and on[y]:
                y += 1
            if 0.006 * h <= y - y0 <= 0.08 * h:
                bands.append((y0, y))
        y += 1
    return bands


def upside_down_score(gray: np.ndarray, *, id_card: bool = False) -> float:
    """Evidence that a rectified page is upside down: > 0 upside down, < 0 upright, magnitude <= 1.

    Documents: a title, the largest line of text, sits near the top of official forms, notices and
    certificates. ID cards (Chinese resident card layout): the text fields sit left on the front (the
    portrait on the right is a flat tone, not ink), the emblem and title left on the back, so the ink mass
    leans left when upright.
    """
    f = min(1.0, 700 / max(gray.shape))
    g = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    ink = _ink(g)
    h, w = ink.shape
    if id_card:
        cols = ink.mean(axis=0)
        right = cols[w // 2:].sum() - cols[: w // 2].sum()
        return float(np.clip(right / (cols.sum() + 1e-6) * 3, -1, 1))
    bands = _text_bands(ink)
    if len(bands) < 2:
        return 0.0
    heights = np.array([b - a for a, b in bands], dtype=np.float64)
    centres = np.array([(a + b) / 2 for a, b in bands]) / h
    tall = heights >= 1.3 * np.median(heights)       # title-sized lines
    if not tall.any():
        return 0.0
    pos = float(np.average(centres[tall], weights=heights[tall]))
    return float(np.clip((pos - 0.5) * 2.5, -1, 1))
