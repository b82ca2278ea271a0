"""Store-and-forward of applications: stored durably and encrypted before anything is sent.

SQLite in WAL mode with ``synchronous=FULL``: ``enqueue`` returns only once the application is on disk,
in one transaction (a kill -9 leaves it whole or absent). Manifests and files are sealed with AES-GCM
(``kiosk.crypto``), each bound to its record, with a key that is NOT kept in the outbox's directory: the
caller passes it (``kiosk.keystore``: sealed by systemd-creds/TPM2, or a root-only file outside the data
directory). A kiosk of the old layout (``outbox.key`` beside ``outbox.sqlite``) is migrated at start: every
stored record is re-sealed under the new key in one transaction, then the old key file is overwritten and
removed. Delivered applications are deleted ``delivered_retention_s`` after delivery (SQLite
``secure_delete``: their pages are zeroed, not just unlinked). A worker thread delivers pending records through a
``sender`` (the platform client) with exponential backoff and jitter. Delivery is at-least-once; the
platform's idempotency key (the application id) makes it exactly-once.

Only one process sends: the one holding the lock file ``outbox.lock`` (an ``flock``, released by the
kernel when the process dies, even by kill -9). That process puts records a crash left in SENDING back
to PENDING; a technician's ``kiosk outbox`` command run next to a working kiosk does not.

A full disk refuses the *new* application with ``OutboxFullError`` (an ``OSError`` with ``ENOSPC``)
before or while writing it, rolls it back, and leaves every stored one intact.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import logging
import os
import random
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable

from devices.observers import Observers

from ..crypto import Box, DecryptError
from ..keystore import KeyStoreError, SystemdCreds
from ..orders import OrderLedger
from ..periodic import Periodic
from ..private import FILE_MODE, private_dir
from .keys import LEGACY_KEY, migrate_legacy_key, outbox_keystore
from .records import (
    COLS,
    SCHEMA,
    SQLITE_FULL,
    DeliveryResult,
    OutboxError,
    OutboxFullError,
    OutboxState,
    Package,
    Record,
    Sender,
    migrate_columns,
    record_from_row,
)

_IDLE_WAIT_S = 10.0  # the worker looks again at least this often (a technician's retry from another process)

log = logging.getLogger(__name__)


class Outbox:
    backoff_min_s = 2.0
    backoff_max_s = 300.0

    def __init__(self, directory: Path, kiosk_id: str, sender: Sender | None = None,
                 clock: Callable[[], float] = time.time, *, key: bytes | None, min_free_bytes: int = 0,
                 backoff_min_s: float | None = None, backoff_max_s: float | None = None,
                 delivered_retention_s: float | None = None) -> None:
        directory = Path(directory)
        private_dir(directory)
        self.directory = directory
        self.kiosk_id = kiosk_id
        self.min_free_bytes = min_free_bytes
        if backoff_min_s is not None:
            self.backoff_min_s = backoff_min_s
        if backoff_max_s is not None:
            self.backoff_max_s = backoff_max_s
        self.delivered_retention_s = delivered_retention_s
        # key=None: a technician's command that cannot unseal the key (not root, outside the unit): it lists,
        # retries and exports (all still sealed) but cannot store or open an application.
        self._box = Box(key) if key is not None else None
        # SQLite creates the database with the umask's mode and gives its -wal/-shm files the same: 0600 first.
        os.close(os.open(directory / "outbox.sqlite", os.O_RDWR | os.O_CREAT, FILE_MODE))
        self._db = sqlite3.connect(directory / "outbox.sqlite", check_same_thread=False, isolation_level=None,
                                   timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA secure_delete=ON")  # a purged application's pages are zeroed on disk
        self._db.executescript(SCHEMA)
        migrate_columns(self._db)
        self._lock = threading.RLock()
        self.orders = OrderLedger(self._db, self._lock, clock)  # payment orders until submitted or refunded
        migrate_legacy_key(self._db, self._lock, self._box, directory / LEGACY_KEY)
        self._sender = sender
        self._clock = clock
        # The worker: delivers what is due, then sleeps until the next record is due (kick() wakes it).
        self._worker = Periodic("outbox", _IDLE_WAIT_S, self._round, first_delay_s=0, join_s=30)
        self._listeners: Observers[Record] = Observers("outbox")
        self._lock_fd: int | None = None
        self.is_sender = self._take_sender_lock()

    def purge_delivered(self) -> int:
        """Delete applications delivered more than ``delivered_retention_s`` ago; returns how many."""
        if self.delivered_retention_s is None:
            return 0
        cutoff = self._clock() - self.delivered_retention_s
        with self._lock:
            n = self._db.execute("DELETE FROM applications WHERE state=? AND delivered_at>0 AND delivered_at<?",
                                 (OutboxState.DELIVERED, cutoff)).rowcount
        if n:
            log.info("outbox: %d delivered application(s) older than the retention period deleted", n)
        return n

    def _take_sender_lock(self) -> bool:
        """Become the one process that sends; then records a dead sender left in SENDING are pending again."""
        fd = os.open(self.directory / "outbox.lock", os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            log.info("outbox: another process is sending; this one only reads and marks retries")
            return False
        self._lock_fd = fd
        with self._lock:
            n = self._db.execute("UPDATE applications SET state=? WHERE state=?",
                                 (OutboxState.PENDING, OutboxState.SENDING)).rowcount
            # A (re)start is often what fixed the link: try the backlog now rather than after its backoff.
            self._db.execute("UPDATE applications SET next_attempt_at=? WHERE state=? AND next_attempt_at>?",
                             (self._clock(), OutboxState.PENDING, self._clock()))
        if n:
            log.warning("outbox: %d application(s) were being sent when the kiosk stopped; they will be sent "
                        "again (the platform answers a repeat with its first answer)", n)
        return True

    # ----- storing ------------------------------------------------------------------------------
    def enqueue(self, app_id: str, item_code: str, manifest: dict[str, Any], files: dict[str, bytes]) -> Record:
        """Store the application durably; returns once it is committed. Idempotent per ``app_id``.

        Raises ``OutboxFullError`` when the disk is (nearly) full and ``OutboxError`` on another storage
        failure; the application is then not stored at all, and nothing stored before is touched.
        """
        existing = self.get(app_id)
        if existing is not None:
            return existing
        if self._box is None:
            raise OutboxError(errno.EACCES, "this process has no outbox key: the application was not stored")
        now = self._clock()
        manifest_blob = self._box.seal(json.dumps(manifest, ensure_ascii=False).encode("utf-8"), app_id.encode())
        sealed = [(name, self._box.seal(data, f"{app_id}/{name}".encode())) for name, data in files.items()]
        self._check_space(len(manifest_blob) + sum(len(b) for _, b in sealed))
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                day = dt.datetime.fromtimestamp(now).strftime("%Y%m%d")
                self._db.execute("INSERT INTO counters(day, n) VALUES (?, 1) "
                                 "ON CONFLICT(day) DO UPDATE SET n = n + 1", (day,))
                (n,) = self._db.execute("SELECT n FROM counters WHERE day=?", (day,)).fetchone()
                local = f"{self.kiosk_id}-{day}-{n:04d}"
                self._db.execute(
                    "INSERT INTO applications(id, local_number, item_code, state, created_at, next_attempt_at,"
                    " manifest) VALUES (?,?,?,?,?,?,?)",
                    (app_id, local, item_code, OutboxState.PENDING, now, now, manifest_blob))
                for name, blob in sealed:
                    self._db.execute("INSERT INTO files(app_id, name, blob) VALUES (?,?,?)", (app_id, name, blob))
                self._db.execute("COMMIT")
            except BaseException as exc:
                self._rollback()
                if isinstance(exc, sqlite3.Error):
                    raise self._storage_error(exc) from exc
                raise
        record = self.get(app_id)
        assert record is not None
        self._notify(record)
        self._worker.wake()
        return record

    def _rollback(self) -> None:
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # SQLite already rolled back (it does so itself on a full disk)

    def _storage_error(self, exc: sqlite3.Error) -> OutboxError:
        code = getattr(exc, "sqlite_errorcode", None)
        if code == SQLITE_FULL or "full" in str(exc).lower():
            log.error("outbox: disk full under %s; the new application was not stored", self.directory)
            return OutboxFullError(f"disk full under {self.directory}: the application was not stored; free "
                                   f"space (stored applications are intact)")
        log.error("outbox: storing failed: %s", exc)
        return OutboxError(errno.EIO, f"the outbox database refused the application ({exc}); it was not stored")

    def _check_space(self, needed: int) -> None:
        if not self.min_free_bytes:
            return
        free = shutil.disk_usage(self.directory).free
        # WAL and journal copies can double what a transaction writes for a moment.
        if free - 2 * needed < self.min_free_bytes:
            raise OutboxFullError(f"only {free // 1_000_000} MB free under {self.directory} (keeping "
                                  f"{self.min_free_bytes // 1_000_000} MB in reserve); the application was not "
                                  f"stored; free space (stored applications are intact)")

    def get(self, app_id: str) -> Record | None:
        with self._lock:
            row = self._db.execute(f"SELECT {COLS} FROM applications WHERE id=?", (app_id,)).fetchone()
        return record_from_row(row) if row else None

    def find(self, key: str) -> Record | None:
        """By application id or local number (what a technician has in hand)."""
        with self._lock:
            row = self._db.execute(f"SELECT {COLS} FROM applications WHERE id=? OR local_number=?",
                                   (key, key)).fetchone()
        return record_from_row(row) if row else None

    def list(self, states: list[OutboxState] | None = None) -> list[Record]:
        q = f"SELECT {COLS} FROM applications"
        args: tuple = ()
        if states:
            q += f" WHERE state IN ({','.join('?' * len(states))})"
            args = tuple(states)
        with self._lock:
            rows = self._db.execute(q + " ORDER BY created_at", args).fetchall()
        return [record_from_row(r) for r in rows]

    def package(self, app_id: str) -> Package:
        """Decrypt an application's manifest and files."""
        with self._lock:
            row = self._db.execute("SELECT manifest FROM applications WHERE id=?", (app_id,)).fetchone()
            if row is None:
                raise KeyError(app_id)
            files = self._db.execute("SELECT name, blob FROM files WHERE app_id=? ORDER BY name",
                                     (app_id,)).fetchall()
        if self._box is None:
            raise DecryptError("this process has no outbox key (docs/security.md)")
        manifest = json.loads(self._box.open(row[0], app_id.encode()))
        return Package(manifest, {name: self._box.open(blob, f"{app_id}/{name}".encode()) for name, blob in files})

    def backlog(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM applications WHERE state IN (?,?)",
                                    (OutboxState.PENDING, OutboxState.SENDING)).fetchone()
        return int(n)

    def stats(self) -> dict[str, float]:
        """Counts per state and the age of the oldest waiting application (heartbeat, technician)."""
        with self._lock:
            counts = dict(self._db.execute("SELECT state, COUNT(*) FROM applications GROUP BY state").fetchall())
            (oldest,) = self._db.execute("SELECT MIN(created_at) FROM applications WHERE state IN (?,?)",
                                         (OutboxState.PENDING, OutboxState.SENDING)).fetchone()
        out: dict[str, float] = {s.value: float(counts.get(s.value, 0)) for s in OutboxState}
        out["oldest_pending_age_s"] = max(0.0, self._clock() - oldest) if oldest is not None else 0.0
        return out

    def retry(self, app_id: str) -> bool:
        """Send a pending or rejected application again now (technician action); False if there is none."""
        with self._lock:
            n = self._db.execute("UPDATE applications SET state=?, next_attempt_at=? WHERE (id=? OR local_number=?)"
                                 " AND state IN (?,?)", (OutboxState.PENDING, self._clock(), app_id, app_id,
                                                         OutboxState.PENDING, OutboxState.REJECTED)).rowcount
        self._worker.wake()
        return n > 0

    def export(self, target: Path) -> Path:
        """A consistent copy of the outbox database, still encrypted, into ``target`` (see docs/api.md).

        The key is not copied (it is not in the outbox directory at all): see docs/security.md.
        """
        target = Path(target)
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = dt.datetime.fromtimestamp(self._clock()).strftime("%Y%m%d-%H%M%S")
        dest = target / f"outbox-{self.kiosk_id}-{stamp}.sqlite"
        out = sqlite3.connect(dest)
        try:
            with self._lock:
                self._db.backup(out)  # SQLite's online backup: consistent even while the kiosk writes
        finally:
            out.close()
        os.chmod(dest, 0o600)
        return dest

    # ----- delivering ---------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Record], None]) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def _notify(self, record: Record) -> None:
        self._listeners.notify(record)

    def start(self) -> None:
        if self.is_sender:
            self._worker.start()

    def stop(self) -> None:
        self._worker.stop()

    def close(self) -> None:
        self.stop()
        with self._lock:
            self._db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def kick(self) -> None:
        self._worker.wake()

    def resume(self) -> int:
        """The platform is reachable again: every pending application is due now, not after its back-off
        (``kiosk.platform.reachability``); returns how many."""
        with self._lock:
            n = self._db.execute("UPDATE applications SET next_attempt_at=? WHERE state=? AND next_attempt_at>?",
                                 (self._clock(), OutboxState.PENDING, self._clock())).rowcount
        self._worker.wake()
        return n

    def deliver_due(self) -> int:
        """Try every record that is due now; returns how many were tried (used by the worker and tests)."""
        if not self.is_sender:
            return 0
        now = self._clock()
        with self._lock:
            ids = [r[0] for r in self._db.execute(
                "SELECT id FROM applications WHERE state=? AND next_attempt_at<=? ORDER BY created_at",
                (OutboxState.PENDING, now)).fetchall()]
        for app_id in ids:
            if self._worker.stopping:
                break
            self._deliver(app_id)
        return len(ids)

    def _next_due_in(self) -> float:
        with self._lock:
            row = self._db.execute("SELECT MIN(next_attempt_at) FROM applications WHERE state=?",
                                   (OutboxState.PENDING,)).fetchone()
        if row[0] is None:
            return _IDLE_WAIT_S
        return max(0.0, row[0] - self._clock())

    def _round(self) -> float:
        self.deliver_due()
        if self.is_sender:
            self.purge_delivered()
        return min(self._next_due_in(), _IDLE_WAIT_S)

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
        record = self._set(app_id, state=OutboxState.SENDING, last_attempt_at=self._clock())
        try:
            package = self.package(app_id)
        except (DecryptError, ValueError) as exc:
            # Will not heal by itself: a technician restores the key (docs/security.md) and retries.
            self._set(app_id, state=OutboxState.REJECTED, attempts=record.attempts + 1, error_kind="decrypt",
                      last_error=f"cannot decrypt the stored application ({exc}); restore the outbox key and retry")
            log.error("outbox: %s cannot be decrypted: %s", record.local_number, exc)
            return
        try:
            result = self._sender(record, package)
        except Exception as exc:  # the sender must not lose a record by raising
            log.exception("outbox: sender failed for %s", record.local_number)
            result = DeliveryResult("retry", detail=f"{type(exc).__name__}: {exc}", kind="sender")
        attempts = record.attempts + 1
        if result.outcome == "delivered":
            self._set(app_id, state=OutboxState.DELIVERED, attempts=attempts, last_error="", error_kind="",
                      delivered_at=self._clock(),
                      reference=result.reference, platform_status=result.status,
                      result=json.dumps(result.result or {}, ensure_ascii=False))
            log.info("outbox: %s delivered as %s", record.local_number, result.reference)
        elif result.outcome == "rejected":
            self._set(app_id, state=OutboxState.REJECTED, attempts=attempts, last_error=result.detail,
                      platform_status=result.status, error_kind=result.kind)
            log.warning("outbox: %s rejected: %s", record.local_number, result.detail)
        else:
            delay = min(self.backoff_max_s, self.backoff_min_s * 2 ** min(attempts - 1, 16))
            delay *= random.uniform(0.5, 1.0)  # jitter: kiosks coming back online do not stampede
            self._set(app_id, state=OutboxState.PENDING, attempts=attempts, last_error=result.detail,
                      next_attempt_at=self._clock() + delay, error_kind=result.kind)
            log.info("outbox: %s will retry in %.0f s (%s)", record.local_number, delay, result.detail)


def open_outbox(settings: Any, sender: Sender | None = None, *, creds: SystemdCreds | None = None,
                clock: Callable[[], float] = time.time, need_key: bool = True) -> Outbox:
    """The kiosk's outbox under ``settings`` (data_dir/outbox), with its key from the key store.

    ``need_key=False`` (a technician's list/retry/export): when the key cannot be unsealed by this user,
    the outbox opens without it instead of failing; nothing is created then either.
    """
    o = settings.outbox
    try:
        key: bytes | None = outbox_keystore(settings, creds).load(create=need_key).key
    except KeyStoreError as exc:
        if need_key:
            raise
        log.info("outbox: opened without its key (%s)", exc)
        key = None
    return Outbox(settings.path("outbox"), settings.kiosk_id, sender=sender, clock=clock, key=key,
                  min_free_bytes=int(o.min_free_mb * 1_000_000), backoff_min_s=o.backoff_min_s,
                  backoff_max_s=o.backoff_max_s, delivered_retention_s=o.delivered_retention_days * 86400)
