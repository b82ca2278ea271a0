"""Things drawn on the simulated desk: fingers, pens, a phone, coins, and the shadows they cast.

Split out of ``scene`` (which lays out the whole scene): each function paints one object onto a float32 BGR
image in place, anti-aliased, from a seeded random generator.
"""
from __future__ import annotations

import math

import cv2
import numpy as np


def _capsule_mask(shape: tuple[int, int], p0: np.ndarray, p1: np.ndarray, r: float) -> tuple[np.ndarray, np.ndarray]:
    """Anti-aliased mask of a capsule (a finger, a pen) and its normalised distance from the axis (for shading)."""
    h, w = shape
    x0, x1 = int(max(0, min(p0[0], p1[0]) - r - 2)), int(min(w, max(p0[0], p1[0]) + r + 3))
    y0, y1 = int(max(0, min(p0[1], p1[1]) - r - 2)), int(min(h, max(p0[1], p1[1]) + r + 3))
    mask, dist = np.zeros((h, w), np.float32), np.ones((h, w), np.float32)
    if x1 <= x0 or y1 <= y0:
        return mask, dist
    y, x = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d = p1 - p0
    t = np.clip(((x - p0[0]) * d[0] + (y - p0[1]) * d[1]) / max(float(d @ d), 1e-6), 0, 1)
    dd = np.hypot(x - p0[0] - t * d[0], y - p0[1] - t * d[1])
    mask[y0:y1, x0:x1] = np.clip(r - dd + 0.5, 0, 1)
    dist[y0:y1, x0:x1] = np.clip(dd / r, 0, 1)
    return mask, dist


def _roi(mask: np.ndarray, pad: float = 0.0) -> tuple[slice, slice]:
    """The bounding box of a mask's non-zero pixels grown by ``pad``: drawing touches only this window."""
    x, y, bw, bh = cv2.boundingRect((mask > 0).view(np.uint8) if mask.dtype == bool else (mask > 0).astype(np.uint8))
    p = int(math.ceil(pad))
    h, w = mask.shape[:2]
    return slice(max(0, y - p), min(h, y + bh + p)), slice(max(0, x - p), min(w, x + bw + p))


def _blend(img: np.ndarray, mask: np.ndarray, colour: np.ndarray | float) -> None:
    """Paint ``colour`` (a constant or an image like ``img``) over ``img`` with coverage ``mask``."""
    ys, xs = _roi(mask)
    m = mask[ys, xs, None]
    c = colour[ys, xs] if isinstance(colour, np.ndarray) and colour.ndim == 3 else colour
    img[ys, xs] = img[ys, xs] * (1 - m) + m * c


def _shadow(img: np.ndarray, mask: np.ndarray, offset: tuple[float, float], sigma: float, strength: float) -> None:
    """Darken ``img`` under a soft, offset copy of ``mask`` (objects lying on the desk cast short shadows)."""
    ys, xs = _roi(mask, 3 * sigma + abs(offset[0]) + abs(offset[1]) + 2)
    m = np.ascontiguousarray(mask[ys, xs])
    m = cv2.warpAffine(m, np.float32([[1, 0, offset[0]], [0, 1, offset[1]]]), m.shape[::-1])
    m = cv2.GaussianBlur(m, (0, 0), max(sigma, 0.5))
    img[ys, xs] *= 1 - strength * m[..., None]


def _finger(img: np.ndarray, rng: np.random.Generator, tip: np.ndarray, direction: np.ndarray, r: float,
            length: float, skin: np.ndarray) -> None:
    """A shaded finger whose tip is at ``tip``, coming in along ``direction``, with its nail and shadow."""
    base = tip - direction * length
    mask, dist = _capsule_mask(img.shape[:2], base, tip - direction * r * 0.9, r)
    _shadow(img, mask, (r * 0.35, r * 0.45), r * 0.5, 0.45)
    ys, xs = _roi(mask)
    shade = np.sqrt(np.clip(1 - dist[ys, xs] ** 2, 0, 1))[..., None]
    colour = skin * (0.62 + 0.42 * shade) * float(rng.uniform(0.92, 1.05))
    m = mask[ys, xs, None]
    img[ys, xs] = img[ys, xs] * (1 - m) + m * colour
    nail, _ = _capsule_mask(img.shape[:2], tip - direction * r * 1.9, tip - direction * r * 1.3, r * 0.55)
    _blend(img, nail * 0.5, np.float32([200, 205, 235]))


def _pen(img: np.ndarray, rng: np.random.Generator, h: int, w: int, ppm: float) -> None:
    c = np.array([rng.uniform(0, w), rng.uniform(0, h)])
    a = rng.uniform(0, np.pi)
    d = np.array([np.cos(a), np.sin(a)]) * 70 * ppm
    r = 4.5 * ppm
    mask, dist = _capsule_mask((h, w), c - d, c + d, r)
    _shadow(img, mask, (3 * ppm, 3 * ppm), 2 * ppm, 0.4)
    colour = np.array(rng.choice([(160, 40, 20), (20, 20, 20), (30, 30, 170), (200, 200, 200)]), np.float32)
    shade = (0.55 + 0.6 * np.sqrt(np.clip(1 - dist ** 2, 0, 1)))[..., None]
    _blend(img, mask, colour * shade)


def _phone(img: np.ndarray, rng: np.random.Generator, h: int, w: int, ppm: float) -> None:
    c = (float(rng.uniform(0, w)), float(rng.uniform(0, h)))
    box = cv2.boxPoints((c, (70 * ppm, 145 * ppm), float(rng.uniform(0, 180)))).astype(np.int32)
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, box, 255, lineType=cv2.LINE_AA)
    m = mask.astype(np.float32) / 255
    _shadow(img, m, (4 * ppm, 4 * ppm), 3 * ppm, 0.5)
    _blend(img, m, np.float32(rng.choice([(25, 25, 25), (60, 50, 45), (200, 200, 205)])))
    inner = cv2.erode(mask, np.ones((max(3, int(8 * ppm)),) * 2, np.uint8)).astype(np.float32) / 255
    _blend(img, inner, np.float32([35, 20, 15]))


def _round_thing(img: np.ndarray, rng: np.random.Generator, h: int, w: int, ppm: float) -> None:
    """A coin, a cup base or a sticky note: a simple object with a clear edge."""
    c = np.array([rng.uniform(0, w), rng.uniform(0, h)])
    r = float(rng.uniform(10, 40)) * ppm
    mask, dist = _capsule_mask((h, w), c, c + 0.01, r)
    _shadow(img, mask, (2 * ppm, 2 * ppm), 2 * ppm, 0.35)
    colour = np.array(rng.choice([(80, 200, 240), (150, 150, 150), (60, 140, 200), (230, 230, 230)]), np.float32)
    _blend(img, mask, colour * (0.85 + 0.15 * (1 - dist))[..., None])
