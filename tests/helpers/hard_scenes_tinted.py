"""The rendered kind ``tinted`` (issue 22 item 1, round 5): a light tinted document (a cyan train ticket, a pink,
yellow, green or blue card or form) a shade DARKER than the pale desk it lies on, as the tuning photo
hed-2016004_2017112013811_1.jpg shows, with print on three scenes in four; one scene in four has the desk a
little darker than the document instead (the usual case, kept as a check). Its own seed stream."""
from __future__ import annotations

import cv2
import numpy as np

from devices.camera.docscan.refine import to_opponent

from .hard_scenes import H, W, HardScene, _desk, _finish_kept, _page_quad, _paste, _text_lines

# Tints (BGR, at full brightness) and sizes (mm): a train ticket, an ID-sized card, an A5 slip, an A4 form.
_TINTS = ([238, 235, 200], [215, 205, 250], [175, 235, 250], [200, 245, 205], [250, 225, 200])
_SIZES = ((87, 55), (85.6, 54), (148, 210), (210, 297))


def render(seed: int, beds: list[np.ndarray] | None = None) -> HardScene:
    """Scene ``seed``; the desk without the document is appended to ``beds`` (the learned empty bed)."""
    rng = np.random.default_rng([seed, 9101])
    tint = np.array(_TINTS[seed % len(_TINTS)], np.float32)
    w_mm, h_mm = _SIZES[int(rng.integers(0, len(_SIZES)))]
    doc = rng.uniform(185, 215)                      # the document's luma
    lighter_desk = seed % 4 != 3
    desk = doc + (rng.uniform(6, 15) if lighter_desk else -rng.uniform(15, 30))
    img = _desk(rng, "pale")
    img[:] = np.clip(desk + rng.uniform(-3, 3, 3), 0, 255)
    # A pale tint: its chroma 8-16 opponent units off neutral (the ticket in the photo: about 10).
    dev = tint - tint.mean()
    colour = doc + dev * rng.uniform(8, 16) / float(np.linalg.norm(to_opponent(tint[None, None])[0, 0, 1:]))
    ww, hh = (int(w_mm * 4), int(h_mm * 4)) if w_mm * 4 >= 300 else (int(w_mm * 8), int(h_mm * 8))
    sheet = np.empty((hh, ww, 3), np.uint8)
    sheet[:] = np.clip(colour, 0, 255).astype(np.uint8)
    if rng.random() < 0.75:
        _text_lines(sheet, rng, 0.1, 0.85, 0.15, 0.85)
    fill = rng.uniform(0.5, 0.8) if max(w_mm, h_mm) < 100 else rng.uniform(0.7, 0.88)
    quad = _page_quad(rng, w_mm, h_mm, fill)
    if beds is not None:
        beds.append(img.copy())
    if lighter_desk:   # lying flat under diffuse light: no drop shadow along its sides
        _flat(img, sheet, quad)
    else:
        _paste(img, sheet, quad, radius=0.04 if max(w_mm, h_mm) < 100 else 0.0)
    assert img.shape == (H, W, 3)
    return HardScene("tinted", seed, _finish_kept(img, rng, (seed, "tinted")), quad)


def _flat(img: np.ndarray, sheet: np.ndarray, quad: np.ndarray) -> None:
    """Warp ``sheet`` onto ``img`` at ``quad`` without a drop shadow."""
    sh, sw = sheet.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]]), np.float32(quad + 0.5))
    warped = cv2.warpPerspective(sheet, m, (W, H), flags=cv2.INTER_AREA).astype(np.float32)
    mask = cv2.warpPerspective(np.full((sh, sw), 255, np.uint8), m, (W, H), flags=cv2.INTER_LINEAR)
    mask = mask.astype(np.float32)[..., None] / 255.0
    img[:] = img * (1 - mask) + warped * mask
