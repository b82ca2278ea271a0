"""Document camera (高拍仪) capture: frame sources from URLs and the ``DocumentCamera`` device.

``camera://INDEX?width=W&height=H&fourcc=MJPG`` opens a UVC camera through OpenCV's V4L2 backend; the
FOURCC is set before the size because most cameras offer their full resolution only as MJPG
(devices.md section 4), and the size the camera really gives is read back and reported.
``sim://camera`` opens the simulator. The device keeps the newest low-resolution preview frame for the UI
and takes a full-resolution still on demand; all on its own worker thread.
"""
from __future__ import annotations

import logging
import threading
from typing import Protocol

import cv2
import numpy as np

from ..base import Capability, Device, DeviceState, Preview
from ..errors import DeviceError, DeviceErrorCode
from ..transport import parse_url

log = logging.getLogger(__name__)


class FrameSource(Protocol):
    def read(self) -> np.ndarray | None:
        """The next preview frame (BGR), or None when the camera gave none."""

    def still(self) -> np.ndarray:
        """A full-resolution frame (BGR)."""

    def close(self) -> None: ...


class OpenCVSource:
    def __init__(self, index: int, width: int, height: int, fourcc: str) -> None:
        self._cap = cv2.VideoCapture(index, cv2.CAP_V4L2)
        if not self._cap.isOpened():
            raise DeviceError(DeviceErrorCode.CAMERA_NOT_FOUND, f"/dev/video{index} cannot be opened")
        if fourcc:
            self._cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*fourcc[:4]))
        self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        self.width = int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH))
        self.height = int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT))

    def read(self) -> np.ndarray | None:
        ok, frame = self._cap.read()
        return frame if ok else None

    def still(self) -> np.ndarray:
        for _ in range(3):  # the first frame after idling is often stale or still adjusting exposure
            ok, frame = self._cap.read()
        if not ok:
            raise DeviceError(DeviceErrorCode.CAMERA_FRAME_FAILED, "no frame")
        return frame

    def close(self) -> None:
        self._cap.release()


def open_frame_source(url: str) -> FrameSource:
    u = parse_url(url)
    if u.scheme == "camera":
        index = int(u.host or "0") if (u.host or "0").isdigit() else 0
        return OpenCVSource(index, u.int_param("width", 2592), u.int_param("height", 1944),
                            u.param("fourcc", "MJPG") or "")
    if u.scheme == "sim":
        from .. import sim  # noqa: PLC0415

        return sim.get_hardware(u).connect()
    raise DeviceError(DeviceErrorCode.UNSUPPORTED_URL, f"{url}: not a camera URL")


class DocumentCamera(Device):
    kind = "camera"
    poll_interval_s = 0.1  # preview at up to 10 frames per second
    # latest() follows the camera, so the journey runs automatic capture on it; a still shows the page on
    # the desk (not FLAT_PAGES): find it and straighten it first.
    capabilities = frozenset({Capability.LIVE_PREVIEW})
    preview_width = 960

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        self._source: FrameSource | None = None
        self._preview: Preview | None = None
        self._seq = 0
        self._lock_preview = threading.Lock()
        self._failures = 0

    def latest(self) -> Preview | None:
        with self._lock_preview:
            return self._preview

    def capture(self):
        """A Future of the full-resolution still (BGR ndarray)."""
        return self.submit(self._still)

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
        self._source = open_frame_source(self.url)
        width = getattr(self._source, "width", None)
        if width:
            self.set_info("resolution", f"{width}x{getattr(self._source, 'height', '?')}")

    def _close(self) -> None:
        src, self._source = self._source, None
        if src is not None:
            src.close()
        with self._lock_preview:
            self._preview = None

    def _poll(self) -> None:
        frame = self._require().read()
        if frame is None:
            self._failures += 1
            if self._failures >= 10:
                self._failures = 0
                raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, "no frames from the camera")
            return
        self._failures = 0
        h, w = frame.shape[:2]
        if w > self.preview_width:
            scale = self.preview_width / w
            frame = cv2.resize(frame, (self.preview_width, int(h * scale)), interpolation=cv2.INTER_AREA)
        with self._lock_preview:
            self._seq += 1
            self._preview = Preview(frame, self._seq)
        if self.state != DeviceState.IDLE:
            self.set_state(DeviceState.IDLE)

    def _still(self) -> np.ndarray:
        self.count("stills")
        return self._require().still()

    def _require(self) -> FrameSource:
        if self._source is None:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, "not open")
        return self._source
