"""Camera-like 1920x1080 frames made from independent barcode images (issue 22, barcodes).

The source images are other people's: zxing-cpp's test samples (QR, Code 128, EAN-13 in the shared corpus
``/work/shared/corpora/zxing-samples``; Data Matrix, PDF417 and the GS1 ones in ``bench/data/barcode-samples``,
see its SOURCES.md). Each frame lays one source image, as a printed label, on a cluttered desk seen by a
document camera: perspective and a turn of up to 20°, uneven light, paper that is not white and ink that is
not black, lens blur and sensor noise. Only the degradation is ours; the symbols, their print and their
ground truth are not.

A source image enters the set only if its label is legible there at all (zxing-cpp or zbar reads it from
the untouched image): a frame cannot be more legible than its source, and an unreadable source would measure
the source, not the camera. ``frames()`` says how many sources were left out per symbology.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from PIL import Image

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("ZXING_SAMPLES", HERE.parents[1] / "shared/corpora/zxing-samples"))
LOCAL = HERE / "data" / "barcode-samples"
GS = "\x1d"

# symbology -> [(corpus root, folder, file names or None for every labelled image)]
SOURCES: dict[str, list[tuple[Path, str, tuple[str, ...] | None]]] = {
    "QR": [(SHARED, f"qrcode-{n}", None) for n in (1, 2, 3, 5, 6)],
    "Data Matrix": [(LOCAL, "datamatrix-1", None), (LOCAL, "datamatrix-2", None)],
    "PDF417": [(LOCAL, "pdf417-1", None), (LOCAL, "pdf417-3", None)],
    "Code 128": [(SHARED, f"code128-{n}", None) for n in (1, 2, 3)],
    "EAN-13": [(SHARED, f"ean13-{n}", None) for n in (1, 2, 3, 4)],
    # GS1 element strings in every symbology that carries them: GS1-128, GS1 DataMatrix, GS1 QR, DataBar
    # Expanded. code128-1's GS1 images are 1, 4 and 5 (symbologyIdentifier=]C1 in their .result.txt).
    "GS1": [(SHARED, "code128-1", ("1.png", "4.png", "5.png")),
            (LOCAL, "datamatrix-1", ("gs1-figure-4.15.1-2-32x32.png",)),
            (LOCAL, "datamatrix-4", ("gs1-figure-4.15.1-2-44x20.png",)),
            (LOCAL, "qrcode-2", ("gs1-figure-4.15.1-2.png",)),
            (LOCAL, "rssexpanded-1", None)],
}
FRAMES_PER_SYMBOLOGY = 40
WIDTH, HEIGHT = 1920, 1080
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


@dataclass(frozen=True)
class Frame:
    symbology: str
    source: str          # folder/file of the source image
    seed: int
    image: np.ndarray    # 1920x1080 BGR
    expected: str


def load_gray(path: Path) -> np.ndarray:
    gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        gray = np.ascontiguousarray(np.asarray(Image.open(path).convert("L")))
    return gray


def labelled(root: Path, folder: str, names: tuple[str, ...] | None) -> Iterator[tuple[str, np.ndarray, str]]:
    """(folder/name, gray image, expected text) for the labelled images of a folder."""
    directory = root / folder
    if not directory.is_dir():
        return
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in _IMAGE_SUFFIXES or (names is not None and path.name not in names):
            continue
        label = path.with_suffix(".txt")
        if label.exists():
            yield f"{folder}/{path.name}", load_gray(path), label.read_bytes().decode("utf-8")


@dataclass(frozen=True)
class Source:
    name: str            # folder/file
    gray: np.ndarray
    expected: str
    centre: tuple[float, float]   # the symbol's centre in the source image (px)
    pitch: float | None           # px per module in the source (None: the symbol's size is not known)
    extent: float                 # the symbol's longer side in the source (px)
    matrix: bool = False          # a 2-D symbol (QR Code, Data Matrix)


def _modules(text: str, fmt: zxingcpp.BarcodeFormat) -> int | None:
    """Modules along the symbol's longer side, from zxing-cpp's writer (same data, default options)."""
    try:
        image = np.asarray(zxingcpp.create_barcode(text, fmt).to_image(scale=1, add_quiet_zones=False))
    except Exception:  # e.g. DataBar Expanded and GS1 element strings the writer does not take as text
        return None
    return int(max(image.shape[:2]))


def _version_modules(found: zxingcpp.Barcode) -> int | None:
    """Modules along the longer side from the symbol's own version (QR: 17 + 4v; Data Matrix: 'RxC')."""
    version = str((found.extra or {}).get("Version", ""))
    if found.format == zxingcpp.BarcodeFormat.QRCode and version.isdigit():
        return 17 + 4 * int(version)
    if found.format == zxingcpp.BarcodeFormat.DataMatrix and "x" in version:
        return max(int(v) for v in version.split("x") if v.isdigit())
    return None


def _bar_pitch(gray: np.ndarray, pts: np.ndarray) -> float | None:
    """Px per module of a linear symbol the writer cannot size (DataBar Expanded, whose module count depends on
    its compaction), from its bar widths along the middle of the symbol: the narrowest common bar or space is
    one module, and every run is a whole number of them (the least-squares pitch over that fit)."""
    y = round(float(pts[:, 1].mean()))
    x0, x1 = int(pts[:, 0].min()), int(np.ceil(pts[:, 0].max()))
    row = gray[max(0, y - 2):y + 3, max(0, x0):x1 + 1].astype(np.float32).mean(axis=0)
    if row.size < 16 or row.max() - row.min() < 40:
        return None
    runs = np.diff(np.flatnonzero(np.diff((row < (row.max() + row.min()) / 2).astype(np.int8)))).astype(float)
    if runs.size < 20:
        return None
    first = float(np.percentile(runs, 5))
    k = np.maximum(np.round(runs / first), 1)
    return float(runs.sum() / k.sum())


def locate(gray: np.ndarray, expected: str) -> tuple[tuple[float, float], float | None, float, bool] | None:
    """(centre, px per module, extent, 2-D?) of the labelled symbol if zxing-cpp or zbar reads it from the
    untouched source; None if the source is illegible in itself."""
    for found in zxingcpp.read_barcodes(gray, text_mode=zxingcpp.TextMode.Plain):
        if found.text == expected:
            p = found.position
            pts = np.array([(q.x, q.y) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)], float)
            extent = max(float(np.hypot(*(pts[1] - pts[0]))), float(np.hypot(*(pts[3] - pts[0]))), 1.0)
            modules = _version_modules(found) or (None if found.format == zxingcpp.BarcodeFormat.PDF417
                                                  else _modules(found.text, found.format))
            pitch = extent / modules if modules else None
            if pitch is None and found.format == zxingcpp.BarcodeFormat.DataBarExpanded:
                pitch = _bar_pitch(gray, pts)
            matrix = found.format in (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.DataMatrix)
            return (float(pts[:, 0].mean()), float(pts[:, 1].mean())), pitch, extent, matrix
    try:
        from pyzbar import pyzbar
    except (ImportError, OSError):
        return None
    try:
        for d in pyzbar.decode(gray):
            if d.data.decode("utf-8", "replace") == expected:
                r = d.rect
                matrix = d.type == "QRCODE"
                return (r.left + r.width / 2, r.top + r.height / 2), None, float(max(r.width, r.height, 1)), matrix
    except ValueError:
        return None
    return None


def sources(symbology: str) -> tuple[list[Source], int]:
    """(legible sources, how many labelled sources were left out as illegible in themselves)."""
    kept, dropped = [], 0
    for root, folder, names in SOURCES[symbology]:
        for name, gray, expected in labelled(root, folder, names):
            where = locate(gray, expected)
            if where is None:
                dropped += 1
            else:
                kept.append(Source(name, gray, expected, *where))
    return kept, dropped


SEED_OFFSET_HELD_APART = 500  # ``frames(seed_offset=...)``: the held-apart set, same sources under other seeds


def frames(per_symbology: int = FRAMES_PER_SYMBOLOGY,
           seed_offset: int = 0) -> tuple[list[Frame], dict[str, tuple[int, int]]]:
    """The frames, and per symbology (sources used, sources left out as illegible).

    ``seed_offset``: 0 is the bench's (tuning) set; ``SEED_OFFSET_HELD_APART`` renders the same sources with
    other seeds (desk, placement, light, blur, noise), a set held apart to check that a change made while
    looking at the tuning set's misses generalises (``bench_barcode_frame_cpu.py --seed-offset 500``)."""
    out: list[Frame] = []
    counts: dict[str, tuple[int, int]] = {}
    for s_index, symbology in enumerate(SOURCES):
        kept, dropped = sources(symbology)
        counts[symbology] = (len(kept), dropped)
        for i in range(per_symbology if kept else 0):
            src = kept[i % len(kept)]
            seed = 1000 * s_index + i + seed_offset
            out.append(Frame(symbology, src.name, seed, camera_like(src, seed), src.expected))
    return out, counts


# --- the camera ---------------------------------------------------------------------------------------------

def desk(rng: np.random.Generator) -> np.ndarray:
    """A grey desk with papers, stripes and print on it, lit unevenly (gray, 1920x1080)."""
    h, w = HEIGHT, WIDTH
    tone = float(rng.uniform(120, 190))
    light = np.linspace(-30, 30, w)[None, :] * rng.choice([-1, 1]) + np.linspace(-20, 20, h)[:, None]
    frame = np.clip(tone + light, 0, 255).astype(np.uint8)
    for _ in range(30):
        x, y = int(rng.integers(0, w - 300)), int(rng.integers(0, h - 40))
        cv2.rectangle(frame, (x, y), (x + int(rng.integers(50, 300)), y + int(rng.integers(5, 30))),
                      int(rng.integers(40, 230)), -1)
    for _ in range(25):
        cv2.putText(frame, "ABCDEFG 12345", (int(rng.integers(0, w - 300)), int(rng.integers(20, h))),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.0, int(rng.integers(20, 90)), 2)
    return frame


FIT_SHARE = 0.7   # the longest a symbol is printed, share of the frame width


def label_scale(src: Source, rng: np.random.Generator) -> float:
    """Source px -> frame px for the label (one draw of ``rng``): by the symbol's modules where known."""
    if src.pitch is None:
        return float(rng.uniform(0.35, 0.55)) * HEIGHT / src.extent
    low, high = (4.0, 7.0) if src.matrix else (2.5, 4.0)
    # A symbol longer than the field at that size (a 543-module DataBar Expanded is 1358-2172 px) is printed as
    # large as fits in 70 % of the frame width: the cut below keeps 80 %, so its guards and quiet zone stay
    # (a cut symbol is no test of a reader).
    return min(float(rng.uniform(low, high)) / src.pitch, FIT_SHARE * WIDTH / src.extent)


def camera_like(src: Source, seed: int) -> np.ndarray:
    """The source image printed on a label lying on the desk, as the document camera sees it (BGR).

    The symbol is sized by its modules as a 1080p document camera over an A4-wide field (about 6.4 px per
    mm) sees them: 4-7 px per module for a QR Code or Data Matrix (a phone's payment code, a receipt's QR:
    0.6-1.1 mm modules), 2.5-4 px for a linear code (0.4-0.6 mm bars: a bill's Code 128, an EAN-13 at 120-
    180 % of nominal size; DataBar Expanded sized by its measured bar widths, as its module count depends on its
    compaction); 35-55 % of the frame height where the module count is not known (PDF417). A large source
    photo is cut round the symbol to fit the frame."""
    rng = np.random.default_rng(seed)
    frame = desk(rng)
    scale = label_scale(src, rng)
    gray, (cx0, cy0) = src.gray, src.centre
    # What of the source fits in 80 % of the frame once scaled: cut round the symbol's centre.
    half_w, half_h = 0.4 * WIDTH / scale, 0.4 * HEIGHT / scale
    x0, x1 = max(0, int(cx0 - half_w)), min(gray.shape[1], int(cx0 + half_w) + 1)
    y0, y1 = max(0, int(cy0 - half_h)), min(gray.shape[0], int(cy0 + half_h) + 1)
    gray = gray[y0:y1, x0:x1]
    # A white margin: the label's paper around the printed image (its quiet zone).
    pad = max(4, max(gray.shape) // 12)
    label = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    label = cv2.resize(label, (max(8, round(label.shape[1] * scale)), max(8, round(label.shape[0] * scale))),
                       interpolation=interp)
    lh, lw = label.shape
    # Turned up to 20° and seen in perspective (each corner moved up to 4 % of the label's size).
    angle = np.deg2rad(float(rng.uniform(-20, 20)))
    cx = float(rng.uniform(lw / 2 + 80, WIDTH - lw / 2 - 80)) if WIDTH - lw > 170 else WIDTH / 2
    cy = float(rng.uniform(lh / 2 + 40, HEIGHT - lh / 2 - 40)) if HEIGHT - lh > 90 else HEIGHT / 2
    src = np.float32([[0, 0], [lw, 0], [lw, lh], [0, lh]])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    centred = (src - [lw / 2, lh / 2]) @ rot.T
    jitter = rng.uniform(-0.04, 0.04, (4, 2)) * [lw, lh]
    dst = np.float32(centred + jitter + [cx, cy])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(label, m, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full_like(label, 255), m, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    # Paper 190-240, ink 20-70: the print's contrast as the camera sees it, then light falling across it.
    paper, ink = float(rng.uniform(190, 240)), float(rng.uniform(20, 70))
    printed = ink + warped.astype(np.float32) * (paper - ink) / 255.0
    shade = 1.0 - float(rng.uniform(0.0, 0.3)) * np.linspace(0, 1, WIDTH)[None, :] ** 2
    printed *= shade if rng.random() < 0.5 else shade[:, ::-1]
    frame = np.where(mask > 128, printed, frame.astype(np.float32))
    # A focused lens (sigma 0.4-1 px; the source photos bring their own blur on top) and sensor noise.
    frame = cv2.GaussianBlur(frame, (0, 0), float(rng.uniform(0.4, 1.0)))
    frame = frame + rng.normal(0, float(rng.uniform(2, 6)), frame.shape)
    return cv2.cvtColor(np.clip(frame, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
