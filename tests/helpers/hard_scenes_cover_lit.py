"""The rendered kind ``cover_lit`` (issue 22 item 1, round 7): a glossy coloured cover (green, blue, red, purple) of a
study book or a magazine carrying print (a big letter or picture block, a white title block, lines of text), under
uneven light, as the tuning photos fmeow-328817937.jpg and fmeow-47866230.jpg show. Even seeds: on speckled black
granite (luma 25-45) with a neutral glare band (45-80 grey levels at its middle) along the cover's top edge and across
the desk on both sides of it. Odd seeds: on a cream desk lit from beyond one end, 25-40 grey levels brighter there
than at the other. A soft drop shadow as every rendered page. Its own seed stream."""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _finish, _page_quad, _paste, _text_lines

# Cover colours (BGR): green, blue, red, purple; print: a yellow, orange or pink block and a white title block.
_COLOURS = ([60, 170, 20], [200, 140, 30], [40, 40, 190], [140, 50, 120])
_BLOCKS = ([30, 210, 230], [40, 140, 240], [180, 120, 240])
_SIZES = ((185, 260), (210, 280), (150, 210))   # a study book, a magazine, an A5 book


def render(seed: int) -> HardScene:
    rng = np.random.default_rng([seed, 9307])
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    if seed % 2 == 0:   # speckled black granite
        img = np.full((H, W, 3), rng.uniform(25, 45), np.float32) + rng.normal(0, 6, (H, W, 1)).astype(np.float32)
    else:               # a cream desk
        img = np.full((H, W, 3), 1.0, np.float32) * np.array([185, 205, 215], np.float32) * rng.uniform(0.9, 1.0)
    colour = np.array(_COLOURS[int(rng.integers(0, len(_COLOURS)))], np.float32) * rng.uniform(0.85, 1.1)
    w_mm, h_mm = _SIZES[int(rng.integers(0, len(_SIZES)))]
    quad = _page_quad(rng, w_mm, h_mm, rng.uniform(0.75, 0.9))
    ww, hh = int(w_mm * 2), int(h_mm * 2)
    sheet = np.full((hh, ww, 3), np.clip(colour, 0, 255), np.uint8)
    bx0, by0 = rng.uniform(0.08, 0.15), rng.uniform(0.2, 0.35)
    block = [float(v) for v in _BLOCKS[int(rng.integers(0, len(_BLOCKS)))]]
    bx1, by1 = rng.uniform(0.4, 0.5), rng.uniform(0.7, 0.8)
    cv2.rectangle(sheet, (int(bx0 * ww), int(by0 * hh)), (int(bx1 * ww), int(by1 * hh)), block, -1)
    tx0 = rng.uniform(0.55, 0.62)
    cv2.rectangle(sheet, (int(tx0 * ww), int(rng.uniform(0.1, 0.15) * hh)),
                  (int((tx0 + rng.uniform(0.15, 0.25)) * ww), int(rng.uniform(0.5, 0.65) * hh)), (245, 245, 245), -1)
    _text_lines(sheet, rng, 0.1, 0.9, 0.85, 0.93)
    _paste(img, sheet, quad)
    if seed % 2 == 0:   # a neutral glare band along the cover's top edge and across the desk beside it
        c = quad[0] + (quad[1] - quad[0]) * rng.uniform(0.3, 0.6) + (quad[3] - quad[0]) * rng.uniform(-0.02, 0.08)
        slope = rng.uniform(-0.35, 0.35)
        d = np.abs((x - c[0]) * slope - (y - c[1])) / np.hypot(slope, 1.0)
        img += rng.uniform(45, 80) * np.exp(-(d / rng.uniform(15, 25)) ** 2)[..., None]
    else:   # a lamp beyond one end of the desk
        ramp = x / W if rng.uniform() < 0.5 else 1 - x / W
        img *= (1 - rng.uniform(0.12, 0.18) + rng.uniform(0.12, 0.18) * ramp)[..., None]
    return HardScene("cover_lit", seed, _finish(img, rng), quad)
