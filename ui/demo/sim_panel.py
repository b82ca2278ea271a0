"""The demo's simulator panel (QML context property ``sim``): a tester drives the simulated devices (the knobs
of devices.sim), the embedded platform's state (central.fault_gate) and one-click scenarios (ui.demo.scenarios).
Demo tooling, deliberately outside ui.models: view-models never reach past the core."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from devices import sim
from devices.idcard.synthetic import IDENTITIES, PURPOSES
from devices.idcard.model import mask_name

from . import scenarios
from .face_lever import FaceLever, card_key

log = logging.getLogger(__name__)

# Device faults, one click each: name -> (device, what the click does to its simulator)
FAULTS: dict[str, tuple[str, Any]] = {
    "card_unreadable": ("idcard", lambda hw: hw.set_fault("bad_checksum")),
    "wrong_card": ("idcard", lambda hw: hw.set_fault("not_an_id_card")),
    "paper_low": ("printer", lambda hw: hw.set_paper("near_end")),
    "paper_out": ("printer", lambda hw: hw.set_paper("out")),
    "cover_open": ("printer", lambda hw: hw.set_cover_open(True)),
    "printer_offline": ("printer", lambda hw: hw.set_offline(True)),
    "camera_lost": ("camera", lambda hw: hw.unplug()),
    "scanner_lost": ("barcode", lambda hw: hw.unplug()),
    "a4_paper_out": ("a4", lambda hw: hw.set_paper("out")),
    "a4_jam": ("a4", lambda hw: hw.set_jam(True)),
    "a4_offline": ("a4", lambda hw: hw.set_offline(True)),
}
PLATFORM_MODES = ("online", "offline", "slow", "errors")
# The demo utility bills at the scanner: utility -> (GS1 GLN of the biller, account number, amount in fen).
# The GLNs are kiosk.settings.DEMO_BILL_ISSUERS (GLN -> catalogue item).
DEMO_BILLS = {"electricity": ("6901234000016", "0100123456", "12345"),
              "water": ("6901234000023", "20012345", "4560"),
              "gas": ("6901234000030", "88001234", "9870")}


def bill_barcode(utility: str) -> str:
    gln, account, amount = DEMO_BILLS[utility]
    return f"(415){gln}(8020){account}(3902){amount}"


class SimPanelModel(QObject):
    changed = Signal()
    _stepSeen = Signal(str)  # journey events arrive on worker threads: hop to the GUI thread

    def __init__(self, urls: dict[str, str], journey=None, gate=None, levers=None,
                 payment_expires_s: float = 30.0) -> None:
        super().__init__()
        self._urls = urls  # device name -> sim:// URL
        self._journey = journey
        self._gate = gate  # central.fault_gate.FaultGate in front of the embedded platform, or None
        self._levers = levers  # central.demo_levers.DemoLevers on the embedded platform, or None
        self._payment_expires_s = payment_expires_s  # kiosk.settings UiSettings.demo_payment_expires_s
        self._armed: dict[str, str] = {}  # journey step -> platform mode to switch to on reaching it
        self._scenario = ""
        self._face = FaceLever()  # who stands at the face camera (urls["face"])
        if (key := card_key(self._hw("idcard"))) is not None:
            self._face.card = key
        if (face := self._face_hw()) is not None:
            self._face.adopt(face)
        self._stepSeen.connect(self._on_step)
        if journey is not None:
            journey.subscribe(self._on_journey)

    def _hw(self, name: str):
        url = self._urls.get(name, "")
        if not url.startswith("sim://"):
            return None
        return sim.get_hardware(url)

    def _face_hw(self):
        """The simulated face camera (devices.camera.sim.face), None when the face camera is not one."""
        hw = self._hw("face")
        return hw if hasattr(hw, "stand") else None

    @Property("QVariantList", constant=True)
    def identities(self) -> list:
        return [{"key": k, "label": f"{mask_name(c.name)}（{k}）", "purpose": PURPOSES.get(k, "")}
                for k, c in IDENTITIES.items()]

    @Property("QVariantMap", notify=changed)
    def knobs(self) -> dict:
        out = {}
        for name in self._urls:
            hw = self._hw(name)
            if hw is not None:
                out[name] = {k: v for k, v in hw.knobs().items() if isinstance(v, (str, int, bool, type(None)))}
        return out

    # ----- platform state -----------------------------------------------------------------------
    @Property(bool, constant=True)
    def hasPlatform(self) -> bool:
        return self._gate is not None

    @Property(str, notify=changed)
    def platformMode(self) -> str:
        return self._gate.mode.value if self._gate is not None else ""

    @Slot(str)
    def setPlatform(self, mode: str) -> None:
        if self._gate is not None and mode in PLATFORM_MODES:
            self._gate.set_mode(mode)
            self.changed.emit()

    @Property(bool, constant=True)
    def hasLevers(self) -> bool:
        """The embedded platform is this process's: the ledger and payment scenarios can be set up."""
        return self._levers is not None

    def mark_bill_paid(self, utility: str) -> None:
        """The demo ``utility`` bill is settled in the biller's ledger (paid elsewhere): its look-up says so."""
        if self._levers is None:
            return
        from kiosk.settings import DEMO_BILL_ISSUERS  # noqa: PLC0415

        gln, account, _ = DEMO_BILLS[utility]
        self._levers.mark_bill_paid(DEMO_BILL_ISSUERS[gln], account)

    def payments_expire(self) -> None:
        """Payment orders made from now on expire after ``demo_payment_expires_s`` (until reset)."""
        if self._levers is not None:
            self._levers.expire_payments_after(self._payment_expires_s)

    def platform_at_step(self, step: str, mode: str) -> None:
        """Switch the platform to ``mode`` when the journey reaches ``step`` (e.g. offline during submit)."""
        self._armed[step] = mode

    def _on_journey(self, event: Any) -> None:
        if getattr(event.kind, "value", "") == "step" and self._journey is not None:
            step = self._journey.step.value
            mode = self._armed.pop(step, None)
            if mode is not None and self._gate is not None:
                self._gate.set_mode(mode)  # at once, on the journey's thread: before its next request
                self._stepSeen.emit(step)

    def _on_step(self, _step: str) -> None:
        self.changed.emit()

    # ----- device faults ------------------------------------------------------------------------
    @Property("QVariantList", constant=True)
    def faults(self) -> list:
        return list(FAULTS)

    @Slot(str)
    def fault(self, name: str) -> None:
        device, apply = FAULTS[name]
        hw = self._hw(device)
        if hw is not None:
            apply(hw)
            self.changed.emit()

    @Slot()
    def reset(self) -> None:
        """Every device healthy, the platform online, nothing armed."""
        self._armed.clear()
        if (hw := self._hw("idcard")) is not None:
            hw.set_fault("none")
        if (hw := self._hw("printer")) is not None:
            hw.set_paper("ok")
            hw.set_cover_open(False)
            hw.set_offline(False)
        if (hw := self._hw("a4")) is not None:
            hw.set_paper("ok")
            hw.set_jam(False)
            hw.set_offline(False)
        if (hw := self._face_hw()) is not None:
            self._face.reset(hw)
        for name in ("idcard", "printer", "camera", "barcode", "a4", "face"):
            if (hw := self._hw(name)) is not None and hw.unplugged:
                hw.plug()
        if self._gate is not None:
            self._gate.set_mode("online")
        if self._levers is not None:
            self._levers.restore()
        self.changed.emit()

    # ----- scenarios ----------------------------------------------------------------------------
    @Property("QVariantList", constant=True)
    def scenarios(self) -> list:
        return [{"key": s.key, "label": s.label, "detail": s.detail} for s in scenarios.SCENARIOS
                if self._levers is not None or not s.needs_platform]

    @Property(str, notify=changed)
    def scenario(self) -> str:
        return self._scenario

    @Slot(str)
    def runScenario(self, key: str) -> None:
        scenarios.run(key, self)
        self._scenario = key
        self.changed.emit()

    # ----- the citizen's things -----------------------------------------------------------------
    @Slot(str)
    def placeCard(self, key: str) -> None:
        hw = self._hw("idcard")
        if hw is not None:
            hw.place_card(key)
            if (face := self._face_hw()) is not None:
                self._face.card_placed(face, key)  # the new card's holder steps up (if the holder was chosen)
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
            hw.put_page(kind, category="plain" if hw.category == "oversize" else None)  # a page with edges again
            self.changed.emit()

    @Slot()
    def putOversizeSheet(self) -> None:
        """A sheet larger than the camera's view: no edge to find, so the materials screen says it cannot see
        the page's edges and asks for 拍摄 (the whole picture is kept)."""
        hw = self._hw("camera")
        if hw is not None:
            hw.put_page("text", category="oversize")
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
        if utility in DEMO_BILLS:
            self.scanCode(bill_barcode(utility))

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

    # ----- the face camera (人证核验): who stands there, what is held up ---------------------------
    @Property(bool, constant=True)
    def hasFaceCamera(self) -> bool:
        return self._face_hw() is not None

    @Property(str, notify=changed)
    def faceRole(self) -> str:
        """holder | impostor | nobody (ui.demo.face_lever.FaceRole)."""
        return self._face.role.value

    @Slot(str)
    def standAtFace(self, role: str) -> None:
        """The card's holder, an impostor or nobody stands at the face camera."""
        hw = self._face_hw()
        if hw is not None:
            self._face.stand(hw, role)
            self.changed.emit()

    @Slot(str)
    def holdUpAtFace(self, kind: str) -> None:
        """A spoof held up to the face camera: photo, screen or replay; "" for the live person."""
        hw = self._face_hw()
        if hw is not None:
            self._face.hold_up(hw, kind)
            self.changed.emit()

    @Slot(bool)
    def setFaceObeys(self, on: bool) -> None:
        """Whether the person does what the screen asks (blink, turn): off, every challenge times out."""
        hw = self._face_hw()
        if hw is not None:
            self._face.set_obey(hw, on)
            self.changed.emit()
