"""``image://preview/N``: the document camera's newest preview frame with the detected page outline.

On the materials screen the journey's live preview (kiosk.capture.live.LivePreview) has already found the
page on its own thread: the provider only draws that outline, green while the page is good (steadying,
captured), amber while something is wrong. Elsewhere the bare camera frame is shown.
"""
from __future__ import annotations

from typing import Any, Callable

import cv2
import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

GOOD = (60, 200, 60)      # BGR
WRONG = (0, 170, 255)
GOOD_STATES = ("steadying", "capturing", "done")


def to_qimage(bgr: np.ndarray) -> QImage:
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def draw_outline(frame: np.ndarray, quad: np.ndarray, good: bool) -> np.ndarray:
    """The page outline over a copy of ``frame``, thick enough to see from a step back."""
    out = frame.copy()
    pts = np.round(np.asarray(quad, np.float64)).astype(np.int32).reshape(-1, 1, 2)
    thick = max(3, out.shape[1] // 160)
    cv2.polylines(out, [pts], True, GOOD if good else WRONG, thick, cv2.LINE_AA)
    for x, y in pts.reshape(-1, 2):
        cv2.circle(out, (int(x), int(y)), thick * 2, GOOD if good else WRONG, -1, cv2.LINE_AA)
    return out


class PreviewProvider(QQuickImageProvider):
    def __init__(self, devices: Any, live: Callable[[], Any] | None = None) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self.devices = devices
        self.live = live or (lambda: None)

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802 - Qt API
        analysed = self.live()
        if analysed is not None:
            frame = analysed.image
            if analysed.quad is not None:
                frame = draw_outline(frame, analysed.quad, str(analysed.status.state) in GOOD_STATES)
        else:
            camera = self.devices.get("camera")
            preview = camera.latest() if camera is not None else None
            frame = preview.image if preview is not None else None
        if frame is None:
            img = QImage(16, 9, QImage.Format.Format_RGB888)
            img.fill(0x202020)
            return img
        img = to_qimage(frame)
        if size is not None:
            size.setWidth(img.width())
            size.setHeight(img.height())
        return img


class PagesProvider(QQuickImageProvider):
    """``image://pages/MATERIAL/INDEX/HASH``: a captured page as a thumbnail, decoded from the session's
    bytes in memory (no temporary file holds a citizen's page). The hash in the URL only makes a retaken page
    a new image for QML's cache, which is off anyway."""

    THUMB_PX = 480  # the long side: enough to see a page upside down or cut off, small to decode

    def __init__(self, page: Callable[[str, int], Any]) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self.page = page

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802 - Qt API
        parts = image_id.split("/")
        img = QImage()
        if len(parts) >= 2 and parts[1].isdigit():
            page = self.page(parts[0], int(parts[1]))
            if page is not None:
                img.loadFromData(bytes(page.data))
        if img.isNull():
            img = QImage(16, 9, QImage.Format.Format_RGB888)
            img.fill(0x202020)
        elif max(img.width(), img.height()) > self.THUMB_PX:
            img = img.scaled(self.THUMB_PX, self.THUMB_PX, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
        if size is not None:
            size.setWidth(img.width())
            size.setHeight(img.height())
        return img
