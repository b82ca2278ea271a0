"""Heartbeat (device health, outbox state, disk) and the shipping of audit events to the platform.

Audit events wait in a small SQLite queue (WAL, under the outbox directory) until the platform has
acknowledged them: the platform stores each (kiosk, seq) once, so shipping again after a crash is harmless.
Events carry no personal data in clear (the journey masks card data before auditing). A worker thread beats
every ``platform.heartbeat_interval_s``; a platform that does not answer costs one request timeout.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable

from .platform.client import PlatformClient
from .platform.schema import AuditEvent, DeviceHealth, Heartbeat, HeartbeatResponse
from .platform.transport import PlatformError

log = logging.getLogger(__name__)
TZ = dt.timezone(dt.timedelta(hours=8), "CST")
SOFTWARE_VERSION = "0.1.0"


class AuditQueue:
    def __init__(self, path: Path, max_events: int = 100_000) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL: a commit survives a crash of the process (kill -9), not a power cut; recording stays cheap,
        # as it must, since the journey records on its own threads between steps.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
                         " kind TEXT NOT NULL, data TEXT NOT NULL)")
        self._lock = threading.Lock()
        self.max_events = max_events

    def record(self, kind: str, data: dict[str, Any], at: str | None = None) -> int:
        at = at or dt.datetime.now(TZ).isoformat(timespec="seconds")
        with self._lock:
            cur = self._db.execute("INSERT INTO audit(at, kind, data) VALUES (?,?,?)",
                                   (at, kind[:60], json.dumps(data, ensure_ascii=False, default=str)))
            seq = int(cur.lastrowid or 0)
            if seq % 1000 == 0:  # a kiosk offline for weeks keeps the newest events, not an unbounded file
                self._db.execute("DELETE FROM audit WHERE seq <= ?", (seq - self.max_events,))
            return seq

    def batch(self, limit: int = 200) -> list[AuditEvent]:
        with self._lock:
            rows = self._db.execute("SELECT seq, at, kind, data FROM audit ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return [AuditEvent(seq=s, at=a, kind=k, data=json.loads(d)) for s, a, k, d in rows]

    def shipped(self, upto_seq: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM audit WHERE seq <= ?", (upto_seq,))

    def pending(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM audit").fetchone()
        return int(n)

    def close(self) -> None:
        with self._lock:
            self._db.close()


class Telemetry:
    def __init__(self, client: PlatformClient, *, outbox: Any, devices: Any, queue: AuditQueue,
                 interval_s: float = 60.0, catalog_version: Callable[[], str] = lambda: "",
                 data_dir: Path | None = None, on_catalog_change: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.outbox = outbox
        self.devices = devices
        self.queue = queue
        self.interval_s = interval_s
        self.catalog_version = catalog_version
        self.data_dir = data_dir
        self.on_catalog_change = on_catalog_change
        self.started = time.monotonic()
        self.last_error = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

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
        """One heartbeat and the audit events waiting; returns the platform's answer or None if offline."""
        try:
            resp = self.client.heartbeat(self.heartbeat())
            while True:
                events = self.queue.batch(200)
                if not events:
                    break
                ack = self.client.send_audit(events)
                self.queue.shipped(events[-1].seq)
                log.debug("shipped %d audit events (platform holds up to %d)", len(events), ack.last_seq)
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
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="telemetry", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.beat()
            except Exception:
                log.exception("telemetry error")
            self._stop.wait(self.interval_s)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(15)
            self._thread = None
