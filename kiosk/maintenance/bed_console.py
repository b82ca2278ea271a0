"""The console's 学习空台面 / Learn the empty bed: the technician shows the document camera its bed empty.

Why: a bed that is a pale table with its own edges in view is outlined by page detection with nothing on it
(``kiosk.capture.bed``'s module doc). The console learns the bed from ``STILLS`` stills taken one after the
other, saves it (``BedStore``), says whether the page detector outlines something on the empty bed now (the
question the technician has: was this bed the trouble?), shows what is learned, and forgets it.

The stills are taken on a thread of their own, never the GUI's; each waits at most the device test's timeout.
A failed learning leaves the bed learned before in place (``learn`` raises before anything is saved).
Nothing here keeps or returns a picture: results and audit records carry sizes, counts and times only.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import zipfile
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable

from devices.base import DeviceState
from devices.errors import DeviceError, DeviceErrorCode

from ..capture.bed import MIN_FRAMES, BedLearnError, BedStore, LearnedBed, learn
from ..capture.bed_watch import BedVerdict, load_check
from ..errors import notice_for_kiosk
from .devices import TestResult, _failed

log = logging.getLogger(__name__)

STILLS = MIN_FRAMES


def when_text(epoch: float) -> str:
    """Local time "2026-12-06 10:12"; "" for a time that is no time (a damaged file's)."""
    try:
        return dt.datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return ""


def load(data_dir: Path) -> LearnedBed | None:
    """The learned bed, or None. ``BedStore.load`` lets a few damaged files through as exceptions (a zero-size
    file: EOFError; a cut-off one: zipfile.BadZipFile, and numpy leaves that file open); the console must open
    whatever lies there. What is not a whole zip archive (an .npz is one) is not handed to numpy at all."""
    store = BedStore(data_dir)
    try:
        if store.path.is_file() and not zipfile.is_zipfile(store.path):
            raise ValueError("not an .npz archive (empty, cut off or something else)")
        return store.load()
    except Exception as exc:  # noqa: BLE001 - any damaged file is "not learned", never a crashed console
        log.warning("the learned empty bed %s cannot be read (%s: %s): ignored", store.path, type(exc).__name__,
                    exc)
        return None


def status(data_dir: Path) -> dict[str, Any]:
    """For the camera card: learned or not, when (local time), from what frame size; ``damaged`` when a file
    lies there that cannot be read (it counts as not learned; learning again replaces it); ``stale`` when the
    runtime's last ``mismatches`` looks at the empty bed did not match it (``bed_watch``)."""
    bed = load(data_dir)
    if bed is None:
        return {"learned": False, "damaged": BedStore(data_dir).path.exists(), "when": "", "width": 0,
                "height": 0, "frames": 0}
    check = load_check(data_dir)
    stale = check is not None and check.bed_learned_at == bed.learned_at and check.verdict == BedVerdict.STALE
    return {"learned": True, "damaged": False, "when": when_text(bed.learned_at), "width": bed.frame_size[0],
            "height": bed.frame_size[1], "frames": bed.frames, "stale": stale,
            "mismatches": check.mismatches if stale else 0}


def refused(device: Any) -> TestResult | None:
    """Why the bed cannot be learned from ``device`` before any still is asked for, or None."""
    if device is None:
        return TestResult(False, "高拍仪未配置", "The document camera is not configured",
                          int(DeviceErrorCode.NOT_CONFIGURED))
    if getattr(device, "kind", "camera") != "camera":
        return TestResult(False, "文档扫描仪没有台面可学习：学习空台面只用于高拍仪",
                          "A document scanner has no bed to learn: learning the empty bed is for a document "
                          "camera only")
    if device.state not in (DeviceState.IDLE, DeviceState.BUSY, DeviceState.ERROR):
        return _failed(device.last_error or DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED))
    return None


def learn_from(device: Any, data_dir: Path, timeout_s: float,
               report: Callable[[TestResult], None]) -> Future:
    """Take ``STILLS`` stills from ``device`` (a document camera), learn and save the bed; the Future resolves to
    a TestResult after ``report`` (the audit) has seen it."""
    out: Future = Future()

    def finish(result: TestResult) -> None:
        try:
            report(result)
        finally:
            out.set_result(result)

    early = refused(device)
    if early is not None:
        finish(early)
        return out

    def work() -> None:
        try:
            result = _learn(device, data_dir, timeout_s)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a result on screen
            result = _failed(exc)
        finish(result)
    threading.Thread(target=work, name="maint-bed", daemon=True).start()
    return out


def _learn(device: Any, data_dir: Path, timeout_s: float) -> TestResult:
    frames = []
    for _ in range(STILLS):    # one after the other: the camera takes one still at a time
        frames.append(device.capture().result(timeout=timeout_s))
    try:
        bed = learn(frames)
    except BedLearnError as exc:
        notice = notice_for_kiosk(exc.code)
        return TestResult(False, notice.text.zh, notice.text.en, int(exc.code),
                          details={"remedy": notice.remedy, "why": str(exc)})
    try:
        BedStore(data_dir).save(bed)
    except OSError as exc:
        return TestResult(False, "空台面已识别，但无法保存", f"The empty bed was seen but cannot be saved: {exc}")
    w, h = bed.frame_size
    outline, judged = _outline_on(bed, frames[-1])
    when = when_text(bed.learned_at)
    zh = f"已记住空台面（{w}×{h}，{bed.frames} 张画面，{when}）：今后台面本身不会被当作材料"
    en = (f"The empty bed is learned ({w}×{h}, {bed.frames} pictures, {when}): the bed itself is no longer taken "
          "for a page")
    if outline and judged:
        zh += "。台面上有一处像材料的轮廓，已记为台面"
        en += ". An outline like a page is seen on the empty bed: it is now known as the bed"
    elif outline:
        zh += "。台面上有一处像材料的轮廓，但太小无法记为台面：请检查台面上是否留有物品"
        en += ". An outline like a page is seen on the empty bed but is too small to be known as the bed: is " \
              "something left on the bed?"
    else:
        zh += "。空台面上没有像材料的轮廓"
        en += ". The page detector outlines nothing on the empty bed"
    return TestResult(True, zh, en, details={"width": w, "height": h, "frames": bed.frames, "when": when,
                                             "outline": outline, "outline_is_bed": outline and judged})


def _outline_on(bed: LearnedBed, frame: Any) -> tuple[bool, bool]:
    """(the page detector outlines something on the empty ``frame``, the learned bed takes that outline for
    itself)."""
    from devices.camera import docscan  # noqa: PLC0415 - OpenCV only when the camera is used

    from ..capture.presence import bed_look  # noqa: PLC0415

    quad = docscan.detect_page(frame)
    if quad is None:
        return False, False
    h, w = frame.shape[:2]
    return True, bed.only_bed(bed_look(frame), quad.as_array(), (w, h))


def forget(data_dir: Path) -> TestResult:
    try:
        had = BedStore(data_dir).clear()
    except OSError as exc:
        return TestResult(False, "无法清除空台面", f"The learned empty bed cannot be removed: {exc}")
    if had:
        return TestResult(True, "已清除空台面：今后按未学习处理", "The learned empty bed is forgotten",
                          details={"had": True})
    return TestResult(True, "没有已学习的空台面", "No empty bed was learned", details={"had": False})


__all__ = ["STILLS", "forget", "learn_from", "load", "refused", "status", "when_text"]
