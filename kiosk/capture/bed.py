"""The empty bed as a technician showed it (学习空台面): outlines found on it are the bed, not a page.

A document camera looks at one fixed bed. Where that bed is a pale table whose own edges are in view against
a darker floor, or carries a printed mat, page detection finds a page-shaped outline on it with nothing
laid there (issue 22: 33 of 50 rendered empty pale tables). The kiosk then says "a page was left here" to
every new citizen and never captures automatically. The runtime's own bed learning
(``auto.AutoCapture``) cannot help: it learns the bed only when no outline is found.

So a technician, with the bed empty, has the console learn it (``learn``): the look (``presence.bed_look``)
of a few frames that agree with each other. From then on an outline whose inside has not changed from the
learned bed is the bed itself (``LearnedBed.only_bed``).

"Not changed" must survive the room's light: a lamp moved or the daylight turned changes the whole inside
smoothly. The test is on the log of the two looks' ratio inside the outline: a quadratic surface is fitted
(light fall-off is smooth) and what it leaves is the change. Measured on the rendered scenes of
tests/helpers/hard_scenes (bench/bench_docscan_real.py): an empty table's residual 0.0008-0.0017 under the
learned light and 0.0016-0.0023 under another lamp; a sheet on it 0.012 and more even when the outline found
is the table's; hence ``RESIDUAL_MAX`` 0.005.

Where the outline found is the table's with a sheet on it (the sheet's edges too faint), the sheet is what
differs from the empty bed (``LearnedBed.page_within``, ``docscan.background``): rendered on_table scenes whose
outline was the table (Jaccard 0.09-0.19) get the sheet at 0.987-0.994.

The file (``BedStore``) holds the empty bed's grey pictures only (64 and 640 px wide, taken with the bed empty):
nothing personal.
"""
from __future__ import annotations

import io
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import KioskErrorCode
from .presence import bed_look, look_difference

log = logging.getLogger(__name__)

RESIDUAL_MAX = 0.005     # mean |log ratio| left by the light's quadratic fit from which the inside has changed
MIN_CELLS = 12           # thumbnail pixels inside an outline needed to judge it (fewer: not judged, not the bed)
AGREE_MAX = 0.003        # learning: every frame's look this close (presence.look_difference) to their median
MIN_FRAMES = 3
CELL_CHANGE = 0.04       # a thumbnail cell whose log ratio to the bed, less the light's fit, is beyond this changed
INNER_AREA = 0.5         # page_within: a sheet covering less than this of the outline found (else it is the page)
INSET_PX = 3.0           # ... and lying within it, give or take this many pixels


class BedLearnError(Exception):
    """The bed was not learned: ``code`` BED_LEARN_NO_FRAMES or BED_LEARN_MOVING."""

    def __init__(self, code: KioskErrorCode, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class LearnedBed:
    look: np.ndarray          # presence.bed_look of the empty bed: float32 grey thumbnail
    frame_size: tuple[int, int]   # (width, height) of the frames it was learned from, px
    learned_at: float         # epoch seconds
    frames: int
    detail: np.ndarray | None = None   # docscan.background_detail of the empty bed (uint8 grey, 640 px wide)

    def _inside(self, look: np.ndarray, quad: np.ndarray | None, frame_size: tuple[int, int]) -> np.ndarray | None:
        """Per thumbnail cell inside ``quad`` (4x2 corners in pixels of a ``frame_size`` frame; None: the whole
        frame) the log ratio to the learned bed less the light's quadratic fit; None when it cannot be judged
        (another frame shape, too small an outline)."""
        if look.shape != self.look.shape or not _same_aspect(frame_size, self.frame_size):
            return None
        lh, lw = look.shape
        if quad is None:
            mask = np.ones((lh, lw), bool)
        else:
            import cv2  # noqa: PLC0415 - OpenCV only when the camera is used

            w, h = frame_size
            pts = np.round(np.asarray(quad, np.float64).reshape(4, 2) * [lw / w, lh / h]).astype(np.int32)
            m = np.zeros((lh, lw), np.uint8)
            cv2.fillConvexPoly(m, pts, 1)
            mask = cv2.erode(m, np.ones((3, 3), np.uint8)).astype(bool)   # the edge itself may move a cell
        ys, xs = np.nonzero(mask)
        if len(xs) < MIN_CELLS:
            return None
        ratio = np.log(np.maximum(look[mask], 1.0)) - np.log(np.maximum(self.look[mask], 1.0))
        x, y = (xs - xs.mean()) / lw, (ys - ys.mean()) / lh
        design = np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)
        coef, *_ = np.linalg.lstsq(design, ratio, rcond=None)
        return ratio - design @ coef

    def residual(self, look: np.ndarray, quad: np.ndarray | None, frame_size: tuple[int, int]) -> float:
        """How much the inside of ``quad`` (None: the whole frame) changed from the learned bed, the light's
        smooth change taken out (see the module doc); ``inf`` when it cannot be judged."""
        inside = self._inside(look, quad, frame_size)
        return float("inf") if inside is None else float(np.abs(inside).mean())

    def changed_fraction(self, look: np.ndarray, quad: np.ndarray, frame_size: tuple[int, int]) -> float:
        """The fraction of the thumbnail cells inside ``quad`` that changed from the learned bed (1.0 when it
        cannot be judged): a page fills its own outline; a table's outline with a sheet on it is mostly bed."""
        inside = self._inside(look, quad, frame_size)
        return 1.0 if inside is None else float((np.abs(inside) > CELL_CHANGE).mean())

    def only_bed(self, look: np.ndarray, quad: np.ndarray | None, frame_size: tuple[int, int]) -> bool:
        """Nothing has been laid inside ``quad`` (or the whole frame): it shows the learned bed."""
        return self.residual(look, quad, frame_size) < RESIDUAL_MAX

    def page_within(self, image: np.ndarray, quad: np.ndarray, look: np.ndarray | None = None) -> np.ndarray | None:
        """The sheet lying inside ``quad`` when ``quad`` is the outline of the bed's own table with a sheet on it
        (the sheet's edges too faint for detection): what differs from the empty bed
        (``docscan.page_on_background``), if it lies within the outline and covers under ``INNER_AREA`` of it.
        None otherwise (the outline is the page, or no detail was learned). ``look``: the frame's bed_look,
        when given first tells in 0.3 ms whether the outline is mostly changed (then it is the page)."""
        size = (image.shape[1], image.shape[0])
        if self.detail is None or not _same_aspect(size, self.frame_size):
            return None
        if look is not None and self.changed_fraction(look, quad, size) >= INNER_AREA:
            return None   # the outline is mostly changed: it is the page (a cheap test, asked first)
        import cv2  # noqa: PLC0415 - OpenCV only when the camera is used

        from devices.camera.docscan.background import page_on_background  # noqa: PLC0415

        try:
            inner = page_on_background(image, self.detail)
        except ValueError:
            return None
        if inner is None:
            return None
        outer = np.asarray(quad, np.float32).reshape(-1, 1, 2)
        if any(cv2.pointPolygonTest(outer, (float(x), float(y)), True) < -INSET_PX for x, y in inner):
            return None
        if cv2.contourArea(inner.astype(np.float32)) >= INNER_AREA * cv2.contourArea(outer):
            return None
        return inner


class SheetMemo:
    """``LearnedBed.page_within`` remembered while the table's outline and the frame's look stay the same: a faint
    sheet is not tracked, so the live preview detects the table again each frame (8 ms saved a frame)."""

    def __init__(self) -> None:
        self._last: tuple[np.ndarray, np.ndarray, np.ndarray | None] | None = None

    def page_within(self, bed: LearnedBed, image: np.ndarray, table: np.ndarray, look: np.ndarray,
                    same_look: float) -> np.ndarray | None:
        from devices.camera.docscan import polygon_iou  # noqa: PLC0415

        last = self._last
        if last is not None and polygon_iou(last[0], table) > 0.97 and look_difference(last[1], look) < same_look:
            return last[2]
        inner = bed.page_within(image, table, look)
        self._last = (table, look, inner)
        return inner


def _same_aspect(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] > 0 and a[1] > 0 and b[0] > 0 and b[1] > 0 and abs(a[0] / a[1] - b[0] / b[1]) < 0.01


def learn(frames: Sequence[np.ndarray], now: float | None = None) -> LearnedBed:
    """The empty bed from ``frames`` (BGR or grey, all one size) that agree with each other; raises
    ``BedLearnError`` when there are too few or they disagree (something moved over the bed)."""
    frames = [f for f in frames if f is not None and getattr(f, "size", 0)]
    if len(frames) < MIN_FRAMES:
        raise BedLearnError(KioskErrorCode.BED_LEARN_NO_FRAMES, f"{len(frames)} frames, {MIN_FRAMES} needed")
    sizes = {(f.shape[1], f.shape[0]) for f in frames}
    if len(sizes) != 1:
        raise BedLearnError(KioskErrorCode.BED_LEARN_NO_FRAMES, f"frames of different sizes: {sorted(sizes)}")
    looks = [bed_look(f) for f in frames]
    median = np.median(np.stack(looks), axis=0).astype(np.float32)
    worst = max(look_difference(median, lk) for lk in looks)
    if worst > AGREE_MAX:
        raise BedLearnError(KioskErrorCode.BED_LEARN_MOVING, f"frames differ by {worst:.4f} (at most {AGREE_MAX})")
    from devices.camera.docscan.background import background_detail  # noqa: PLC0415

    detail = np.median(np.stack([background_detail(f) for f in frames]), axis=0).astype(np.uint8)
    return LearnedBed(look=median, frame_size=sizes.pop(), learned_at=time.time() if now is None else now,
                      frames=len(frames), detail=detail)


def check_path(data_dir: Path | str) -> Path:
    """Where ``bed_watch`` keeps its verdict on the learned bed (removed when the bed is learned or forgotten)."""
    return Path(data_dir) / "camera" / "empty_bed_check.json"


class BedStore:
    """The learned bed on disk: ``<data_dir>/camera/empty_bed.npz`` (written whole, then renamed)."""

    def __init__(self, data_dir: Path | str) -> None:
        self.path = Path(data_dir) / "camera" / "empty_bed.npz"
        self.check = check_path(data_dir)

    def load(self) -> LearnedBed | None:
        """The learned bed, or None (never learned; an unreadable file is logged and ignored)."""
        try:
            with np.load(io.BytesIO(self.path.read_bytes()), allow_pickle=False) as z:
                look = z["look"].astype(np.float32)
                w, h = (int(v) for v in z["frame_size"])
                detail = z["detail"].astype(np.uint8) if "detail" in z.files else None
                if detail is not None and detail.ndim != 2:
                    detail = None
                bed = LearnedBed(look=look, frame_size=(w, h), learned_at=float(z["learned_at"]),
                                 frames=int(z["frames"]), detail=detail)
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - any damage (zip, pickle, EOF, keys): not learned, said once
            log.warning("the learned empty bed %s cannot be read (%s): ignored; learn it again in the console",
                        self.path, exc)
            return None
        if look.ndim != 2 or not np.isfinite(look).all() or w <= 0 or h <= 0:
            log.warning("the learned empty bed %s is malformed: ignored", self.path)
            return None
        return bed

    def save(self, bed: LearnedBed) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        extra = {} if bed.detail is None else {"detail": bed.detail}
        np.savez_compressed(buf, look=bed.look, frame_size=np.array(bed.frame_size),
                            learned_at=np.array(bed.learned_at), frames=np.array(bed.frames), **extra)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(buf.getvalue())
        os.replace(tmp, self.path)
        self.check.unlink(missing_ok=True)   # a new bed: the old one's verdict says nothing of it

    def clear(self) -> bool:
        """Forget the learned bed; True when there was one."""
        self.check.unlink(missing_ok=True)
        try:
            self.path.unlink()
            return True
        except FileNotFoundError:
            return False


__all__ = ["AGREE_MAX", "BedLearnError", "BedStore", "LearnedBed", "MIN_CELLS", "MIN_FRAMES",
           "RESIDUAL_MAX", "SheetMemo", "check_path", "learn"]
