"""The technicians' maintenance console, without Qt: what it shows and what it does.

Entered by a hidden gesture on the home screen, then two factors: a technician badge or the technician's ID
card, AND the PIN (``auth``).
Inside, a technician sees every device with its state, health, counters, last error and the remedy from
the error registry; tests each device; picks a device's URL from what discovery finds, with baud rate and
options, which is validated, saved to ``settings.local.toml`` and applied at once (``DeviceManager.replace``);
learns, shows and forgets the document camera's empty bed (``bed_console``);
sees the outbox (what waits and why, retry), the platform link, the catalog version, the alerts and the
log; restarts the app; returns the kiosk to service. Every entry and action is audited.

The view-model (ui/models/maintenance_vm.py) calls these methods from the GUI thread; the ones that wait
on a device or the network return Futures or are run by the view-model on a worker thread.
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable

from devices.base import DeviceEvent, EventKind
from devices.errors import DeviceErrorCode, error_info
from devices.manager import DeviceSpec
from devices.observers import Observers

from ..audit.trail import mask_text
from ..journey.plan import Step
from ..outbox import OutboxState
from ..platform.client import PlatformError
from ..runtime import device_options
from ..settings import SettingsError
from . import bed_console
from .auth import Attempt, CredentialStore, Gate, GateState
from .devices import BAUD_RATES, Candidate, Discovery, TestResult, run_test, validate_url
from .local_settings import LocalSettings

log = logging.getLogger(__name__)

DEVICES = ("idcard", "printer", "camera", "scanner", "barcode", "a4")
DEVICE_LABELS = {"idcard": ("身份证阅读器", "ID card reader"), "printer": ("回执打印机", "Receipt printer"),
                 "camera": ("高拍仪", "Document camera"), "scanner": ("文档扫描仪", "Document scanner"),
                 "barcode": ("扫码器", "Barcode scanner"), "a4": ("A4打印机", "A4 printer")}
WIRED_OPTION = "sim_output_dir"   # kiosk.runtime.device_options adds it (the simulated A4 printer's pages)
RESTART_EXIT_CODE = 75  # EX_TEMPFAIL: deploy/kiosk.service restarts the kiosk on it (RestartForceExitStatus)
LOG_TAIL_BYTES = 256_000

__all__ = ["Attempt", "BAUD_RATES", "Candidate", "GateState", "Maintenance", "RESTART_EXIT_CODE", "TestResult"]


class Maintenance:
    def __init__(self, runtime: Any, *, discovery: Discovery | None = None,
                 monotonic: Callable[[], float] = time.monotonic, boot: Callable[[], str] | None = None) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.settings = settings
        self._audit_cb = runtime.audit or (lambda event, data: runtime.journey.audit(event, **data))
        self.store = CredentialStore(settings.path("maintenance"))
        m = settings.maintenance
        self.gate = Gate(self.store, max_attempts=m.max_attempts, lockout_s=m.lockout_s,
                         max_lockout_s=m.max_lockout_s, audit=self.audit,
                         demo_pin=m.demo_pin if settings.demo else None, monotonic=monotonic,
                         **({"boot": boot} if boot is not None else {}))
        self.discovery = discovery or Discovery(demo=settings.demo)
        self.local = LocalSettings(settings.data_dir, demo=settings.demo)
        self.monotonic = monotonic
        self._last_activity = monotonic()
        self._listeners: Observers[None] = Observers("console")
        self.on_restart: Callable[[], None] | None = None  # the UI quits with RESTART_EXIT_CODE
        self.restart_requested = False
        self._unsubscribe = runtime.devices.subscribe(self._on_device_event)

    def close(self) -> None:
        self._unsubscribe()

    def audit(self, event: str, data: dict[str, Any]) -> None:
        self._audit_cb(event, data)

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Called (on any thread) when the gate changes on its own: a badge scanned, an idle timeout."""
        self._listeners.subscribe(lambda _: listener())

    def _changed(self) -> None:
        self._listeners.notify(None)

    # ----- the gate ------------------------------------------------------------------------------
    @property
    def state(self) -> GateState:
        return self.gate.state

    def request_entry(self) -> GateState:
        self.touch()
        state = self.gate.request()
        self._arm_reader(state in (GateState.PROMPT, GateState.LOCKED))
        return state

    def _arm_reader(self, on: bool) -> None:
        """While the PIN pad shows, a technician's ID card laid on the reader is read (and only then)."""
        reader = self.runtime.devices.get("idcard")
        if reader is None or not hasattr(reader, "arm"):
            return
        reader.arm() if on else reader.disarm()

    def enter_pin(self, pin: str) -> Attempt:
        self.touch()
        result = self.gate.try_pin(pin)
        if result.ok:
            self._opened()
        return result

    def holder(self) -> str:
        """Whose badge or card is in (the PIN is asked next), "" when none."""
        return self.gate.token()

    def needs_token(self) -> bool:
        return not self.gate.demo_only() and not self.gate.token()

    def _opened(self) -> None:
        # The gesture lives on the home screen, so no citizen's data is open; end any session all the same.
        self._arm_reader(False)
        self.runtime.journey.end_session(Step.HOME)

    def _on_device_event(self, event: DeviceEvent) -> None:
        if self.gate.state not in (GateState.PROMPT, GateState.LOCKED):
            return
        if event.kind == EventKind.BARCODE_READ:
            self.touch()
            self.gate.try_badge(event.data.text)
        elif event.kind == EventKind.CARD_READ:
            self.touch()
            self.gate.try_card(event.data.id_number)
        elif event.kind == EventKind.CARD_REMOVED:
            self._arm_reader(True)  # the next card laid on is read; one lying there counts once, not again
            return
        else:
            return
        self._changed()  # the pad now asks for the PIN (or says the code is not a technician's)

    def cancel_entry(self) -> None:
        self.gate.cancel()
        self._arm_reader(False)

    def touch(self) -> None:
        self._last_activity = self.monotonic()

    def tick(self) -> None:
        """Called by the UI's timer: an unattended console returns to service; a lock runs out."""
        before = self.gate.state
        if before == GateState.OPEN and self.monotonic() - self._last_activity > self.settings.maintenance.idle_timeout_s:
            self.leave("idle")
        elif before in (GateState.PROMPT, GateState.LOCKED):
            if self.monotonic() - self._last_activity > self.settings.maintenance.idle_timeout_s:
                self.cancel_entry()
            else:
                self.gate.refresh()
        if self.gate.state != before:
            self._changed()

    def leave(self, why: str = "technician") -> None:
        """Return to service."""
        self.gate.leave(why)
        self.runtime.journey.end_session(Step.ATTRACT)

    def _require_open(self) -> None:
        if self.gate.state != GateState.OPEN:
            raise PermissionError("the maintenance console is not open")

    # ----- devices -------------------------------------------------------------------------------
    def device_rows(self) -> list[dict[str, Any]]:
        health = self.runtime.devices.health()
        rows = []
        for name in DEVICES:
            zh, en = DEVICE_LABELS[name]
            h = health.get(name)
            if h is None:
                info = error_info(DeviceErrorCode.NOT_CONFIGURED)
                rows.append({"name": name, "label_zh": zh, "label_en": en, "state": "not_configured", "url": "",
                             "code": info.code, "error_zh": info.zh, "error_en": info.en, "remedy": info.remedy,
                             "detail": "", "supplies": {}, "counters": {}, "info": {}, "options": {}})
                continue
            info = error_info(h.error_code) if h.error_code else None
            device = self.runtime.devices.get(name)
            rows.append({
                "name": name, "label_zh": zh, "label_en": en, "state": h.state.value, "url": h.url,
                "code": h.error_code or 0, "error_zh": info.zh if info else "", "error_en": info.en if info else "",
                "remedy": info.remedy if info else "", "detail": mask_text(h.error_detail),
                "supplies": {k: v.value for k, v in h.supplies.items()}, "counters": dict(h.counters),
                "info": dict(h.info), "options": dict(device.options) if device is not None else {},
            })
        return rows

    def candidates(self, name: str) -> list[Candidate]:
        self.touch()
        return self.discovery.candidates(name)

    def apply_url(self, name: str, url: str, options: dict[str, Any] | None = None) -> list[str]:
        """Validate, save to settings.local.toml, and swap the device live. Returns problems (empty: done)."""
        self._require_open()
        self.touch()
        url = url.strip()
        problems = validate_url(name, url)
        if problems:
            self.audit("maintenance_device_url_refused", {"device": name, "url": url, "problems": problems})
            return problems
        # This device itself, not one standing in for it (a scanner for a missing camera).
        device = self.runtime.devices.get(name) if name in self.runtime.devices.names() else None
        old_url = device.url if device is not None else ""
        merged = dict(device.options if device is not None else getattr(self.settings.devices, name).options)
        merged.update(options or {})
        merged.pop(WIRED_OPTION, None)   # set by the wiring from data_dir, never a technician's setting
        try:
            self.local.update({f"devices.{name}.url": url, f"devices.{name}.enabled": True,
                               f"devices.{name}.options": merged})
        except (SettingsError, OSError) as exc:
            return [f"无法保存设置 — cannot save the settings: {exc}"]
        self.runtime.devices.replace(DeviceSpec(name=name, kind=name, url=url,
                                                options=device_options(self.settings, name, url, merged)))
        self.audit("maintenance_device_url", {"device": name, "old": old_url, "new": url, "options": merged})
        log.info("maintenance: %s now at %s (saved to %s)", name, url, self.local.path)
        return []

    def test_device(self, name: str) -> Future:
        self._require_open()
        self.touch()
        device = self.runtime.devices.get(name)
        test = run_test(device, kiosk_id=self.settings.kiosk_id,
                        timeout_s=self.settings.maintenance.device_test_timeout_s)
        out: Future = Future()

        def audit_then_report(f: Future) -> None:  # the record exists before anyone sees the result
            r: TestResult = f.result()
            self.audit("maintenance_test", {"device": name, "ok": r.ok, "code": r.code, "result": r.en})
            out.set_result(r)
        test.add_done_callback(audit_then_report)
        return out

    # ----- the document camera's empty bed (bed_console) -------------------------------------------
    def learn_empty_bed(self) -> Future:
        """学习空台面: 3 stills of the empty bed, learned and saved; a Future of a TestResult (audited first).
        A failed learning keeps the bed learned before."""
        self._require_open()
        self.touch()

        def report(r: TestResult) -> None:   # sizes and counts only: the bed's picture is never audited
            if r.ok:
                self.audit("maintenance_bed_learned", {k: r.details.get(k) for k in
                                                       ("width", "height", "frames", "outline", "outline_is_bed")})
            else:
                self.audit("maintenance_bed_refused", {"code": r.code, "result": r.en})
        return bed_console.learn_from(self.runtime.devices.get("camera"), self.settings.data_dir,
                                      self.settings.maintenance.device_test_timeout_s, report)

    def forget_empty_bed(self) -> TestResult:
        """清除空台面: the camera's outlines are judged as if no bed had been learned."""
        self._require_open()
        self.touch()
        result = bed_console.forget(self.settings.data_dir)
        self.audit("maintenance_bed_forgotten", {"ok": result.ok, "had": bool(result.details.get("had"))})
        return result

    def empty_bed_status(self) -> dict[str, Any]:
        """For the camera card: learned, when (local time), frame size; a damaged file is "not learned"."""
        return bed_console.status(self.settings.data_dir)

    # ----- outbox, platform, catalog, log ----------------------------------------------------------
    def outbox_rows(self) -> list[dict[str, Any]]:
        now = time.time()
        rows = []
        for r in self.runtime.outbox.list([OutboxState.PENDING, OutboxState.SENDING, OutboxState.REJECTED]):
            rows.append({"id": r.id, "local_number": r.local_number, "item_code": r.item_code,
                         "state": r.state.value, "attempts": r.attempts, "why": mask_text(r.last_error),
                         "age_min": int((now - r.created_at) // 60),
                         "next_in_s": max(0, int(r.next_attempt_at - now)) if r.state == OutboxState.PENDING else 0})
        return rows

    def retry(self, app_id: str) -> None:
        self._require_open()
        self.touch()
        record = self.runtime.outbox.get(app_id)
        self.runtime.outbox.retry(app_id)
        self.audit("maintenance_retry", {"local_number": record.local_number if record else app_id})

    def platform_status(self) -> dict[str, Any]:
        """Asks the platform (blocking: call from a worker thread)."""
        client = self.runtime.client
        started = time.monotonic()
        try:
            client.health()
        except PlatformError as exc:
            return {"url": client.base_url, "ok": False, "error": str(exc), "latency_ms": 0}
        return {"url": client.base_url, "ok": True, "error": "",
                "latency_ms": int((time.monotonic() - started) * 1000)}

    def catalog_version(self) -> str:
        return self.runtime.catalog.version

    def alerts(self) -> list[dict[str, Any]]:
        monitor = self.runtime.monitor
        return [a.as_dict() for a in monitor.alerts.active()] if monitor is not None else []

    def log_tail(self, lines: int = 80) -> list[str]:
        return tail(self.settings.data_dir / "logs" / "kiosk.log", lines)

    # ----- the app -------------------------------------------------------------------------------
    def request_restart(self) -> None:
        self._require_open()
        self.restart_requested = True
        self.audit("maintenance_restart", {"who": self.gate.who})
        self.gate.leave("restart")
        if self.on_restart is not None:
            self.on_restart()


def tail(path: Path, lines: int) -> list[str]:
    """The last ``lines`` lines of a (possibly large) text file, masked; [] when it does not exist."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - LOG_TAIL_BYTES))
            data = fh.read()
    except FileNotFoundError:
        return []
    text = data.decode("utf-8", errors="replace").splitlines()
    if size > LOG_TAIL_BYTES:
        text = text[1:]  # the first line is probably cut
    return [mask_text(t) for t in text[-lines:]]

