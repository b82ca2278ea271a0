"""``image://payqr/<order id>``: the payment order's QR code for the citizen's phone to scan."""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

from kiosk.qrcodes import screen_qr


class PaymentQrProvider(QQuickImageProvider):
    def __init__(self, journey) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self.journey = journey

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802 - Qt API
        payload = self.journey.session.payment.qr_payload
        if not payload:
            img = QImage(8, 8, QImage.Format.Format_Grayscale8)
            img.fill(0xFFFFFF)
            return img
        gray = screen_qr(payload, module_px=10, ec="M")
        h, w = gray.shape
        img = QImage(gray.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
        if size is not None:
            size.setWidth(w)
            size.setHeight(h)
        return img
