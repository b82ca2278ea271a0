"""Passive liveness measures: what a face region's pixels and landmarks say without asking anything.

- ``texture``: band-pass (difference of Gaussians) energy over the region's contrast. A re-captured print
  is blurred twice (ink spread, the camera focusing on paper) and its contrast is compressed, so its fine
  detail (pores, hair, eyelashes) is weak for its contrast; skin in front of a camera keeps it.
- ``moire``: how far the strongest isolated peak of the region's spectrum stands above the spectrum's
  level at that frequency. A screen's subpixel grid, sampled by the camera's pixels, beats into periodic
  fringes: sharp peaks (in brightness and in the red-blue difference); a face's spectrum falls smoothly.
- ``depth``: a flat picture moves as one plane, so one homography maps its landmarks from a frontal frame
  to a turned one; a head does not (the nose swings across the cheeks). The residual of the best
  homography, over the face's width, is the depth evidence.

Each returns a plain float; the thresholds live in settings (kiosk.settings.LivenessSettings), chosen
from bench/bench_liveness.py's measurements.
"""
from __future__ import annotations

import cv2
import numpy as np

Box = tuple[float, float, float, float]

TEXTURE_SIZE = 128  # the face region is resampled to this many pixels across before measuring texture
MOIRE_SIZE = 128  # the FFT window (pixels of the frame, not resampled: resampling would blur the fringes)


def _crop(frame: np.ndarray, box: Box, shrink: float) -> np.ndarray:
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    hw, hh = w * shrink / 2, h * shrink / 2
    H, W = frame.shape[:2]
    x0, x1 = int(max(0, cx - hw)), int(min(W, cx + hw))
    y0, y1 = int(max(0, cy - hh)), int(min(H, cy + hh))
    return frame[y0:y1, x0:x1]


def _gray(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return img.astype(np.float32)
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32)


def texture(frame: np.ndarray, box: Box) -> float:
    """Fine-detail energy of the inner face over its coarse contrast (higher: more like skin)."""
    crop = _crop(frame, box, 0.7)
    if crop.size == 0 or min(crop.shape[:2]) < 16:
        return float("nan")
    g = cv2.resize(_gray(crop), (TEXTURE_SIZE, TEXTURE_SIZE), interpolation=cv2.INTER_AREA)
    fine = cv2.GaussianBlur(g, (0, 0), 0.7) - cv2.GaussianBlur(g, (0, 0), 2.0)
    coarse = cv2.GaussianBlur(g, (0, 0), 2.0)
    return float(fine.std() / (coarse.std() + 4.0) * 100)


def _peakiness(channel: np.ndarray) -> float:
    n = channel.shape[0]
    win = np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)
    c = channel - channel.mean()
    mag = np.abs(np.fft.fftshift(np.fft.fft2(c * win)))
    yy, xx = np.mgrid[0:n, 0:n]
    r = np.hypot(yy - n / 2, xx - n / 2).astype(np.int32)
    band = (r >= 8) & (r < n // 2)
    # the spectrum's level at each radius (its median over the ring), so a face's 1/f fall-off cancels
    level = np.zeros(r.max() + 1, np.float32)
    for radius in range(8, n // 2):
        ring = mag[r == radius]
        level[radius] = np.median(ring) + 1e-6
    ratio = mag[band] / level[r[band]]
    return float(np.max(ratio))


def moire(frame: np.ndarray, box: Box) -> float:
    """How far the strongest periodic component of the face region stands above the spectrum (higher:
    more like a screen), the larger of the brightness and the red-blue difference."""
    crop = _crop(frame, box, 0.8)
    if crop.size == 0 or min(crop.shape[:2]) < 32:
        return float("nan")
    h, w = crop.shape[:2]
    n = min(MOIRE_SIZE, h, w)
    y0, x0 = (h - n) // 2, (w - n) // 2
    patch = crop[y0:y0 + n, x0:x0 + n].astype(np.float32)
    gray = _gray(patch)
    scores = [_peakiness(gray)]
    if patch.ndim == 3:
        scores.append(_peakiness(patch[:, :, 2] - patch[:, :, 0]))
    return max(scores)


def depth(reference: np.ndarray, turned: np.ndarray, face_width: float) -> float:
    """Residual of the best homography from ``reference`` landmarks (a frontal frame) to ``turned`` ones,
    root mean square over the face's width (0: a plane; a head turned 20 degrees gives several %)."""
    if len(reference) < 5 or face_width <= 0:
        return float("nan")
    src = reference.astype(np.float64)
    dst = turned.astype(np.float64)
    hom, _ = cv2.findHomography(src, dst, 0)
    if hom is None:
        return float("nan")
    fitted = cv2.perspectiveTransform(src.reshape(-1, 1, 2), hom).reshape(-1, 2)
    return float(np.sqrt(np.mean(np.sum((fitted - dst) ** 2, axis=1))) / face_width * 100)
