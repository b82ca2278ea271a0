"""The rendered kind ``cover_dark`` (issue 22 item 1, round 6): a booklet or book cover of one dark colour (dark red
as a household register, navy, dark green, black-ish) with a luma of 40-110, as the held-apart red book cover and
dark blue magazine show: with a gold emblem and title, with a printed picture block (a light photo rectangle with
strong straight edges, as the paperback's pictured tablet), or plain but for a small title; on a pale desk and on a
darker plain desk, with a soft drop shadow on one scene in two. Its own seed stream."""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _finish, _page_quad, _paste, _text_lines
from .hard_scenes_more import _GOLD, _emblem, _glyphs

# Cover colours (BGR, at luma about 70): dark red, navy, dark green, black-ish.
_COLOURS = ([40, 45, 135], [110, 55, 30], [55, 95, 35], [52, 50, 48])
_SIZES = ((150, 215), (125, 176), (88, 125), (170, 240))   # a register, a book, a passport, a large book


def render(seed: int) -> HardScene:
    rng = np.random.default_rng([seed, 9201])
    base = np.array(_COLOURS[seed % len(_COLOURS)], np.float32)
    luma = rng.uniform(40, 110)
    colour = base * luma / float(base.mean())
    w_mm, h_mm = _SIZES[int(rng.integers(0, len(_SIZES)))]
    ww, hh = int(w_mm * 4), int(h_mm * 4)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (hh, ww)).astype(np.float32), (0, 0), 1.5)
    sheet = np.clip(colour[None, None] * (1 + 0.05 * grain[..., None]), 0, 255).astype(np.uint8)
    gold = tuple(float(v) for v in np.array(_GOLD) * rng.uniform(0.85, 1.1))
    what = (seed // 4) % 3
    if what == 0:     # an emblem and a title in gold
        _emblem(sheet, (0.5, 0.4), 0.18, gold)
        _glyphs(sheet, rng, 0.2, 0.8, 0.68, 0.07, gold)
    elif what == 1:   # a printed picture block: a light photo rectangle with straight edges, under a title
        x0, x1 = rng.uniform(0.1, 0.2), rng.uniform(0.8, 0.9)
        y0, y1 = rng.uniform(0.25, 0.35), rng.uniform(0.7, 0.85)
        block = np.array([rng.uniform(170, 235) for _ in range(3)], np.float32)
        cv2.rectangle(sheet, (int(x0 * ww), int(y0 * hh)), (int(x1 * ww), int(y1 * hh)), block.tolist(), -1)
        pic = sheet[int(y0 * hh):int(y1 * hh), int(x0 * ww):int(x1 * ww)]
        _text_lines(pic, rng, 0.1, 0.9, 0.15, 0.5)
        cv2.circle(pic, (pic.shape[1] // 2, int(pic.shape[0] * 0.7)), pic.shape[0] // 6, (60, 90, 140), -1)
        _glyphs(sheet, rng, 0.15, 0.85, 0.08, 0.08, (235, 235, 235))
    else:             # plain but for a small title
        _glyphs(sheet, rng, 0.3, 0.7, 0.15, 0.06, gold)
    img = np.empty((H, W, 3), np.float32)
    pale = seed % 2 == 0
    img[:] = (rng.uniform(165, 205) if pale else rng.uniform(120, 150)) + rng.uniform(-6, 6, 3)
    quad = _page_quad(rng, w_mm, h_mm, rng.uniform(0.55, 0.8))
    if rng.random() < 0.5:
        _paste(img, sheet, quad)            # a soft drop shadow
    else:
        _flat(img, sheet, quad)
    return HardScene("cover_dark", seed, _finish(img, rng), quad)


def _flat(img: np.ndarray, sheet: np.ndarray, quad: np.ndarray) -> None:
    sh, sw = sheet.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), np.float32(quad + 0.5))
    warped = cv2.warpPerspective(sheet, m, (W, H), flags=cv2.INTER_AREA).astype(np.float32)
    mask = cv2.warpPerspective(np.full((sh, sw), 255, np.uint8), m, (W, H), flags=cv2.INTER_LINEAR)
    mask = mask.astype(np.float32)[..., None] / 255.0
    img[:] = img * (1 - mask) + warped * mask
