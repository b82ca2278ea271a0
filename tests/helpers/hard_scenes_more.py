"""Two more rendered hard-scene kinds of ``hard_scenes`` (issue 22 item 1), each with its own seed stream:
``near_border``, a sheet near a frame border on a pale grey desk lit from beyond that border, and ``cover``,
coloured covers (a household register, a marriage certificate, a passport, a magazine, a coloured form)."""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _desk, _finish, _page_quad, _paste, _text_lines, _text_page


def render(kind: str, seed: int) -> HardScene:
    return _near_border(seed) if kind == "near_border" else _cover_scene(seed)


def _near_border(seed: int, gap: float | None = None) -> HardScene:
    """Issue 22 item 1 (docs/docscan.md, "What still fails"): a sheet on a pale grey desk 5-60 px from a frame
    border, the desk brightening towards that border (a lamp or a window beyond it, reversed vignetting), so the
    sheet's side there is a faint step of 10-25 grey levels while the frame border is the strongest "edge" round
    it; in one scene in three the sheet casts a soft shadow on that side. ``gap`` (pixels) overrides the distance
    drawn; a negative one puts the sheet that far over the border (a page truly cut by the frame)."""
    rng = np.random.default_rng([seed, 2201])
    paper = rng.uniform(205, 238)
    desk = rng.uniform(145, 180)
    tint = rng.uniform(-3, 3, 3)
    side = seed % 4                     # the border the sheet is near: 0 left, 1 right, 2 top, 3 bottom
    landscape = rng.random() < 0.3
    quad = _page_quad(rng, 297 if landscape else 210, 210 if landscape else 297, rng.uniform(0.55, 0.8))
    extent = quad.max(axis=0) - quad.min(axis=0)
    quad = quad.mean(axis=0) + (quad - quad.mean(axis=0)) * min(1.0, float(np.min(np.array([W, H]) * 0.9 / extent)))
    quad += np.array([W, H]) / 2 - (quad.max(axis=0) + quad.min(axis=0)) / 2 + rng.uniform(-20, 20, 2)
    gap = rng.uniform(5, 60) if gap is None else gap
    axis, lo = (0, side == 0) if side < 2 else (1, side == 2)
    size = (W, H)[axis]
    quad[:, axis] += (gap - quad[:, axis].min()) if lo else (size - 1 - gap - quad[:, axis].max())
    # The desk's luma: a lamp or a window just beyond that border lights it, most near one point of the border
    # and falling off with the distance from there, so the sheet's side there is a faint step: 10-14 grey levels
    # where the light is strongest, more (up to about 25) further along. Elsewhere the plain desk.
    step = rng.uniform(7, 12)
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
    along = (xs, ys)[1 - axis]
    dist = (xs, ys)[axis] if lo else size - 1 - (xs, ys)[axis]    # distance from the near border
    span = quad[:, 1 - axis]
    lamp = rng.uniform(span.min(), span.max())                     # where along the border the light is
    beyond = rng.uniform(20, 150)                                  # how far beyond the border
    radius = rng.uniform(0.25, 0.45) * size                        # how far into the frame it reaches
    light = 1.0 / (1.0 + ((along - lamp) ** 2 + (dist + beyond) ** 2) / radius ** 2) ** 1.5
    near_side = np.abs(quad[:, axis] - (0 if lo else size - 1)).min()
    at_edge = 1.0 / (1.0 + (near_side + beyond) ** 2 / radius ** 2) ** 1.5
    lift = (paper - step - desk) / at_edge                         # the desk at the side's lit point
    img = (desk + lift * light)[..., None] + tint[None, None, :]
    ramp = light / light.max()
    # Light on the paper too, a little: the sheet is brighter towards the border as well.
    lit = 1 + 0.04 * ramp
    sheet = _text_page(rng)
    sh, sw = sheet.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), np.float32(quad + 0.5))
    warped = cv2.warpPerspective(sheet, m, (W, H), flags=cv2.INTER_AREA).astype(np.float32) * (paper / 245.0)
    mask = cv2.warpPerspective(np.full((sh, sw), 255, np.uint8), m, (W, H), flags=cv2.INTER_LINEAR)
    mask = mask.astype(np.float32) / 255.0
    if seed % 3 == 1:   # a soft shadow cast towards the border (the light is behind the camera's side)
        shift = [0, 0]
        shift[1 - axis] = int(rng.uniform(3, 7)) * (-1 if lo else 1)
        shadow = cv2.GaussianBlur(np.roll(mask, tuple(shift), axis=(0, 1)), (0, 0), rng.uniform(2, 4))
        img *= (1 - rng.uniform(0.15, 0.3) * shadow)[..., None]
    img = img * (1 - mask[..., None]) + warped * mask[..., None]
    img *= lit[..., None]
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.1))
    img = img + rng.normal(0, rng.uniform(1.5, 3.5), img.shape)
    out = np.clip(img, 0, 255).astype(np.uint8)
    _, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(75, 92))])
    return HardScene("near_border", seed, cv2.imdecode(buf, cv2.IMREAD_COLOR), quad)


# ------------------------------------------------------------------------------------------- coloured covers
# Cover colours (BGR) and sizes (mm) of what citizens lay under a Shenzhen kiosk's camera: the household
# register (居民户口簿, dark red-brown), the marriage certificate (结婚证, red), a passport (burgundy).
_COVERS = {"hukou": ((38, 46, 110), (150, 215)), "marriage": ((36, 34, 178), (185, 128)),
           "passport": ((48, 30, 104), (88, 125))}
_GOLD = (70, 175, 215)


def _glyphs(sheet: np.ndarray, rng: np.random.Generator, x0: float, x1: float, y: float, h: float,
            colour) -> None:
    """A line of bold printed characters between x0 and x1 (fractions of the width), each a few strokes in a
    square cell of height ``h`` (fraction of the height) at row ``y``: a title, not text to read."""
    hh, ww = sheet.shape[:2]
    size = h * hh
    n = max(1, int((x1 - x0) * ww / (size * 1.15)))
    thick = max(2, int(size / 8))
    for i in range(n):
        cx = x0 * ww + (i + 0.5) * (x1 - x0) * ww / n
        top, left = y * hh, cx - size / 2
        for _ in range(int(rng.integers(3, 6))):
            if rng.random() < 0.5:   # horizontal stroke
                yy = top + rng.uniform(0.1, 0.9) * size
                a, b = left + rng.uniform(0, 0.4) * size, left + rng.uniform(0.6, 1.0) * size
                cv2.line(sheet, (int(a), int(yy)), (int(b), int(yy)), colour, thick, cv2.LINE_AA)
            else:                    # vertical or slanted stroke
                xx = left + rng.uniform(0.1, 0.9) * size
                a, b = top + rng.uniform(0, 0.3) * size, top + rng.uniform(0.7, 1.0) * size
                cv2.line(sheet, (int(xx), int(a)), (int(xx + rng.uniform(-0.2, 0.2) * size), int(b)), colour, thick,
                         cv2.LINE_AA)


def _emblem(sheet: np.ndarray, centre: tuple[float, float], r: float, colour) -> None:
    """A round gold emblem: a ring, a disc of rays and five stars (the national emblem, in outline)."""
    hh, ww = sheet.shape[:2]
    c = (int(centre[0] * ww), int(centre[1] * hh))
    rp = int(r * ww)
    cv2.circle(sheet, c, rp, colour, max(3, rp // 12), cv2.LINE_AA)
    cv2.circle(sheet, c, int(rp * 0.72), colour, -1, cv2.LINE_AA)
    for k in range(24):
        a = 2 * np.pi * k / 24
        cv2.line(sheet, c, (int(c[0] + rp * 0.95 * np.cos(a)), int(c[1] + rp * 0.95 * np.sin(a))), colour, 2)
    dark = tuple(int(v * 0.55) for v in colour)
    cv2.rectangle(sheet, (c[0] - rp // 3, c[1] - rp // 8), (c[0] + rp // 3, c[1] + rp // 4), dark, -1)
    for k, (dx, dy, s) in enumerate(((-0.3, -0.35, 0.16), (0.0, -0.5, 0.09), (0.18, -0.45, 0.08),
                                     (0.28, -0.3, 0.08), (0.3, -0.12, 0.08))):
        pts = [(c[0] + dx * rp + s * rp * (1 if j % 2 == 0 else 0.4) * np.cos(np.pi / 2 + j * np.pi / 5),
                c[1] + dy * rp - s * rp * (1 if j % 2 == 0 else 0.4) * np.sin(np.pi / 2 + j * np.pi / 5))
               for j in range(10)]
        cv2.fillPoly(sheet, [np.int32(pts)], dark)


def _booklet_cover(rng: np.random.Generator, name: str) -> np.ndarray:
    """A document's cover: one dark colour, leather-grained, with a gold emblem and a gold title (and, on the
    household register, a gold printed border)."""
    colour, (w_mm, h_mm) = _COVERS[name]
    ww, hh = int(w_mm * 4), int(h_mm * 4)
    base = np.array(colour, np.float32) * rng.uniform(0.85, 1.15)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (hh, ww)).astype(np.float32), (0, 0), 1.5)
    sheet = np.clip(base[None, None] * (1 + 0.06 * grain[..., None]), 0, 255).astype(np.uint8)
    gold = tuple(float(v) for v in np.array(_GOLD) * rng.uniform(0.85, 1.1))
    if name == "hukou":
        cv2.rectangle(sheet, (int(0.06 * ww), int(0.05 * hh)), (int(0.94 * ww), int(0.95 * hh)), gold, 3)
        _emblem(sheet, (0.5, 0.3), 0.17, gold)
        _glyphs(sheet, rng, 0.15, 0.85, 0.55, 0.08, gold)
    elif name == "marriage":
        _emblem(sheet, (0.5, 0.42), 0.1, gold)
        _glyphs(sheet, rng, 0.3, 0.7, 0.12, 0.14, gold)
        _glyphs(sheet, rng, 0.3, 0.7, 0.72, 0.07, gold)
    else:
        _glyphs(sheet, rng, 0.15, 0.85, 0.1, 0.06, gold)
        _emblem(sheet, (0.5, 0.45), 0.24, gold)
        _glyphs(sheet, rng, 0.25, 0.75, 0.72, 0.06, gold)
        cv2.rectangle(sheet, (int(0.4 * ww), int(0.86 * hh)), (int(0.6 * ww), int(0.92 * hh)), gold, 3)
    return sheet


def _magazine(rng: np.random.Generator) -> np.ndarray:
    """A magazine or brochure cover: a full-colour photo (sky, hills, a figure) under a masthead."""
    ww, hh = 840, 1100
    y = np.linspace(0, 1, hh, dtype=np.float32)[:, None, None]
    sky = np.array([rng.uniform(150, 230), rng.uniform(110, 190), rng.uniform(40, 120)], np.float32)
    ground = np.array([rng.uniform(20, 90), rng.uniform(60, 140), rng.uniform(20, 80)], np.float32)
    sheet = np.broadcast_to(sky * (1 - 0.3 * y), (hh, ww, 3)).copy()
    hills = (0.55 + 0.08 * np.sin(np.linspace(0, rng.uniform(4, 9), ww) + rng.uniform(0, 6)))[None, :]
    below = (y[..., 0] > hills)
    sheet[below] = (ground * rng.uniform(0.7, 1.1))
    blot = cv2.resize(rng.normal(0, 1, (12, 9)).astype(np.float32), (ww, hh), interpolation=cv2.INTER_CUBIC)
    sheet *= (1 + 0.15 * blot[..., None])
    fig = np.array([rng.uniform(30, 200) for _ in range(3)])
    cx = rng.uniform(0.35, 0.65) * ww
    cv2.ellipse(sheet, (int(cx), int(0.6 * hh)), (int(0.16 * ww), int(0.28 * hh)), 0, 0, 360, fig.tolist(), -1)
    cv2.circle(sheet, (int(cx), int(0.28 * hh)), int(0.09 * ww), (120, 150, 200), -1)
    mast = tuple(float(v) for v in rng.choice([[245, 245, 245], [40, 40, 220], [30, 200, 240]]))
    _glyphs(sheet, rng, 0.06, 0.94, 0.03, 0.13, mast)
    _glyphs(sheet, rng, 0.06, 0.5, 0.8, 0.035, (245, 245, 245))
    _glyphs(sheet, rng, 0.06, 0.4, 0.86, 0.035, (245, 245, 245))
    return np.clip(sheet, 0, 255).astype(np.uint8)


def _coloured_form(rng: np.random.Generator) -> np.ndarray:
    """A form printed on coloured paper (pink, yellow, blue or green), ruled, with a coloured header band."""
    tint = np.array(rng.choice([[200, 190, 245], [150, 230, 245], [240, 215, 175], [190, 235, 195]]), np.float32)
    sheet = np.full((1188, 840, 3), tint * rng.uniform(0.9, 1.0), np.uint8)
    band = tuple(float(v) for v in tint * 0.55)
    cv2.rectangle(sheet, (60, 60), (780, 170), band, -1)
    _glyphs(sheet, rng, 0.2, 0.8, 0.07, 0.06, (250, 250, 250))
    for i in range(12):
        y = 220 + i * 75
        cv2.line(sheet, (60, y), (780, y), (60, 60, 60), 3)
    cv2.line(sheet, (280, 220), (280, 1045), (60, 60, 60), 3)
    _text_lines(sheet, rng, 0.12, 0.85, 0.2, 0.9)
    return sheet


def _cover_scene(seed: int) -> HardScene:
    """Issue 22, item 1: a coloured cover under the camera. Seeds cycle through the household register, the
    marriage certificate, a passport, a magazine cover and a coloured form; desks cycle wood, pale, dark."""
    rng = np.random.default_rng([seed, 9001])
    what = ("hukou", "marriage", "passport", "magazine", "form")[seed % 5]
    img = _desk(rng, ("wood", "pale", "dark")[seed % 3])
    if what in _COVERS:
        sheet = _booklet_cover(rng, what)
        w_mm, h_mm = _COVERS[what][1]
        fill = rng.uniform(0.45, 0.6) if what == "passport" else rng.uniform(0.6, 0.8)
    elif what == "magazine":
        sheet, (w_mm, h_mm), fill = _magazine(rng), (210, 275), rng.uniform(0.75, 0.88)
    else:
        sheet, (w_mm, h_mm), fill = _coloured_form(rng), (210, 297), rng.uniform(0.75, 0.88)
    quad = _page_quad(rng, w_mm, h_mm, fill)
    _paste(img, sheet, quad, radius=0.02 if what == "passport" else 0.0)
    return HardScene("cover", seed, _finish(img, rng), quad)
