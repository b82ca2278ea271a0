"""The SMS outbox on SQLite (issue 18): a mixin of ``SqliteStore``. One row per (application, event): the
notification's state (queued -> sent | failed, or no_mobile / off when nothing is sent), its text and, only
while it still has to go out, the full mobile number; once sent or failed the number is wiped and only the
masked one (138****1234) stays. Courier events are kept by their id, so a replayed event is one event."""
from __future__ import annotations

import sqlite3
import threading

from .base import Duplicate, Row

SMS_SCHEMA = """
CREATE TABLE IF NOT EXISTS sms_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, reference TEXT NOT NULL, event TEXT NOT NULL, event_at TEXT NOT NULL,
    created_at TEXT NOT NULL, state TEXT NOT NULL, phone TEXT NOT NULL DEFAULT '', phone_masked TEXT NOT NULL,
    lang TEXT NOT NULL, template TEXT NOT NULL, params TEXT NOT NULL DEFAULT '{}', text TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
    sent_at TEXT, provider_id TEXT NOT NULL DEFAULT '', gateway TEXT NOT NULL DEFAULT '',
    UNIQUE (reference, event, event_at)
);
CREATE INDEX IF NOT EXISTS sms_due ON sms_messages(state, next_at);
CREATE INDEX IF NOT EXISTS sms_ref ON sms_messages(reference);
CREATE TABLE IF NOT EXISTS courier_events (
    event_id TEXT PRIMARY KEY, carrier TEXT NOT NULL, waybill_no TEXT NOT NULL, status TEXT NOT NULL,
    at TEXT NOT NULL, received_at TEXT NOT NULL
);
"""
SMS_COLS = ("id", "reference", "event", "event_at", "created_at", "state", "phone", "phone_masked", "lang",
            "template", "params", "text", "attempts", "next_at", "last_error", "sent_at", "provider_id", "gateway")
_INSERT = [c for c in SMS_COLS if c != "id"]


class SqliteSms:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def _init_sms(self) -> None:
        with self._lock:
            self._db.executescript(SMS_SCHEMA)

    def _sms_rows(self, sql: str, args: tuple = ()) -> list[Row]:
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(SMS_COLS)} FROM sms_messages " + sql, args).fetchall()
        return [dict(zip(SMS_COLS, r)) for r in rows]

    def add_sms(self, row: Row) -> Row:
        """Keep a notification; the same (reference, event, event_at) twice is one message (``Duplicate``)."""
        with self._lock:
            try:
                cur = self._db.execute(f"INSERT INTO sms_messages({', '.join(_INSERT)}) VALUES "
                                       f"({', '.join('?' * len(_INSERT))})",
                                       tuple(row.get(c, 0 if c in ("attempts", "next_at") else "") for c in _INSERT))
            except sqlite3.IntegrityError:
                raise Duplicate(row["reference"]) from None
            return self._sms_rows("WHERE id = ?", (cur.lastrowid,))[0]

    def sms_due(self, now: float, limit: int = 50) -> list[Row]:
        return self._sms_rows("WHERE state = 'queued' AND next_at <= ? ORDER BY next_at, id LIMIT ?", (now, limit))

    def sms_next_due(self) -> float | None:
        with self._lock:
            row = self._db.execute("SELECT MIN(next_at) FROM sms_messages WHERE state = 'queued'").fetchone()
        return row[0] if row and row[0] is not None else None

    def update_sms(self, sms_id: int, /, **cols: object) -> None:
        names = [c for c in cols if c in SMS_COLS and c != "id"]
        with self._lock:
            self._db.execute(f"UPDATE sms_messages SET {', '.join(f'{c} = ?' for c in names)} WHERE id = ?",
                             (*[cols[c] for c in names], sms_id))

    def sms_messages(self, reference: str | None = None, state: str | None = None, limit: int = 200) -> list[Row]:
        where, args = [], []
        if reference:
            where.append("reference = ?")
            args.append(reference)
        if state:
            where.append("state = ?")
            args.append(state)
        sql = ("WHERE " + " AND ".join(where) + " " if where else "") + "ORDER BY id DESC LIMIT ?"
        return self._sms_rows(sql, (*args, limit))

    def add_courier_event(self, row: Row) -> bool:
        """Remember a courier event by its id; False when it was seen before (a replay or a retry)."""
        with self._lock:
            cur = self._db.execute("INSERT OR IGNORE INTO courier_events(event_id, carrier, waybill_no, status, at, "
                                   "received_at) VALUES (?, ?, ?, ?, ?, ?)",
                                   (row["event_id"], row["carrier"], row["waybill_no"], row["status"], row["at"],
                                    row["received_at"]))
            return cur.rowcount == 1
