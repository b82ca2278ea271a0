"""The reference platform's storage: SQLite under its data directory, behind a small interface."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Protocol


class Store(Protocol):
    def find_by_key(self, key: str) -> dict[str, Any] | None: ...

    def find_by_reference(self, reference: str) -> dict[str, Any] | None: ...

    def insert(self, app: dict[str, Any]) -> int: ...

    def add_event(self, reference: str, at: str, status: str, note: dict | None) -> None: ...

    def events(self, reference: str) -> list[dict[str, Any]]: ...

    def count(self) -> int: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS applications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    item_code TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    status TEXT NOT NULL,
    decision TEXT NOT NULL,
    manifest TEXT NOT NULL,
    response TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    reference TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT
);
CREATE INDEX IF NOT EXISTS events_ref ON events(reference);
"""


class SqliteStore:
    def __init__(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.files_dir = directory / "files"
        self.files_dir.mkdir(exist_ok=True)
        self._db = sqlite3.connect(directory / "central.sqlite", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()

    def _row(self, where: str, arg: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT reference, idempotency_key, item_code, kiosk_id, status, decision, manifest, response,"
                f" received_at FROM applications WHERE {where}=?", (arg,)).fetchone()
        if row is None:
            return None
        keys = ("reference", "idempotency_key", "item_code", "kiosk_id", "status", "decision", "manifest",
                "response", "received_at")
        out = dict(zip(keys, row))
        for k in ("decision", "manifest", "response"):
            out[k] = json.loads(out[k])
        return out

    def find_by_key(self, key: str) -> dict[str, Any] | None:
        return self._row("idempotency_key", key)

    def find_by_reference(self, reference: str) -> dict[str, Any] | None:
        return self._row("reference", reference)

    def next_seq(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM applications").fetchone()
        return int(n)

    def insert(self, app: dict[str, Any]) -> int:
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO applications(reference, idempotency_key, item_code, kiosk_id, status, decision,"
                " manifest, response, received_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (app["reference"], app["idempotency_key"], app["item_code"], app["kiosk_id"], app["status"],
                 json.dumps(app["decision"], ensure_ascii=False), json.dumps(app["manifest"], ensure_ascii=False),
                 json.dumps(app["response"], ensure_ascii=False), app["received_at"]))
            return int(cur.lastrowid or 0)

    def add_event(self, reference: str, at: str, status: str, note: dict | None) -> None:
        with self._lock:
            self._db.execute("INSERT INTO events(reference, at, status, note) VALUES (?,?,?,?)",
                             (reference, at, status, json.dumps(note, ensure_ascii=False) if note else None))

    def events(self, reference: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT at, status, note FROM events WHERE reference=? ORDER BY rowid",
                                    (reference,)).fetchall()
        return [{"at": at, "status": st, "note": json.loads(note) if note else None} for at, st, note in rows]

    def count(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM applications").fetchone()
        return int(n)

    def close(self) -> None:
        with self._lock:
            self._db.close()
