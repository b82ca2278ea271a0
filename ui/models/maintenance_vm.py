"""The maintenance console's view-model: ``kiosk.maintenance.Maintenance`` for QML (context property ``maint``).

Device tests finish on device threads and the platform check runs on a worker thread; both come back
through queued signals, so the properties QML reads only change on the GUI thread. While the console is
open a one-second timer refreshes the device list (states change on their own: a printer reconnecting).
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.maintenance.console import BAUD_RATES, DEVICES, GateState, Maintenance
from kiosk.ops.monitor import software_version
from kiosk.maintenance.devices import PRINTER_PROFILES, SCANNER_SUFFIXES, url_options, with_param

log = logging.getLogger(__name__)


class MaintenanceViewModel(QObject):
    stateChanged = Signal()
    messageChanged = Signal()
    devicesChanged = Signal()
    candidatesChanged = Signal()
    testsChanged = Signal()
    outboxChanged = Signal()
    platformChanged = Signal()
    logChanged = Signal()
    applyChanged = Signal()
    bedChanged = Signal()
    _gateChanged = Signal()  # from any thread (badge scanned on the scanner's thread)
    _testDone = Signal(str, object)
    _platformDone = Signal(object)
    _bedDone = Signal(object)

    def __init__(self, maintenance: Maintenance) -> None:
        super().__init__()
        self.m = maintenance
        self._message = ""
        self._devices: list[dict] = []
        self._candidates: list[dict] = []
        self._editing = ""
        self._tests: dict[str, dict] = {}
        self._outbox: list[dict] = []
        self._platform: dict[str, Any] = {}
        self._log: list[str] = []
        self._apply_errors: list[str] = []
        self._apply_ok = False
        self._bed: dict[str, Any] = {"learned": False}
        self._bed_result: dict[str, Any] = {}
        self._refresh_devices()  # rows exist before the console opens: QML never binds to missing fields
        self._gateChanged.connect(self._on_gate)
        self._testDone.connect(self._on_test)
        self._platformDone.connect(self._on_platform)
        self._bedDone.connect(self._on_bed)
        maintenance.subscribe(self._gateChanged.emit)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    # ----- state ---------------------------------------------------------------------------------
    def _on_gate(self) -> None:
        if self.m.state == GateState.OPEN:
            self._message = ""
            self.refresh()
        elif self.m.holder() and self.m.state == GateState.PROMPT:
            self._message = ""  # the badge or card is in: "scan first" no longer applies
        self.stateChanged.emit()
        self.messageChanged.emit()

    def stop(self) -> None:
        """The kiosk is closing: no more ticks (an idle console timing out after the audit trail was closed
        wrote to a closed trail: ValueError in the event loop of whatever ran next)."""
        self._timer.stop()

    def _tick(self) -> None:
        before = self.m.state
        self.m.tick()
        if self.m.state != before:
            self._on_gate()
        if self.m.state == GateState.OPEN:
            self._refresh_devices()
        elif self.m.state == GateState.LOCKED:
            self._set_locked_message()

    @Property(str, notify=stateChanged)
    def state(self) -> str:
        return self.m.state.value

    @Property(bool, notify=stateChanged)
    def active(self) -> bool:
        return self.m.state != GateState.CLOSED

    @Property(str, notify=messageChanged)
    def message(self) -> str:
        return self._message

    @Property(int, constant=True)
    def gestureTaps(self) -> int:
        return self.m.settings.maintenance.gesture_taps

    @Property(int, constant=True)
    def gestureWindowMs(self) -> int:
        return int(self.m.settings.maintenance.gesture_window_s * 1000)

    @Property(str, notify=stateChanged)
    def who(self) -> str:
        return self.m.gate.who

    @Property(bool, notify=stateChanged)
    def needToken(self) -> bool:
        """The pad first asks for a badge or the technician's card (two factors; demo mode excepted)."""
        return self.m.needs_token()

    @Property(str, notify=stateChanged)
    def holder(self) -> str:
        """Whose badge or card was accepted: the PIN is asked next."""
        return self.m.holder()

    @Property(str, constant=True)
    def kioskId(self) -> str:
        return self.m.settings.kiosk_id

    @Property("QVariantList", constant=True)
    def baudRates(self) -> list:
        return list(BAUD_RATES)

    @Property("QVariantList", constant=True)
    def printerProfiles(self) -> list:
        return list(PRINTER_PROFILES)

    @Property("QVariantList", constant=True)
    def scannerSuffixes(self) -> list:
        return list(SCANNER_SUFFIXES)

    # ----- entry ---------------------------------------------------------------------------------
    @Slot()
    def requestEntry(self) -> None:
        self.m.request_entry()
        self._message = ""
        if self.m.state == GateState.LOCKED:
            self._set_locked_message()
        self.stateChanged.emit()
        self.messageChanged.emit()

    def _set_locked_message(self) -> None:
        minutes = int(self.m.gate.locked_for_s() // 60) + 1
        self._message = f"错误次数过多，已锁定，请 {minutes} 分钟后再试 — Too many wrong PINs: locked for {minutes} min"
        self.messageChanged.emit()

    @Slot(str)
    def enterPin(self, pin: str) -> None:
        attempt = self.m.enter_pin(pin)
        if attempt.ok:
            self._on_gate()
            return
        if attempt.state == GateState.LOCKED:
            self._set_locked_message()
        elif attempt.need == "token":
            self._message = "请先扫描技术员工牌或放上技术员身份证 — Scan your badge or lay your ID card first"
        else:
            left = attempt.attempts_left
            self._message = f"密码错误，还可尝试 {left} 次 — Wrong PIN, {left} tries left"
        self.stateChanged.emit()
        self.messageChanged.emit()

    @Slot()
    def cancelEntry(self) -> None:
        self.m.cancel_entry()
        self._message = ""
        self.stateChanged.emit()

    @Slot()
    def touch(self) -> None:
        self.m.touch()

    @Slot()
    def leave(self) -> None:
        self.m.leave()
        self._tests.clear()
        self._bed_result = {}
        self._editing = ""
        self.bedChanged.emit()
        self.stateChanged.emit()

    @Slot()
    def restart(self) -> None:
        self.m.request_restart()
        self.stateChanged.emit()

    # ----- devices -------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        self._refresh_devices()
        self._refresh_bed()
        self.refreshOutbox()
        self.refreshLog()

    def _refresh_devices(self) -> None:
        rows = self.m.device_rows()
        alerts = {a["device"]: a for a in self.m.alerts() if a.get("device")}
        for row in rows:
            a = alerts.get(row["name"])
            row["alert_zh"], row["alert_en"] = (a["zh"], a["en"]) if a else ("", "")
        if rows != self._devices:
            self._devices = rows
            self.devicesChanged.emit()

    @Property("QVariantList", notify=devicesChanged)
    def devices(self) -> list:
        return self._devices

    @Property(int, constant=True)
    def deviceCount(self) -> int:
        return len(DEVICES)

    @Property("QVariantList", notify=devicesChanged)
    def alerts(self) -> list:
        return self.m.alerts()

    @Property(str, constant=True)
    def softwareVersion(self) -> str:
        return software_version()

    @Property(str, constant=True)
    def catalogVersion(self) -> str:
        return self.m.catalog_version()[:12]

    @Slot(str)
    def testDevice(self, name: str) -> None:
        self._tests[name] = {"running": True, "ok": False, "zh": "测试中…", "en": "Testing…", "code": 0}
        self.testsChanged.emit()
        try:
            fut = self.m.test_device(name)
        except PermissionError:
            return
        fut.add_done_callback(lambda f, n=name: self._testDone.emit(n, f))

    def _on_test(self, name: str, fut: Future) -> None:
        r = fut.result()
        self._tests[name] = {"running": False, "ok": r.ok, "zh": r.zh, "en": r.en, "code": r.code or 0}
        self.testsChanged.emit()
        self._refresh_devices()

    @Property("QVariantMap", notify=testsChanged)
    def tests(self) -> dict:
        return dict(self._tests)

    # ----- the document camera's empty bed ----------------------------------------------------------
    def _refresh_bed(self) -> None:
        """Read from disk on opening and after learning or forgetting only (not on the one-second tick)."""
        self._bed = self.m.empty_bed_status()
        self.bedChanged.emit()

    @Slot()
    def learnBed(self) -> None:
        self._bed_result = {"running": True, "ok": False, "zh": "正在学习空台面，请保持台面空着…",
                            "en": "Learning the empty bed: keep the bed clear…", "code": 0}
        self.bedChanged.emit()
        try:
            fut = self.m.learn_empty_bed()
        except PermissionError:
            self._bed_result = {}
            self.bedChanged.emit()
            return
        fut.add_done_callback(self._bedDone.emit)   # on the camera's or the learning's thread: queued to us

    def _on_bed(self, fut: Future) -> None:
        r = fut.result()
        self._bed_result = {"running": False, "ok": r.ok, "zh": r.zh, "en": r.en, "code": r.code or 0}
        self._refresh_bed()

    @Slot()
    def forgetBed(self) -> None:
        try:
            r = self.m.forget_empty_bed()
        except PermissionError:
            return
        self._bed_result = {"running": False, "ok": r.ok, "zh": r.zh, "en": r.en, "code": r.code or 0}
        self._refresh_bed()

    @Property("QVariantMap", notify=bedChanged)
    def bed(self) -> dict:
        """learned, damaged, when (local time), width, height, frames."""
        return dict(self._bed)

    @Property("QVariantMap", notify=bedChanged)
    def bedResult(self) -> dict:
        """The last learning or forgetting: running, ok, zh, en, code ({} before any)."""
        return dict(self._bed_result)

    @Slot(str)
    def edit(self, name: str) -> None:
        """Open the URL editor of ``name`` with what discovery finds now."""
        self.m.touch()
        self._editing = name
        self._apply_errors, self._apply_ok = [], False
        self._candidates = [{"url": c.url, "label": c.label, "usable": c.usable, "note": c.note}
                            for c in self.m.candidates(name)] if name else []
        self.candidatesChanged.emit()
        self.applyChanged.emit()

    @Property(str, notify=candidatesChanged)
    def editing(self) -> str:
        return self._editing

    @Property("QVariantList", notify=candidatesChanged)
    def candidates(self) -> list:
        return self._candidates

    @Slot(str, str, result=str)
    def withParam(self, url: str, key_value: str) -> str:
        """The URL with one parameter set ("baudrate=9600"); used by the baud-rate and option buttons."""
        return with_param(url, key_value)

    @Slot(str, str)
    def apply(self, name: str, url: str) -> None:
        options = url_options(name, url)
        try:
            self._apply_errors = self.m.apply_url(name, url, options)
        except PermissionError:
            self._apply_errors = ["控制台已关闭 — the console is closed"]
        self._apply_ok = not self._apply_errors
        if self._apply_ok:
            self._tests.pop(name, None)
            self._editing = ""
            self.candidatesChanged.emit()
            self.testsChanged.emit()
        self.applyChanged.emit()
        self._refresh_devices()

    @Property("QVariantList", notify=applyChanged)
    def applyErrors(self) -> list:
        return self._apply_errors

    @Property(bool, notify=applyChanged)
    def applyOk(self) -> bool:
        return self._apply_ok

    # ----- outbox, platform, log ------------------------------------------------------------------
    @Slot()
    def refreshOutbox(self) -> None:
        self._outbox = self.m.outbox_rows()
        self.outboxChanged.emit()

    @Property("QVariantList", notify=outboxChanged)
    def outbox(self) -> list:
        return self._outbox

    @Slot(str)
    def retry(self, app_id: str) -> None:
        self.m.retry(app_id)
        self.refreshOutbox()

    @Slot()
    def checkPlatform(self) -> None:
        self._platform = {"checking": True}
        self.platformChanged.emit()
        threading.Thread(target=lambda: self._platformDone.emit(self.m.platform_status()),
                         name="maint-platform", daemon=True).start()

    def _on_platform(self, status: dict) -> None:
        self._platform = dict(status, checking=False)
        self.platformChanged.emit()

    @Property("QVariantMap", notify=platformChanged)
    def platform(self) -> dict:
        return self._platform

    @Slot()
    def refreshLog(self) -> None:
        self._log = self.m.log_tail(60)
        self.logChanged.emit()

    @Property(str, notify=logChanged)
    def logText(self) -> str:
        return "\n".join(self._log)
