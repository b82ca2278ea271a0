"""Camera scanning: codes read from the document camera's preview frames, as BARCODE_READ events.

Design: a ``Device`` of its own (kind ``camera_scan``) attached to a document camera (any ``devices.base.FrameProvider``) that it looks up
through a provider at every frame (``CameraScanner.attach(manager, "camera")`` asks the DeviceManager), not
code inside the camera driver:

* the camera's worker thread keeps serving previews and stills at its own pace; decoding on it would slow
  the preview the citizen sees and delay a document capture behind a QR search;
* the scanner gets what every device has for free: its own worker thread (decoding never runs on the GUI
  thread; zxing-cpp releases the GIL while it reads), a state (OFFLINE while the camera is missing or
  offline, with the reason; IDLE while scanning or paused), counters and health for the console;
* a camera replaced by a technician (new URL, ``DeviceManager.replace``) is picked up at the next frame.

The loop takes the camera's newest preview frame, never a queue: a frame that arrived while the previous
one was being decoded is replaced by the next one, so a slow CPU lowers the scan rate but never adds lag
(``skipped`` counts the frames passed over). With ``max_rate_hz`` it also leaves CPU to the UI. Repeated
reads of one code are suppressed by ``Deduper`` (the window restarts at every sighting). Events carry the
same ``Scan`` as the serial path, with ``source`` = the camera's device name.

With ``skip_still`` on (the idle attract screen: ``kiosk.runtime.pace_scanner``) a frame that shows what the
last decoded frame showed, within the sensor's noise, is not decoded (``devices.barcode.still``; ``still``
counts them): an empty desk costs a thumbnail per frame, not a decode.

With ``full_read_still`` on (``barcode.camera_still_full_decode``), a frame that ``decode_frame`` reads nothing
from and that shows what the frame before it showed (``devices.barcode.still.HeldStill``: a citizen holds a code
still under the camera) is read again by the still decoder ``decode`` (label quadrilaterals, deconvolution,
whole-frame zbar: on the frames the live reader misses ~120 ms of CPU median at 1080p, far past a live frame's
budget), once per still scene: not again until the scene
changes (``full_reads`` counts them). It runs on the scanner's thread like every decode, so frames that arrive
meanwhile are passed over (``skipped``), never queued.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..base import Device, DeviceState, EventKind, FrameProvider
from ..errors import DeviceError, DeviceErrorCode
from .decode import decode, decode_frame
from .dedupe import Deduper
from .scanner import Scan
from .still import HeldStill, StillGate


@dataclass(frozen=True)
class ScanStats:
    frames: int  # frames decoded
    skipped: int  # newer frames arrived while decoding: passed over, never queued
    fps: float  # frames decoded per second over the last few seconds
    decode_ms: float  # mean decode time per frame over the same window
    still: int = 0  # frames not decoded: they showed what the last decoded frame showed (``skip_still``)
    full_reads: int = 0  # still scenes the live read missed, read by ``decode`` (``full_read_still``)


_NEW_FRAME_WAIT_S = 0.01  # how often to look for a new preview when the camera has none yet
_RATE_WINDOW = 30  # frames in the moving fps / decode-time window


class CameraScanner(Device):
    kind = "camera_scan"
    poll_interval_s = 0.0  # the loop paces itself on new frames (and ``max_rate_hz``)
    reconnect_max_s = 1.0  # checking whether the camera is back costs nothing

    def __init__(self, name: str, camera: Callable[[], FrameProvider | None], *, camera_name: str = "camera",
                 dedupe_s: float = 3.0, budget_ms: float = 30.0, max_rate_hz: float = 0.0,
                 formats: Iterable[str] | None = None, active: bool = True,
                 still_gate: StillGate | None = None, skip_still: bool = False,
                 full_read_still: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(name, f"camera-scan:{camera_name}", {})
        if budget_ms <= 0 or max_rate_hz < 0:
            raise ValueError("budget_ms must be > 0 and max_rate_hz >= 0")
        self._camera = camera
        self.camera_name = camera_name
        self.budget_ms = budget_ms
        self.max_rate_hz = max_rate_hz
        self.formats = tuple(formats) if formats is not None else None
        self.dedupe = Deduper(dedupe_s, clock)
        self._active = threading.Event()
        if active:
            self._active.set()
        self._last_seq: int | None = None
        self._last_camera: FrameProvider | None = None
        self._next_decode_at = 0.0
        self._times: deque[tuple[float, float]] = deque(maxlen=_RATE_WINDOW)  # (finished at, decode s)
        self._frames = 0
        self._skipped = 0
        self._still = 0
        self.still_gate = still_gate if still_gate is not None else StillGate()
        self._skip_still = skip_still
        self.full_read_still = full_read_still
        self.held_still = HeldStill(self.still_gate)
        self._full_reads = 0
        self.set_info("camera", camera_name)
        self.set_info("active", "yes" if active else "no")

    @classmethod
    def attach(cls, manager: Any, camera_name: str = "camera", name: str = "camera_scan",
               **kwargs: Any) -> "CameraScanner":
        """A scanner that asks ``manager`` (a DeviceManager) for the camera at every frame."""
        return cls(name, lambda: manager.get(camera_name), camera_name=camera_name, **kwargs)

    # ----- public API (any thread) -------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self._active.is_set()

    def set_active(self, on: bool) -> None:
        """Scan (True) or rest (False), e.g. off while the camera photographs materials."""
        if on:
            if not self._active.is_set():
                self.dedupe.forget()  # a code shown before the pause is news to the screen asking for one
                self.still_gate.forget()  # ... so the frame showing it is decoded again
                self.held_still.forget()
            self._active.set()
        else:
            self._active.clear()
        self.set_info("active", "yes" if on else "no")

    @property
    def skip_still(self) -> bool:
        return self._skip_still

    @skip_still.setter
    def skip_still(self, on: bool) -> None:
        """Pass over frames that show nothing new (see the module's docstring); turned on, it looks afresh."""
        if on and not self._skip_still:
            self.still_gate.forget()
        self._skip_still = on

    def stats(self) -> ScanStats:
        with self._lock:
            times = list(self._times)
            frames, skipped, still, full_reads = self._frames, self._skipped, self._still, self._full_reads
        fps = (len(times) - 1) / (times[-1][0] - times[0][0]) if len(times) >= 2 and times[-1][0] > times[0][0] \
            else 0.0
        decode_ms = 1000.0 * sum(t for _, t in times) / len(times) if times else 0.0
        return ScanStats(frames, skipped, fps, decode_ms, still, full_reads)

    def scan_image(self, image: np.ndarray) -> list[Scan]:
        """Decode one frame and emit its new codes (the loop's work; also used by the benchmarks): the live
        ``decode_frame``, and if it reads nothing from a scene held still, ``decode`` once (``full_read_still``)."""
        t0 = time.perf_counter()
        found = decode_frame(image, formats=self.formats, budget_ms=self.budget_ms)
        if found or not self.full_read_still:
            self.held_still.interrupted()
        elif self.held_still.held(image):
            found = decode(image, formats=self.formats)
            with self._lock:
                self._full_reads += 1
                self._counters["full_reads"] = self._full_reads
        spent = time.perf_counter() - t0
        with self._lock:
            self._frames += 1
            self._times.append((time.perf_counter(), spent))
        fresh = []
        for code in found:
            if self.dedupe.is_new(code.symbology, code.raw):
                fresh.append(Scan(raw=code.raw, text=code.text, symbology=code.symbology, source=self.camera_name))
            else:
                self.count("duplicates")
        for scan in fresh:
            self.count("scans")
            self.emit(EventKind.BARCODE_READ, scan)
        return fresh

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
        self._online_camera()
        self._last_seq = None
        self.still_gate.forget()
        self.held_still.forget()

    def _close(self) -> None:
        self._last_seq = None

    def _poll(self) -> None:
        if not self._active.is_set():
            self._active.wait(0.1)
            return
        try:
            camera = self._online_camera()
        except DeviceError as exc:  # only a lost transport makes the base class back off and look again
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, exc.detail) from exc
        now = time.monotonic()
        if now < self._next_decode_at:
            self._stopping.wait(self._next_decode_at - now)
            return
        if camera is not self._last_camera:  # replaced by the manager: its frame numbers start again
            self._last_camera, self._last_seq = camera, None
            self.still_gate.forget()
            self.held_still.forget()
        preview = camera.latest()
        if preview is None or preview.seq == self._last_seq:
            self._stopping.wait(_NEW_FRAME_WAIT_S)
            return
        if self._last_seq is not None and preview.seq > self._last_seq + 1:
            with self._lock:
                self._skipped += preview.seq - self._last_seq - 1
        self._last_seq = preview.seq
        if self.max_rate_hz:
            self._next_decode_at = now + 1.0 / self.max_rate_hz
        if self._skip_still and not self.still_gate.should_decode(preview.image):
            with self._lock:
                self._still += 1
                self._counters["still"] = self._still
            return
        self.scan_image(preview.image)
        with self._lock:
            self._counters["frames"], self._counters["skipped"] = self._frames, self._skipped
        self.set_info("fps", f"{self.stats().fps:.1f}")
        if self.state != DeviceState.IDLE:
            self.set_state(DeviceState.IDLE)

    def _online_camera(self) -> FrameProvider:
        camera = self._camera()
        if camera is None:
            raise DeviceError(DeviceErrorCode.NOT_CONFIGURED, f"no camera named {self.camera_name!r}")
        if camera.state not in (DeviceState.IDLE, DeviceState.BUSY):
            raise DeviceError(DeviceErrorCode.CAMERA_NOT_FOUND,
                              f"camera {self.camera_name!r} is {camera.state.value}; scanning resumes when it is back")
        return camera
