"""``image://receipt/ID``: the receipt the kiosk just printed, as the paper looks.

The picture comes from the core, not from a printer: ``kiosk.printing.receipt.printed_receipt_png`` draws the
ESC/POS bytes the journey sent (203 dpi, one pixel per dot), so the QR code on screen scans like the
paper's, whatever printer is attached. The composition root (``ui.app``) hands in ``source``, a callable
returning those PNG bytes or None; with nothing to show this gives a 1x1 white image and the receipt screen
shows its drawing instead. ``ID`` only busts QML's image cache.
"""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

log = logging.getLogger(__name__)


class ReceiptImageProvider(QQuickImageProvider):
    def __init__(self, source: Callable[[], bytes | None]) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self.source = source

    def png(self) -> bytes | None:
        try:
            return self.source()
        except Exception:  # a rendering bug must not take the screen down: log it, show nothing
            log.exception("rendering the printed receipt failed")
            return None

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802 - Qt API
        data = self.png()
        img = QImage.fromData(data, "PNG") if data else QImage()
        if img.isNull():
            img = QImage(1, 1, QImage.Format.Format_RGB32)
            img.fill(0xFFFFFF)
        if size is not None:
            size.setWidth(img.width())
            size.setHeight(img.height())
        return img
