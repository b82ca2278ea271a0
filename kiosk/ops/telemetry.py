"""Heartbeat (device health, outbox state, disk) and the audit trail's way to the platform.

The audit trail itself (hash chain, files) is kiosk/audit/trail.py and its uploader kiosk/audit/upload.py;
``PlatformAuditSink`` is where the uploader sends. Events carry no personal data in clear (the journey masks
card data before auditing). A worker thread beats every ``platform.heartbeat_interval_s``; a platform that
does not answer costs one request timeout. The same worker carries the platform link's state
(``platform.reachability``): while the platform is unreachable it beats every ``offline_probe_s`` instead,
so the kiosk notices the platform's return soon, and an old failure expires at each round.
"""
from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from ..audit.upload import AuditRefused, AuditSinkError
from ..periodic import Periodic
from ..platform.client import PlatformClient
from ..platform.reachability import LinkWatch, Reachability
from ..platform.schema import AuditEvent, DeviceHealth, ErrorCode, Heartbeat, HeartbeatResponse
from ..platform.transport import PlatformError

log = logging.getLogger(__name__)
TZ = dt.timezone(dt.timedelta(hours=8), "CST")
SOFTWARE_VERSION = "0.1.0"


class PlatformAuditSink:
    """Ships the hash-chained audit trail (kiosk/audit/trail.py) to the platform's audit endpoint.

    Each record goes as one ``AuditEvent``: seq, ts and event as its ``seq``, ``at`` and ``kind``, and EVERY
    other field of the record (data, prev, hash, mac, v, and any other) in its ``data``, so the platform can
    recompute the hash and hold what ``kiosk audit verify`` checks. The platform anchors the chain: it stores
    each (kiosk, seq) once (a repeat of the same record is harmless) and answers with the highest seq it
    holds; a record that does not chain to its head, or another record at a seq it holds, is refused (409),
    which becomes ``AuditRefused``: nothing is marked delivered.
    """

    def __init__(self, client: PlatformClient) -> None:
        self.client = client

    def send(self, records: Sequence[dict[str, Any]]) -> int:
        events = [AuditEvent(seq=int(r["seq"]), at=str(r.get("ts", "")), kind=str(r.get("event", "?"))[:60],
                             data={k: v for k, v in r.items() if k not in ("seq", "ts", "event")})
                  for r in records]
        try:
            return int(self.client.send_audit(events).last_seq)
        except PlatformError as exc:
            if exc.code in (ErrorCode.AUDIT_REWOUND, ErrorCode.AUDIT_CHAIN_BROKEN):
                raise AuditRefused(str(exc)) from exc
            raise AuditSinkError(str(exc)) from exc


class Telemetry:
    def __init__(self, client: PlatformClient, *, outbox: Any, devices: Any,
                 interval_s: float = 60.0, catalog_version: Callable[[], str] = lambda: "",
                 data_dir: Path | None = None, on_catalog_change: Callable[[str], None] | None = None,
                 link: LinkWatch | None = None, offline_probe_s: float = 15.0) -> None:
        self.client = client
        self.outbox = outbox
        self.devices = devices
        self.interval_s = interval_s
        self.catalog_version = catalog_version
        self.data_dir = data_dir
        self.on_catalog_change = on_catalog_change
        self.link = link
        self.offline_probe_s = offline_probe_s
        self.started = time.monotonic()
        self.last_error = ""
        self._worker = Periodic("telemetry", lambda: self.interval_s, self._round, first_delay_s=0, join_s=15)

    def heartbeat(self) -> Heartbeat:
        stats = self.outbox.stats()
        devices = []
        for name, h in (self.devices.health() if self.devices is not None else {}).items():
            devices.append(DeviceHealth(name=name[:40], kind=str(h.kind)[:40], state=str(h.state.value)[:40],
                                        error_code=h.error_code, error_text=(h.error_text or "")[:200],
                                        supplies={k: str(getattr(v, "value", v)) for k, v in h.supplies.items()}))
        free = shutil.disk_usage(self.data_dir).free if self.data_dir is not None else 0
        return Heartbeat(at=dt.datetime.now(TZ).isoformat(timespec="seconds"), software_version=SOFTWARE_VERSION,
                         uptime_s=time.monotonic() - self.started, catalog_version=self.catalog_version(),
                         outbox_pending=int(stats["pending"] + stats["sending"]),
                         outbox_rejected=int(stats["rejected"]), oldest_pending_age_s=stats["oldest_pending_age_s"],
                         disk_free_bytes=free, devices=devices[:32])

    def beat(self) -> HeartbeatResponse | None:
        """One heartbeat; returns the platform's answer or None if offline."""
        try:
            resp = self.client.heartbeat(self.heartbeat())
        except PlatformError as exc:
            self.last_error = str(exc)
            log.info("heartbeat not delivered: %s", exc)
            return None
        self.last_error = ""
        mine = self.catalog_version()
        if self.on_catalog_change is not None and mine and resp.catalog_version != mine:
            self.on_catalog_change(resp.catalog_version)
        return resp

    def start(self) -> None:
        self._worker.start()

    def _round(self) -> float | None:
        """One beat; the delay before the next: sooner while the platform is unreachable."""
        self.beat()
        if self.link is not None and self.link.refresh() == Reachability.OFFLINE:
            return min(self.offline_probe_s, self.interval_s)
        return None

    def stop(self) -> None:
        self._worker.stop()
