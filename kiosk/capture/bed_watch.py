"""Is the empty bed a technician taught (学习空台面, ``bed.py``) still what the camera sees?

The learned bed is only right while the camera and the bed stay where they were. Moved (the camera knocked,
the kiosk's desk changed), it silently stops helping: an outline on the new bed is never "the bed", and the
pale table's empty top is taken for a page again ("a page was left here" to every citizen). Nobody would
notice but the citizens.

Each citizen's visit to the materials step (from one ``LivePreview.expect_empty_bed`` to the next) nearly
always shows the bed empty for a moment. So while a visit lasts the preview's frames are compared with the
learned bed, the whole frame, the light's smooth change taken out (``LearnedBed.only_bed``), until one matches
(then the visit matches and no more are compared: about 0.3 ms a frame till then, every ``every``-th frame).
A visit of at least ``min_frames`` frames none of which matched is unlike the bed. ``stale_after`` visits in a
row unlike it (one is no proof: a page left lying there all through a visit) make the verdict STALE; a visit
that matches makes it MATCHES again. The verdict is kept in ``<data_dir>/camera/empty_bed_check.json``
(learning or forgetting the bed removes it): the monitor turns STALE into an alert for the technician (code
2163) and the console's camera card says it. Nothing personal is kept: the verdict, a count and a number.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

import numpy as np

from ..private import write_private
from .bed import RESIDUAL_MAX, LearnedBed, check_path

log = logging.getLogger(__name__)

STALE_AFTER = 3   # visits in a row none of whose frames showed the learned bed before it is called stale
MIN_FRAMES = 20   # frames a visit needs to be judged (a visit that left at once says nothing)
EVERY = 3         # compare every third frame (a match ends the comparing for the visit)


class BedVerdict(str, Enum):
    UNKNOWN = "unknown"   # not yet compared (or too few mismatches to say)
    MATCHES = "matches"
    STALE = "stale"


@dataclass(frozen=True)
class BedCheck:
    verdict: BedVerdict
    mismatches: int        # visits in a row that never showed the learned bed
    residual: float        # the last visit's smallest (1e9: could not be judged, another frame shape)
    at: float              # epoch seconds of the last judged visit
    bed_learned_at: float  # which learned bed this is about


def load_check(data_dir: Path | str) -> BedCheck | None:
    """The last verdict, or None (none yet, or the file unreadable: said once in the log)."""
    path = check_path(data_dir)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        return BedCheck(BedVerdict(d["verdict"]), int(d["mismatches"]), float(d["residual"]), float(d["at"]),
                        float(d["bed_learned_at"]))
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - damaged: no verdict
        log.warning("the empty bed check %s cannot be read (%s): ignored", path, exc)
        return None


class BedWatch:
    """One visit's frames against the learned bed; the verdict written when it changes."""

    def __init__(self, data_dir: Path | str, *, stale_after: int = STALE_AFTER, min_frames: int = MIN_FRAMES,
                 every: int = EVERY, clock=time.time) -> None:
        self.data_dir = Path(data_dir)
        self.stale_after = max(1, stale_after)
        self.min_frames = min_frames
        self.every = max(1, every)
        self.clock = clock
        self._last: BedCheck | None = load_check(self.data_dir)
        self._frames = 0                  # this visit's frames
        self._matched = False             # a frame of this visit showed the learned bed
        self._best = float("inf")         # this visit's smallest residual

    def frame(self, bed: LearnedBed | None, look: np.ndarray, frame_size: tuple[int, int]) -> None:
        """A preview frame of this visit (its ``presence.bed_look``)."""
        if bed is None or self._matched:
            return
        self._frames += 1
        if (self._frames - 1) % self.every:
            return
        residual = bed.residual(look, None, frame_size)
        self._best = min(self._best, residual)
        if residual < RESIDUAL_MAX:
            self._matched = True

    def visit_over(self, bed: LearnedBed | None) -> BedCheck | None:
        """A new citizen's visit begins: judge the one that ended (None when there was too little to judge)."""
        frames, matched, best = self._frames, self._matched, self._best
        self._frames, self._matched, self._best = 0, False, float("inf")
        if bed is None or (not matched and frames < self.min_frames):
            return None
        last = self._last if self._last is not None and self._last.bed_learned_at == bed.learned_at else None
        if matched:
            verdict, mismatches = BedVerdict.MATCHES, 0
        else:
            mismatches = (last.mismatches if last else 0) + 1
            verdict = BedVerdict.STALE if mismatches >= self.stale_after else (
                last.verdict if last and last.verdict != BedVerdict.STALE else BedVerdict.UNKNOWN)
        check = BedCheck(verdict, mismatches, best, self.clock(), bed.learned_at)
        if last is None or (last.verdict, last.mismatches) != (verdict, mismatches):
            if verdict != (last.verdict if last else None):
                log.info("learned empty bed: %s (best residual %.4f, %d visits unlike it in a row)", verdict.value,
                         best, mismatches)
            d = asdict(check) | {"verdict": verdict.value, "residual": best if np.isfinite(best) else 1e9}
            write_private(check_path(self.data_dir), json.dumps(d).encode(), fsync=False)
        self._last = check
        return check


__all__ = ["BedCheck", "BedVerdict", "BedWatch", "EVERY", "MIN_FRAMES", "STALE_AFTER", "load_check"]
