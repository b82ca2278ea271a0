"""``image://preview/N``: the document camera's newest preview frame with the detected page outline."""
from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider



def to_qimage(bgr: np.ndarray) -> QImage:
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class PreviewProvider(QQuickImageProvider):
    def __init__(self, devices) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self.devices = devices

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802 - Qt API
        camera = self.devices.get("camera")
        preview = camera.latest() if camera is not None else None
        if preview is None:
            img = QImage(16, 9, QImage.Format.Format_RGB888)
            img.fill(0x202020)
            return img
        from devices.camera import docscan  # noqa: PLC0415

        frame = preview.image.copy()
        quad = docscan.detect_page(frame)
        if quad is not None:
            pts = np.round(quad.as_array()).astype(np.int32).reshape(-1, 1, 2)
            cv2.polylines(frame, [pts], True, (60, 200, 60), max(2, frame.shape[1] // 240), cv2.LINE_AA)
        img = to_qimage(frame)
        if size is not None:
            size.setWidth(img.width())
            size.setHeight(img.height())
        return img
