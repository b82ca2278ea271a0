"""Store-and-forward of applications: stored durably and encrypted before anything is sent.

SQLite in WAL mode with ``synchronous=FULL``: ``enqueue`` returns only once the application is on disk.
Manifests and files are sealed with AES-GCM (``kiosk.crypto``), each bound to its record. A worker thread
delivers pending records through a ``sender`` (the platform client) with exponential backoff and jitter.
Delivery is at-least-once; the platform's idempotency key (the application id) makes it exactly-once.
A record left in SENDING by a crash goes back to PENDING on the next start.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import random
import sqlite3
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable

from .crypto import Box, load_or_create_key

log = logging.getLogger(__name__)


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Record:
    id: str
    local_number: str
    item_code: str
    state: OutboxState
    created_at: float
    attempts: int
    next_attempt_at: float
    last_error: str
    reference: str
    platform_status: str
    result: dict[str, Any]


@dataclass(frozen=True)
class Package:
    manifest: dict[str, Any]
    files: dict[str, bytes]


@dataclass(frozen=True)
class DeliveryResult:
    outcome: str  # "delivered" | "retry" | "rejected"
    reference: str = ""
    status: str = ""
    detail: str = ""
    result: dict[str, Any] | None = None


Sender = Callable[[Record, Package], DeliveryResult]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,
    local_number TEXT NOT NULL UNIQUE,
    item_code TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    platform_status TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '{}',
    manifest BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    blob BLOB NOT NULL,
    PRIMARY KEY (app_id, name)
);
CREATE TABLE IF NOT EXISTS counters (day TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""


class Outbox:
    backoff_min_s = 2.0
    backoff_max_s = 300.0

    def __init__(self, directory: Path, kiosk_id: str, sender: Sender | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.kiosk_id = kiosk_id
        self._box = Box(load_or_create_key(directory / "outbox.key"))
        self._db = sqlite3.connect(directory / "outbox.sqlite", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()
        self._sender = sender
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listeners: list[Callable[[Record], None]] = []
        with self._lock:
            self._db.execute("UPDATE applications SET state=? WHERE state=?",
                             (OutboxState.PENDING, OutboxState.SENDING))

    # ----- storing ------------------------------------------------------------------------------
    def enqueue(self, app_id: str, item_code: str, manifest: dict[str, Any], files: dict[str, bytes]) -> Record:
        """Store the application durably; returns once it is committed. Idempotent per ``app_id``."""
        existing = self.get(app_id)
        if existing is not None:
            return existing
        now = self._clock()
        manifest_blob = self._box.seal(json.dumps(manifest, ensure_ascii=False).encode("utf-8"), app_id.encode())
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                day = dt.datetime.fromtimestamp(now).strftime("%Y%m%d")
                self._db.execute("INSERT INTO counters(day, n) VALUES (?, 1) "
                                 "ON CONFLICT(day) DO UPDATE SET n = n + 1", (day,))
                (n,) = self._db.execute("SELECT n FROM counters WHERE day=?", (day,)).fetchone()
                local = f"{self.kiosk_id}-{day}-{n:04d}"
                self._db.execute(
                    "INSERT INTO applications(id, local_number, item_code, state, created_at, next_attempt_at,"
                    " manifest) VALUES (?,?,?,?,?,?,?)",
                    (app_id, local, item_code, OutboxState.PENDING, now, now, manifest_blob))
                for name, data in files.items():
                    self._db.execute("INSERT INTO files(app_id, name, blob) VALUES (?,?,?)",
                                     (app_id, name, self._box.seal(data, f"{app_id}/{name}".encode())))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        record = self.get(app_id)
        assert record is not None
        self._notify(record)
        self._wake.set()
        return record

    def get(self, app_id: str) -> Record | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, local_number, item_code, state, created_at, attempts, next_attempt_at, last_error,"
                " reference, platform_status, result FROM applications WHERE id=?", (app_id,)).fetchone()
        return _record(row) if row else None

    def list(self, states: list[OutboxState] | None = None) -> list[Record]:
        q = ("SELECT id, local_number, item_code, state, created_at, attempts, next_attempt_at, last_error,"
             " reference, platform_status, result FROM applications")
        args: tuple = ()
        if states:
            q += f" WHERE state IN ({','.join('?' * len(states))})"
            args = tuple(states)
        with self._lock:
            rows = self._db.execute(q + " ORDER BY created_at", args).fetchall()
        return [_record(r) for r in rows]

    def package(self, app_id: str) -> Package:
        """Decrypt an application's manifest and files."""
        with self._lock:
            row = self._db.execute("SELECT manifest FROM applications WHERE id=?", (app_id,)).fetchone()
            if row is None:
                raise KeyError(app_id)
            files = self._db.execute("SELECT name, blob FROM files WHERE app_id=? ORDER BY name",
                                     (app_id,)).fetchall()
        manifest = json.loads(self._box.open(row[0], app_id.encode()))
        return Package(manifest, {name: self._box.open(blob, f"{app_id}/{name}".encode()) for name, blob in files})

    def backlog(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM applications WHERE state IN (?,?)",
                                    (OutboxState.PENDING, OutboxState.SENDING)).fetchone()
        return int(n)

    def retry(self, app_id: str) -> None:
        """Send a pending or rejected application again now (technician action)."""
        with self._lock:
            self._db.execute("UPDATE applications SET state=?, next_attempt_at=? WHERE id=? AND state!=?",
                             (OutboxState.PENDING, self._clock(), app_id, OutboxState.DELIVERED))
        self._wake.set()

    # ----- delivering ---------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Record], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, record: Record) -> None:
        for listener in list(self._listeners):
            try:
                listener(record)
            except Exception:
                log.exception("outbox listener failed")

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def close(self) -> None:
        self.stop()
        with self._lock:
            self._db.close()

    def kick(self) -> None:
        self._wake.set()

    def deliver_due(self) -> int:
        """Try every record that is due now; returns how many were tried (used by the worker and tests)."""
        now = self._clock()
        with self._lock:
            ids = [r[0] for r in self._db.execute(
                "SELECT id FROM applications WHERE state=? AND next_attempt_at<=? ORDER BY created_at",
                (OutboxState.PENDING, now)).fetchall()]
        for app_id in ids:
            if self._stop.is_set():
                break
            self._deliver(app_id)
        return len(ids)

    def _next_due_in(self) -> float:
        with self._lock:
            row = self._db.execute("SELECT MIN(next_attempt_at) FROM applications WHERE state=?",
                                   (OutboxState.PENDING,)).fetchone()
        if row[0] is None:
            return 60.0
        return max(0.0, row[0] - self._clock())

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.deliver_due()
            except Exception:
                log.exception("outbox worker error")
            self._wake.wait(min(self._next_due_in(), 60.0))
            self._wake.clear()

    def _set(self, app_id: str, **cols: Any) -> Record:
        names = ", ".join(f"{k}=?" for k in cols)
        with self._lock:
            self._db.execute(f"UPDATE applications SET {names} WHERE id=?", (*cols.values(), app_id))
        record = self.get(app_id)
        assert record is not None
        self._notify(record)
        return record

    def _deliver(self, app_id: str) -> None:
        if self._sender is None:
            return
        record = self._set(app_id, state=OutboxState.SENDING)
        try:
            result = self._sender(record, self.package(app_id))
        except Exception as exc:  # the sender must not lose a record by raising
            log.exception("outbox: sender failed for %s", record.local_number)
            result = DeliveryResult("retry", detail=f"{type(exc).__name__}: {exc}")
        attempts = record.attempts + 1
        if result.outcome == "delivered":
            self._set(app_id, state=OutboxState.DELIVERED, attempts=attempts, last_error="",
                      reference=result.reference, platform_status=result.status,
                      result=json.dumps(result.result or {}, ensure_ascii=False))
            log.info("outbox: %s delivered as %s", record.local_number, result.reference)
        elif result.outcome == "rejected":
            self._set(app_id, state=OutboxState.REJECTED, attempts=attempts, last_error=result.detail,
                      platform_status=result.status)
            log.warning("outbox: %s rejected: %s", record.local_number, result.detail)
        else:
            delay = min(self.backoff_max_s, self.backoff_min_s * 2 ** min(attempts - 1, 16))
            delay *= random.uniform(0.5, 1.0)  # jitter: kiosks coming back online do not stampede
            self._set(app_id, state=OutboxState.PENDING, attempts=attempts, last_error=result.detail,
                      next_attempt_at=self._clock() + delay)
            log.info("outbox: %s will retry in %.0f s (%s)", record.local_number, delay, result.detail)


def _record(row: tuple) -> Record:
    return Record(id=row[0], local_number=row[1], item_code=row[2], state=OutboxState(row[3]), created_at=row[4],
                  attempts=row[5], next_attempt_at=row[6], last_error=row[7], reference=row[8],
                  platform_status=row[9], result=json.loads(row[10] or "{}"))
