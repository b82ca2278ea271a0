"""The QML view-model: the only place where journey and device events cross to the GUI thread.

Journey events may come from device or worker threads; they are re-emitted through a Qt signal, which
Qt queues to the GUI thread, and only there do the properties QML reads change.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.errors import KioskErrorCode, notice_for_kiosk
from kiosk.journey import PERSONAL, Journey, JourneyEvent, JourneyEventKind, Step
from kiosk import screen
from kiosk.search import CatalogSearch

from . import present
from .catalog_filter import filter_items
from .form_checks import FormChecks
from .mine_present import mine_view

log = logging.getLogger(__name__)


class KioskViewModel(QObject):
    stepChanged = Signal()
    dataChanged = Signal()
    valuesChanged = Signal()  # form values and delivery details: rebinding values, never rebuilding the screen
    catalogChanged = Signal()
    devicesChanged = Signal()
    _deviceEvent = Signal(object)
    countdownChanged = Signal()
    noticeChanged = Signal()
    busyChanged = Signal()
    langChanged = Signal()
    elderChanged = Signal()
    fieldErrorsChanged = Signal()  # a field's error shown, changed or cleared: the form is not rebuilt for it
    formErrorShown = Signal(str)  # the first wrong field's message, when 下一步 finds errors (spoken by the app)
    orientationChanged = Signal()  # the demo panel turns the scene; a kiosk's screen never turns
    screenChanged = Signal()  # the demo panel chose another screen-size profile: the theme's mm changed
    autoChanged = Signal()  # the screen moves on by itself in N seconds (kiosk.journey.auto)
    liveChanged = Signal()  # the materials preview: what the citizen should do now (auto-capture)
    linkChanged = Signal()  # the platform's reachability (kiosk.platform.reachability)
    _event = Signal(object)  # cross-thread hop for JourneyEvent

    def __init__(self, journey: Journey, *, lang: str = "zh_CN", orientation: str = "portrait",
                 demo: bool = False, translator: Any = None, px_per_mm: float | None = None) -> None:
        super().__init__()
        self._px_per_mm = px_per_mm or screen.profile("21.5", orientation).px_per_mm
        self._screen_profile = ""  # a profile the demo panel chose (kiosk.screen.PROFILES_IN); "" = as started
        self.journey = journey
        self._lang = lang
        journey.lang = lang
        self._orientation = orientation
        self._demo = demo
        self._translator = translator
        self._step = journey.step.value
        self._countdown = -1
        self._notice: dict[str, Any] = {}
        self._busy = False
        self._live: dict[str, Any] = {}
        self._auto: dict[str, Any] = {}
        self._form = FormChecks()  # the messages under the form's fields
        self.engine: Any = None
        self._search = CatalogSearch(list(journey.catalog), cache=journey.settings.path("catalog") / "search.json")
        self._filter_kind = "all"  # all | department | event | search | bills
        self._filter_value = ""
        self._event.connect(self._on_event)
        journey.subscribe(self._event.emit)
        self._deviceEvent.connect(self._on_device_event)
        journey.devices.subscribe(self._deviceEvent.emit)

    # ----- journey events (GUI thread) ----------------------------------------------------------
    def _on_event(self, event: JourneyEvent) -> None:
        kind = event.kind
        if kind == JourneyEventKind.STEP:
            self._step = self.journey.step.value
            self._auto = self.journey.auto.view() or {}  # armed by the new step's enter, before STEP
            self.autoChanged.emit()
            self._form.reset()
            # busy as it is now: a step freed right after moving on (identify -> form) is built free, not veiled
            busy_changed, self._busy = bool(self.journey.busy) != self._busy, bool(self.journey.busy)
            self.stepChanged.emit()
            if busy_changed:
                self.busyChanged.emit()
            self.fieldErrorsChanged.emit()
            self.dataChanged.emit()
            self.valuesChanged.emit()
        elif kind == JourneyEventKind.UPDATE:
            self.dataChanged.emit()
            self.valuesChanged.emit()
        elif kind == JourneyEventKind.FIELD:
            self.valuesChanged.emit()
        elif kind == JourneyEventKind.COUNTDOWN:  # as it stands now, not as the event says (AUTO's reason)
            self._countdown = -1 if self.journey.countdown is None else int(self.journey.countdown)
            self.countdownChanged.emit()
        elif kind == JourneyEventKind.NOTICE:
            self._notice = present.notice_view(event.data, self._lang)
            self.noticeChanged.emit()
        elif kind == JourneyEventKind.BUSY:
            self._busy = bool(event.data)
            self.busyChanged.emit()
        elif kind == JourneyEventKind.AUTO:
            # as it stands now: the timer thread's ticks arrive queued, a touch's withdrawal directly, so a tick sent
            # just before a tap was applied after it and the screen kept promising "29 秒后自动进入下一步"
            self._auto = self.journey.auto.view() or {}
            self.autoChanged.emit()
        elif kind == JourneyEventKind.LIVE:
            self._live = present.live_view(event.data)
            self.liveChanged.emit()
        elif kind == JourneyEventKind.LINK:  # what can be done now changed: the notice, the items, the guide
            self.linkChanged.emit()
            self.catalogChanged.emit()
            self.dataChanged.emit()

    def _on_device_event(self, event: Any) -> None:
        if event.kind.value in ("state_changed", "supply_changed"):
            self.devicesChanged.emit()

    # ----- properties ---------------------------------------------------------------------------
    @Property(str, notify=stepChanged)
    def step(self) -> str:
        return self._step

    @Property(str, notify=langChanged)
    def lang(self) -> str:
        return self._lang

    @Property(bool, notify=elderChanged)
    def elder(self) -> bool:
        return self.journey.elder

    @Property(str, notify=orientationChanged)
    def orientation(self) -> str:
        return self._orientation

    @Property(float, notify=screenChanged)
    def pxPerMm(self) -> float:  # noqa: N802 - QML name
        """Logical scene pixels per millimetre of the glass (kiosk/screen.py): the theme's unit."""
        return self._px_per_mm

    @Property(str, notify=screenChanged)
    def screenProfile(self) -> str:
        """The screen-size profile the demo panel chose ("15.6", "21.5", "32"), or "" (the size as started)."""
        return self._screen_profile

    @Property("QVariantList", constant=True)
    def screenProfiles(self) -> list:
        return list(screen.PROFILES_IN)

    @Slot(str)
    def setScreenProfile(self, name: str) -> None:
        """The demo's tester picks a panel size: the theme's millimetres become that panel's pixels, and the
        whole UI lays itself out again (every size binds to Theme.mm), without a restart."""
        if name not in screen.PROFILES_IN:
            log.warning("no screen profile %r", name)
            return
        self._screen_profile = name
        self._px_per_mm = screen.profile(name, self._orientation).px_per_mm
        log.info("screen profile: %s", screen.profile(name, self._orientation).describe())
        self.screenChanged.emit()

    @Property(bool, constant=True)
    def demo(self) -> bool:
        return self._demo

    @Property(bool, constant=True)
    def ready(self) -> bool:
        """The runtime is built (``ui.models.boot_vm.BootViewModel`` answers False while it is not)."""
        return True

    @Property(int, notify=countdownChanged)
    def countdown(self) -> int:
        return self._countdown

    @Property(bool, notify=stepChanged)
    def personal(self) -> bool:  # personal data on this step: its idle countdown ends the session, else goes home
        return Step(self._step) in PERSONAL

    @Property("QVariantMap", notify=noticeChanged)
    def notice(self) -> dict:
        return self._notice

    @Property(bool, notify=busyChanged)
    def busy(self) -> bool:
        return self._busy

    def _link_state(self) -> Any:
        link = self.journey.link
        return link.state if link is not None else None

    @Property(str, notify=linkChanged)
    def link(self) -> str:
        """online | offline | unknown (kiosk.platform.reachability.Reachability); "" without a link."""
        state = self._link_state()
        return state.value if state is not None else ""

    @Property("QVariantMap", notify=linkChanged)
    def offlineNotice(self) -> dict:
        """The home screen's calm notice while the platform is unreachable ({} otherwise)."""
        if self.link != "offline":
            return {}
        n = notice_for_kiosk(KioskErrorCode.PLATFORM_OFFLINE, level="info")
        return {"code": n.code, "text": n.text.get(self._lang)}

    @Property("QVariantList", notify=catalogChanged)
    def items(self) -> list:
        state = self._link_state()
        return [dict(present.item_summary(i, self._lang), **present.availability(i, state, self._lang))
                for i in self._filtered()]

    def _filtered(self) -> list:
        return filter_items(list(self.journey.catalog), self._filter_kind, self._filter_value, self._search)

    @Property("QVariantList", notify=catalogChanged)
    def catalogGroups(self) -> list:
        """Filter chips: departments and life events with their item counts."""
        return present.catalog_groups(list(self.journey.catalog), self._lang)

    @Property("QVariantMap", notify=catalogChanged)
    def catalogFilter(self) -> dict:
        return {"kind": self._filter_kind, "value": self._filter_value}

    @Property("QVariantMap", notify=dataChanged)
    def guide(self) -> dict:
        item = self.journey.session.item
        return dict(present.item_guide(item, self._lang, self.journey.session.offered),
                    **present.availability(item, self._link_state(), self._lang)) if item else {}

    @Property("QVariantList", notify=dataChanged)
    def formFields(self) -> list:
        return present.form_fields(self.journey, self._lang, self._form.errors)

    @Property("QVariantMap", notify=fieldErrorsChanged)
    def fieldErrors(self) -> dict:
        """Field name -> its error message, for the fields wrong now (after the first 下一步)."""
        return dict(self._form.errors)

    @Property("QVariantMap", notify=valuesChanged)
    def fieldValues(self) -> dict:
        return present.form_values(self.journey)

    @Property("QVariantMap", notify=dataChanged)
    def material(self) -> dict:
        return present.material_view(self.journey, self._lang)

    @Property("QVariantMap", notify=autoChanged)
    def autoMove(self) -> dict:
        """{kind, seconds, cancellable} while the screen moves on by itself (next_material, print, finish,
        home); {} otherwise."""
        return self._auto

    @Property("QVariantMap", notify=liveChanged)
    def live(self) -> dict:
        """{state, problem, progress}: see kiosk.capture.auto.AutoState and LIVE_PROBLEMS; {} when off."""
        return self._live

    @Property("QVariantMap", notify=dataChanged)
    def identity(self) -> dict:
        return present.identity_view(self.journey)

    @Property("QVariantMap", notify=dataChanged)
    def review(self) -> dict:
        return present.review_view(self.journey, self._lang)

    @Property("QVariantMap", notify=dataChanged)
    def outcome(self) -> dict:
        return present.outcome_view(self.journey, self._lang)

    @Property("QVariantMap", notify=valuesChanged)
    def delivery(self) -> dict:
        return present.delivery_view(self.journey, self._lang)

    @Property("QVariantMap", notify=dataChanged)
    def payment(self) -> dict:
        return present.payment_view(self.journey, self._lang)

    @Property("QVariantList", notify=devicesChanged)
    def deviceAlerts(self) -> list:
        return present.device_alerts(self.journey.devices.health(), self._lang)

    @Property("QVariantMap", notify=dataChanged)
    def statusResult(self) -> dict:
        return present.status_view(self.journey.status_result, self._lang)

    @Property("QVariantMap", notify=dataChanged)
    def mine(self) -> dict:
        """我的办件: {state, holder, items, total, more, empty, offline?, detail?} (ui/models/mine_present.py)."""
        return mine_view(self.journey, self._lang)

    @Property("QVariantList", notify=dataChanged)
    def steps(self) -> list:
        return [s.value for s in self.journey.plan]

    # ----- actions ------------------------------------------------------------------------------
    @Slot()
    def touch(self) -> None:
        self.journey.touch()

    @Slot()
    def wake(self) -> None:
        self.journey.wake()

    @Slot()
    def openCatalog(self) -> None:
        self.journey.open_catalog()

    @Slot()
    def openStatus(self) -> None:
        self.journey.open_status()

    @Slot()
    def openMine(self) -> None:
        self.journey.open_mine()

    @Slot(str)
    def mineShow(self, reference: str) -> None:
        self.journey.mine_show(reference)

    @Slot()
    def mineMore(self) -> None:
        self.journey.mine_more()

    @Slot()
    def minePrint(self) -> None:
        """打印 on a 我的办件 detail: its issued result on the A4 printer."""
        self.journey.mine_print()

    @Slot(str)
    def queryStatus(self, reference: str) -> None:
        self.journey.query_status(reference)

    @Slot()
    def callHelp(self) -> None:
        self.journey.call_help()

    @Slot(str, str)
    def setCatalogFilter(self, kind: str, value: str) -> None:
        self.journey.touch()
        if kind not in ("all", "department", "event", "search", "bills"):
            return
        self._filter_kind, self._filter_value = kind, value
        self.catalogChanged.emit()

    @Slot(str)
    def searchCatalog(self, text: str) -> None:
        self.setCatalogFilter("search" if text.strip() else "all", text)

    @Slot()
    def openBills(self) -> None:
        self._filter_kind, self._filter_value = "bills", ""
        self.catalogChanged.emit()
        self.journey.open_catalog()

    @Slot()
    def openServices(self) -> None:
        self._filter_kind, self._filter_value = "all", ""
        self.catalogChanged.emit()
        self.journey.open_catalog()

    @Slot(str)
    def chooseItem(self, code: str) -> None:
        self.journey.choose_item(code)

    @Slot()
    def startItem(self) -> None:
        self.journey.start_item()

    @Slot()
    def back(self) -> None:
        self.journey.back()

    @Slot()
    def cancel(self) -> None:
        self.journey.cancel()

    @Slot(str, str)
    def setField(self, name: str, value: str) -> None:
        self.journey.set_field(name, value)
        if self._form.typed(self.journey, name, self._lang):
            self.fieldErrorsChanged.emit()

    @Slot()
    def submitForm(self) -> None:
        first = self._form.submitted(self.journey.submit_form(), self._lang)
        if first:
            self.fieldErrorsChanged.emit()
            self.formErrorShown.emit(first)

    @Slot()
    def capture(self) -> None:
        self.journey.capture_page()

    @Slot(int)
    def removePage(self, index: int) -> None:
        self.journey.remove_page(index)

    @Slot(int)
    def retakePage(self, index: int) -> None:
        self.journey.remove_page(index, retake=True)

    @Slot()
    def materialDone(self) -> None:
        self.journey.material_done()

    @Slot("QVariantList", int, int)
    def sign(self, strokes: list, width: int, height: int) -> None:
        pts = [[(float(p[0]), float(p[1])) for p in stroke] for stroke in strokes]
        self.journey.sign(pts, width, height)

    @Slot(str, str, str, str, str)
    def setDelivery(self, method: str, recipient: str, phone: str, region: str, address: str) -> None:
        self.journey.choose_delivery(method, recipient=recipient, phone=phone, region=region, address=address)

    @Slot()
    def deliveryDone(self) -> None:
        self.journey.delivery_done()

    @Slot()
    def confirm(self) -> None:
        self.journey.confirm()

    @Slot()
    def proceed(self) -> None:
        self.journey.proceed()

    @Slot()
    def payAgain(self) -> None:
        self.journey.pay_again()

    @Slot(str)
    def rate(self, level: str) -> None:
        """好差评: one of very_satisfied, satisfied, basic, unsatisfied, very_unsatisfied."""
        self.journey.rate(level)

    @Slot()
    def printAgain(self) -> None:
        self.journey.print_again()

    @Slot()
    def printReceiptA4(self) -> None:
        """A4 打印回执: the receipt as an A4 page (issue 18)."""
        self.journey.print_receipt_a4()

    @Slot()
    def finish(self) -> None:
        self.journey.finish()

    @Slot(str)
    def setLang(self, lang: str) -> None:
        if lang == self._lang or lang not in ("zh_CN", "en_US"):
            return
        self.journey.touch()
        self._lang = lang
        self.journey.lang = lang  # the application is made in it: the platform's SMS follow it (issue 18)
        if self._translator is not None:
            self._translator.set(lang)
        if self.engine is not None:
            self.engine.retranslate()
        self._notice = present.notice_view(self.journey.notice, lang)
        if self._form.relang(self.journey, lang):  # the messages under the fields, in the new language
            self.fieldErrorsChanged.emit()
        self.langChanged.emit()
        self.linkChanged.emit()
        self.devicesChanged.emit()
        self.catalogChanged.emit()
        self.dataChanged.emit()
        self.noticeChanged.emit()

    @Slot(bool)
    def setElder(self, on: bool) -> None:
        self.journey.set_elder(on)
        self.elderChanged.emit()

    @Slot(str)
    def setOrientation(self, orientation: str) -> None:
        """Portrait (1080x1920) or landscape (1920x1080): the demo's tester turns the screen."""
        if orientation == self._orientation or orientation not in ("portrait", "landscape"):
            return
        self._orientation = orientation
        self.orientationChanged.emit()
        if self._screen_profile:  # the chosen panel, turned
            self.setScreenProfile(self._screen_profile)
