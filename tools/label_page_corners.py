"""Labels a photographed page's true corners, independently of the kiosk's page detector (issue 22).

A person looks at the photo (crops of each corner zoomed by ``--zoom``) and gives four approximate corners,
TL TR BR BL, within a few pixels. This tool then refines each SIDE on its own: along the side it takes
profiles across it (perpendicular, +-``radius`` px), finds on each profile the strongest luma step across the
side (Sobel component along the side's normal, sub-pixel peak), keeps the profiles whose step is strong and
consistent, and fits a straight line to those points (least squares after trimming outliers). Each corner
is where the lines of its two sides cross, each line fitted on the fifth of its side nearest that corner (a
bowed page's corner is where its edges meet there). Nothing here uses devices/camera/docscan: the label must
not inherit the detector's mistakes.

    python tools/label_page_corners.py IMAGE x0,y0 x1,y1 x2,y2 x3,y3 [--check OUT.png] [--radius 12] [--refit 5]
    python tools/label_page_corners.py IMAGE --zoom OUT.png x0,y0 ...   (corner crops for looking, no fit)

The photos of bench/data/real_photos were labelled with ``--radius`` 12-15 (corners read off a 50-px grid are
good to about 10 px; 6-8 where a check image showed a corner misread and it was read again; the paper-sheet
photos started from their author's corners) and ``--refit 5``
(the fit repeated within 5 px of the first one).

Prints the refined corners as JSON (one decimal) and, with ``--check``, writes the photo with the labelled
quad drawn thin and four zoomed corner crops, to be looked at before the label is accepted.
"""
from __future__ import annotations

import argparse
import json
import sys

import cv2
import numpy as np

EDGE_MARGIN = 0.08   # leave this fraction of each side's length near its corners out of the fit
MIN_PROFILES = 8
CORNER_REACH = 0.2  # each corner from the stretch of its two sides this near to it (fraction of the side)


def _gradients(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g = cv2.GaussianBlur(gray.astype(np.float32), (0, 0), 1.0)
    return cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)


def _sample(img: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Bilinear samples of a float image at (N, 2) points (x, y)."""
    mx = pts[:, 0].astype(np.float32).reshape(1, -1)
    my = pts[:, 1].astype(np.float32).reshape(1, -1)
    return cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).ravel()


def fit_side(gx: np.ndarray, gy: np.ndarray, a: np.ndarray, b: np.ndarray, radius: float = 6.0,
             span: tuple[float, float] = (EDGE_MARGIN, 1 - EDGE_MARGIN),
             step: float = 0.25) -> tuple[np.ndarray, np.ndarray, int]:
    """The line (point, unit direction) along the strongest edge within ``radius`` px of side a-b, fitted on
    the stretch ``span`` (fractions of the side from a), and how many profiles it rests on."""
    d = b - a
    length = float(np.linalg.norm(d))
    u = d / length
    n = np.array([-u[1], u[0]])
    count = max(MIN_PROFILES, int(length * (span[1] - span[0]) / 2))
    ts = np.linspace(span[0], span[1], count)
    offs = np.arange(-radius, radius + step / 2, step)
    found, strength = [], []
    for t in ts:
        base = a + t * d
        pts = base[None, :] + offs[:, None] * n[None, :]
        g = np.abs(_sample(gx, pts) * n[0] + _sample(gy, pts) * n[1])
        k = int(np.argmax(g))
        if 0 < k < len(g) - 1:
            den = g[k - 1] - 2 * g[k] + g[k + 1]
            frac = 0.5 * (g[k - 1] - g[k + 1]) / den if den < 0 else 0.0
        else:
            continue            # strongest at the window's end: the edge is not inside the window here
        found.append(base + (offs[k] + frac * step) * n)
        strength.append(g[k])
    if len(found) < MIN_PROFILES:
        raise ValueError(f"side {a}-{b}: only {len(found)} profiles with an edge inside the window")
    p = np.array(found)
    s = np.array(strength)
    keep = s >= 0.4 * np.median(s)          # drop profiles where the edge is faint (a shadow, a finger)
    p = p[keep]
    for _ in range(3):                       # trim points far from the line (text touching the edge)
        c = p.mean(axis=0)
        _, _, vt = np.linalg.svd(p - c)
        direction = vt[0]
        normal = np.array([-direction[1], direction[0]])
        dist = np.abs((p - c) @ normal)
        lim = max(0.75, 2.5 * np.median(dist))
        if (dist <= lim).all():
            break
        p = p[dist <= lim]
    if len(p) < MIN_PROFILES:
        raise ValueError(f"side {a}-{b}: only {len(p)} consistent profiles")
    return c, direction, len(p)


def _intersect(c1, d1, c2, d2) -> np.ndarray:
    m = np.array([d1, -d2]).T
    s = np.linalg.solve(m, c2 - c1)
    return c1 + s[0] * d1


def refine(image: np.ndarray, approx: np.ndarray, radius: float = 6.0,
           reach: float = CORNER_REACH) -> tuple[np.ndarray, list[int]]:
    """Refined TL TR BR BL corners from approximate ones; and the profile count behind each corner.

    Each corner is where its two sides' lines cross, each line fitted on the stretch of its side nearest the
    corner (``reach`` of the side's length): a bowed or curled page's side is not one straight line, and
    its corner is where the paper's edges meet, not where the chords would."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    gx, gy = _gradients(gray)
    corners, support = [], []
    for i in range(4):
        prev_a, prev_b = approx[(i - 1) % 4], approx[i]
        next_a, next_b = approx[i], approx[(i + 1) % 4]
        c1, d1, n1 = fit_side(gx, gy, prev_a, prev_b, radius, (1 - reach, 1 - EDGE_MARGIN / 2))
        c2, d2, n2 = fit_side(gx, gy, next_a, next_b, radius, (EDGE_MARGIN / 2, reach))
        corners.append(_intersect(c1, d1, c2, d2))
        support.append(min(n1, n2))
    return np.array(corners), support


def check_image(image: np.ndarray, corners: np.ndarray, approx: np.ndarray | None = None,
                crop: int = 60, zoom: int = 4) -> np.ndarray:
    """The photo with the quad drawn 1 px, and beside it the four corners zoomed (red = label, blue = given)."""
    big = image.copy()
    cv2.polylines(big, [np.round(corners * 4).astype(np.int32)], True, (0, 0, 255), 1, cv2.LINE_AA, shift=2)
    h, w = image.shape[:2]
    tiles = []
    for i, c in enumerate(corners):
        x0, y0 = int(round(c[0])) - crop, int(round(c[1])) - crop
        pad = cv2.copyMakeBorder(image, crop, crop, crop, crop, cv2.BORDER_CONSTANT, value=(128, 128, 128))
        patch = pad[y0 + crop:y0 + 3 * crop, x0 + crop:x0 + 3 * crop]
        patch = cv2.resize(patch, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_NEAREST)
        off = np.array([x0, y0], np.float64)

        def to_patch(pts):
            return np.round(((np.asarray(pts) - off) * zoom + zoom / 2) * 4).astype(np.int32)

        cv2.polylines(patch, [to_patch(corners)], True, (0, 0, 255), 1, cv2.LINE_AA, shift=2)
        if approx is not None:
            cv2.circle(patch, tuple(to_patch(approx[i])), 4 * 4, (255, 0, 0), 1, cv2.LINE_AA, shift=2)
        cv2.putText(patch, "TL TR BR BL".split()[i], (4, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 200, 0), 2)
        tiles.append(patch)
    side = np.vstack([np.hstack(tiles[:2]), np.hstack(tiles[3:1:-1])])
    s = side.shape[0] / h
    big = cv2.resize(big, (int(w * s), side.shape[0]))
    return np.hstack([big, side])


def _point(text: str) -> list[float]:
    x, y = text.split(",")
    return [float(x), float(y)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("image")
    ap.add_argument("corners", nargs=4, help="approximate TL TR BR BL as x,y in the image's pixels")
    ap.add_argument("--radius", type=float, default=6.0, help="px either side of a given side to look for its edge")
    ap.add_argument("--refit", type=float, default=0.0,
                    help="fit again within this many px of the first fit's sides (0: once)")
    ap.add_argument("--check", help="write the check image here (PNG)")
    ap.add_argument("--zoom", help="only write the zoomed corner crops of the given corners here (PNG)")
    args = ap.parse_args()
    img = cv2.imread(args.image, cv2.IMREAD_COLOR)
    if img is None:
        print(f"cannot read {args.image}", file=sys.stderr)
        return 2
    approx = np.array([_point(c) for c in args.corners])
    if args.zoom:
        cv2.imwrite(args.zoom, check_image(img, approx))
        return 0
    corners, support = refine(img, approx, args.radius)
    if args.refit:
        corners, support = refine(img, corners, args.refit)
    moved = np.linalg.norm(corners - approx, axis=1)
    print(json.dumps({"corners": np.round(corners, 1).tolist(), "support": support,
                      "moved_px": np.round(moved, 1).tolist()}))
    if args.check:
        cv2.imwrite(args.check, check_image(img, corners, approx))
    return 0


if __name__ == "__main__":
    sys.exit(main())
