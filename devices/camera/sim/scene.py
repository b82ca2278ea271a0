"""Synthetic document-camera scenes: a page on a desk, seen from above, with known corners.

``render_scene(seed)`` lays one of the synthetic pages of ``docscan.pages`` on a textured desk (wood, fabric,
patterns, cutting mats, plain dark or light), in perspective, with clutter (pens, a phone, a second sheet
running off the frame), fingers holding the page, an arm's shadow, uneven light, glare, blur, noise and JPEG
artefacts, and returns the image with the page's true corners. The same seed always gives the same scene.

The simulated document camera uses it frame by frame: ``render_scene(seed, frame=n)`` keeps the desk and the
page exactly still and varies only sensor noise and exposure flicker, and ``render_scene(seed, page=False)``
shows the same desk with the page taken away (no paper at all, so a detector must report nothing).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, fields, replace

import cv2
import numpy as np

from ..docscan.geom import PAPER_MM, Quad, clip_to_frame
from ..docscan.pages import PAGE_KINDS, render_page
from .desk_things import _blend, _shadow, _finger, _pen, _phone, _round_thing

__all__ = ["CATEGORIES", "DESKS", "PAGE_KINDS", "Scene", "SceneParams", "render_page", "render_scene"]

# Difficulty categories, each stressing one thing; the weights give the mix of a seeded run.
CATEGORIES: dict[str, float] = {
    "plain": 0.12, "textured": 0.15, "low_contrast": 0.12, "cluttered": 0.14,
    "shadow": 0.12, "fingers": 0.15, "degraded": 0.10, "cut_off": 0.10,
}
DESKS = ("wood", "fabric", "pattern", "mat", "dark", "gray", "light")
_KIND_WEIGHTS = {"form": 0.25, "text": 0.2, "certificate": 0.15, "notice_a5": 0.1, "id_front": 0.15, "id_back": 0.15}
_SKIN = ((150, 175, 225), (125, 155, 205), (95, 125, 175), (165, 190, 235), (110, 140, 195))  # BGR
_PAGE_VARIANTS = 16  # distinct contents per kind: bounded so the page cache serves long runs


@dataclass(frozen=True)
class SceneParams:
    """Every random choice of a scene, drawn from the seed (and overridable through render_scene's options)."""

    category: str
    kind: str
    page_seed: int
    desk: str
    fill: float            # fraction of the frame the page's bounding box fills in its tighter direction
    rotation: float        # degrees, in-plane
    keystone: float        # perspective: corner displacement as a fraction of the page's long side
    upside_down: bool
    cut_off: bool
    fingers: int
    corner_finger: bool
    clutter: int           # number of objects on the desk
    second_sheet: bool
    shadow: float          # 0 = no arm shadow, else its darkness (0..1)
    light_gradient: float  # strength of uneven illumination
    glare: int             # number of specular spots on the page
    blur: float            # Gaussian sigma in pixels at 1280x720 (grows with the square root of the size)
    motion_blur: int       # motion-blur length in pixels at 1280x720, 0 for none
    noise: float           # sensor noise sigma (grey levels)
    jpeg_quality: int      # 0 = no JPEG round trip
    oversize: bool = False  # the page is larger than the view: all four edges lie outside the frame


@dataclass(frozen=True)
class Scene:
    """A rendered frame and its ground truth."""

    image: np.ndarray        # BGR uint8
    quad: Quad | None        # true page corners TL TR BR BL in image pixels (may lie outside when cut off)
    kind: str | None         # page kind, None on an empty desk
    paper: str | None        # "a4", "a5" or "id_card"
    category: str
    cut_off: bool
    upside_down: bool
    params: SceneParams


def _choose(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=np.float64)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _draw_params(seed: int, category: str | None, kind: str | None) -> SceneParams:
    """Draw all random choices of a scene; the category decides what is stressed."""
    rng = np.random.default_rng([seed, 0x5CE4E])
    cat = category or _choose(rng, CATEGORIES)
    knd = kind or _choose(rng, _KIND_WEIGHTS)
    is_card = PAGE_KINDS[knd][0] == "id_card"
    desk = str(rng.choice(["wood", "fabric", "pattern", "mat", "dark", "gray", "light"],
                          p=[0.2, 0.15, 0.1, 0.15, 0.2, 0.1, 0.1]))
    tilt = rng.random() < 0.3
    p = SceneParams(
        category=cat, kind=knd, page_seed=int(rng.integers(0, _PAGE_VARIANTS)), desk=desk,
        fill=float(rng.uniform(0.3, 0.6) if is_card else rng.uniform(0.5, 0.93)),
        rotation=float(rng.uniform(-30, 30) if tilt else rng.uniform(-10, 10)),
        keystone=float(rng.uniform(0.0, 0.05)), upside_down=bool(rng.random() < 0.15), cut_off=False,
        fingers=int(rng.random() < 0.15), corner_finger=False, clutter=int(rng.random() < 0.3) * int(rng.integers(1, 3)),
        second_sheet=False, shadow=float(rng.random() < 0.2) * float(rng.uniform(0.15, 0.3)),
        light_gradient=float(rng.uniform(0.0, 0.25)), glare=int(rng.random() < (0.25 if is_card else 0.08)),
        blur=float(rng.uniform(0.3, 1.0)), motion_blur=0, noise=float(rng.uniform(1.0, 3.0)),
        jpeg_quality=int(rng.integers(80, 96)),
    )
    u = rng.uniform
    overrides: dict[str, dict[str, object]] = {
        "plain": dict(desk=str(rng.choice(["dark", "gray", "mat"])), clutter=0, fingers=0, shadow=0.0, glare=0),
        "textured": dict(desk=str(rng.choice(["wood", "fabric", "pattern", "mat"]))),
        "low_contrast": dict(desk="light", light_gradient=float(u(0.1, 0.3))),
        "cluttered": dict(clutter=int(rng.integers(3, 7)), second_sheet=bool(rng.random() < 0.7)),
        "shadow": dict(shadow=float(u(0.3, 0.6)), light_gradient=float(u(0.25, 0.5))),
        "fingers": dict(fingers=int(rng.integers(1, 5)), corner_finger=bool(rng.random() < 0.5)),
        "degraded": dict(blur=float(u(1.3, 2.5)), motion_blur=int(rng.integers(0, 2)) * int(rng.integers(5, 12)),
                         noise=float(u(4.0, 8.0)), jpeg_quality=int(rng.integers(35, 60)), glare=int(rng.integers(0, 3))),
        "cut_off": dict(cut_off=True),
        # Not in CATEGORIES (seeded runs never draw it): a sheet larger than the camera's view (A3, a poster),
        # no edge to find. Page detection rightly finds no page; the citizen captures the whole view by hand.
        "oversize": dict(oversize=True, desk=str(rng.choice(["dark", "gray", "mat"])), clutter=0, fingers=0,
                         shadow=0.0, glare=0, rotation=float(u(-4, 4)), keystone=0.0),
    }
    return replace(p, **overrides[cat])  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------- desk textures
def _smooth_noise(rng: np.random.Generator, h: int, w: int, cell: float) -> np.ndarray:
    """Zero-mean, roughly unit-variance noise that varies over about ``cell`` pixels (cheap: resized grid)."""
    small = rng.standard_normal((max(2, int(h / cell) + 2), max(2, int(w / cell) + 2))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _rotated_coords(rng: np.random.Generator, h: int, w: int, max_deg: float = 90.0) -> tuple[np.ndarray, np.ndarray]:
    a = math.radians(float(rng.uniform(-max_deg, max_deg)))
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    return x * math.cos(a) + y * math.sin(a), -x * math.sin(a) + y * math.cos(a)


def _desk(rng: np.random.Generator, desk: str, h: int, w: int, ppm: float) -> np.ndarray:
    """A float32 BGR desk texture in 0..255; ``ppm`` (pixels per millimetre) sets physical pattern sizes."""
    mottle = _smooth_noise(rng, h, w, 60 * ppm)[..., None]
    if desk == "wood":
        return _wood(rng, h, w, ppm) * (1 + 0.03 * mottle)
    if desk == "fabric":
        u, v = _rotated_coords(rng, h, w)
        period = float(rng.uniform(1.0, 2.2)) * ppm
        weave = np.sin(2 * np.pi * u / period) * np.sign(np.sin(2 * np.pi * v / period))
        base = rng.uniform(40, 200, size=3).astype(np.float32)
        return base * (0.9 + 0.08 * weave[..., None] + 0.025 * mottle)
    if desk == "pattern":
        u, v = _rotated_coords(rng, h, w)
        cell = float(rng.uniform(8, 30)) * ppm
        style = rng.integers(0, 3)
        if style == 0:  # checkerboard tiles
            m = ((np.floor(u / cell) + np.floor(v / cell)) % 2).astype(np.float32)
        elif style == 1:  # stripes
            m = (np.sin(2 * np.pi * u / cell) > 0).astype(np.float32)
        else:  # polka dots
            m = (((u % cell) - cell / 2) ** 2 + ((v % cell) - cell / 2) ** 2 < (cell / 4) ** 2).astype(np.float32)
        m = cv2.GaussianBlur(m, (0, 0), 0.7)[..., None]
        c1, c2 = rng.uniform(30, 230, size=3), rng.uniform(30, 230, size=3)
        return (c1 * (1 - m) + c2 * m).astype(np.float32) * (1 + 0.04 * mottle)
    if desk == "mat":  # cutting mat with a 10 mm grid, a common base under document cameras
        u, v = _rotated_coords(rng, h, w, 5.0)
        step, lw = 10 * ppm, max(0.8, 0.3 * ppm)
        grid = ((u % step) < lw) | ((v % step) < lw)
        base = np.array(rng.choice([(60, 110, 40), (45, 45, 45), (120, 70, 30)]), np.float32)
        line = cv2.GaussianBlur(grid.astype(np.float32), (0, 0), 0.6)[..., None]
        return base * (1 + 0.05 * mottle) * (1 - line) + (base * 0.5 + 110) * line
    level = {"dark": rng.uniform(15, 60), "gray": rng.uniform(90, 160), "light": rng.uniform(195, 232)}[desk]
    tint = rng.uniform(-8, 8, size=3) if desk != "light" else rng.uniform(-10, 3, size=3)
    return (level + tint).astype(np.float32) * (1 + 0.015 * mottle) + rng.normal(0, 1.5, (h, w, 1)).astype(np.float32)


def _wood(rng: np.random.Generator, h: int, w: int, ppm: float) -> np.ndarray:
    """Wood grain: long thin streaks plus gently wavering growth rings, turned by a small angle."""
    d = int(math.hypot(h, w)) + 2
    streaks = cv2.resize(rng.standard_normal((max(2, int(d / (0.8 * ppm))), max(2, int(d / (60 * ppm))))).astype(np.float32),
                         (d, d), interpolation=cv2.INTER_LINEAR)
    y = np.arange(d, dtype=np.float32)[:, None]
    wobble = _smooth_noise(rng, d, d, 50 * ppm) * 1.2 + _smooth_noise(rng, d, d, 200 * ppm) * 3.0
    rings = np.abs(np.sin(np.pi * (y / (float(rng.uniform(5, 12)) * ppm)) + wobble)) ** 3
    val = 0.78 + 0.05 * streaks + 0.16 * rings
    rot = cv2.getRotationMatrix2D((d / 2, d / 2), float(rng.uniform(-15, 15) + 90 * (rng.random() < 0.3)), 1.0)
    rot[:, 2] -= ((d - w) / 2, (d - h) / 2)
    val = cv2.warpAffine(val, rot, (w, h), borderMode=cv2.BORDER_REFLECT)
    base = np.array(rng.choice([(70, 120, 170), (40, 70, 110), (110, 160, 205), (30, 45, 70)]), np.float32)
    return base * val[..., None]


# --------------------------------------------------------------------------------------------- geometry
def _page_corners(p: SceneParams, rng: np.random.Generator, w: int, h: int) -> tuple[np.ndarray, float]:
    """True page corners (TL TR BR BL of the paper itself) in image pixels, and the pixels per millimetre."""
    paper, landscape = PAGE_KINDS[p.kind]
    short, long_ = PAPER_MM[paper]
    pw, ph = (long_, short) if landscape else (short, long_)
    base = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]])
    a = math.radians(p.rotation)
    rot = base @ np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    span = rot.max(axis=0) - rot.min(axis=0)
    ppm = p.fill * min(w / span[0], h / span[1])
    jitter = rng.uniform(-1, 1, size=(4, 2)) * p.keystone * long_
    if p.oversize:  # every edge at least 15 % of the frame beyond the view
        ppm = 1.5 * max(w / span[0], h / span[1])
        return rot * ppm + np.array([w / 2, h / 2]) - 0.5, ppm
    for _ in range(20):  # shrink until the page (with its perspective) fits the frame with a margin
        pts = (rot + jitter) * ppm
        span = pts.max(axis=0) - pts.min(axis=0)
        if span[0] < w * 0.96 and span[1] < h * 0.96:
            break
        ppm *= 0.93
    lo, hi = -pts.min(axis=0) + 0.02 * np.array([w, h]), np.array([w, h]) - pts.max(axis=0) - 0.02 * np.array([w, h])
    centre = rng.uniform(np.minimum(lo, hi), np.maximum(lo, hi))
    if p.cut_off:  # push the page over a frame edge until 8-35 % of it is outside
        direction = rng.normal(size=2)
        direction /= np.linalg.norm(direction)
        want = rng.uniform(0.08, 0.35)
        area = abs(cv2.contourArea(pts.astype(np.float32)))
        for step in np.linspace(0, max(w, h), 400):
            centre = np.array([w / 2, h / 2]) + direction * step
            vis = clip_to_frame(pts + centre, w, h)
            if len(vis) < 3 or 1 - abs(cv2.contourArea(vis)) / area >= want:
                break
    return pts + centre - 0.5, ppm


def _page_layer(p: SceneParams, corners: np.ndarray, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
    """The page warped into the frame (float32 BGR) and its anti-aliased coverage mask."""
    long_px = float(max(np.linalg.norm(corners - np.roll(corners, 1, axis=0), axis=1)))
    render_long = 1200 if long_px <= 1100 else 2400 if long_px <= 2200 else 3600
    page = render_page(p.kind, p.page_seed, long_side=render_long)
    if p.upside_down:
        page = page[::-1, ::-1]
    factor = min(1.0, long_px * 1.15 / render_long)  # pre-shrink with area averaging so text does not alias
    if factor < 0.9:
        page = cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ph, pw = page.shape[:2]
    mask = np.ones((ph, pw), np.float32)
    if PAGE_KINDS[p.kind][0] == "id_card":  # rounded card corners (3 mm radius); the true quad stays sharp
        r = max(2, int(round(3.0 * pw / PAPER_MM["id_card"][1])))
        corner = np.zeros((r, r), np.float32)
        cv2.circle(corner, (r - 1, r - 1), r, 1.0, -1, cv2.LINE_AA)
        mask[:r, :r] = corner
        mask[:r, -r:] = corner[:, ::-1]
        mask[-r:, :r] = corner[::-1]
        mask[-r:, -r:] = corner[::-1, ::-1]
    src = np.float32([[-0.5, -0.5], [pw - 0.5, -0.5], [pw - 0.5, ph - 0.5], [-0.5, ph - 0.5]])
    hmat = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    warped = cv2.warpPerspective(page, hmat, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    m = cv2.warpPerspective(mask, hmat, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    return warped.astype(np.float32), m


def _second_sheet(img: np.ndarray, rng: np.random.Generator, w: int, h: int, ppm: float) -> None:
    """Another sheet mostly outside the frame, peeking in from one edge."""
    side = int(rng.integers(0, 4))
    inward = np.array([[0, 1], [-1, 0], [0, -1], [1, 0]][side], np.float64)
    edge_pt = np.array([[rng.uniform(0, w), 0], [w, rng.uniform(0, h)], [rng.uniform(0, w), h], [0, rng.uniform(0, h)]][side])
    sheet = replace(_SHEET_DEFAULT, page_seed=int(rng.integers(0, _PAGE_VARIANTS)), kind=str(rng.choice(["text", "form"])))
    a = math.radians(float(rng.uniform(-40, 40)))
    pw, ph = 210 * ppm, 297 * ppm
    base = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]])
    pts = base @ np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    depth = float(rng.uniform(0.15, 0.4)) * ph  # how far the sheet reaches into the frame
    centre = edge_pt - inward * (ph / 2 - depth)
    layer, mask = _page_layer(sheet, pts + centre, w, h)
    _shadow(img, mask, (2 * ppm, 2 * ppm), 2 * ppm, 0.3)
    _blend(img, mask, layer * 0.97)


_SHEET_DEFAULT = SceneParams("plain", "text", 0, "dark", 0.5, 0.0, 0.0, False, False, 0, False, 0, False, 0.0, 0.0, 0,
                             0.0, 0, 0.0, 0)


# --------------------------------------------------------------------------------------------- lighting & camera
def _illumination(p: SceneParams, rng: np.random.Generator, w: int, h: int, page_centre: np.ndarray) -> np.ndarray:
    """Multiplicative light field: a gradient, vignetting and, in some scenes, an arm's soft shadow."""
    sw, sh = max(8, w // 8), max(8, h // 8)
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    x, y = x / sw - 0.5, y / sh - 0.5
    g = rng.normal(size=2) * p.light_gradient
    light = (1 + g[0] * x + g[1] * y) * (1 - 0.25 * (x ** 2 + y ** 2)) * float(rng.uniform(0.9, 1.05))
    if p.shadow > 0:  # an arm or the camera head between the lamp and the desk
        arm = np.zeros((sh, sw), np.float32)
        start = np.array([[rng.uniform(0, sw), -sh * 0.2], [sw * 1.2, rng.uniform(0, sh)],
                          [rng.uniform(0, sw), sh * 1.2], [-sw * 0.2, rng.uniform(0, sh)]][int(rng.integers(0, 4))])
        end = page_centre / 8 + rng.normal(size=2) * sw * 0.12
        cv2.line(arm, tuple(int(v) for v in start), tuple(int(v) for v in end), 1.0, max(2, int(sw * rng.uniform(0.1, 0.22))))
        arm = cv2.GaussianBlur(arm, (0, 0), sw * float(rng.uniform(0.02, 0.06)))
        light *= 1 - p.shadow * arm
    return cv2.resize(light, (w, h), interpolation=cv2.INTER_LINEAR)[..., None]


def _glare(img: np.ndarray, rng: np.random.Generator, corners: np.ndarray, n: int) -> None:
    """Specular spots on glossy paper or a laminated card: bright, saturating ellipses."""
    h, w = img.shape[:2]
    size = float(np.linalg.norm(corners[0] - corners[2]))
    for _ in range(n):
        wts = rng.dirichlet(np.ones(4))
        c = wts @ corners
        sx, sy = size * rng.uniform(0.03, 0.08), size * rng.uniform(0.02, 0.05)
        x0, x1, y0, y1 = int(max(0, c[0] - 3 * sx)), int(min(w, c[0] + 3 * sx)), int(max(0, c[1] - 3 * sx)), int(min(h, c[1] + 3 * sx))
        if x1 <= x0 or y1 <= y0:
            continue
        y, x = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        a = rng.uniform(0, np.pi)
        u, v = (x - c[0]) * np.cos(a) + (y - c[1]) * np.sin(a), -(x - c[0]) * np.sin(a) + (y - c[1]) * np.cos(a)
        img[y0:y1, x0:x1] += (rng.uniform(200, 320) * np.exp(-(u / sx) ** 2 - (v / sy) ** 2))[..., None]


def _camera_blur(img: np.ndarray, p: SceneParams, scale: float, rng: np.random.Generator) -> np.ndarray:
    if p.motion_blur:
        n = max(3, int(p.motion_blur * scale))
        k = np.zeros((n, n), np.float32)
        k[n // 2] = 1.0 / n
        rot = cv2.getRotationMatrix2D(((n - 1) / 2, (n - 1) / 2), float(rng.uniform(0, 180)), 1.0)
        k = cv2.warpAffine(k, rot, (n, n))
        img = cv2.filter2D(img, -1, k / max(float(k.sum()), 1e-6))
    return cv2.GaussianBlur(img, (0, 0), p.blur * scale) if p.blur > 0 else img


# --------------------------------------------------------------------------------------------- assembly
@functools.lru_cache(maxsize=6)
def _clean(p: SceneParams, seed: int, w: int, h: int, page: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The noiseless frame (uint8) and the page corners; cached so a steady camera re-renders cheaply."""
    # One random stream per layer, so that taking the page away leaves the desk, objects and light unchanged.
    r_geom, r_desk, r_obj, r_page, r_light, r_cam = (np.random.default_rng([seed, 0xDE5C, i]) for i in range(6))
    corners, ppm = _page_corners(p, r_geom, w, h)
    desk_ppm = ppm if PAGE_KINDS[p.kind][0] != "id_card" else ppm * 0.6
    img = np.ascontiguousarray(_desk(r_desk, p.desk, h, w, desk_ppm))
    things = [_pen, _phone, _round_thing]
    kinds = [int(r_obj.integers(0, 3)) for _ in range(p.clutter)]
    # Only a pen may lie on top of the page: people move phones and cups away before scanning.
    objects = [(things[k], k == 0 and r_obj.random() < 0.4, int(r_obj.integers(0, 2**31))) for k in kinds]
    for draw, on_top, s in objects:
        if not on_top:
            draw(img, np.random.default_rng(s), h, w, desk_ppm)
    if p.second_sheet and page:
        _second_sheet(img, r_page, w, h, desk_ppm)
    if page:
        layer, mask = _page_layer(p, corners, w, h)
        _shadow(img, mask, tuple(r_page.uniform(1, 4, size=2) * desk_ppm), 2 * desk_ppm, 0.3)
        _blend(img, mask, layer)
        _fingers(img, r_page, p, corners)
    for draw, on_top, s in objects:
        if on_top:
            draw(img, np.random.default_rng(s), h, w, desk_ppm)
    img *= _illumination(p, r_light, w, h, corners.mean(axis=0))
    if page and p.glare:
        _glare(img, r_page, corners, p.glare)
    # Blur is given at 1280x720; a higher-resolution sensor resolves more, so blur grows slower than size.
    img = _camera_blur(img, p, math.sqrt(w / 1280.0), r_cam)
    out = np.clip(img, 0, 255).astype(np.uint8)
    out.setflags(write=False)
    return out, (corners if page else None)


def _fingers(img: np.ndarray, rng: np.random.Generator, p: SceneParams, corners: np.ndarray) -> None:
    """Fingers holding the page: side by side across an edge, and optionally a thumb over a corner."""
    if p.fingers <= 0 and not p.corner_finger:
        return
    size = float(np.linalg.norm(corners[0] - corners[2]))
    r = size * float(rng.uniform(0.025, 0.035))
    skin = np.array(_SKIN[int(rng.integers(0, len(_SKIN)))], np.float32)
    centre = corners.mean(axis=0)
    if p.fingers > 0:
        side = int(rng.integers(0, 4))
        a, b = corners[side], corners[(side + 1) % 4]
        t0 = rng.uniform(0.15, 0.85 - 0.05 * p.fingers)
        along = (b - a) / np.linalg.norm(b - a)
        side_sign = along[0] * (centre - a)[1] - along[1] * (centre - a)[0]  # 2-D cross product
        inward = np.array([-along[1], along[0]]) * (1 if side_sign > 0 else -1)
        for i in range(p.fingers):
            tip = a + (b - a) * t0 + along * i * r * 2.1 + inward * r * rng.uniform(1.0, 3.0)
            _finger(img, rng, tip, inward + rng.normal(0, 0.08, 2), r, size * 0.35, skin)
    if p.corner_finger:
        k = int(rng.integers(0, 4))
        d = centre - corners[k]
        d /= np.linalg.norm(d)
        _finger(img, rng, corners[k] + d * r * rng.uniform(1.0, 2.5), d + rng.normal(0, 0.2, 2), r * 1.2, size * 0.4, skin)


def render_scene(seed: int, width: int = 1280, height: int = 720, *, frame: int = 0, page: bool = True,
                 **options: object) -> Scene:
    """Render scene ``seed`` as frame ``frame`` of a steady camera.

    ``options`` override any SceneParams field (e.g. ``category="fingers"``, ``kind="id_front"``,
    ``desk="wood"``, ``blur=2.0``, ``glare=1``, ``cut_off=True``, ``jpeg_quality=0``); unknown names raise.
    With ``page=False`` the same desk is shown without any paper (and without fingers or the second sheet).
    """
    names = {f.name for f in fields(SceneParams)}
    unknown = set(options) - names
    if unknown:
        raise TypeError(f"unknown scene options: {sorted(unknown)}")
    p = _draw_params(int(seed), options.get("category"), options.get("kind"))  # type: ignore[arg-type]
    p = replace(p, **options)  # type: ignore[arg-type]
    clean, corners = _clean(p, int(seed), int(width), int(height), bool(page))
    img = _sensor(clean, p, int(seed), int(frame))
    quad = Quad.from_points(corners, reorder=True) if corners is not None else None
    cut = bool(corners is not None and (corners.min() < -0.5 or corners[:, 0].max() > width - 0.5
                                         or corners[:, 1].max() > height - 0.5))
    return Scene(image=img, quad=quad, kind=p.kind if page else None,
                 paper=PAGE_KINDS[p.kind][0] if page else None, category=p.category,
                 cut_off=cut, upside_down=bool(page and p.upside_down), params=p)


def _sensor(clean: np.ndarray, p: SceneParams, seed: int, frame: int) -> np.ndarray:
    """Per-frame sensor effects: noise, slight exposure flicker and the camera's JPEG compression."""
    rng = np.random.default_rng([seed, frame, 0x5E75])
    gain = float(1 + rng.normal(0, 0.006))
    noise = rng.standard_normal(clean.shape, dtype=np.float32) * np.float32(p.noise)
    img = np.clip(clean.astype(np.float32) * np.float32(gain) + noise, 0, 255).astype(np.uint8)
    if p.jpeg_quality > 0:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(p.jpeg_quality)])
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else img
    return img
