"""Monitoring for a kiosk nobody watches: device faults into the audit trail, alerts, and the heartbeat.

- ``DeviceWatch`` listens to every device (through the DeviceManager, so a device a technician replaced is
  still heard): a fault (OFFLINE/ERROR with a code) and the recovery become audit records, and supplies
  running low (paper near end, paper out) or a device down become *alerts*.
- ``Alerts`` holds the active alerts; each one raised or cleared is logged and audited, the maintenance
  console shows them and the heartbeat carries them.
- ``Monitor`` builds the heartbeat every ``monitoring.heartbeat_interval_s`` (device health, supplies,
  counters, outbox backlog, disk, catalog and software version, audit position) and hands it to a
  ``HeartbeatSink``.

The platform gets its heartbeat from ``kiosk.ops.telemetry.Telemetry`` and the alerts through the audit trail;
this local heartbeat (``FileHeartbeatSink``: ``<data_dir>/monitoring/heartbeat.json``) is what
``kiosk doctor`` reads to ask a running kiosk about its devices without grabbing their ports.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import threading
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Protocol

from devices.base import DeviceEvent, DeviceState, EventKind, Health, Supply
from devices.errors import DeviceErrorCode, error_info
from devices.observers import Observers

from ..capture.bed import BedStore
from ..capture.bed_watch import BedVerdict, load_check
from ..capture.leftover_doubt import load_doubts, pending
from ..errors import KioskErrorCode
from ..outbox import Outbox, OutboxState
from ..periodic import Periodic
from ..private import write_private

log = logging.getLogger(__name__)

Audit = Callable[[str, dict[str, Any]], None]
_STARTED = time.monotonic()


def software_version() -> str:
    try:
        return metadata.version("kiosk")
    except metadata.PackageNotFoundError:
        return "0.0.0+unknown"


def free_disk_mb(path: Path) -> int:
    return int(shutil.disk_usage(path).free // 1_000_000)


@dataclass(frozen=True)
class Alert:
    key: str  # stable id: "printer.paper", "device.camera", "outbox.backlog", "disk"
    level: str  # warning | critical
    zh: str
    en: str
    code: int | None = None
    device: str | None = None
    since: float = 0.0  # wall clock

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Alerts:
    """The active alerts; raising an active one again changes nothing (no log or audit flood)."""

    def __init__(self, audit: Audit | None = None, clock: Callable[[], float] = time.time) -> None:
        self._audit = audit or (lambda event, data: None)
        self._clock = clock
        self._lock = threading.Lock()
        self._active: dict[str, Alert] = {}
        self._listeners: Observers[None] = Observers("alerts")

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.subscribe(lambda _: listener())

    def raise_(self, key: str, level: str, zh: str, en: str, *, code: int | None = None,
               device: str | None = None) -> bool:
        with self._lock:
            old = self._active.get(key)
            if old is not None and (old.level, old.code, old.en) == (level, code, en):
                return False
            alert = Alert(key, level, zh, en, code, device, old.since if old else self._clock())
            self._active[key] = alert
        log.warning("ALERT %s (%s): %s", key, level, en)
        self._audit("alert", {"key": key, "level": level, "code": code, "device": device, "text": en})
        self._changed()
        return True

    def clear(self, key: str) -> bool:
        with self._lock:
            alert = self._active.pop(key, None)
        if alert is None:
            return False
        log.info("alert cleared: %s", key)
        self._audit("alert_cleared", {"key": key, "device": alert.device})
        self._changed()
        return True

    def active(self) -> list[Alert]:
        with self._lock:
            return sorted(self._active.values(), key=lambda a: (a.level != "critical", a.key))

    def _changed(self) -> None:
        self._listeners.notify(None)


DEVICE_ZH = {"idcard": "身份证阅读器", "printer": "打印机", "camera": "高拍仪", "scanner": "文档扫描仪", "barcode": "扫码器",
             "a4": "A4打印机"}

# (device, supply) -> what the alert says when it runs low, when it is out, and the out code; "" any device.
SUPPLY_WORDS: dict[tuple[str, str], tuple[str, str, DeviceErrorCode | None]] = {
    ("", "paper"): ("纸将用完，请及时更换纸卷", "缺纸", DeviceErrorCode.PRINTER_PAPER_OUT),
    ("a4", "paper"): ("纸将用完，请及时加A4纸", "缺纸", DeviceErrorCode.A4_PAPER_OUT),
    ("a4", "toner"): ("墨粉将用完，请及时更换墨粉盒", "墨粉耗尽", DeviceErrorCode.A4_TONER_EMPTY),
}


class DeviceWatch:
    """Device faults and recoveries into the audit trail; supplies and outages into alerts."""

    def __init__(self, devices: Any, alerts: Alerts, audit: Audit) -> None:
        self.alerts = alerts
        self._audit = audit
        self._faulted: dict[str, int] = {}  # device -> code of the fault last recorded
        self._unsubscribe = devices.subscribe(self.on_event)
        for health in devices.health().values():  # faults found before we listened
            self._state(health)

    def close(self) -> None:
        self._unsubscribe()

    def on_event(self, event: DeviceEvent) -> None:
        if event.kind == EventKind.STATE_CHANGED and isinstance(event.data, Health):
            self._state(event.data)
        elif event.kind == EventKind.SUPPLY_CHANGED:
            self._supply(event.device, event.data["supply"], event.data["level"])

    def _state(self, h: Health) -> None:
        name = h.name
        if h.state in (DeviceState.OFFLINE, DeviceState.ERROR) and h.error_code:
            if self._faulted.get(name) != h.error_code:
                self._faulted[name] = h.error_code
                self._audit("device_fault", {"device": name, "state": h.state.value, "code": h.error_code,
                                             "detail": h.error_detail[:300]})
            info = error_info(h.error_code)
            self.alerts.raise_(f"device.{name}", "critical", f"{DEVICE_ZH.get(name, name)}：{info.zh}",
                               f"{name}: {info.en}", code=h.error_code, device=name)
        elif h.ok:
            if name in self._faulted:
                code = self._faulted.pop(name)
                self._audit("device_recovered", {"device": name, "state": h.state.value, "after_code": code})
            self.alerts.clear(f"device.{name}")

    def _supply(self, device: str, supply: str, level: Supply) -> None:
        key = f"{device}.{supply}"
        self._audit("supply", {"device": device, "supply": supply, "level": level.value})
        low_zh, out_zh, out_code = SUPPLY_WORDS.get((device, supply)) or SUPPLY_WORDS.get(("", supply)) or (
            f"{supply}将用完", f"{supply}已用完", None)
        if level == Supply.LOW:
            self.alerts.raise_(key, "warning", f"{DEVICE_ZH.get(device, device)}{low_zh}",
                               f"{device}: {supply} near end, replace it soon", device=device)
        elif level == Supply.OUT:
            self.alerts.raise_(key, "critical", f"{DEVICE_ZH.get(device, device)}{out_zh}",
                               f"{device}: {supply} out", code=int(out_code) if out_code else None, device=device)
        else:
            self.alerts.clear(key)


def outbox_summary(outbox: Outbox, now: float | None = None) -> dict[str, Any]:
    now = time.time() if now is None else now
    waiting = outbox.list([OutboxState.PENDING, OutboxState.SENDING])
    oldest = min((r.created_at for r in waiting), default=None)
    return {"backlog": len(waiting), "oldest_pending_age_s": round(now - oldest, 1) if oldest else 0.0,
            "rejected": len(outbox.list([OutboxState.REJECTED])),
            "last_error": next((r.last_error for r in reversed(waiting) if r.last_error), "")}


class HeartbeatError(Exception):
    pass


class HeartbeatSink(Protocol):
    def send(self, payload: dict[str, Any]) -> None:
        """Deliver one heartbeat; raise ``HeartbeatError`` when it did not arrive."""


class FileHeartbeatSink:
    """Keeps the latest heartbeat as a JSON file (atomically replaced) for a local agent to read."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def send(self, payload: dict[str, Any]) -> None:
        try:
            write_private(self.path, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"),
                          fsync=False)
        except OSError as exc:
            raise HeartbeatError(str(exc)) from exc


class Monitor:
    """Alerts from devices, outbox and disk, and the periodic heartbeat."""

    def __init__(self, settings: Any, devices: Any, outbox: Outbox, *, audit: Audit,
                 catalog_version: Callable[[], str] = lambda: "", audit_position: Callable[[], dict] = dict,
                 sink: HeartbeatSink | None = None, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.devices = devices
        self.outbox = outbox
        self.catalog_version = catalog_version
        self.audit_position = audit_position
        self.clock = clock
        self.alerts = Alerts(audit, clock)
        self.watch = DeviceWatch(devices, self.alerts, audit)
        self.sink: HeartbeatSink | None = sink or FileHeartbeatSink(settings.path("monitoring") / "heartbeat.json")
        self.last_sent_at: float | None = None
        self.last_error = ""
        self._worker = Periodic("monitor", lambda: self.settings.monitoring.heartbeat_interval_s, self._round,
                                first_delay_s=0)

    def check(self) -> None:
        """Alerts that no device event announces: the outbox backlog and the free disk space."""
        m = self.settings.monitoring
        box = outbox_summary(self.outbox, self.clock())
        if box["backlog"] >= m.backlog_alert or box["oldest_pending_age_s"] >= m.backlog_age_alert_s:
            self.alerts.raise_("outbox.backlog", "warning", f"{box['backlog']} 件申请等待提交",
                               f"{box['backlog']} applications waiting to be sent",
                               code=int(KioskErrorCode.PLATFORM_UNREACHABLE))
        else:
            self.alerts.clear("outbox.backlog")
        free = free_disk_mb(self.settings.data_dir)
        if free < m.min_free_disk_mb:
            self.alerts.raise_("disk", "critical", f"存储空间不足（剩余 {free} MB）", f"disk nearly full ({free} MB free)",
                               code=int(KioskErrorCode.DISK_FULL))
        else:
            self.alerts.clear("disk")
        self._check_bed()

    def _check_bed(self) -> None:
        """The document camera's learned empty bed no longer matches what the runtime sees (bed_watch.py)."""
        check = load_check(self.settings.data_dir)
        bed = BedStore(self.settings.data_dir).load() if check is not None else None
        if bed is not None and check.bed_learned_at == bed.learned_at and check.verdict == BedVerdict.STALE:
            # (the same words however many more follow: raised again, changed words would be a new audit record)
            self.alerts.raise_("camera.bed", "warning", "高拍仪：最近看到的空台面与学习的不同，请重新学习空台面",
                               "document camera: the empty bed no longer looks as learned; learn it again",
                               code=int(KioskErrorCode.BED_STALE), device="camera")
        else:
            self.alerts.clear("camera.bed")
        doubts = load_doubts(self.settings.data_dir)   # (the learned bed read only when there is a record)
        if doubts is not None and bed is None:
            bed = BedStore(self.settings.data_dir).load()
        if pending(doubts, bed.learned_at if bed is not None else None):
            self.alerts.raise_("camera.leftover", "warning",
                               "高拍仪：市民办理时，台面上有一处被认作之前留下的材料，一直无人取走；请查看台面，如是空的请学习空台面",
                               "document camera: an outline taken for a page left there lay untouched until it stopped "
                               "blocking the citizen; check the bed and, if it is empty, learn it",
                               code=int(KioskErrorCode.LEFTOVER_DOUBTED), device="camera")
        else:
            self.alerts.clear("camera.leftover")

    def heartbeat_payload(self) -> dict[str, Any]:
        self.check()
        devices = {}
        for name, h in self.devices.health().items():
            devices[name] = {"kind": h.kind, "state": h.state.value, "error_code": h.error_code,
                             "error_text": h.error_text, "supplies": {k: v.value for k, v in h.supplies.items()},
                             "counters": dict(h.counters)}
        return {
            "kiosk_id": self.settings.kiosk_id, "version": software_version(), "demo": self.settings.demo,
            "sent_at": dt.datetime.fromtimestamp(self.clock(), dt.timezone.utc).isoformat(timespec="seconds"),
            "uptime_s": round(time.monotonic() - _STARTED, 1), "devices": devices,
            "alerts": [a.as_dict() for a in self.alerts.active()], "outbox": outbox_summary(self.outbox, self.clock()),
            "catalog_version": self.catalog_version(), "audit": self.audit_position(),
            "disk_free_mb": free_disk_mb(self.settings.data_dir),
        }

    def beat(self) -> bool:
        """Build and send one heartbeat; False (and ``last_error``) when the sink failed."""
        payload = self.heartbeat_payload()
        if self.sink is None:
            return False
        try:
            self.sink.send(payload)
        except Exception as exc:  # HeartbeatError, or a sink's bug: the next beat tries again
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("heartbeat not delivered: %s", self.last_error)
            return False
        self.last_error = ""
        self.last_sent_at = self.clock()
        return True

    def _round(self) -> None:
        self.beat()

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._worker.stop()
        self.watch.close()

