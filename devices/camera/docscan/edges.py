"""Step edges of a frame for page detection (docscan.detect, stage 1): Canny on luma and both chroma channels
of a small copy, keeping only pixels where the colour really steps, with each edge pixel's gradient normal."""
from __future__ import annotations

import cv2
import numpy as np

from .refine import STEP_MIN
from .work import Work


def as_bgr(image: np.ndarray) -> np.ndarray:
    """Accept grey, BGR or BGRA uint8 images."""
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image


def downscale(img: np.ndarray, long_side: int) -> np.ndarray:
    """Area-average halvings (OpenCV's fast path) down to at most twice the target, then one linear step."""
    while max(img.shape[:2]) > 2 * long_side:
        img = cv2.resize(img, (img.shape[1] // 2, img.shape[0] // 2), interpolation=cv2.INTER_AREA)
    f = long_side / max(img.shape[:2])
    if f < 1:
        img = cv2.resize(img, (max(8, round(img.shape[1] * f)), max(8, round(img.shape[0] * f))),
                         interpolation=cv2.INTER_LINEAR)
    return img


def edge_work(opp: np.ndarray, bands: np.ndarray, scale: float, gain: float, mask: np.ndarray | None = None
               ) -> Work:
    """The step edges of a small frame (Canny thresholds and the step floor times ``gain``; only inside
    ``mask`` if given), their gradient normals and the shared maps."""
    dx = cv2.Sobel(bands, cv2.CV_16S, 1, 0, ksize=3)
    dy = cv2.Sobel(bands, cv2.CV_16S, 0, 1, ksize=3)
    edges = cv2.Canny(dx, dy, 14 * gain, 36 * gain, L2gradient=True)
    step = step_map(opp)
    edges[step <= STEP_MIN * gain] = 0
    if mask is not None:
        edges &= mask
    edges = drop_short(edges)
    strong = edges.copy()
    strong[step <= 2.5 * STEP_MIN] = 0
    pts = cv2.findNonZero(edges)
    pts = pts.reshape(-1, 2) if pts is not None else np.zeros((0, 2), np.int32)
    xs, ys = pts[:, 0], pts[:, 1]
    # Direction of the colour gradient at each edge pixel (Di Zenzo's structure tensor over the three
    # channels): the normal of the line the pixel may lie on.
    # Gathered by flat index (np.take is cheaper than 2-D fancy indexing); the sums are of integers below
    # 2**24, exact in float32 in any order.
    flat = ys * opp.shape[1] + xs
    fx = np.take(dx.reshape(-1, 3), flat, axis=0).astype(np.float32)
    fy = np.take(dy.reshape(-1, 3), flat, axis=0).astype(np.float32)
    jxx, jxy, jyy = np.einsum("ij,ij->i", fx, fx), np.einsum("ij,ij->i", fx, fy), np.einsum("ij,ij->i", fy, fy)
    normal = (0.5 * np.arctan2(2 * jxy, jxx - jyy)) % np.pi
    return Work(opp=opp, edges=edges, strong=strong, scale=scale, ys=ys, xs=xs,
                 normal=np.asarray(normal, np.float32), strong_px=np.take(strong, flat) > 0)


# BGR -> the opponent channels as uint8 edge bands: luma * 14/18, chroma + 128 (as in OPPONENT).
BANDS = np.float32([[0.7778 / 3, 0.7778 / 3, 0.7778 / 3, 0.0], [0.0, -0.8, 0.8, 128.0], [-0.8, 0.4, 0.4, 128.0]])


def canny(gray: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """cv2.Canny from explicit Sobel derivatives (same result as Canny on the image with aperture 3).

    OpenCV 5.0.0's cv2.Canny(image, ...) corrupts the heap on images with very dense edges (a fine
    checkered tablecloth: "free(): invalid next size", reproducible); the (dx, dy) entry point does not.
    """
    dx = cv2.Sobel(gray, cv2.CV_16S, 1, 0, ksize=3)
    dy = cv2.Sobel(gray, cv2.CV_16S, 0, 1, ksize=3)
    return cv2.Canny(dx, dy, lo, hi, L2gradient=True)


def step_map(opp: np.ndarray, d: int = 2) -> np.ndarray:
    """Colour difference between the pixels ``d`` to the left and right (or above and below) of each pixel.

    Canny fires on both flanks of thin lines too: text strokes, table rules, a cutting mat's grid, wood
    grain. A page border is a step (paper on one side, desk on the other), so edges where neither the
    horizontal nor the vertical pair differs are dropped before Hough.
    """
    h, w = opp.shape[:2]
    out = np.zeros((h, w), np.float32)
    # L1 over the three channels, scaled by 0.7 to about the L2 norm used elsewhere.
    to_l1 = np.full((1, 3), 0.7, np.float32)
    dx = cv2.transform(cv2.absdiff(opp[:, 2 * d:], opp[:, :-2 * d]), to_l1)
    dy = cv2.transform(cv2.absdiff(opp[2 * d:], opp[:-2 * d]), to_l1)
    out[:, d:-d] = dx
    out[d:-d] = np.maximum(out[d:-d], dy)
    return out


def drop_short(edges: np.ndarray) -> np.ndarray:
    """Remove edge fragments too small to be part of a page outline (text strokes, desk texture specks):
    fewer edge pixels make the Hough transform faster and its peaks cleaner."""
    # Grana's block-based labelling: the same components as the default, in a third of the time here.
    _, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(edges, 8, cv2.CV_32S, cv2.CCL_GRANA)
    min_len = 0.08 * min(edges.shape)
    keep = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) >= min_len
    keep[0] = False
    return np.take(keep.astype(np.uint8) * 255, labels)


OPP_TO_BANDS = (np.float32([0.7778, 1.0, 1.0]), np.float32([0.0, 128.0, 128.0]))   # as BANDS, from opponent
