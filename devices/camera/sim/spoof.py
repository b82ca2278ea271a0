"""What a camera sees of a face that is not there: a printed photo, or a face on a phone or monitor screen.

Physically motivated image transforms, used by the simulated face camera (``sim://face?spoof=...``) and
by bench/bench_liveness.py on portraits the simulator never rendered:

- ``printed``: a photo print seen again. Printing and re-focusing blur it twice, paper and ink compress
  its contrast and colour (a print reflects at most ~90 % and its blacks are grey), paper has a faint
  texture of its own, and the halftone screen (150-200 lpi) is far below what a face camera resolves at
  arm's length, so it averages out.
- ``on_screen``: a picture shown on an LCD/OLED screen. The screen is a grid of red, green and blue
  subpixels with dark gaps (the black matrix); the camera's pixels sample that grid at a pitch close to
  their own, and the difference beats into moire fringes, coloured and periodic. Screens also emit light:
  brighter, bluer, and with their own gamma.
"""
from __future__ import annotations

import cv2
import numpy as np


def printed(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A photo print of ``image`` as a camera sees it (before any hand movement)."""
    img = image.astype(np.float32) / 255
    img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(1.1, 1.6)))  # ink spread + the camera's refocus
    gray = img.mean(axis=2, keepdims=True)
    img = gray + (img - gray) * float(rng.uniform(0.6, 0.8))  # ink gamut: duller colour
    img = 0.12 + img * float(rng.uniform(0.7, 0.8))  # paper white ~0.9, ink black ~0.12
    h, w = img.shape[:2]
    paper = rng.normal(0, 0.012, (h // 8 + 1, w // 8 + 1)).astype(np.float32)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_CUBIC)
    img = img + paper[:, :, None]
    return np.clip(img * 255, 0, 255).astype(np.uint8)


def subpixel_grid(shape: tuple[int, int], pitch_px: float, angle_deg: float, ss: int = 4,
                  fill: float = 0.8) -> np.ndarray:
    """The screen's RGB stripe grid sampled ``ss`` times per camera pixel: (h*ss, w*ss, 3) weights, each
    subpixel passing its own colour, dark between columns and rows (the black matrix)."""
    h, w = shape
    ys, xs = np.mgrid[0:h * ss, 0:w * ss].astype(np.float32) / ss
    a = np.radians(angle_deg)
    u = (xs * np.cos(a) + ys * np.sin(a)) / pitch_px  # across subpixel columns, in screen pixels
    v = (-xs * np.sin(a) + ys * np.cos(a)) / pitch_px  # along them
    frac = u - np.floor(u)
    row_on = ((v - np.floor(v)) < 0.88).astype(np.float32)
    grid = np.zeros((h * ss, w * ss, 3), np.float32)
    for channel, start in ((2, 0.0), (1, 1 / 3), (0, 2 / 3)):  # BGR order: red first on the screen
        grid[:, :, channel] = ((frac >= start) & (frac < start + fill / 3)) * row_on
    return grid * (3 / (fill * 0.88))  # mean ~1 per channel


_WEIGHTS: dict[tuple, np.ndarray] = {}


def screen_weights(shape: tuple[int, int], pitch_px: float, angle_deg: float, ss: int = 4) -> np.ndarray:
    """What each camera pixel integrates of the grid: (h, w, 3). Content that is smooth at the camera's
    scale times these weights equals integrating content x grid over each pixel (the moire)."""
    key = (shape, round(pitch_px, 4), round(angle_deg, 3), ss)
    w = _WEIGHTS.get(key)
    if w is None:
        grid = subpixel_grid(shape, pitch_px, angle_deg, ss)
        w = cv2.resize(grid, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
        if len(_WEIGHTS) > 8:
            _WEIGHTS.clear()
        _WEIGHTS[key] = w
    return w


# How much of the grid's contrast survives the lens (its blur and the sensor's fill factor soften it). Set so
# the fringes score like a real phone screen's in a real kiosk-like frame (bench/bench_liveness.py: ~14 on
# the external sample), not the full contrast of a black matrix in focus.
SCREEN_CONTRAST = 0.015


def on_screen(image: np.ndarray, rng: np.random.Generator, pitch_px: float | None = None,
              angle_deg: float | None = None, weights: np.ndarray | None = None,
              contrast: float = SCREEN_CONTRAST) -> np.ndarray:
    """``image`` (the camera's view of the screen's area, before the screen) as shown on a screen:
    the subpixel grid multiplied in at a pitch near the camera's own, integrated over each camera pixel.
    ``weights``: precomputed ``screen_weights`` of the image's shape (a camera rendering many frames)."""
    pitch = float(pitch_px if pitch_px is not None else rng.uniform(1.15, 1.6))
    angle = float(angle_deg if angle_deg is not None else rng.uniform(-8, 8))
    h, w = image.shape[:2]
    if weights is None:
        weights = screen_weights((h, w), pitch, angle)
    img = image.astype(np.float32) / 255 * (1 + contrast * (weights - 1))
    img = np.clip(img, 0, 1) ** float(rng.uniform(0.8, 0.95))  # the screen's gamma lifts the shadows
    img = img * np.array([1.06, 1.0, 0.94], np.float32) + 0.03  # emitted light: bluer, brighter
    return np.clip(img * 255, 0, 255).astype(np.uint8)


def plane_homography(w: float, h: float, center: tuple[float, float], yaw_deg: float, tilt_deg: float = 0.0,
                     focal_px: float = 900.0) -> np.ndarray:
    """The homography that turns a flat picture of ``w`` x ``h`` pixels (its middle at ``center``) about
    its vertical axis by ``yaw_deg`` (and its horizontal axis by ``tilt_deg``) in front of a pinhole
    camera of focal length ``focal_px``: how a hand turns a photo or a phone."""
    a, b = np.radians(yaw_deg), np.radians(tilt_deg)
    ry = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    r = rx @ ry
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    corners = np.array([[x - w / 2, y - h / 2, 0.0] for x, y in src]) @ r.T
    z = focal_px + corners[:, 2]
    dst = np.stack([center[0] + corners[:, 0] * focal_px / z, center[1] + corners[:, 1] * focal_px / z], axis=1)
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32))
