"""Visits where a "page left there" lay untouched until it stopped blocking (``AutoCapture``'s leftover_doubt).

A page the previous citizen left is taken away within seconds. An outline that lies there, untouched, until the
kiosk stops waiting for it (``auto_leftover_doubt_s``) is most often no page at all: the bed's own edges (a pale
table top in view, a bed never learned or learned before the camera moved), a stain or a sticker. Every citizen
then waits that long at the materials step, and nobody would tell the technician but the citizens. So each such
visit is counted in ``<data_dir>/camera/leftover_doubt.json`` (a count and two times, nothing personal), and the
monitor raises an alert (code 2164) until the bed is learned again after the last one.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..private import write_private

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeftoverDoubts:
    count: int     # visits since ``since`` where the "page left there" stopped blocking untouched
    since: float   # epoch seconds of the first of them
    at: float      # epoch seconds of the last


def doubt_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / "camera" / "leftover_doubt.json"


def load_doubts(data_dir: Path | str) -> LeftoverDoubts | None:
    """The record, or None (none yet, or unreadable: said in the log)."""
    path = doubt_path(data_dir)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        return LeftoverDoubts(int(d["count"]), float(d["since"]), float(d["at"]))
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - damaged: start again
        log.warning("the leftover record %s cannot be read (%s): ignored", path, exc)
        return None


def record_doubt(data_dir: Path | str, bed_learned_at: float | None, clock=time.time) -> LeftoverDoubts:
    """One more visit. The count starts again when the bed was learned after the last one recorded."""
    now = clock()
    last = load_doubts(data_dir)
    if last is None or (bed_learned_at is not None and bed_learned_at > last.at):
        doubts = LeftoverDoubts(1, now, now)
    else:
        doubts = LeftoverDoubts(last.count + 1, last.since, now)
    write_private(doubt_path(data_dir), json.dumps(asdict(doubts)).encode(), fsync=False)
    log.warning("document camera: a 'page left there' lay untouched until it stopped blocking (%d such visits "
                "since the bed was last learned); if the bed is empty, learn it (学习空台面)", doubts.count)
    return doubts


def pending(doubts: LeftoverDoubts | None, bed_learned_at: float | None) -> bool:
    """The record calls for the technician: some visit since the bed was last learned (or ever, when no bed is
    learned)."""
    return doubts is not None and (bed_learned_at is None or bed_learned_at <= doubts.at)


__all__ = ["LeftoverDoubts", "doubt_path", "load_doubts", "pending", "record_doubt"]
