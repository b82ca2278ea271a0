"""The rendered kind ``receipt_pale`` (issue 22 item 1, round 22): a long thermal till receipt (80 mm wide, 200-290
mm long, print in a column with 4-7 mm margins: a heading, item lines, a barcode) on a plain pale grey surface
nearly its own shade (the paper 1-5 grey levels lighter), as the tuning photo adck872/ReceiptScanningAI
``receipt/light2.jpg`` shows: no step along its long sides, only a thin rim there, 2-3 px and 8-14 levels BRIGHTER
than both flanks (the cut edge catching the light) on even seeds, DARKER (its thin shadow) on odd seeds; the ends
curl and shade, 8-15 levels darker over their last 4-8 mm. Not in hard_scenes.KINDS (the bench's kinds stay as
they are); its own seed stream. ``render(seed, rims=False)`` draws the same print column on the same surface with
no paper edge at all (a block of print on a pale desk's own texture: no page to find)."""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _finish, _page_quad, _text_lines

_PX_MM = 4   # sheet pixels per millimetre before the warp


def render(seed: int, rims: bool = True) -> HardScene:
    """Scene ``seed`` (see the module docstring)."""
    rng = np.random.default_rng([seed, 2207])
    desk = rng.uniform(170, 200)
    paper = desk + rng.uniform(1, 5)
    length = rng.uniform(200, 290)
    sw, sh = 80 * _PX_MM, int(length * _PX_MM)
    sheet = np.full((sh, sw, 3), paper, np.float32)
    margin = rng.uniform(4, 7) / 80
    _text_lines(sheet, rng, margin, 1 - margin, 0.06, 0.2)              # heading block
    cv2.rectangle(sheet, (int(0.3 * sw), int(0.03 * sh)), (int(0.7 * sw), int(0.05 * sh)), (40, 40, 40), -1)
    _text_lines(sheet, rng, margin, 1 - margin, 0.25, 0.75)             # the items
    x = margin * sw
    while x < (1 - margin) * sw:                                         # a barcode
        bar = float(rng.integers(1, 4))
        cv2.rectangle(sheet, (int(x), int(0.8 * sh)), (int(x + bar), int(0.88 * sh)), (35, 35, 35), -1)
        x += bar + float(rng.integers(1, 4))
    _text_lines(sheet, rng, 0.25, 0.75, 0.91, 0.95)
    quad = _page_quad(rng, 80, length, rng.uniform(0.72, 0.82))
    img = np.full((H, W, 3), desk, np.float32) + rng.uniform(-2, 2, 3)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    img += (rng.uniform(-6, 6) * (xx / W - 0.5) + rng.uniform(-6, 6) * (yy / H - 0.5))[..., None]
    if rims:
        curl = int(rng.uniform(4, 8) * _PX_MM)
        shade = rng.uniform(8, 15)
        ramp = np.clip(1 - np.arange(curl, dtype=np.float32) / curl, 0, 1) ** 1.5 * shade
        sheet[:curl] -= ramp[:, None, None]
        sheet[sh - curl:] -= ramp[::-1, None, None]
        rim = rng.uniform(8, 14) * (1 if seed % 2 == 0 else -1)
        width = int(rng.integers(4, 6))   # sheet px: 2-3 px in the frame
        sheet[:, :width] = np.clip(sheet[:, :width] + rim, 0, 255)
        sheet[:, sw - width:] = np.clip(sheet[:, sw - width:] + rim, 0, 255)
        m = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), np.float32(quad + 0.5))
        warped = cv2.warpPerspective(sheet, m, (W, H), flags=cv2.INTER_AREA)
        mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
        img = img * (1 - mask) + warped * mask
    else:   # the print alone, on the surface: the paper is the surface's own shade and has no edge
        ink = (sheet.mean(axis=2) < 100).astype(np.float32)
        m = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), np.float32(quad + 0.5))
        mask = cv2.warpPerspective(ink, m, (W, H), flags=cv2.INTER_AREA)[..., None]
        img = img * (1 - mask) + 40.0 * mask
    return HardScene("receipt_pale", seed, _finish(img, rng), quad)


def render_short(seed: int, paper: bool = True) -> HardScene:
    """A short receipt (round 26; adck872/ReceiptScanningAI ``images/receipt2.jpg``): 80 mm wide and 120-150 mm long,
    so its print is wider than a column (short/long 0.55-0.65), the paper 2-5 levels over the surface; its right
    and bottom sides cast a thin shadow line (2-3 px, 25-40 levels darker, as dark as print) just outside the paper,
    its left side only the plain step, its top end 6-10 levels darker over its last 3-6 mm (the curl). Its own seed
    stream (not among ``render``'s). ``paper=False`` draws the same print on the surface with no paper, no shadow
    line and no curl (a block of print wider than a column on a pale desk: no page to find)."""
    rng = np.random.default_rng([seed, 2607])
    desk = rng.uniform(150, 185)
    shade = desk + rng.uniform(2, 5)
    length = rng.uniform(120, 150)
    sw, sh = 80 * _PX_MM, int(length * _PX_MM)
    sheet = np.full((sh, sw, 3), shade, np.float32)
    margin = rng.uniform(4, 7) / 80
    cv2.rectangle(sheet, (int(0.3 * sw), int(0.05 * sh)), (int(0.7 * sw), int(0.09 * sh)), (40, 40, 40), -1)
    _text_lines(sheet, rng, margin, 1 - margin, 0.12, 0.7)
    x = margin * sw
    while x < (1 - margin) * sw:                                         # a barcode
        bar = float(rng.integers(1, 4))
        cv2.rectangle(sheet, (int(x), int(0.74 * sh)), (int(x + bar), int(0.84 * sh)), (35, 35, 35), -1)
        x += bar + float(rng.integers(1, 4))
    _text_lines(sheet, rng, margin, 1 - margin, 0.87, 0.93)
    curl = int(rng.uniform(3, 6) * _PX_MM)
    sheet[:curl] -= (np.clip(1 - np.arange(curl, dtype=np.float32) / curl, 0, 1) ** 1.5 * rng.uniform(6, 10))[:, None,
                                                                                                        None]
    quad = _page_quad(rng, 80, length, rng.uniform(0.72, 0.82))
    img = np.full((H, W, 3), desk, np.float32) + rng.uniform(-2, 2, 3)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    img += (rng.uniform(-6, 6) * (xx / W - 0.5) + rng.uniform(-6, 6) * (yy / H - 0.5))[..., None]
    # the shadow line: a band just outside the right and bottom sides, drawn in the sheet's frame then warped
    pad = 24
    big = np.zeros((sh + 2 * pad, sw + 2 * pad), np.float32)
    width = int(rng.integers(5, 7))   # sheet px: 2-3 px in the frame
    big[pad:pad + sh + width, pad + sw:pad + sw + width] = 1.0
    big[pad + sh:pad + sh + width, pad:pad + sw + width] = 1.0
    src = np.float32([[pad, pad], [pad + sw, pad], [pad + sw, pad + sh], [pad, pad + sh]])
    m = cv2.getPerspectiveTransform(src, np.float32(quad + 0.5))
    line = cv2.warpPerspective(big, m, (W, H), flags=cv2.INTER_AREA)[..., None]
    dark = rng.uniform(25, 40)
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), np.float32(quad + 0.5))
    if paper:
        img -= dark * line
        warped = cv2.warpPerspective(sheet, m, (W, H), flags=cv2.INTER_AREA)
        mask = cv2.warpPerspective(np.ones((sh, sw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
        img = img * (1 - mask) + warped * mask
    else:
        ink = (sheet.mean(axis=2) < 100).astype(np.float32)
        mask = cv2.warpPerspective(ink, m, (W, H), flags=cv2.INTER_AREA)[..., None]
        img = img * (1 - mask) + 40.0 * mask
    return HardScene("receipt_pale", seed, _finish(img, rng), quad)
