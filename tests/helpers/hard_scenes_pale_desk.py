"""The rendered kind ``pale_desk`` (issue 22 item 1, round 24): a document on a bright white desk nearly its shade, as
the tuning photos tonyxlh-a4-white.jpg and tonyxlh-card-back-white.jpg show. Not in hard_scenes.KINDS (the bench's
kinds stay as they are); its own seed stream.

Even seeds, a page: a printed A4 page (text lines, a heading, one line of text underlined across the width) filling
0.86-0.92 of the frame's height, centred in height, its right side 12-40 px from the frame's right border; the paper
14-20 grey levels over the desk on its left, but the desk brightens towards the right border (a window or the lamp
beyond it), so along the right side the page steps only 4-7 levels.

Odd seeds, a card: an ID-1 card (85.6 x 54 mm) 0.42-0.52 of the frame high, turned 3-12 degrees: its upper three
quarters a pale patterned print (luma 140-170, a green-grey tint, fine wavy lines), a dark magnetic stripe 7-9 mm
tall 3-4 mm under its top edge, its lower quarter a white strip at the desk's own shade (+-3) carrying a barcode and
a small portrait; its cut edge a 1-2 px line 25-45 levels darker than the desk (its thin shadow), on a plain white
desk of luma 188-208 with a gentle light gradient. ``render(seed, card=False)`` leaves the card's print out: the desk
alone (no page to find).
"""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _finish, _text_lines

_PX_MM = 4   # sheet pixels per millimetre before the warp


def render(seed: int, card: bool = True) -> HardScene:
    """Scene ``seed`` (see the module docstring)."""
    rng = np.random.default_rng([seed, 2407])
    if seed % 2 == 0:
        return _page(seed, rng)
    return _card(seed, rng, card)


def _warp(img: np.ndarray, sheet: np.ndarray, quad: np.ndarray) -> np.ndarray:
    sh, sw = sheet.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), np.float32(quad + 0.5))
    warped = cv2.warpPerspective(sheet, m, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    return img * (1 - mask) + warped * mask


def _page(seed: int, rng: np.random.Generator) -> HardScene:
    paper = rng.uniform(200, 214)
    sw, sh = 210 * _PX_MM // 2, 297 * _PX_MM // 2
    sheet = np.full((sh, sw, 3), paper, np.float32) + np.array([2.0, 0.0, -1.0], np.float32)   # a cool white
    _text_lines(sheet, rng, 0.14, 0.86, 0.12, 0.9)
    cv2.line(sheet, (int(0.14 * sw), int(0.06 * sh)), (int(0.7 * sw), int(0.06 * sh)), (45, 45, 45), 3)
    y = int(rng.uniform(0.25, 0.4) * sh)
    cv2.line(sheet, (int(0.14 * sw), y + 6), (int(0.86 * sw), y + 6), (60, 60, 60), 2)   # an underlined line
    hgt = rng.uniform(0.86, 0.92) * H
    wid = hgt * 210 / 297
    gap = rng.uniform(12, 40)
    x1 = W - 1 - gap
    top = (H - hgt) / 2 + rng.uniform(-8, 8)
    ang = np.deg2rad(rng.uniform(-1.0, 1.0))
    quad = np.array([[x1 - wid, top], [x1, top], [x1, top + hgt], [x1 - wid, top + hgt]])
    c = quad.mean(axis=0)
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    quad = (quad - c) @ rot.T + c + rng.uniform(-3, 3, (4, 2))
    quad[:, 0] = np.minimum(quad[:, 0], W - 1 - 10)
    far, near = paper - rng.uniform(14, 20), paper - rng.uniform(4, 7)
    xx = np.arange(W, dtype=np.float32)[None, :]
    ramp = np.clip((xx - quad[:, 0].min()) / (quad[:, 0].max() - quad[:, 0].min()), 0, 1) ** 3
    desk = far + (near - far) * ramp
    img = np.repeat(np.repeat(desk[..., None], H, axis=0), 3, axis=2).astype(np.float32)
    img = _warp(img, sheet, quad)
    rng_finish = np.random.default_rng([seed, 2408])
    return HardScene("pale_desk", seed, _finish(img, rng_finish), quad)


def _card(seed: int, rng: np.random.Generator, card: bool) -> HardScene:
    desk = rng.uniform(188, 208)
    sw, sh = int(85.6 * _PX_MM * 2), int(54 * _PX_MM * 2)
    px = 2 * _PX_MM   # sheet pixels per mm
    base = rng.uniform(140, 170)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    wave = 6 * np.sin(xx * 0.35 + 3 * np.sin(yy * 0.05)) * np.sin(yy * 0.3)
    sheet = np.stack([base - 6 + wave, base + 4 + wave, base - 2 + wave], axis=-1)
    strip = int(0.75 * sh)
    sheet[strip:] = desk + rng.uniform(-3, 3)
    top = int(rng.uniform(3, 4) * px)
    sheet[top:top + int(rng.uniform(7, 9) * px)] = rng.uniform(30, 45)       # the magnetic stripe
    x = 0.05 * sw
    while x < 0.72 * sw:                                                     # a barcode on the white strip
        bar = float(rng.integers(2, 7))
        cv2.rectangle(sheet, (int(x), int(strip + 0.2 * (sh - strip))), (int(x + bar), int(sh - 0.2 * (sh - strip))),
                      (30, 30, 30), -1)
        x += bar + float(rng.integers(2, 7))
    cv2.ellipse(sheet, (int(0.88 * sw), int(strip + 0.5 * (sh - strip))), (int(0.04 * sw), int(0.08 * sh)), 0, 0,
                360, (70, 90, 120), -1)                                      # a small portrait
    _text_lines(sheet, rng, 0.05, 0.6, 0.4, 0.65)
    hgt = rng.uniform(0.42, 0.52) * H
    wid = hgt * 85.6 / 54
    ang = np.deg2rad(rng.uniform(3, 12) * rng.choice([-1, 1]))
    c = np.array([W / 2 + rng.uniform(-0.15, 0.15) * W, H / 2 + rng.uniform(-0.1, 0.1) * H])
    pts = np.array([[-wid / 2, -hgt / 2], [wid / 2, -hgt / 2], [wid / 2, hgt / 2], [-wid / 2, hgt / 2]])
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    quad = pts @ rot.T + c + rng.uniform(-0.01, 0.01, (4, 2)) * H
    img = np.full((H, W, 3), desk, np.float32)
    gy, gx = np.mgrid[0:H, 0:W].astype(np.float32)
    img += (rng.uniform(-8, 8) * (gx / W - 0.5) + rng.uniform(-8, 8) * (gy / H - 0.5))[..., None]
    if card:
        rim = np.zeros((H, W), np.uint8)
        cv2.polylines(rim, [np.round(quad * 4).astype(np.int32)], True, 255, int(rng.integers(5, 8)),
                      lineType=cv2.LINE_AA, shift=2)
        img -= (rim.astype(np.float32) / 255 * rng.uniform(25, 45))[..., None]
        img = _warp(img, sheet, quad * 0.5 + (quad.mean(axis=0) + (quad - quad.mean(axis=0)) * 0.994) * 0.5)
    rng_finish = np.random.default_rng([seed, 2408])
    return HardScene("pale_desk", seed, _finish(img, rng_finish), quad if card else None)
