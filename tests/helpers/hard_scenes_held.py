"""The rendered kind ``held`` (issue 22 item 1, round 14): a page held up in a hand, or laid on a printer's lid, as
the description of the held-apart image-parser source gives them (its photos are not looked at). Its own seed stream.

Even seeds: a white or printed page held by fingers at one or two edges (skin-coloured fingers crossing the edge, a
thumb on the page), slightly bent (its sides gently curved, the corners where they are), against a bright, partly
overexposed window with a frame and mullions (seed // 2 % 3 == 0), against blinds (== 1), or in an indoor room
(== 2); against the light the page is darker than the window round it. Odd seeds: a page on a grey or black printer
lid whose own rectangle is in view (the lid's edges against the printer body, a hinge, a glass strip), the page
turned against the lid. Light fall-off, lens blur, sensor noise and JPEG as the other kinds (hard_scenes._finish).
"""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _blank, _finish, _page_quad, _paste, _ruled_form, _text_lines, _text_page

_SKIN = np.array([125, 155, 210], np.float32)   # BGR, a light skin tone at full light


def render(seed: int) -> HardScene:
    rng = np.random.default_rng([seed, 9401])
    if seed % 2 == 0:
        img, quad = _held(rng, (seed // 2) % 3)
    else:
        img, quad = _on_lid(rng)
    return HardScene("held", seed, _finish(img, rng), quad)


def _sheet(rng: np.random.Generator) -> np.ndarray:
    what = int(rng.integers(0, 3))
    if what == 0:
        return _ruled_form(rng)
    if what == 1:
        return _text_page(rng)
    sheet = _blank(840, 1188, (246, 246, 243))   # a nearly blank page: a heading and a few lines
    _text_lines(sheet, rng, 0.15, 0.6, 0.1, 0.2)
    return sheet


def _held(rng: np.random.Generator, where: int) -> tuple[np.ndarray, np.ndarray]:
    img = np.empty((H, W, 3), np.float32)
    if where < 2:   # a window: bright sky, partly overexposed (over 255 before the fall-off), frame and mullions
        y = np.linspace(0, 1, H)[:, None, None]
        img[:] = rng.uniform(265, 320) - rng.uniform(0, 60) * y + rng.uniform(-8, 8, 3)
        frame = rng.uniform(40, 90) if rng.random() < 0.5 else rng.uniform(200, 235)
        if where == 0:   # frame and mullions
            x0, x1 = rng.uniform(0.02, 0.12) * W, rng.uniform(0.88, 0.98) * W
            t = int(rng.integers(18, 40))
            for x in (x0, x1, (x0 + x1) / 2 + rng.uniform(-80, 80)):
                img[:, int(x) - t // 2:int(x) + t // 2] = frame
            for yy in (rng.uniform(0.02, 0.15) * H, rng.uniform(0.4, 0.6) * H):
                img[int(yy) - t // 3:int(yy) + t // 3, :] = frame
        else:            # blinds: slats across, lit and shaded, the lower ones partly drawn
            period = int(rng.integers(22, 40))
            slat = rng.uniform(150, 215)
            for yy in range(int(rng.uniform(0, period)), int(rng.uniform(0.55, 1.0) * H), period):
                img[yy:yy + int(period * 0.7)] = slat + rng.uniform(-5, 5)
                img[yy + int(period * 0.7) - 3:yy + int(period * 0.7)] = slat * 0.6
            img[:, :int(rng.uniform(0.02, 0.1) * W)] = frame
        light = rng.uniform(0.6, 0.82)             # the page against the light
    else:           # an indoor room: a wall, a door or shelf, the floor
        wall = np.array([rng.uniform(120, 180)] * 3) + rng.uniform(-15, 15, 3)
        img[:] = wall
        fx, fw = rng.uniform(0.05, 0.6) * W, rng.uniform(0.2, 0.35) * W
        img[int(rng.uniform(0.05, 0.2) * H):, int(fx):int(fx + fw)] = wall * rng.uniform(0.55, 0.8)
        img[int(rng.uniform(0.78, 0.9) * H):] = np.array([70, 95, 120]) * rng.uniform(0.7, 1.2)
        light = rng.uniform(0.9, 1.0)
    sheet = (_sheet(rng).astype(np.float32) * light).astype(np.uint8)
    quad = _page_quad(rng, 210, 297, rng.uniform(0.65, 0.85))
    _warp_bent(img, sheet, quad, rng.uniform(0.005, 0.02) * H * rng.choice([-1, 1], 2))
    tone = _SKIN * rng.uniform(0.75, 1.05) * (light if where < 2 else 1.0)
    sides = [int(rng.integers(0, 4))]
    if rng.random() < 0.5:
        sides.append((sides[0] + 2) % 4)   # the opposite side too: held in both hands
    for side in sides:
        _hand(img, rng, quad, side, tone)
    return img, quad


def _warp_bent(img: np.ndarray, sheet: np.ndarray, quad: np.ndarray, bow: np.ndarray) -> None:
    """Warp ``sheet`` onto ``img`` at ``quad``, its sides bowed by ``bow`` (pixels: top/bottom, left/right)."""
    sh, sw = sheet.shape[:2]
    unit = np.float32([[0, 0], [1, 0], [1, 1], [0, 1]])
    to_unit = cv2.getPerspectiveTransform(np.float32(quad), unit)
    along = quad[1] - quad[0], quad[3] - quad[0]
    n_v = along[1] / np.linalg.norm(along[1])   # across the top and bottom sides
    n_u = along[0] / np.linalg.norm(along[0])   # across the left and right sides
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
    pts = np.stack([xs, ys], axis=-1).reshape(-1, 1, 2)
    uv = cv2.perspectiveTransform(pts, to_unit).reshape(-1, 2)
    for _ in range(3):   # invert the bow (small) by fixed-point iteration
        u, v = uv[:, 0], uv[:, 1]
        d = (bow[0] * 4 * u * (1 - u))[:, None] * n_v + (bow[1] * 4 * v * (1 - v))[:, None] * n_u
        uv = cv2.perspectiveTransform((pts.reshape(-1, 2) - d).astype(np.float32).reshape(-1, 1, 2), to_unit)
        uv = uv.reshape(-1, 2)
    mx = (uv[:, 0] * sw - 0.5).reshape(H, W).astype(np.float32)
    my = (uv[:, 1] * sh - 0.5).reshape(H, W).astype(np.float32)
    warped = cv2.remap(sheet, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT).astype(np.float32)
    mask = cv2.remap(np.full((sh, sw), 255, np.uint8), mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    mask = mask.astype(np.float32)[..., None] / 255.0
    img[:] = img * (1 - mask) + warped * mask


def _hand(img: np.ndarray, rng: np.random.Generator, quad: np.ndarray, side: int, tone: np.ndarray) -> None:
    """Fingers crossing side ``side`` (0 top, 1 right, 2 bottom, 3 left) from outside, a thumb on the page."""
    a, b = quad[side], quad[(side + 1) % 4]
    inward = quad.mean(axis=0) - (a + b) / 2
    inward /= np.linalg.norm(inward)
    at = a + (b - a) * rng.uniform(0.25, 0.75)
    along = (b - a) / np.linalg.norm(b - a)
    colour = [float(c) for c in tone]
    width = int(rng.integers(26, 40))
    for k in range(int(rng.integers(2, 4))):   # fingers behind the page, their tips just over the edge
        base = at + along * (k - 1) * width * 1.05
        tip = base + inward * rng.uniform(10, 30)
        cv2.line(img, tuple(int(v) for v in base - inward * 220), tuple(int(v) for v in tip), colour, width, cv2.LINE_AA)
    thumb = at + inward * rng.uniform(30, 60) + along * rng.uniform(-20, 20)
    root = at - inward * 140 - along * width * 2
    cv2.line(img, tuple(int(v) for v in root), tuple(int(v) for v in thumb), colour, int(width * 1.2), cv2.LINE_AA)
    cv2.ellipse(img, tuple(int(v) for v in thumb), (int(width * 0.7), int(width * 0.55)),
                float(np.degrees(np.arctan2(inward[1], inward[0]))), 0, 360, colour, -1, cv2.LINE_AA)


def _on_lid(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    body = rng.uniform(150, 210) if rng.random() < 0.6 else rng.uniform(60, 100)   # the printer body round the lid
    img = np.empty((H, W, 3), np.float32)
    img[:] = body + rng.uniform(-6, 6, 3)
    lid_luma = rng.uniform(80, 140) if rng.random() < 0.5 else rng.uniform(22, 50)
    lid = _page_quad(rng, 330, 230, rng.uniform(0.95, 1.15))
    lid_img = np.empty((460, 660, 3), np.float32)
    lid_img[:] = lid_luma + rng.uniform(-3, 3, 3)
    lid_img += cv2.GaussianBlur(rng.normal(0, 4, (460, 660)).astype(np.float32), (0, 0), 1.0)[..., None]
    side = int(rng.integers(0, 2))
    if side == 0:   # a glass strip (the feeder's scan glass) along the lid's left end
        lid_img[20:440, 10:40] = rng.uniform(15, 30)
        lid_img[20:440, 24:26] = rng.uniform(120, 170)   # its reflection
    else:           # the hinges at the lid's far side
        for x in (100, 500):
            lid_img[5:30, x:x + 70] = lid_luma * 0.45
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [660, 0], [660, 460], [0, 460]]), np.float32(lid + 0.5))
    warped = cv2.warpPerspective(lid_img, m, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((460, 660), 1.0, np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    img[:] = img * (1 - mask) + warped * mask
    quad = _page_quad(rng, 210, 297, rng.uniform(0.55, 0.75))
    turn = np.deg2rad(rng.uniform(4, 15) * rng.choice([-1, 1]))
    c = quad.mean(axis=0)
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    quad = (quad - c) @ rot.T + c
    sheet = (_sheet(rng).astype(np.float32) * rng.uniform(0.85, 1.0)).astype(np.uint8)
    _paste(img, sheet, quad)
    return img, quad
