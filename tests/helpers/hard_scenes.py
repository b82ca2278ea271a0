"""Rendered document-camera scenes for what the real photo sets lack (issue 22): forms with heavy ruling and
boxes, ID cards, till receipts, open booklets, a page on a stack of pages, pens and cables across the page,
a pale page on a pale desk with a finger on it, a sheet on a pale table whose own edges are in view, coloured
covers (a household register, a marriage certificate, a passport, a magazine, a coloured form), a pale tinted
document a shade darker than its desk (``tinted``, tests/helpers/hard_scenes_tinted.py), a dark cover (``cover_dark``,
tests/helpers/hard_scenes_cover_dark.py), a glossy coloured cover under uneven light (``cover_lit``,
tests/helpers/hard_scenes_cover_lit.py), a page held up in a hand or laid on a printer's lid (``held``,
tests/helpers/hard_scenes_held.py), and empty desks
(and an empty pale table) with clutter.

Drawn here with plain OpenCV, apart from the simulator's own renderer (devices.camera.sim.scene) and page
generator (docscan.pages), so the detector is not measured on the pictures it was developed against.
``render(kind, seed)`` is deterministic; the true quad is the top sheet's four corners (TL TR BR BL, pixels).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from devices.camera.sim import scene_cache

W, H = 1280, 720
KINDS = ("ruled_form", "id_card", "receipt", "booklet", "stacked", "objects_across", "pale_on_pale", "on_table",
         "near_border", "cover", "fold", "rule_split", "tinted", "cover_dark", "cover_lit",
         "held")
EMPTY_KINDS = ("empty_wood", "empty_pale", "empty_folder", "empty_cables", "empty_table")


@dataclass(frozen=True)
class HardScene:
    kind: str
    seed: int
    image: np.ndarray            # BGR uint8, H x W
    quad: np.ndarray | None      # (4, 2) true corners of the top sheet, None on an empty desk


def _desk(rng: np.random.Generator, style: str) -> np.ndarray:
    if style == "wood":
        base = np.array([60, 95, 140]) * rng.uniform(0.7, 1.2)
        y = np.arange(H, dtype=np.float32)[:, None]
        x = np.arange(W, dtype=np.float32)[None, :]
        grain = np.sin((x * 0.02 + y * 0.004 + 3 * np.sin(y * 0.01 + rng.uniform(0, 6))) * rng.uniform(3, 6))
        img = base[None, None, :] * (1 + 0.12 * grain[..., None])
    elif style == "pale":
        img = np.full((H, W, 3), rng.uniform(175, 205), np.float32) + rng.uniform(-8, 8, 3)
    elif style == "dark":
        img = np.full((H, W, 3), rng.uniform(35, 70), np.float32) + rng.uniform(-10, 10, 3)
    else:  # mid grey-green cutting mat with a grid
        img = np.full((H, W, 3), 1.0, np.float32) * np.array([90, 120, 80]) * rng.uniform(0.8, 1.1)
        step = int(rng.integers(30, 45))
        img[::step] *= 0.8
        img[:, ::step] *= 0.8
    return img.astype(np.float32)


def _page_quad(rng: np.random.Generator, w_mm: float, h_mm: float, fill: float) -> np.ndarray:
    """Corners of a sheet of w x h mm, rotated and slightly in perspective, filling about ``fill`` of the height."""
    s = fill * H / max(w_mm, h_mm) if h_mm >= w_mm else fill * H / h_mm * 0.9
    w, h = w_mm * s, h_mm * s
    if w > 0.9 * W:
        w, h = 0.9 * W, h * 0.9 * W / w
    ang = np.deg2rad(rng.uniform(-12, 12))
    c = np.array([W / 2 + rng.uniform(-0.1, 0.1) * W, H / 2 + rng.uniform(-0.05, 0.05) * H])
    pts = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    pts = pts @ rot.T + c
    pts += rng.uniform(-0.015, 0.015, pts.shape) * H   # perspective of a camera a little off the vertical
    return pts


def _paste(img: np.ndarray, sheet: np.ndarray, quad: np.ndarray, radius: float = 0.0) -> None:
    """Warp a flat sheet image onto the frame at ``quad``, with a soft drop shadow."""
    sh, sw = sheet.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), np.float32(quad + 0.5))
    mask_src = np.full((sh, sw), 255, np.uint8)
    if radius > 0:
        r = int(radius * sw)
        mask_src[:] = 0
        cv2.rectangle(mask_src, (r, 0), (sw - r, sh), 255, -1)
        cv2.rectangle(mask_src, (0, r), (sw, sh - r), 255, -1)
        for cx, cy in ((r, r), (sw - r, r), (sw - r, sh - r), (r, sh - r)):
            cv2.circle(mask_src, (cx, cy), r, 255, -1)
    warped = cv2.warpPerspective(sheet, m, (W, H), flags=cv2.INTER_AREA).astype(np.float32)
    mask = cv2.warpPerspective(mask_src, m, (W, H), flags=cv2.INTER_LINEAR).astype(np.float32) / 255.0
    shadow = cv2.GaussianBlur(np.roll(mask, (4, 5), axis=(0, 1)), (0, 0), 5)
    img *= (1 - 0.35 * shadow)[..., None]
    img[:] = img * (1 - mask[..., None]) + warped * mask[..., None]


def _blank(w_px: int, h_px: int, colour=(245, 245, 242)) -> np.ndarray:
    return np.full((h_px, w_px, 3), colour, np.uint8)


def _text_lines(sheet: np.ndarray, rng: np.random.Generator, x0: float, x1: float, y0: float, y1: float) -> None:
    h, w = sheet.shape[:2]
    y = y0 * h
    while y < y1 * h:
        x = x0 * w
        while x < x1 * w:
            ln = rng.uniform(0.02, 0.08) * w
            cv2.line(sheet, (int(x), int(y)), (int(min(x + ln, x1 * w)), int(y)), (40, 40, 40), max(1, h // 300))
            x += ln + 0.015 * w
        y += rng.uniform(0.022, 0.03) * h


def _ruled_form(rng: np.random.Generator) -> np.ndarray:
    """A government form: a thick printed frame a few mm in from the paper edge, a grid of boxed cells."""
    sheet = _blank(840, 1188)
    m = int(rng.uniform(0.035, 0.07) * 840)
    thick = int(rng.integers(4, 9))
    cv2.rectangle(sheet, (m, m), (840 - m, 1188 - m), (20, 20, 20), thick)
    rows = int(rng.integers(8, 16))
    for i in range(1, rows):
        y = m + i * (1188 - 2 * m) // rows
        cv2.line(sheet, (m, y), (840 - m, y), (30, 30, 30), max(2, thick - 2))
    for x in (m + 200, m + 420):
        cv2.line(sheet, (x, m), (x, 1188 - m), (30, 30, 30), max(2, thick - 3))
    if rng.random() < 0.5:   # a shaded header band
        cv2.rectangle(sheet, (m, m), (840 - m, m + 90), (200, 200, 200), -1)
        cv2.rectangle(sheet, (m, m), (840 - m, m + 90), (20, 20, 20), thick)
    _text_lines(sheet, rng, 0.12, 0.85, 0.12, 0.9)
    return sheet


def _id_card(rng: np.random.Generator) -> np.ndarray:
    tint = np.array([230, 215, 200]) + rng.uniform(-15, 15, 3)
    card = _blank(856, 540, tuple(int(v) for v in tint))
    g = np.linspace(0, 1, 856)[None, :, None]
    card = (card * (0.9 + 0.1 * g)).astype(np.uint8)
    cv2.rectangle(card, (560, 110), (800, 420), (150, 150, 160), -1)   # photo
    _text_lines(card, rng, 0.06, 0.6, 0.2, 0.8)
    return card


def _receipt(rng: np.random.Generator) -> np.ndarray:
    sheet = _blank(400, 1400, (250, 250, 250))
    _text_lines(sheet, rng, 0.08, 0.92, 0.04, 0.95)
    return sheet


def _booklet(rng: np.random.Generator) -> np.ndarray:
    spread = _blank(1250, 880, (238, 236, 230))
    _text_lines(spread, rng, 0.06, 0.45, 0.08, 0.9)
    _text_lines(spread, rng, 0.55, 0.94, 0.08, 0.9)
    x = np.abs(np.arange(1250) - 625) / 60.0
    spine = 1 - 0.35 * np.exp(-x ** 2)
    return (spread * spine[None, :, None]).astype(np.uint8)


def _text_page(rng: np.random.Generator) -> np.ndarray:
    sheet = _blank(840, 1188)
    _text_lines(sheet, rng, 0.1, 0.9, 0.08, 0.92)
    return sheet


def _pen(img: np.ndarray, rng: np.random.Generator, p0: np.ndarray, p1: np.ndarray) -> None:
    colour = rng.choice([[30, 30, 160], [160, 60, 20], [30, 30, 30], [200, 200, 200]])
    cv2.line(img, tuple(int(v) for v in p0), tuple(int(v) for v in p1), [float(c) for c in colour],
             int(rng.integers(9, 16)), cv2.LINE_AA)


def _cable(img: np.ndarray, rng: np.random.Generator) -> None:
    t = np.linspace(0, 1, 60)
    x = t * W
    y = H * (0.2 + 0.6 * rng.random()) + 80 * np.sin(t * rng.uniform(3, 8) + rng.uniform(0, 6))
    pts = np.stack([x, y], axis=1).astype(np.int32).reshape(-1, 1, 2)
    cv2.polylines(img, [pts], False, (25, 25, 25) if rng.random() < 0.6 else (235, 235, 235), 7, cv2.LINE_AA)


def _finger(img: np.ndarray, rng: np.random.Generator, at: np.ndarray) -> None:
    d = np.array([rng.uniform(-0.3, 0.3), 1.0])
    end = at + d * 400
    cv2.line(img, tuple(int(v) for v in at), tuple(int(v) for v in end), (120, 150, 205), 44, cv2.LINE_AA)


def _finish(img: np.ndarray, rng: np.random.Generator, noise_rng: np.random.Generator | None = None) -> np.ndarray:
    """Uneven light, lens blur, sensor noise, JPEG (the last two from ``noise_rng`` when given)."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    cx, cy = rng.uniform(0, W), rng.uniform(0, H)
    light = 1.0 - rng.uniform(0.05, 0.25) * ((x - cx) ** 2 + (y - cy) ** 2) / (W ** 2 + H ** 2)
    img = img * light[..., None]
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.2))
    noise_rng = rng if noise_rng is None else noise_rng
    img = img + noise_rng.normal(0, noise_rng.uniform(1.5, 4), img.shape)
    out = np.clip(img, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(noise_rng.integers(75, 92))])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def _floor(rng: np.random.Generator) -> np.ndarray:
    """A floor or wall darker than a table top: grey-brown, with a blotchy texture and tile joints."""
    base = np.array([80, 95, 110]) * rng.uniform(0.55, 1.25) + rng.uniform(-10, 10, 3)
    blot = cv2.resize(rng.normal(0, 1, (9, 16)).astype(np.float32), (W, H), interpolation=cv2.INTER_CUBIC)
    img = base[None, None, :] * (1 + 0.08 * blot[..., None])
    if rng.random() < 0.5:
        step = int(rng.integers(90, 160))
        img[::step] *= 0.7
        img[:, ::step] *= 0.7
    return img.astype(np.float32)


def _table_quad(rng: np.random.Generator, partly: bool) -> np.ndarray:
    """A table top seen from above and a little in front: a trapezoid (the far edge shorter), turned a little,
    wholly in view with floor all round, or (``partly``) running off the frame at the near side."""
    cx, cy = W / 2 + rng.uniform(-60, 60), H / 2 + rng.uniform(-30, 30)
    half_w, half_h = rng.uniform(0.36, 0.45) * W, rng.uniform(0.36, 0.44) * H
    narrow = rng.uniform(0.05, 0.15) * half_w
    pts = np.array([[-half_w + narrow, -half_h], [half_w - narrow, -half_h], [half_w, half_h], [-half_w, half_h]])
    if partly:
        pts[2:, 1] += rng.uniform(0.2, 0.35) * H
        pts[:, 0] *= rng.uniform(1.1, 1.3)
    ang = np.deg2rad(rng.uniform(-6, 6))
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    return pts @ rot.T + [cx, cy] + rng.uniform(-0.012, 0.012, (4, 2)) * H


def _table_top(rng: np.random.Generator, luma: float) -> np.ndarray:
    """A pale laminate table top of luma about ``luma``: nearly neutral, with a faint grain, as a flat image."""
    tw, th = 1400, 900
    top = np.full((th, tw, 3), luma, np.float32) + rng.uniform(-4, 4, 3)
    if rng.random() < 0.6:
        x = np.arange(tw, dtype=np.float32)[None, :]
        y = np.arange(th, dtype=np.float32)[:, None]
        grain = np.sin(x * 0.03 + 2 * np.sin(y * 0.01 + rng.uniform(0, 6)))
        top *= (1 + rng.uniform(0.01, 0.025) * grain)[..., None]
    return np.clip(top, 0, 255).astype(np.uint8)


def _on_table(rng: np.random.Generator, seed: int, with_sheet: bool,
              beds: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Issue 22 (e): a white or off-white sheet on a pale table top whose own edges and corners are in view
    against a darker floor (two scenes in three), or on a pale grey desk filling the frame with the sheet
    near the border, its edge there of low contrast (one in three)."""
    paper = rng.uniform(200, 238)
    if seed % 3 < 2:
        img = _floor(rng)
        # The table a small step darker than the paper, or (one scene in four) a little lighter. (Steps under
        # 10 grey levels are below what the detector counts as an edge, docscan.refine.STEP_MIN.)
        luma = paper + rng.uniform(10, 14) if rng.random() < 0.25 else paper - rng.uniform(12, 28)
        table = _table_quad(rng, partly=rng.random() < 0.4)
        _paste(img, _table_top(rng, luma), table)
        if not with_sheet:
            for _ in range(int(rng.integers(0, 3))):
                _pen(img, rng, *(table.mean(axis=0) + rng.uniform(-150, 150, (2, 2))))
            if beds is not None:
                beds.append(img.copy())
            return img, None
        quad = _page_quad(rng, 210, 297, rng.uniform(0.4, 0.6))
        quad += (table.mean(axis=0) - quad.mean(axis=0)) + rng.uniform(-50, 50, 2)
    else:
        desk = rng.uniform(150, 185)
        img = np.full((H, W, 3), desk, np.float32) + rng.uniform(-4, 4, 3)
        if not with_sheet:
            if beds is not None:
                beds.append(img.copy())
            return img, None
        quad = _page_quad(rng, 210, 297, rng.uniform(0.6, 0.8))
        side = int(rng.integers(0, 4))   # the sheet is near this frame border (0 left, 1 right, 2 top, 3 bottom)
        gap = rng.uniform(8, 30)
        axis, lo = (0, side == 0) if side < 2 else (1, side == 2)
        size = (W, H)[axis]
        quad[:, axis] += (gap - quad[:, axis].min()) if lo else (size - 1 - gap - quad[:, axis].max())
        # The desk brightens towards that border (a lamp, a window), so the sheet's edge there is faint.
        ramp = np.linspace(1.0, 0.0, size) if lo else np.linspace(0.0, 1.0, size)
        ramp = np.clip((ramp - 0.6) / 0.4, 0, 1) ** 1.5
        lift = (paper - 6 - desk) * ramp
        img += (lift[None, :, None] if axis == 0 else lift[:, None, None])
    sheet = _text_page(rng)
    sheet = np.clip(sheet.astype(np.float32) * paper / 245.0, 0, 255).astype(np.uint8)
    if beds is not None:
        beds.append(img.copy())
    _paste(img, sheet, quad)
    return img, quad


def render(kind: str, seed: int, *, bed: str | None = None) -> HardScene:
    """The scene ``kind`` number ``seed``. ``bed``: instead, the same desk without the page (what a technician's
    "learn the empty bed" saw before the citizen came), under the same light and noise (``"same"``) or under
    another light and noise (``"other"``: the lamp's fall-off and the noise drawn afresh).

    Drawn once per test run: many test files draw the same scenes, so the image is kept in the run's scene
    directory (devices/camera/sim/scene_cache.py) and each caller gets its own copy, byte for byte the same."""
    def draw() -> dict[str, np.ndarray]:
        scene = _render_scene(kind, seed, bed)
        return {"image": scene.image, "quad": np.zeros((0, 2)) if scene.quad is None else scene.quad}

    kept = scene_cache.cached_arrays(("hard-scene", kind, seed, bed), draw)
    return HardScene(kind, seed, kept["image"], kept["quad"] if kept["quad"].size else None)


def _render_scene(kind: str, seed: int, bed: str | None) -> HardScene:
    beds: list[np.ndarray] = []
    scene = _render(kind, seed, beds)
    if bed is None:
        return scene
    if not beds:
        raise ValueError(f"{kind!r} has no empty-bed picture")
    if bed == "same":   # the scene's light and blur, another frame's noise
        image = _finish(beds[0], _FINISH_RNG[seed, kind], np.random.default_rng([seed, 998]))
    else:
        image = _finish(beds[0], np.random.default_rng([seed, 999]))
    return HardScene(kind, seed, image, None)


_FINISH_RNG: dict[tuple[int, str], np.random.Generator] = {}   # the finishing generator before each scene's finish


def _finish_kept(img: np.ndarray, rng: np.random.Generator, key: tuple[int, str]) -> np.ndarray:
    import copy  # noqa: PLC0415

    _FINISH_RNG[key] = copy.deepcopy(rng)
    return _finish(img, rng)


def _render(kind: str, seed: int, beds: list[np.ndarray]) -> HardScene:
    if kind in ("fold", "rule_split"):   # their own seed stream too
        return _split_page(kind, seed)
    if kind == "tinted":   # its own seed stream too (issue 22 item 1, round 5)
        from . import hard_scenes_tinted  # noqa: PLC0415 (it builds on this module's pieces)
        return hard_scenes_tinted.render(seed, beds)
    if kind == "cover_dark":   # its own seed stream too (issue 22 item 1, round 6)
        from . import hard_scenes_cover_dark  # noqa: PLC0415 (it builds on this module's pieces)
        return hard_scenes_cover_dark.render(seed)
    if kind == "cover_lit":   # its own seed stream too (issue 22 item 1, round 7)
        from . import hard_scenes_cover_lit  # noqa: PLC0415 (it builds on this module's pieces)
        return hard_scenes_cover_lit.render(seed)
    if kind == "held":   # its own seed stream too (issue 22 item 1, round 14)
        from . import hard_scenes_held  # noqa: PLC0415 (it builds on this module's pieces)
        return hard_scenes_held.render(seed)
    if kind in ("near_border", "cover"):   # each its own seed stream: not moved by kinds added before it
        from . import hard_scenes_more  # noqa: PLC0415 (it builds on this module's pieces)
        return hard_scenes_more.render(kind, seed)
    rng = np.random.default_rng([seed, KINDS.index(kind) if kind in KINDS else 100 + EMPTY_KINDS.index(kind)])
    if kind in ("on_table", "empty_table"):
        img, quad = _on_table(rng, seed, with_sheet=kind == "on_table", beds=beds)
        return HardScene(kind, seed, _finish_kept(img, rng, (seed, kind)), quad)
    if kind in EMPTY_KINDS:
        style = {"empty_wood": "wood", "empty_pale": "pale", "empty_folder": "dark", "empty_cables": "mat"}[kind]
        img = _desk(rng, style)
        if kind == "empty_folder":   # a dark folder and a grey tablet: rectangles that are not paper
            _paste(img, _blank(500, 700, (40, 60, 120)), _page_quad(rng, 500, 700, 0.7))
            _paste(img, _blank(300, 450, (90, 90, 95)), _page_quad(rng, 300, 450, 0.4) + [300, 0])
        for _ in range(int(rng.integers(1, 4))):
            _pen(img, rng, rng.uniform([0, 0], [W, H]), rng.uniform([0, 0], [W, H]))
        if kind == "empty_cables" or rng.random() < 0.3:
            _cable(img, rng)
        beds.append(img.copy())
        return HardScene(kind, seed, _finish_kept(img, rng, (seed, kind)), None)

    desk_style = {"pale_on_pale": "pale", "stacked": "pale"}.get(kind, str(rng.choice(["wood", "dark", "mat"])))
    img = _desk(rng, desk_style)
    beds.append(img.copy())
    if kind == "ruled_form":
        quad = _page_quad(rng, 210, 297, rng.uniform(0.75, 0.92))
        _paste(img, _ruled_form(rng), quad)
    elif kind == "id_card":
        quad = _page_quad(rng, 85.6, 54, rng.uniform(0.45, 0.6))
        _paste(img, _id_card(rng), quad, radius=0.035)
    elif kind == "receipt":
        quad = _page_quad(rng, 80, 280, rng.uniform(0.7, 0.85))
        _paste(img, _receipt(rng), quad)
    elif kind == "booklet":
        quad = _page_quad(rng, 250, 176, rng.uniform(0.7, 0.85))
        _paste(img, _booklet(rng), quad)
    elif kind == "stacked":
        quad = _page_quad(rng, 210, 297, rng.uniform(0.7, 0.85))
        for _ in range(int(rng.integers(2, 4))):   # pages below, shifted and turned a little
            below = quad + rng.uniform(-40, 40, 2) + rng.uniform(-8, 8, quad.shape)
            _paste(img, _text_page(rng), below)
        _paste(img, _text_page(rng), quad)
        _pen(img, rng, quad[0] + [-60, 80], quad[1] + [80, 140])
    elif kind == "objects_across":
        quad = _page_quad(rng, 210, 297, rng.uniform(0.7, 0.88))
        _paste(img, _text_page(rng), quad)
        _pen(img, rng, quad[0] + (quad[3] - quad[0]) * 0.4 - [120, 0], quad[1] + (quad[2] - quad[1]) * 0.6 + [120, 0])
        _cable(img, rng)
    else:  # pale_on_pale: the paper only a little lighter than the desk, a finger holding it
        quad = _page_quad(rng, 210, 297, rng.uniform(0.7, 0.85))
        _paste(img, _text_page(rng), quad)
        _finger(img, rng, quad[3] + (quad[2] - quad[3]) * rng.uniform(0.2, 0.8) + [0, -30])
    return HardScene(kind, seed, _finish_kept(img, rng, (seed, kind)), quad)


def _columns(sheet: np.ndarray, rng: np.random.Generator, y0: float, y1: float, n: int) -> None:
    """Newspaper columns of text between y0 and y1 (fractions of the sheet), a bold headline bar in some."""
    for c in range(n):
        x0, x1 = 0.05 + 0.9 * c / n, 0.05 + 0.9 * (c + 1) / n - 0.015
        y = y0
        if rng.random() < 0.4:
            h, w = sheet.shape[:2]
            cv2.rectangle(sheet, (int(x0 * w), int(y * h)), (int(x1 * w), int((y + 0.025) * h)), (50, 50, 50), -1)
            y += 0.04
        _text_lines(sheet, rng, x0, x1, y, y1)


def _fold_sheet(rng: np.random.Generator, floor: float) -> tuple[np.ndarray, float]:
    """A newspaper (or letter) opened out: greyish paper, columns, a fold across the middle where the two halves
    meet at an angle, so the far half is a shade darker and the crease itself a dark line. The darker half stays
    at least ``floor`` in luma (a little lighter than the desk), so the page's far edge is faint but there."""
    paper = rng.uniform(205, 232)
    dim = rng.uniform(0.78, 0.9)
    paper = min(245.0, max(paper, floor / dim))
    dim = max(dim, min(0.97, floor / paper))
    sheet = _blank(900, 1250, tuple(int(paper + d) for d in rng.uniform(-6, 3, 3)))
    fold = rng.uniform(0.42, 0.58)
    _columns(sheet, rng, 0.05, fold - 0.03, int(rng.integers(3, 6)))
    _columns(sheet, rng, fold + 0.03, 0.95, int(rng.integers(3, 6)))
    out = sheet.astype(np.float32)
    y = np.arange(1250, dtype=np.float32)[:, None] / 1250 - fold
    shade = np.where(y > 0, dim, 1.0)          # the far half tilted away from the light
    crease = 1 - rng.uniform(0.25, 0.45) * np.exp(-(y * 1250 / rng.uniform(2.5, 5)) ** 2)
    out *= (shade * crease)[..., None]
    return np.clip(out, 0, 255).astype(np.uint8), fold


def _rule_sheet(rng: np.random.Generator, floor: float) -> np.ndarray:
    """A printed page: a figure or photo block in the top third, then a heavy rule across nearly the width,
    text below. The dimmest paper stays at least ``floor`` in luma."""
    paper = rng.uniform(205, 240)   # grey-ish under the light, close to a pale desk's luma
    sheet = _blank(840, 1188, tuple(int(paper + d) for d in rng.uniform(-4, 4, 3)))
    rule = rng.uniform(0.3, 0.42)
    m = rng.uniform(0.01, 0.04)
    x0, x1 = int(rng.uniform(0.03, 0.1) * 840), int(rng.uniform(0.9, 0.97) * 840)
    fig = sheet[int(rng.uniform(0.025, 0.06) * 1188):int((rule - 0.03) * 1188), x0:x1]
    fh, fw = fig.shape[:2]
    blot = cv2.resize(rng.normal(0, 1, (6, 9)).astype(np.float32), (fw, fh), interpolation=cv2.INTER_CUBIC)
    base = rng.uniform(40, 140, 3)   # a photo: mostly darker than paper, coloured
    fig[:] = np.clip(base[None, None] + 45 * blot[..., None] + rng.uniform(-20, 20, 3), 0, 255).astype(np.uint8)
    thick = int(rng.integers(5, 12))
    y = int(rule * 1188)
    cv2.line(sheet, (int(m * 840), y), (int((1 - m) * 840), y), (25, 25, 25), thick)
    _text_lines(sheet, rng, 0.08, 0.92, rule + 0.04, 0.93)
    # The lamp is beyond the far (lower) end: the figure's end of the sheet is in the light's fall-off, so its
    # edge against a pale desk steps less than the heavy rule does.
    dim = min(rng.uniform(0.08, 0.2), max(0.02, 1 - floor / paper))
    fall = 1 - dim * np.clip((rule - np.linspace(0, 1, 1188)) / rule, 0, 1) ** 0.7
    return np.clip(sheet * fall[:, None, None], 0, 255).astype(np.uint8)


def _split_page(kind: str, seed: int) -> HardScene:
    """Issue 22 (a): one long straight line inside the page, paper continuing beyond it to the true edge: a
    newspaper's fold (``fold``) or a heavy printed rule under a figure (``rule_split``). The line runs across
    the sheet's width or (one scene in three, the sheet turned) its length; any desk style; any light."""
    rng = np.random.default_rng([seed, 2302 if kind == "fold" else 2303])
    # Half on a pale desk: there the far edge beyond the line steps less than the line itself (the real failure).
    img = _desk(rng, str(rng.choice(["wood", "dark", "mat", "pale"], p=[0.2, 0.15, 0.15, 0.5])))
    floor = float(img.mean()) + rng.uniform(8, 20)   # the dimmest paper: over a pale desk, a faint step
    sheet = _fold_sheet(rng, floor)[0] if kind == "fold" else _rule_sheet(rng, floor)
    turn = int(rng.integers(0, 4)) if rng.random() < 0.34 else (0 if rng.random() < 0.5 else 2)
    sheet = np.ascontiguousarray(np.rot90(sheet, turn))
    sh, sw = sheet.shape[:2]
    quad = _page_quad(rng, sw, sh, rng.uniform(0.7, 0.9))
    _paste(img, sheet, quad)
    return HardScene(kind, seed, _finish(img, rng), quad)
