"""``image://receipt/ID``: the simulated printer's last receipt as the paper looks (demo mode).

In demo mode the printer is ``sim://printer``; the simulator interprets the ESC/POS it received and renders
it at 203 dpi (``devices.printer.render``), so the screen shows exactly what the printer was sent -- the QR
code on screen scans like the paper's. With a real printer there is nothing to show (a 1x1 white image);
the receipt screen then shows its drawing instead. ``ID`` only busts QML's image cache.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

from devices import sim

log = logging.getLogger(__name__)


class ReceiptImageProvider(QQuickImageProvider):
    def __init__(self, printer_url: str) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self.printer_url = printer_url

    def png(self) -> bytes | None:
        if not self.printer_url.startswith("sim://"):
            return None
        try:
            return sim.get_hardware(self.printer_url).last_png()
        except Exception:  # a rendering bug must not take the screen down: log it, show nothing
            log.exception("rendering the simulated receipt failed")
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
