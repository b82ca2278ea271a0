"""The face camera (人脸摄像头): the kiosk's second UVC camera, looking at the citizen, for the face step.

``camera://INDEX?width=640&height=480`` opens it through OpenCV (640x480 is what kiosk face cameras give
and what the face check needs: ~100 pixels between the ears at arm's length); ``sim://face`` opens the
simulated person (devices.camera.sim.face). Unlike the document camera it grabs frames only while the face
step has switched it on (``set_active``): no picture of whoever walks past is taken between sessions, and
an idle kiosk spends no CPU on it: switched off, its worker wakes once a second (``idle_poll_s``) instead of
15 times, and switching it on wakes the worker at once. ``prompt(challenge)`` tells the camera which liveness challenge the
screen shows: a real camera ignores it, the simulated person does it.

Faults carry the face camera's own codes (1270-1272), so a technician's screen says which camera failed.
"""
from __future__ import annotations

from ..errors import DeviceError, DeviceErrorCode
from ..urls import parse_url
from .capture import DocumentCamera, open_frame_source

FACE_DEFAULT_SIZE = (640, 480)
MIN_HEIGHT_PX = 480


def face_camera_url(url: str) -> str:
    """``camera://N`` without a size gets 640x480 and no FOURCC (the document camera's defaults are 5 Mpx
    MJPG)."""
    u = parse_url(url)
    if u.scheme != "camera" or "width" in u.params:
        return url
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}width={FACE_DEFAULT_SIZE[0]}&height={FACE_DEFAULT_SIZE[1]}&fourcc="


class FaceCamera(DocumentCamera):
    kind = "face_camera"
    active_poll_s = 1 / 15  # the liveness challenges need ~15 frames per second
    idle_poll_s = 1.0  # switched off: nothing to grab (issue 22: the idle kiosk's worker threads stay asleep)
    preview_width = 640

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        self._active = False

    @property  # type: ignore[override]  # read by the device loop before each wait
    def poll_interval_s(self) -> float:
        return self.active_poll_s if self._active else self.idle_poll_s

    def set_active(self, active: bool) -> None:
        """Grab frames (the face step is showing) or not (any other time)."""
        was, self._active = self._active, bool(active)
        if self._active and not was:
            self.submit(lambda: None)  # wakes the worker from its idle wait: the first frame comes at once

    @property
    def active(self) -> bool:
        return self._active

    def prompt(self, challenge: str | None) -> None:
        """The liveness challenge the screen now shows (``Challenge.value``), or None."""
        source = self._source
        hook = getattr(source, "prompt", None)
        if hook is not None:
            hook(challenge)

    def _open(self) -> None:
        try:
            self._source = open_frame_source(face_camera_url(self.url))
        except DeviceError as exc:
            if exc.code == DeviceErrorCode.CAMERA_NOT_FOUND:
                raise DeviceError(DeviceErrorCode.FACE_CAMERA_NOT_FOUND, exc.detail) from exc
            raise
        height = getattr(self._source, "height", None)
        if height:
            self.set_info("resolution", f"{getattr(self._source, 'width', '?')}x{height}")
            if height < MIN_HEIGHT_PX:
                raise DeviceError(DeviceErrorCode.FACE_CAMERA_RESOLUTION, f"{height} lines")

    def _poll(self) -> None:
        if not self._active:
            return
        try:
            super()._poll()
        except DeviceError as exc:
            if exc.code == DeviceErrorCode.TRANSPORT_LOST:
                raise DeviceError(DeviceErrorCode.FACE_CAMERA_NO_FRAMES, exc.detail) from exc
            raise
