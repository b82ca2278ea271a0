"""The demo's simulator panel (QML context property ``sim``): a tester drives the simulated devices (the knobs
of devices.sim). Demo tooling, deliberately outside ui.models: view-models never reach past the core."""
from __future__ import annotations

import logging

from PySide6.QtCore import Property, QObject, Signal, Slot

from devices import sim
from devices.idcard.synthetic import IDENTITIES
from devices.idcard.model import mask_name

log = logging.getLogger(__name__)


class SimPanelModel(QObject):
    changed = Signal()

    def __init__(self, urls: dict[str, str], journey=None) -> None:
        super().__init__()
        self._urls = urls  # device name -> sim:// URL
        self._journey = journey

    def _hw(self, name: str):
        url = self._urls.get(name, "")
        if not url.startswith("sim://"):
            return None
        return sim.get_hardware(url)

    @Property("QVariantList", constant=True)
    def identities(self) -> list:
        return [{"key": k, "label": f"{mask_name(c.name)}（{k}）"} for k, c in IDENTITIES.items()]

    @Property("QVariantMap", notify=changed)
    def knobs(self) -> dict:
        out = {}
        for name in self._urls:
            hw = self._hw(name)
            if hw is not None:
                out[name] = {k: v for k, v in hw.knobs().items() if isinstance(v, (str, int, bool, type(None)))}
        return out

    @Slot(str)
    def placeCard(self, key: str) -> None:
        hw = self._hw("idcard")
        if hw is not None:
            hw.place_card(key)
            self.changed.emit()

    @Slot()
    def removeCard(self) -> None:
        hw = self._hw("idcard")
        if hw is not None:
            hw.remove_card()
            self.changed.emit()

    @Slot(str)
    def putPage(self, kind: str) -> None:
        hw = self._hw("camera")
        if hw is not None:
            hw.put_page(kind)
            self.changed.emit()

    @Slot()
    def removePage(self) -> None:
        hw = self._hw("camera")
        if hw is not None:
            hw.remove_page()
            self.changed.emit()

    @Slot(str)
    def scanCode(self, text: str) -> None:
        hw = self._hw("barcode")
        if hw is not None:
            hw.scan(text)

    @Slot()
    def payWithPhone(self) -> None:
        """The citizen's phone scans the payment QR code and pays (the reference platform's payer)."""
        if self._journey is not None:
            self._journey.simulate_pay()

    @Slot()
    def showLastReceipt(self) -> None:
        """Hold the last printed receipt's QR code under the document camera (a citizen tracking it)."""
        printer, camera = self._hw("printer"), self._hw("camera")
        receipt = printer.last_receipt if printer is not None else None
        if camera is not None and receipt is not None and receipt.qr_payloads:
            camera.show_payload(receipt.qr_payloads[0].decode("utf-8", "replace"))
            self.changed.emit()

    @Slot()
    def hideCode(self) -> None:
        camera = self._hw("camera")
        if camera is not None:
            camera.show_code(None)
            self.changed.emit()

    @Slot(str)
    def scanBill(self, utility: str) -> None:
        """A utility bill's GS1 barcode at the scanner (demo issuers from kiosk.settings.DEMO_BILL_ISSUERS)."""
        bills = {"electricity": "(415)6901234000016(8020)0100123456(3902)12345",
                 "water": "(415)6901234000023(8020)20012345(3902)4560",
                 "gas": "(415)6901234000030(8020)88001234(3902)9870"}
        if utility in bills:
            self.scanCode(bills[utility])

    @Slot(str)
    def setPaper(self, level: str) -> None:
        hw = self._hw("printer")
        if hw is not None:
            hw.set_paper(level)
            self.changed.emit()

    @Slot(bool)
    def setCoverOpen(self, on: bool) -> None:
        hw = self._hw("printer")
        if hw is not None:
            hw.set_cover_open(on)
            self.changed.emit()

    @Slot(str, bool)
    def setUnplugged(self, device: str, unplugged: bool) -> None:
        hw = self._hw(device)
        if hw is not None:
            hw.unplug() if unplugged else hw.plug()
            self.changed.emit()
